"""Assigning judges (by hand, in bulk, automatically) and conflicts of interest: the services
and the pages."""

import re
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from incubator.audit.models import AuditEvent
from incubator.core.errors import ServiceError
from incubator.extensions import db as _db
from incubator.judging.assignments import tallies
from incubator.judging.models import Assignment, ConflictDeclaration, ScoreSheet, judge_focus_areas
from incubator.judging.rounds.rubric import Scale
from tests.conftest import count_queries, post_form


class World:
    """A draft round (2 judges per application) of a cohort with two focus areas, its
    submitted applications and its judges. Ids only; services run through `call`."""

    def __init__(self, app, create_user, create_cohort):
        self.app = app
        self.create_user = create_user
        made = create_cohort(areas=(("crafts", "Kriya", "Crafts"), ("games", "Gim", "Games")))
        self.cohort, (self.crafts, self.games) = made.id, made.area_ids
        self.director = made.director
        self.judges = {}
        self.apps = {}
        with app.test_request_context("/?lang=en"):
            from incubator.cohorts.models import Cohort
            from incubator.judging.rounds import services

            actor = _db.session.merge(self.director)
            round_ = services.save_round(
                None,
                _db.session.get(Cohort, self.cohort),
                name="Pitch selection",
                decides_stage="applied",
                scoring_opens_at=None,
                scoring_closes_at=None,
                judges_per_application=2,
                ranking_basis="raw",
                judges_see_scores_after_close=False,
                disagreement_threshold=D(15),
                actor=actor,
            )
            criterion = services.save_criterion(
                round_.rubric,
                None,
                name="Problem",
                description="",
                weight=D(1),
                scale=Scale(D(1), D(5), D(1)),
                descriptors={},
                actor=actor,
            )
            _db.session.commit()
            self.round, self.criterion = round_.id, criterion.id

    def judge(self, name, email=None, areas=(), roles=("judge",), active=True):
        user = self.create_user(
            email=email or f"{name.lower()}@juri.example", name=name, roles=roles, active=active, locale="en"
        )
        if areas:
            with self.app.app_context():
                _db.session.execute(
                    judge_focus_areas.insert(), [{"user_id": user.id, "focus_area_id": a} for a in areas]
                )
                _db.session.commit()
        self.judges[name] = user
        return user.id

    def application(self, name, area=None, member_email=None, stage="applied"):
        from incubator.applications.models import Application
        from incubator.cohorts.models import Cohort
        from incubator.cohorts.services import change_stage
        from incubator.core.database import utcnow
        from incubator.judging.conflicts import found
        from incubator.startups.models import Startup, TeamMember

        with self.app.test_request_context("/?lang=en"):
            cohort = _db.session.get(Cohort, self.cohort)
            startup = Startup(name=name, city="Solo", focus_area_id=area)
            if member_email:
                startup.members = [TeamMember(name="Rekan", email=member_email)]
            _db.session.add(startup)
            application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
            _db.session.add(application)
            _db.session.flush()
            found.update(startup_ids=[startup.id])  # as the team's writer does
            change_stage(startup, cohort, "applied", None, system=True)
            if stage != "applied":
                change_stage(startup, cohort, stage, None, system=True)
            _db.session.commit()
            self.apps[name] = application.id
            return application.id

    def call(self, service, *args, view=None, **kwargs):
        """Run an assignment or conflict service (by name) with objects loaded by id; commit it,
        or return the refusal's message. `view(result)` reads the result before the session ends."""
        from incubator.applications.models import Application
        from incubator.auth.models import User
        from incubator.judging.assignments import automatic, bulk, manual
        from incubator.judging.conflicts import services as conflicts
        from incubator.judging.models import Round

        services = {
            "assign": manual.assign,
            "unassign": manual.unassign,
            "bulk_assign": bulk.bulk_assign,
            "auto_assign": automatic.auto_assign,
            "declare_conflict": conflicts.declare_conflict,
            "mark_conflict": conflicts.mark_conflict,
            "remove_conflict": conflicts.remove_conflict,
        }

        loaders = {
            "round": Round,
            "application": Application,
            "user": User,
            "assignment": Assignment,
            "conflict": ConflictDeclaration,
        }
        with self.app.test_request_context("/?lang=en"):
            loaded = [
                _db.session.get(loaders[a[0]], a[1]) if isinstance(a, tuple) and a[0] in loaders else a for a in args
            ]
            for key, value in list(kwargs.items()):
                if isinstance(value, tuple) and value and value[0] in loaders:
                    kwargs[key] = _db.session.get(loaders[value[0]], value[1])
            try:
                result = services[service](*loaded, **kwargs)
            except ServiceError as exc:
                _db.session.rollback()
                return str(exc)
            summary = view(result) if view else result
            _db.session.commit()
            return summary

    # shorthands for `call`
    @property
    def r(self):
        return ("round", self.round)

    def a(self, name):
        return ("application", self.apps[name])

    def u(self, name):
        return ("user", self.judges[name].id)

    @property
    def boss(self):
        return ("user", self.director.id)

    def set_phase(self, *phases):
        from incubator.judging.models import Round
        from incubator.judging.rounds import services

        with self.app.test_request_context("/?lang=en"):
            for phase in phases:
                services.set_phase(_db.session.get(Round, self.round), phase, _db.session.merge(self.director))
            _db.session.commit()


@pytest.fixture
def world(app, create_user, create_cohort):
    return World(app, create_user, create_cohort)


def _pairs(db, round_id):
    rows = db.scalars(select(Assignment).where(Assignment.round_id == round_id).order_by(Assignment.id))
    return [(r.judge_id, r.application_id) for r in rows]


def _actions(db):
    return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- assigning by hand -------------------------------------------------------------------------


def test_assign_records_the_place_and_an_audit_event(world, db):
    judge = world.judge("Agus")
    batik = world.application("Batik Lurik", world.crafts)
    created = world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss)
    assert isinstance(created, Assignment)
    assert _pairs(db, world.round) == [(judge, batik)]
    event_ = db.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.created"))
    assert (event_.actor_id, event_.data) == (world.director.id, {"application_id": batik, "judge_id": judge})


def test_assign_refuses_duplicates_non_judges_and_deactivated_accounts(world, db):
    world.judge("Agus")
    world.judge("Mentor Mira", roles=("mentor",))
    world.judge("Lapsed", active=False)
    world.application("Batik Lurik")
    world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss)
    assert world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss) == (
        "Agus is already assigned to Batik Lurik."
    )
    assert world.call("assign", world.r, world.a("Batik Lurik"), world.u("Mentor Mira"), world.boss) == (
        "Mentor Mira is not a judge."
    )
    assert world.call("assign", world.r, world.a("Batik Lurik"), world.u("Lapsed"), world.boss) == (
        "The account of Lapsed is deactivated."
    )
    assert len(_pairs(db, world.round)) == 1


def test_assign_refuses_declared_and_detected_conflicts_with_the_reason(world, db):
    world.judge("Agus", email="agus@univ-semarang.ac.id")
    world.judge("Bima")
    world.application("Kampus Kreatif", member_email="rekan@univ-semarang.ac.id")
    world.application("Batik Lurik")
    assert world.call("assign", world.r, world.a("Kampus Kreatif"), world.u("Agus"), world.boss) == (
        "Agus has a conflict of interest with Kampus Kreatif: "
        "The judge shares the e-mail domain univ-semarang.ac.id with this startup's team."
    )
    world.call(
        "mark_conflict", world.r, world.a("Batik Lurik"), world.u("Bima"), "Bima is the CEO's cousin.", world.boss
    )
    assert world.call("assign", world.r, world.a("Batik Lurik"), world.u("Bima"), world.boss) == (
        "Bima has a conflict of interest with Batik Lurik: Bima is the CEO's cousin."
    )
    assert _pairs(db, world.round) == []


def test_a_judge_who_mentors_the_startup_in_another_cohort_is_never_assigned_to_it(world, db, create_cohort):
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.cohorts.services import change_stage
    from incubator.judging.conflicts import detection as conflicts
    from incubator.judging.conflicts import found
    from incubator.mentoring.models import MentorAssignment

    hendra = world.judge("Hendra", roles=("judge", "mentor"))
    world.judge("Bima")
    batik = world.application("Batik Lurik")
    earlier = create_cohort(name="Hetero for Startup Solo 2025", areas=(), space="Hetero Space Solo 2025")
    with world.app.test_request_context("/?lang=en"):
        application = _db.session.get(Application, batik)
        place = change_stage(application.startup, _db.session.get(Cohort, earlier.id), "applied", None, system=True)
        _db.session.add(MentorAssignment(cohort_startup_id=place.cohort_startup_id, mentor_id=hendra))
        found.update(startup_ids=[application.startup_id])  # as mentoring's writer does
        _db.session.commit()
        judges = [world.judges["Hendra"], world.judges["Bima"]]
        assert conflicts.detect(judges, [application]) == {(hendra, batik): "The judge mentors this startup."}
        assert _db.session.scalar(select(func.count(CohortStartup.id))) == 2
    assert world.call("assign", world.r, world.a("Batik Lurik"), world.u("Hendra"), world.boss) == (
        "Hendra has a conflict of interest with Batik Lurik: The judge mentors this startup."
    )
    assert _pairs(db, world.round) == []


def test_assign_only_to_applications_the_round_decides_and_never_once_decided(world, db):
    world.judge("Agus")
    world.application("Batik Lurik")
    world.application("Gone", stage="withdrawn")
    assert world.call("assign", world.r, world.a("Gone"), world.u("Agus"), world.boss) == (
        "Gone is not among the applications this round decides."
    )
    world.set_phase("open", "closed", "decided")
    assert world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss) == (
        "This round is decided: its judges and conflicts can no longer change."
    )
    assert _pairs(db, world.round) == []


def _sheet(world, judge, application, *, value=None, comment="", status="draft"):
    from incubator.judging.models import Score

    with world.app.app_context():
        sheet = ScoreSheet(
            round_id=world.round, application_id=world.apps[application], judge_id=world.judges[judge].id, status=status
        )
        sheet.scores = [Score(criterion_id=world.criterion, value=value, comment=comment)]
        _db.session.add(sheet)
        tallies.recount_judge(world.round, world.judges[judge].id)  # as the sheets' service does
        _db.session.commit()


def _assignment_id(db, world, judge, application):
    return db.scalar(
        select(Assignment.id).where(
            Assignment.judge_id == world.judges[judge].id, Assignment.application_id == world.apps[application]
        )
    )


def test_unassign_removes_an_empty_draft_but_keeps_any_work(world, db):
    for name in ("Agus", "Bima", "Citra"):
        world.judge(name)
    world.application("Batik Lurik")
    for name in ("Agus", "Bima", "Citra"):
        world.call("assign", world.r, world.a("Batik Lurik"), world.u(name), world.boss)
    _sheet(world, "Agus", "Batik Lurik")  # opened, nothing written
    _sheet(world, "Bima", "Batik Lurik", comment="Strong team")  # a comment is work
    _sheet(world, "Citra", "Batik Lurik", value=D(4), status="final")
    kept = (
        "This judge has already scored or commented on this application, so the place is kept. "
        "Mark a conflict of interest instead if their sheet must not count."
    )
    for name in ("Bima", "Citra"):
        place = ("assignment", _assignment_id(db, world, name, "Batik Lurik"))
        assert world.call("unassign", world.r, place, world.boss) == kept
    world.call("unassign", world.r, ("assignment", _assignment_id(db, world, "Agus", "Batik Lurik")), world.boss)
    assert sorted(j for j, _a in _pairs(db, world.round)) == [world.judges["Bima"].id, world.judges["Citra"].id]
    assert sorted(s.judge_id for s in db.scalars(select(ScoreSheet))) == [
        world.judges["Bima"].id,
        world.judges["Citra"].id,
    ]
    assert _actions(db).count("assignment.deleted") == 1


# --- in bulk -----------------------------------------------------------------------------------


def test_bulk_assign_counts_what_it_added_and_left_out(world, db):
    agus = world.judge("Agus", email="agus@univ-semarang.ac.id")
    bima = world.judge("Bima")
    batik, gamelan, kampus = (
        world.application("Batik Lurik"),
        world.application("GamelanVerse"),
        world.application("Kampus Kreatif", member_email="rekan@univ-semarang.ac.id"),
    )
    world.call("assign", world.r, world.a("Batik Lurik"), world.u("Bima"), world.boss)
    result = world.call("bulk_assign", world.r, [batik, gamelan, kampus], [agus, bima], world.boss)
    assert (result.added, result.already, result.conflicted) == (4, 1, 1)
    assert sorted(_pairs(db, world.round)) == sorted(
        [(bima, batik), (agus, batik), (agus, gamelan), (bima, gamelan), (bima, kampus)]
    )
    event_ = db.scalar(select(AuditEvent).where(AuditEvent.action == "assignments.bulk"))
    assert event_.data == {
        "added": 4,
        "already": 1,
        "conflicted": 1,
        "pairs": [[agus, batik], [agus, gamelan], [bima, gamelan], [bima, kampus]],
    }


def test_bulk_assign_refuses_applications_outside_the_round_and_non_judges(world, db):
    agus = world.judge("Agus")
    mira = world.judge("Mira", roles=("mentor",))
    batik = world.application("Batik Lurik")
    gone = world.application("Gone", stage="withdrawn")
    assert world.call("bulk_assign", world.r, [batik, gone], [agus], world.boss) == (
        "Choose applications that this round decides."
    )
    assert world.call("bulk_assign", world.r, [batik], [agus, mira], world.boss) == "Mira is not a judge."
    assert (
        world.call("bulk_assign", world.r, [], [agus], world.boss) == "Choose at least one application and one judge."
    )
    assert _pairs(db, world.round) == []


# --- automatically ------------------------------------------------------------------------------


def _four_by_four(world):
    """Two crafts and two games applications; two judges know crafts, two games."""
    for name, area in (("Agus", world.crafts), ("Bima", world.crafts), ("Citra", world.games), ("Dewi", world.games)):
        world.judge(name, areas=[area])
    for name, area in (("Batik Lurik", world.crafts), ("Kriya Kita", world.crafts)):
        world.application(name, area)
    for name in ("GamelanVerse", "Main Yuk"):
        world.application(name, world.games)


def _summary(preview):
    """A preview as plain values (read while its session is open)."""
    return {
        "rows": [(r.application.startup.name, [(j.name, m) for j, m in r.judges]) for r in preview.rows],
        "unfilled": [(s.application.startup.name, s.missing, s.reason) for s in preview.unfilled],
        "conflicted": [(a.startup.name, j.name, reason) for a, j, reason in preview.conflicted],
        "loads": [(row.judge.name, row.before, row.after) for row in preview.loads],
        "added": preview.added,
        "matches": preview.matches,
        "applied": preview.applied,
        "changed": preview.changed,
        "fingerprint": preview.fingerprint,
    }


def _auto(world, cap=None, **kwargs):
    return world.call("auto_assign", world.r, world.boss, cap, view=_summary, **kwargs)


def test_auto_assign_preview_writes_nothing(world, db):
    _four_by_four(world)
    before = len(_actions(db))
    preview = _auto(world, apply=False)
    assert preview["rows"] == [
        ("Batik Lurik", [("Agus", True), ("Bima", True)]),
        ("GamelanVerse", [("Citra", True), ("Dewi", True)]),
        ("Kriya Kita", [("Agus", True), ("Bima", True)]),
        ("Main Yuk", [("Citra", True), ("Dewi", True)]),
    ]
    assert (preview["added"], preview["matches"], preview["unfilled"], preview["applied"]) == (8, 8, [], False)
    assert preview["loads"] == [("Agus", 0, 2), ("Bima", 0, 2), ("Citra", 0, 2), ("Dewi", 0, 2)]
    assert _pairs(db, world.round) == []
    assert len(_actions(db)) == before


def test_auto_assign_applies_the_confirmed_preview_and_refuses_a_stale_one(world, db):
    _four_by_four(world)
    shown = _auto(world, apply=False)
    # Meanwhile a director marks a conflict: the result differs, so nothing is written.
    world.call("mark_conflict", world.r, world.a("Batik Lurik"), world.u("Agus"), "Former employer.", world.boss)
    stale = _auto(world, apply=True, expected=shown["fingerprint"])
    assert (stale["changed"], stale["applied"]) == (True, False)
    assert _pairs(db, world.round) == []
    # Agus is out of Batik Lurik: Citra (games) takes the place, and Agus a games application
    # instead, so every judge still has two.
    assert stale["rows"] == [
        ("Batik Lurik", [("Bima", True), ("Citra", False)]),
        ("GamelanVerse", [("Citra", True), ("Dewi", True)]),
        ("Kriya Kita", [("Agus", True), ("Bima", True)]),
        ("Main Yuk", [("Agus", False), ("Dewi", True)]),
    ]
    assert stale["matches"] == 6
    done = _auto(world, apply=True, expected=stale["fingerprint"])
    assert (done["applied"], done["added"], done["rows"]) == (True, 8, stale["rows"])
    assert len(_pairs(db, world.round)) == 8
    assert (world.judges["Agus"].id, world.apps["Batik Lurik"]) not in _pairs(db, world.round)
    event_ = db.scalar(select(AuditEvent).where(AuditEvent.action == "assignments.auto"))
    assert (event_.actor_id, event_.data["added"], event_.data.get("cap")) == (world.director.id, 8, None)


def test_auto_assign_reports_what_it_cannot_fill_and_keeps_conflicted_places(world, db):
    world.judge("Agus", email="agus@univ-semarang.ac.id")
    world.judge("Bima")
    world.application("Batik Lurik")
    world.application("Kampus Kreatif", member_email="rekan@univ-semarang.ac.id")
    # Assigned before the conflict was known: kept, reported, not counted.
    with world.app.app_context():
        _db.session.add(
            Assignment(
                round_id=world.round, application_id=world.apps["Kampus Kreatif"], judge_id=world.judges["Agus"].id
            )
        )
        _db.session.commit()
    preview = _auto(world, cap=1, apply=True)
    assert preview["rows"] == [("Batik Lurik", [("Agus", False)]), ("Kampus Kreatif", [("Bima", False)])]
    assert preview["unfilled"] == [
        ("Batik Lurik", 1, "The judges without a conflict of interest have reached the cap."),
        ("Kampus Kreatif", 1, "Not enough judges without a conflict of interest."),
    ]
    assert preview["conflicted"] == [
        ("Kampus Kreatif", "Agus", "The judge shares the e-mail domain univ-semarang.ac.id with this startup's team.")
    ]
    assert len(_pairs(db, world.round)) == 3


def test_auto_assign_after_adding_a_judge_only_fills_what_was_missing(world, db):
    world.judge("Agus")
    world.application("Batik Lurik")
    world.application("GamelanVerse")
    first = _auto(world, apply=True)
    assert first["unfilled"] == [
        ("Batik Lurik", 1, "There are not enough judges in the programme."),
        ("GamelanVerse", 1, "There are not enough judges in the programme."),
    ]
    kept = _pairs(db, world.round)
    bima = world.judge("Bima")
    again = _auto(world, apply=True)
    assert again["added"] == 2
    assert _pairs(db, world.round) == [*kept, (bima, world.apps["Batik Lurik"]), (bima, world.apps["GamelanVerse"])]
    assert _auto(world, apply=True)["added"] == 0


def test_auto_assign_skips_deactivated_judges_and_refuses_a_bad_cap(world):
    world.judge("Agus")
    world.judge("Lapsed", active=False)
    world.application("Batik Lurik")
    assert [name for name, _b, _a in _auto(world, apply=False)["loads"]] == ["Agus"]
    assert _auto(world, cap=0, apply=False) == "The cap must be at least 1."


# --- conflicts of interest ---------------------------------------------------------------------


def test_a_judge_declares_a_conflict_on_an_assigned_application_while_scoring_is_open(world, db):
    world.judge("Agus")
    world.application("Batik Lurik")
    world.application("GamelanVerse")
    world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss)
    args = (world.r, world.a("Batik Lurik"), world.u("Agus"))
    assert world.call("declare_conflict", *args, "I mentor them.") == (
        "Scoring is not open in this round, so you cannot declare a conflict here. "
        "Tell the programme director, who can mark it."
    )
    world.set_phase("open")
    assert world.call("declare_conflict", *args, "   ") == "Give the reason for the conflict of interest."
    assert world.call("declare_conflict", *args, "x" * 501) == "Use at most 500 characters."
    assert world.call("declare_conflict", world.r, world.a("GamelanVerse"), world.u("Agus"), "Hm") == (
        "This application is not assigned to you."
    )
    world.call("declare_conflict", *args, "  I mentor\n their CEO. ")
    declaration = db.scalar(select(ConflictDeclaration))
    assert (declaration.source, declaration.reason, declaration.created_by_id) == (
        "judge",
        "I mentor their CEO.",
        world.judges["Agus"].id,
    )
    assert world.call("declare_conflict", *args, "Again") == (
        "A conflict of interest with Batik Lurik is already recorded."
    )
    assert _actions(db).count("conflict.declared") == 1
    world.set_phase("closed")
    assert world.call("declare_conflict", *args, "Again").startswith("Scoring is not open in this round")


def test_a_director_marks_and_removes_a_conflict_but_not_a_judges_declaration(world, db):
    world.judge("Agus")
    world.judge("Bima")
    world.application("Batik Lurik")
    world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss)
    world.set_phase("open")
    declared = world.call(
        "declare_conflict",
        world.r,
        world.a("Batik Lurik"),
        world.u("Agus"),
        "My sister's startup.",
        view=lambda c: c.id,
    )
    marked = world.call(
        "mark_conflict",
        world.r,
        world.a("Batik Lurik"),
        world.u("Bima"),
        "Investor.",
        world.boss,
        view=lambda c: (c.id, c.source, c.created_by_id),
    )
    assert marked[1:] == ("director", world.director.id)
    assert world.call("mark_conflict", world.r, world.a("Batik Lurik"), world.u("Bima"), "Again", world.boss) == (
        "A conflict of interest between Bima and Batik Lurik is already recorded."
    )
    assert world.call("remove_conflict", world.r, ("conflict", declared), world.boss) == (
        "A conflict declared by the judge cannot be removed."
    )
    assert world.call("remove_conflict", world.r, ("conflict", marked[0]), world.boss) is None
    assert [(c.judge_id, c.source) for c in db.scalars(select(ConflictDeclaration))] == [
        (world.judges["Agus"].id, "judge")
    ]
    assert _actions(db)[-1] == "conflict.removed"
    world.set_phase("closed", "decided")
    assert world.call("mark_conflict", world.r, world.a("Batik Lurik"), world.u("Bima"), "Late", world.boss) == (
        "This round is decided: its judges and conflicts can no longer change."
    )


def test_set_judge_focus_areas(world, db):
    world.judge("Agus", areas=[world.crafts])
    world.judge("Mira", roles=("mentor",))
    from incubator.cohorts.models import FocusArea

    with world.app.test_request_context("/?lang=en"):
        from incubator.auth.models import User
        from incubator.judging.assignments import manual as assignments

        games = _db.session.get(FocusArea, world.games)
        boss = _db.session.get(User, world.director.id)
        assignments.set_judge_focus_areas(_db.session.get(User, world.judges["Agus"].id), [games], boss)
        with pytest.raises(ServiceError, match="Mira is not a judge."):
            assignments.set_judge_focus_areas(_db.session.get(User, world.judges["Mira"].id), [games], boss)
        _db.session.commit()
    with world.app.app_context():
        rows = _db.session.execute(select(judge_focus_areas.c.user_id, judge_focus_areas.c.focus_area_id)).all()
    assert rows == [(world.judges["Agus"].id, world.games)]
    event_ = db.scalar(select(AuditEvent).where(AuditEvent.action == "judge.focus_areas_set"))
    assert event_.data == {"before": [world.crafts], "after": [world.games]}


# --- pages -------------------------------------------------------------------------------------


@pytest.fixture
def director(client, login_as, world):
    login_as(client, world.director)
    return world.director


def _row_numbers(page: str, judge_id: int) -> list[str]:
    """A judge's row of the loads table as read: assigned, submitted, drafts (and conflicts)."""
    row = re.search(rf'<tr id="judge-{judge_id}">(.*?)</tr>', page, re.S).group(1)
    return re.findall(r'<span class="progress-part[^"]*">([^<]*)</span>', row)


def _card(page: str, application_id: int) -> str:
    return re.search(
        rf'<li class="card" id="application-{application_id}">(.*?)</li>\s*(?:<li class="card"|</ol>)', page, re.S
    ).group(1)


def _flashes(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", f).strip() for f in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page, re.S)]


def test_round_page_links_to_the_assignments(client, director, world):
    page = _text(client.get(f"/rounds/{world.round}?lang=en"))
    assert f'href="/rounds/{world.round}/assignments">Assign judges</a>' in page
    assert f'href="/rounds/{world.round}/conflicts">Conflicts of interest</a>' in page


def test_overview_shows_each_judges_load_and_progress(client, director, world):
    agus = world.judge("Agus", areas=[world.crafts, world.games])
    bima = world.judge("Bima", email="bima@univ-semarang.ac.id")
    citra = world.judge("Citra")
    for name in ("Batik Lurik", "GamelanVerse"):
        world.application(name, world.crafts)
    kampus = world.application("Kampus Kreatif", member_email="rekan@univ-semarang.ac.id")
    for judge in ("Agus", "Bima"):
        for name in ("Batik Lurik", "GamelanVerse"):
            world.call("assign", world.r, world.a(name), world.u(judge), world.boss)
    world.call("assign", world.r, world.a("Kampus Kreatif"), world.u("Agus"), world.boss)
    with world.app.app_context():  # assigned before the conflict was found
        _db.session.add(Assignment(round_id=world.round, application_id=kampus, judge_id=bima))
        tallies.recount(world.round)  # as the assignment services do
        _db.session.commit()
    _sheet(world, "Agus", "Batik Lurik", value=D(4), status="final")
    _sheet(world, "Agus", "GamelanVerse", value=D(3))
    page = _text(client.get(f"/rounds/{world.round}/assignments?lang=en"))
    assert "<h1>Assign judges: Pitch selection</h1>" in page
    assert _row_numbers(page, agus) == ["3 assigned", "1 submitted", "1 draft"]
    assert _row_numbers(page, bima) == ["3 assigned", "0 submitted", "0 drafts", "1 conflict"]
    assert _row_numbers(page, citra) == ["0 assigned", "0 submitted", "0 drafts"]
    assert '<span class="muted small">Crafts, Games</span>' in page
    assert f'href="/judges/{agus}/focus-areas?round_id={world.round}"' in page
    assert "2 of 3 applications have all their judges." in page
    card = _card(page, kampus)
    assert "1 of 2 judges" in card
    assert 'Conflict of interest</span> <span class="small">The judge shares the e-mail domain' in card
    # Citra is the only judge left to add to Kampus Kreatif.
    assert re.findall(r'<option value="(\d+)">([^<]*)</option>', card) == [(str(citra), "Citra")]
    batik = _card(page, world.apps["Batik Lurik"])
    assert re.findall(r'<span class="place-judge">([^<]*)</span>\s*<span class="tag[^"]*">([^<]*)</span>', batik) == [
        ("Agus", "Submitted"),
        ("Bima", "Not started"),
    ]
    # A submitted sheet's place has no remove button; the others have one.
    assert batik.count('<span class="visually-hidden"> Bima from Batik Lurik</span>') == 1
    assert "Agus from Batik Lurik" not in batik


def test_add_a_judge_options_are_escaped_and_say_who_knows_the_focus_area(client, director, world):
    hostile = world.judge('<script>alert("x")</script> & Co', areas=[world.crafts])
    plain = world.judge("Dewi")
    batik = world.application("Batik Lurik", world.crafts)
    page = _text(client.get(f"/rounds/{world.round}/assignments?lang=en"))
    assert "<script>alert" not in page
    assert re.findall(r"<option [^>]*>[^<]*</option>", _card(page, batik)) == [
        f'<option value="{hostile}">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co'
        " (knows this focus area)</option>",
        f'<option value="{plain}">Dewi</option>',
    ]
    page = _text(client.get(f"/rounds/{world.round}/assignments?lang=id"))
    assert "&amp; Co (menguasai bidang fokus ini)</option>" in page


def test_overview_pages_applications_with_a_fixed_number_of_queries(app, client, director, world):
    app.config["PER_PAGE"] = 3
    world.judge("Agus", areas=[world.crafts])
    world.judge("Bima")
    world.application("Startup 00", world.crafts)
    world.call("assign", world.r, world.a("Startup 00"), world.u("Agus"), world.boss)

    def queries_for(url):
        return count_queries(app, client, url)

    one = queries_for(f"/rounds/{world.round}/assignments?lang=en")
    for n in range(1, 8):
        world.application(f"Startup {n:02d}", world.games if n % 2 else world.crafts, member_email=f"m{n}@x.example")
        world.call("assign", world.r, world.a(f"Startup {n:02d}"), world.u("Agus" if n % 2 else "Bima"), world.boss)
    world.judge("Citra", areas=[world.games])
    _sheet(world, "Agus", "Startup 01", value=D(2))
    assert queries_for(f"/rounds/{world.round}/assignments?lang=en&page=2") == one
    page = _text(client.get(f"/rounds/{world.round}/assignments?lang=en&page=2"))
    assert re.findall(r"<h3>([^<]*)</h3>", page) == ["Startup 03", "Startup 04", "Startup 05"]
    assert "Page 2 of 3" in page
    assert "8 applications" in page


def test_overview_reads_the_same_pages_by_walking_the_names_or_by_sorting_the_round(
    app, client, director, world, db, monkeypatch
):
    """A round that holds many of the startups is paged by walking the startups' name index
    (startups.models.by_name_walk_pays), a small one by sorting: the same pages, case left aside,
    startups outside the round skipped."""
    from incubator.judging.assignments import board_page
    from incubator.startups.models import Startup

    app.config["PER_PAGE"] = 3
    for name in ("dawet Ayu", "Batik", "angklung", "Cilok", "Bakpia", "es Teler", "Ampyang"):
        world.application(name)
    world.application("Apem", stage="pre_incubation")  # at another stage: not in the round
    with db.session() as session:
        session.add_all([Startup(name="Aaa"), Startup(name="bolu")])  # with no application
    expected = [["Ampyang", "angklung", "Bakpia"], ["Batik", "Cilok", "dawet Ayu"], ["es Teler"]]
    for walk in (True, False):
        monkeypatch.setattr(board_page, "by_name_walk_pays", lambda members, walk=walk: walk)
        pages = [
            _text(client.get(f"/rounds/{world.round}/assignments?lang=en&page={number}")) for number in (1, 2, 3, 9)
        ]
        assert [re.findall(r"<h3>([^<]*)</h3>", page) for page in pages] == [*expected, expected[-1]]
        assert "Page 3 of 3" in pages[-1]


def test_overview_shows_each_visitor_their_own_token_and_every_change_at_once(
    client, make_client, login_as, create_user, director, world, db
):
    """The page is written for each request (assignments.routes.overview): another director is shown
    the same board with their own CSRF token, and a change shows on the next view."""
    agus = world.judge("Agus")
    batik = world.application("Batik Lurik")
    overview = f"/rounds/{world.round}/assignments?lang=en"
    first = _text(client.get(overview))
    other = make_client()
    login_as(other, create_user(roles=["director"], locale="en"))
    second = _text(other.get(overview))
    tokens = [set(re.findall(r'name="csrf_token" value="([^"]+)"', page)) for page in (first, second)]
    assert [len(t) for t in tokens] == [1, 1]
    assert tokens[0] != tokens[1]

    def below_heading(page, token):
        return page[page.index('<section class="card" aria-labelledby="summary-h">') : page.index("</main>")].replace(
            token, "TOKEN"
        )

    assert below_heading(first, *tokens[0]) == below_heading(second, *tokens[1])
    # The second director's token is their own: their form goes through.
    added = other.post(
        f"/rounds/{world.round}/assignments/add",
        data={"application_id": batik, "judge_id": agus, "page": 1, "csrf_token": next(iter(tokens[1]))},
    )
    assert added.status_code == 302
    assert _pairs(db, world.round) == [(agus, batik)]
    card = _card(_text(client.get(overview)), batik)
    assert '<span class="place-judge">Agus</span>' in card
    assert "1 of 2 judges" in card
    # A renamed judge shows at once, and the cohort too.
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort

    with db.session() as session:
        session.get(User, agus).name = "Agus Salim"
        session.get(Cohort, world.cohort).name = "Hetero for Startup 2027"
    page = _text(client.get(overview))
    assert '<span class="place-judge">Agus Salim</span>' in _card(page, batik)
    assert ">Hetero for Startup 2027</a>" in page


def test_add_and_remove_a_judge_by_hand(client, director, world, db):
    agus = world.judge("Agus", email="agus@univ-semarang.ac.id")
    batik = world.application("Batik Lurik")
    kampus = world.application("Kampus Kreatif", member_email="rekan@univ-semarang.ac.id")
    overview = f"/rounds/{world.round}/assignments?lang=en"
    response = post_form(
        client,
        f"/rounds/{world.round}/assignments/add",
        {"application_id": batik, "judge_id": agus, "page": 1},
        overview,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{world.round}/assignments#application-{batik}"
    assert _pairs(db, world.round) == [(agus, batik)]
    page = _text(client.get(overview))
    assert _flashes(page) == ["Agus now judges Batik Lurik."]
    refused = post_form(
        client, f"/rounds/{world.round}/assignments/add", {"application_id": kampus, "judge_id": agus}, overview
    )
    assert _flashes(_text(client.get(refused.headers["Location"]))) == [
        "Agus has a conflict of interest with Kampus Kreatif: The judge shares the e-mail domain "
        "univ-semarang.ac.id with this startup&#39;s team."
    ]
    missing = post_form(client, f"/rounds/{world.round}/assignments/add", {"application_id": batik}, overview)
    assert _flashes(_text(client.get(missing.headers["Location"]))) == ["Choose a judge."]
    place = _assignment_id(db, world, "Agus", "Batik Lurik")
    removed = post_form(client, f"/rounds/{world.round}/assignments/{place}/delete", {"page": 2}, overview)
    assert removed.headers["Location"] == f"/rounds/{world.round}/assignments?page=2#application-{batik}"
    assert _pairs(db, world.round) == []
    assert post_form(client, f"/rounds/{world.round}/assignments/{place}/delete", {}, overview).status_code == 404


def test_bulk_form_assigns_every_chosen_pair(client, director, world, db):
    agus, bima = world.judge("Agus"), world.judge("Bima")
    batik, gamelan = world.application("Batik Lurik"), world.application("GamelanVerse")
    overview = f"/rounds/{world.round}/assignments?lang=en"
    page = _text(client.get(overview))
    assert re.findall(r'name="application_ids" type="checkbox" value="(\d+)"', page) == [str(batik), str(gamelan)]
    assert re.findall(r'name="judge_ids" type="checkbox" value="(\d+)"', page) == [str(agus), str(bima)]
    world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss)
    response = post_form(
        client,
        f"/rounds/{world.round}/assignments/bulk",
        {"application_ids": [batik, gamelan], "judge_ids": [agus, bima]},
        overview,
    )
    assert _flashes(_text(client.get(response.headers["Location"]))) == ["3 assignments added. 1 was already assigned."]
    assert len(_pairs(db, world.round)) == 4
    empty = post_form(client, f"/rounds/{world.round}/assignments/bulk", {"judge_ids": [agus]}, overview)
    assert _flashes(_text(client.get(empty.headers["Location"]))) == ["Choose at least one application."]


def test_auto_page_previews_then_confirms(client, director, world, db):
    for name in ("Agus", "Bima"):
        world.judge(name)
    for name in ("Batik Lurik", "GamelanVerse", "Kampus Kreatif"):
        world.application(name)
    url = f"/rounds/{world.round}/assignments/auto?lang=en"
    form = _text(client.get(url))
    assert "<h1>Assign judges automatically: Pitch selection</h1>" in form
    assert '<label for="cap">Most applications per judge</label>' in form
    preview = _text(post_form(client, url, {"cap": "", "preview": "1"}))
    assert "6 assignments will be added." in preview
    planned = re.findall(
        r'<th scope="row">([^<]*)<br>.*?</th>\s*<td><ul class="plain-list tight">(.*?)</ul>', preview, re.S
    )
    assert [(name, re.findall(r"<li>([^<]*)</li>", judges)) for name, judges in planned] == [
        ("Batik Lurik", ["Agus", "Bima"]),
        ("GamelanVerse", ["Agus", "Bima"]),
        ("Kampus Kreatif", ["Agus", "Bima"]),
    ]
    assert re.findall(
        r'<tr><th scope="row">(\w+)</th><td class="num">(\d+)</td><td class="num">(\d+)</td></tr>', preview
    ) == [
        ("Agus", "0", "3"),
        ("Bima", "0", "3"),
    ]
    assert _pairs(db, world.round) == []
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', preview).group(1)
    done = post_form(client, url, {"cap": "", "fingerprint": fingerprint, "confirm": "1"})
    assert done.headers["Location"] == f"/rounds/{world.round}/assignments"
    assert len(_pairs(db, world.round)) == 6
    assert _flashes(_text(client.get(done.headers["Location"]))) == ["6 assignments added."]


def test_auto_page_shows_the_new_preview_when_things_changed(client, director, world, db):
    world.judge("Agus")
    world.judge("Bima")
    world.application("Batik Lurik")
    url = f"/rounds/{world.round}/assignments/auto?lang=en"
    preview = _text(post_form(client, url, {"preview": "1"}))
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', preview).group(1)
    world.judge("Citra")
    world.call("mark_conflict", world.r, world.a("Batik Lurik"), world.u("Agus"), "Co-founder", world.boss)
    again = post_form(client, url, {"fingerprint": fingerprint, "confirm": "1"})
    assert again.status_code == 200
    page = _text(again)
    assert "The assignments have changed since the preview you confirmed" in page
    assert "2 assignments will be added." in page
    assert re.findall(
        r"<li>([^<]*)</li>", re.search(r'<ul class="plain-list tight">(.*?)</ul>', page, re.S).group(1)
    ) == [
        "Bima",
        "Citra",
    ]
    assert _pairs(db, world.round) == []
    refused = _text(post_form(client, url, {"cap": "0", "preview": "1"}))
    assert "Enter a whole number from 1 to 1000, or leave it empty." in refused


def test_conflicts_page_lists_every_kind_and_marks_one(client, director, world, db):
    world.judge("Agus", email="agus@univ-semarang.ac.id")
    world.judge("Bima")
    world.judge("Citra")
    world.application("Batik Lurik")
    kampus = world.application("Kampus Kreatif", member_email="rekan@univ-semarang.ac.id")
    world.call("assign", world.r, world.a("Batik Lurik"), world.u("Bima"), world.boss)
    world.set_phase("open")
    world.call("declare_conflict", world.r, world.a("Batik Lurik"), world.u("Bima"), "I <3 their CEO.")
    url = f"/rounds/{world.round}/conflicts?lang=en"
    response = post_form(
        client, url, {"application_id": kampus, "judge_id": world.judges["Citra"].id, "reason": "Investor"}
    )
    assert response.headers["Location"] == f"/rounds/{world.round}/conflicts"
    page = _text(client.get(url))
    rows = re.findall(
        r'<tr>\s*<th scope="row">([^<]*)</th>\s*<td>([^<]*)</td>\s*<td><span class="tag[^"]*">([^<]*)</span>'
        r'<br><span class="prewrap">([^<]*)</span>.*?<td>(Yes|No)</td>',
        page,
        re.S,
    )
    assert rows == [
        ("Batik Lurik", "Bima", "Declared by the judge", "I &lt;3 their CEO.", "Yes"),
        (
            "Kampus Kreatif",
            "Agus",
            "Found in the data",
            "The judge shares the e-mail domain univ-semarang.ac.id with this startup&#39;s team.",
            "No",
        ),
        ("Kampus Kreatif", "Citra", "Marked by a director", "Investor", "No"),
    ]
    marked = db.scalar(select(ConflictDeclaration).where(ConflictDeclaration.source == "director"))
    assert page.count("Remove the mark") == 1
    refused = _text(post_form(client, url, {"application_id": kampus, "judge_id": world.judges["Citra"].id}))
    assert "This field is required." in refused
    gone = post_form(client, f"/rounds/{world.round}/conflicts/{marked.id}/delete", {}, url)
    assert gone.headers["Location"] == f"/rounds/{world.round}/conflicts"
    assert db.scalar(select(func.count(ConflictDeclaration.id))) == 1


def test_a_judge_declares_a_conflict_from_its_page(client, login_as, world, db):
    world.judge("Agus")
    world.application("Batik Lurik")
    world.application("GamelanVerse")
    world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss)
    login_as(client, world.judges["Agus"])
    url = f"/rounds/{world.round}/applications/{world.apps['Batik Lurik']}/conflict?lang=en"
    assert client.get(url).status_code == 404  # a draft round is not shown to judges
    world.set_phase("open")
    page = _text(client.get(url))
    assert "<h1>Declare a conflict of interest</h1>" in page
    assert '<label for="reason">Why can you not judge this startup fairly?</label>' in page
    other = f"/rounds/{world.round}/applications/{world.apps['GamelanVerse']}/conflict?lang=en"
    assert client.get(other).status_code == 404
    assert "Please correct the fields marked below." in _text(post_form(client, url, {"reason": " "}))
    done = post_form(client, url, {"reason": "I mentor them."})
    assert done.headers["Location"] == f"/rounds/{world.round}/queue"
    assert [(c.source, c.reason) for c in db.scalars(select(ConflictDeclaration))] == [("judge", "I mentor them.")]
    page = _text(client.get(url))
    assert "A conflict of interest with this startup is already recorded: I mentor them." in page
    assert "<textarea" not in page


def test_focus_areas_page(client, director, world, db):
    agus = world.judge("Agus", areas=[world.crafts])
    mira = world.judge("Mira", roles=("mentor",))
    url = f"/judges/{agus}/focus-areas?lang=en"
    page = _text(client.get(url))
    assert "<h1>Focus areas of Agus</h1>" in page
    assert re.findall(
        r'<input (checked )?id="focus_areas-\d" name="focus_areas" type="checkbox" value="(\d+)">', page
    ) == [
        ("checked ", str(world.crafts)),
        ("", str(world.games)),
    ]
    done = post_form(client, f"/judges/{agus}/focus-areas?round_id={world.round}", {"focus_areas": [world.games]}, url)
    assert done.headers["Location"] == f"/rounds/{world.round}/assignments"
    with world.app.app_context():
        assert _db.session.execute(select(judge_focus_areas.c.focus_area_id)).scalars().all() == [world.games]
    assert client.get(f"/judges/{mira}/focus-areas").status_code == 404
    bad = _text(post_form(client, url, {"focus_areas": ["999"]}))
    assert "Choose focus areas from the list." in bad


def test_pages_of_a_decided_round_offer_no_changes(client, director, world):
    world.judge("Agus")
    world.application("Batik Lurik")
    world.call("assign", world.r, world.a("Batik Lurik"), world.u("Agus"), world.boss)
    world.set_phase("open", "closed", "decided")
    overview = _text(client.get(f"/rounds/{world.round}/assignments?lang=en"))
    assert "This round is decided: its judges can no longer change." in overview
    assert "<form" not in overview.split('<main id="main"')[1]
    auto = _text(client.get(f"/rounds/{world.round}/assignments/auto?lang=en"))
    assert 'name="cap"' not in auto
    refused = _text(
        post_form(client, f"/rounds/{world.round}/assignments/auto?lang=en", {"preview": "1"}, page="/auth/reset")
    )
    assert "This round is decided: its judges and conflicts can no longer change." in refused
    conflicts = _text(client.get(f"/rounds/{world.round}/conflicts?lang=en"))
    assert "This round is decided: its conflicts can no longer change." in conflicts
