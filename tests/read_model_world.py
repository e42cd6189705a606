"""A round to change in every way that can move its results, and the check that its stored
results (judging.ranking.results) equal a fresh computation on the live data (tests/test_read_model.py).

The world: one cohort, a round deciding pre-incubation → incubation on two criteria (Problem ×2,
Team ×1, both 1-5, so T = 100 (2 (p − 1) / 4 + (t − 1) / 4) / 3), six startups in
pre-incubation (so they can be mentored), and four judges (also mentors) assigned to all six.
"""

from dataclasses import dataclass
from decimal import Decimal as D

from sqlalchemy import select

from incubator.core.errors import ServiceError
from incubator.extensions import db as _db

STARTUPS = ["Batik Lurik", "GamelanVerse", "Sanggar Digital", "TaniTech", "Wayang AR", "Anyaman"]
JUDGES = [
    ("Agus Setiawan", "agus@univ-semarang.ac.id"),
    ("Maya Kusuma", "maya.juri@gmail.com"),
    ("Hendra Wijaya", "hendra@outlook.com"),
    ("Dewi Lestari", "dewi@kampus-solo.ac.id"),
]
TOLERANCE = 1e-9


@dataclass
class World:
    round_id: int
    cohort_id: int
    apps: list[int]  # application ids, in STARTUPS order
    startups: list[int]
    criteria: list[int]
    judges: list[int]  # user ids, in JUDGES order
    director_id: int


def build(app, create_user, create_cohort, *, basis="raw", judges_per_application=3) -> World:
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.models import Assignment
    from incubator.judging.rounds import services
    from incubator.judging.rounds.rubric import Scale
    from incubator.startups.models import Startup

    made = create_cohort()
    judges = [create_user(email=email, name=name, roles=["judge", "mentor"]) for name, email in JUDGES]
    with app.test_request_context("/?lang=en"):
        actor = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        round_ = services.save_round(
            None,
            cohort,
            name="Demo day",
            decides_stage="pre_incubation",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=judges_per_application,
            ranking_basis=basis,
            judges_see_scores_after_close=False,
            disagreement_threshold=D(15),
            actor=actor,
        )
        criteria = [
            services.save_criterion(
                round_.rubric,
                None,
                name=name,
                description="",
                weight=D(weight),
                scale=Scale(D(1), D(5), D(1)),
                descriptors={},
                actor=actor,
            )
            for name, weight in (("Problem", 2), ("Team", 1))
        ]
        apps, startups = [], []
        for name in STARTUPS:
            startup = Startup(name=name, city="Solo")
            _db.session.add(startup)
            application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
            _db.session.add(application)
            _db.session.flush()
            change_stage(startup, cohort, "applied", None, system=True)
            change_stage(startup, cohort, "pre_incubation", None, system=True)
            apps.append(application.id)
            startups.append(startup.id)
        for judge in judges:
            for application_id in apps:
                _db.session.add(Assignment(round_id=round_.id, application_id=application_id, judge_id=judge.id))
        services.set_phase(round_, "open", actor)
        _db.session.commit()
        return World(
            round_.id, made.id, apps, startups, [c.id for c in criteria], [j.id for j in judges], made.director.id
        )


def act(app, action) -> bool:
    """Run `action()` as a request does (one transaction, committed); False when a service refused it."""
    with app.test_request_context("/?lang=en"):
        try:
            action()
        except ServiceError:
            _db.session.rollback()
            return False
        _db.session.commit()
        return True


# --- the changes ---------------------------------------------------------------------------------


def _objects(world: World, judge: int, application: int):
    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.judging.models import Round

    return (
        _db.session.get(Round, world.round_id),
        _db.session.get(Application, world.apps[application]),
        _db.session.get(User, world.judges[judge]),
        _db.session.get(User, world.director_id),
    )


def save(world: World, judge: int, application: int, marks: tuple[str, str], *, submit: bool) -> None:
    """The judge saves (or submits) their sheet with these (Problem, Team) marks."""
    from incubator.judging.sheets.services import Entry, find_sheet, save_sheet

    round_, application_, judge_, _ = _objects(world, judge, application)
    sheet = find_sheet(round_.id, application_.id, judge_.id)
    save_sheet(
        round_.id,
        application_,
        judge_,
        {c: Entry(mark) for c, mark in zip(world.criteria, marks, strict=True)},
        overall_comment="",
        recommendation="maybe",
        expected_version=sheet.version if sheet else 0,
        submit=submit,
    )


def reopen(world: World, judge: int, application: int) -> None:
    from incubator.judging.sheets.services import find_sheet, reopen_sheet

    round_, application_, judge_, director = _objects(world, judge, application)
    sheet = find_sheet(round_.id, application_.id, judge_.id)
    if sheet is None:
        raise ServiceError("no sheet")
    reopen_sheet(sheet, director)


def declare(world: World, judge: int, application: int) -> None:
    from incubator.judging.conflicts.services import declare_conflict

    round_, application_, judge_, _ = _objects(world, judge, application)
    declare_conflict(round_, application_, judge_, "Saya pernah menjadi konsultan mereka.")


def mark(world: World, judge: int, application: int) -> None:
    from incubator.judging.conflicts.services import mark_conflict

    round_, application_, judge_, director = _objects(world, judge, application)
    mark_conflict(round_, application_, judge_, "Keluarga pendiri.", director)


def unmark(world: World, judge: int, application: int) -> None:
    from incubator.judging.conflicts.services import remove_conflict
    from incubator.judging.models import ConflictDeclaration

    round_, application_, judge_, director = _objects(world, judge, application)
    declaration = _db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.round_id == round_.id,
            ConflictDeclaration.application_id == application_.id,
            ConflictDeclaration.judge_id == judge_.id,
        )
    )
    if declaration is None:
        raise ServiceError("no conflict")
    remove_conflict(round_, declaration, director)


def mentor(world: World, judge: int, application: int) -> None:
    """Make the judge a mentor of the application's startup (a conflict found in the data)."""
    from incubator.cohorts.models import CohortStartup
    from incubator.mentoring.services import assign_mentor

    _, application_, judge_, director = _objects(world, judge, application)
    membership = _db.session.scalar(
        select(CohortStartup).where(
            CohortStartup.startup_id == application_.startup_id, CohortStartup.cohort_id == world.cohort_id
        )
    )
    assign_mentor(membership, judge_, director)


def unmentor(world: World, judge: int, application: int) -> None:
    from incubator.cohorts.models import CohortStartup
    from incubator.mentoring.models import MentorAssignment
    from incubator.mentoring.services import unassign_mentor

    _, application_, judge_, director = _objects(world, judge, application)
    assignment = _db.session.scalar(
        select(MentorAssignment)
        .join(CohortStartup, CohortStartup.id == MentorAssignment.cohort_startup_id)
        .where(CohortStartup.startup_id == application_.startup_id, MentorAssignment.mentor_id == judge_.id)
    )
    if assignment is None:
        raise ServiceError("not a mentor")
    unassign_mentor(assignment, director)


def join_team(world: World, judge: int, application: int) -> None:
    """Someone at the judge's organisation joins the startup's team (the judge's own address for a
    public domain): a conflict found in the data."""
    from incubator.applications.services import save_member

    _, application_, judge_, director = _objects(world, judge, application)
    local, domain = judge_.email.split("@")
    email = judge_.email if domain in ("gmail.com", "outlook.com") else f"rekan.{local}@{domain}"
    save_member(application_.startup, None, director, name="Rekan", email=email)


def leave_team(world: World, judge: int, application: int) -> None:
    from incubator.applications.services import remove_member

    _, application_, _, director = _objects(world, judge, application)
    if not application_.startup.members:
        raise ServiceError("no member")
    remove_member(application_.startup, application_.startup.members[-1], director)


def new_judge(world: World, judge: int, application: int) -> None:
    """A colleague of the judge's (same organisation) gets a judge's account: their conflicts with
    the startups whose team shares the domain are found and stored at once."""
    from incubator.auth.services import create_user

    _, _, judge_, director = _objects(world, judge, application)
    local, domain = judge_.email.split("@")
    create_user(f"baru{application}.{local}@{domain}", "Juri Baru", roles=["judge"], actor=director)


def toggle_judge_role(world: World, judge: int, application: int) -> None:
    """A director takes the judge role away, or gives it back."""
    from incubator.auth.services import grant_role, revoke_role

    _, _, judge_, director = _objects(world, judge, application)
    (revoke_role if judge_.has_role("judge") else grant_role)(judge_, "judge", director)


def assign(world: World, judge: int, application: int) -> None:
    from incubator.judging.assignments.manual import assign as assign_judge

    round_, application_, judge_, director = _objects(world, judge, application)
    assign_judge(round_, application_, judge_, director)


def unassign(world: World, judge: int, application: int) -> None:
    from incubator.judging.assignments.checks import find_assignment
    from incubator.judging.assignments.manual import unassign as unassign_judge

    round_, application_, judge_, director = _objects(world, judge, application)
    place = find_assignment(round_.id, application_.id, judge_.id)
    if place is None:
        raise ServiceError("not assigned")
    unassign_judge(round_, place, director)


def phase(world: World, to_phase: str) -> None:
    from incubator.judging.rounds.services import set_phase

    round_, _, _, director = _objects(world, 0, 0)
    set_phase(round_, to_phase, director)


def settings(world: World, *, basis: str, threshold: str) -> None:
    from incubator.cohorts.models import Cohort
    from incubator.judging.rounds.services import save_round

    round_, _, _, director = _objects(world, 0, 0)
    save_round(
        round_,
        _db.session.get(Cohort, world.cohort_id),
        name=round_.name,
        decides_stage=round_.decides_stage,
        scoring_opens_at=None,
        scoring_closes_at=None,
        judges_per_application=round_.judges_per_application,
        ranking_basis=basis,
        judges_see_scores_after_close=False,
        disagreement_threshold=D(threshold),
        actor=director,
    )


def decide(world: World, application: int, outcome: str) -> None:
    from incubator.judging.decisions.services import decide as decide_

    round_, application_, _, director = _objects(world, 0, application)
    decide_(round_, {application_.id: outcome}, director)


def reopen_application(world: World, judge: int, application: int) -> None:
    """A director makes the application a draft again: no round ranks it, judged or not."""
    from incubator.applications.services import reopen as reopen_

    _, application_, _, director = _objects(world, judge, application)
    reopen_(application_, director)


def withdraw(world: World, judge: int, application: int) -> None:
    from incubator.applications.services import withdraw as withdraw_

    _, application_, _, director = _objects(world, judge, application)
    withdraw_(application_, director, "Pindah ke program lain.")


def enter(world: World, name: str, stages: tuple[str, ...]) -> int:
    """A new submitted application moved through `stages` by the stage's one writer; its id."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.startups.models import Startup

    cohort = _db.session.get(Cohort, world.cohort_id)
    startup = Startup(name=name, city="Semarang")
    application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
    _db.session.add_all([startup, application])
    _db.session.flush()
    for stage in stages:
        change_stage(startup, cohort, stage, None, system=True)
    return application.id


# --- the check ------------------------------------------------------------------------------------


def stored(app, round_id: int) -> tuple[dict, dict]:
    """({application id: stored result row as a tuple}, {judge id: stored statistics as a tuple})."""
    from incubator.judging.models import StoredJudgeStats, StoredResult
    from incubator.judging.ranking.results import JUDGE_FIELDS, RESULT_FIELDS

    with app.app_context():
        results = {
            row[0]: tuple(row[1:])
            for row in _db.session.execute(
                select(StoredResult.application_id, *(getattr(StoredResult, f) for f in RESULT_FIELDS)).where(
                    StoredResult.round_id == round_id
                )
            )
        }
        judges = {
            row[0]: tuple(row[1:])
            for row in _db.session.execute(
                select(StoredJudgeStats.judge_id, *(getattr(StoredJudgeStats, f) for f in JUDGE_FIELDS)).where(
                    StoredJudgeStats.round_id == round_id
                )
            )
        }
        _db.session.remove()
    return results, judges


def stored_figures(app, round_id: int) -> tuple:
    """(μ, σ) of the round as stored, or None when no row is."""
    return stored_round_row(app, round_id)[:2]


def stored_round_row(app, round_id: int) -> tuple:
    """(μ, σ, applications, ranked, disagreement, incomplete) of the round as stored, or Nones."""
    from incubator.judging.models import StoredRoundFigures

    with app.app_context():
        row = _db.session.get(StoredRoundFigures, round_id)
        figures = (
            (row.mean, row.sd, row.applications, row.ranked, row.disagreement, row.incomplete) if row else (None,) * 6
        )
        _db.session.remove()
    return figures


def stored_exclusions(app, round_id: int) -> set[int]:
    """The ids of the final sheets the round's stored figures leave out for a conflict."""
    from incubator.judging.models import StoredExclusion

    with app.app_context():
        found = set(_db.session.scalars(select(StoredExclusion.sheet_id).where(StoredExclusion.round_id == round_id)))
        _db.session.remove()
    return found


def fresh(app, round_id: int):
    """The round's figures computed now from the live data and the scores (judging.ranking.compute, which
    runs scoring.compute_round), and each sheet's total as that computation makes it."""
    from incubator.judging import scoring
    from incubator.judging.conflicts import detection as conflicts
    from incubator.judging.conflicts import found as found_conflicts
    from incubator.judging.models import Round, ScoreSheet
    from incubator.judging.ranking.compute import round_ranking
    from incubator.judging.ranking.members import round_entries
    from incubator.judging.ranking.results import scoring_criteria

    with app.test_request_context("/?lang=en"):
        round_ = _db.session.get(Round, round_id)
        # The ranking reads the stored figures: computed here from the scores, by the rules alone.
        data = round_ranking(round_)
        # Conflicts as they are now (a decided round's ranking shows its sheets as they counted then).
        # Found in the data as it is now, by the rule itself (not the stored conflicts pages read).
        live = found_conflicts.live()
        found = set(conflicts.declared(round_id)) | {
            (judge_id, a.id)
            for a in round_entries(round_)
            for judge_id in data.judges
            if (judge_id, a.startup_id) in live
        }

        def excluded(sheet) -> str | None:
            if (sheet.judge_id, sheet.application_id) in found:
                return "conflict"
            return "draft" if sheet.status != "final" else None

        sheets = [
            scoring.Sheet(s.id, s.judge_id, s.application_id, {c: float(v) for c, v in s.values.items()}, excluded(s))
            for s in data.sheets.values()
            if s.application_id in data
        ]
        result = scoring.compute_round(
            scoring_criteria(round_.rubric.criteria if round_.rubric else []),
            sheets,
            data.application_ids,
            judges_per_application=round_.judges_per_application,
            threshold=float(round_.disagreement_threshold),
            basis=round_.ranking_basis,
        )
        stored_totals = dict(
            _db.session.execute(select(ScoreSheet.id, ScoreSheet.total).where(ScoreSheet.round_id == round_id)).all()
        )
        _db.session.remove()
    return result, stored_totals


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) <= TOLERANCE
    return a == b


def assert_conflicts_current(app) -> None:
    """The stored conflicts found in the data equal what the rule finds in the data now."""
    from incubator.judging.conflicts import found

    with app.app_context():
        stored, live = found.stored(), found.live()
        _db.session.remove()
    assert stored == live


def assert_tallies_current(app, round_id: int) -> None:
    """The assignment board's stored counts equal a count of the data now."""
    from incubator.judging.assignments import tallies
    from incubator.judging.assignments.models import JudgeTallies, RoundTallies
    from incubator.judging.models import Round

    with app.app_context():
        stored = _db.session.get(RoundTallies, round_id)
        round_ = _db.session.get(Round, round_id)
        live = tallies.count(round_)
        judges_live = tallies.count_judges(round_id)
        judges_stored = {
            row.judge_id: {
                "assigned": row.assigned,
                "conflicts": row.conflicts,
                "drafts": row.drafts,
                "submitted": row.submitted,
            }
            for row in _db.session.scalars(select(JudgeTallies).where(JudgeTallies.round_id == round_id))
        }
        _db.session.remove()
    assert stored is not None
    assert (stored.members, stored.candidates, stored.filled) == tuple(live)
    # A judge whose last place went keeps a row of zeros until the round is counted again.
    assert {j: f for j, f in judges_stored.items() if any(f.values())} == judges_live


def assert_matches(app, round_id: int):
    """The stored results, judge statistics and sheet totals equal a fresh computation: integers,
    flags and steps exactly, figures to 1e-9; and the stored conflicts and the assignment board's
    counts equal the data's. Returns the fresh result."""
    assert_conflicts_current(app)
    assert_tallies_current(app, round_id)
    result, totals = fresh(app, round_id)
    results, judges = stored(app, round_id)
    expected = {
        a.application_id: (a.raw, a.normalized, a.rank, a.judges_counted, a.spread, a.disagreement, a.incomplete)
        for a in result.applications
    }
    assert results.keys() == expected.keys()
    for application_id, values in expected.items():
        got = results[application_id]
        assert all(map(_same, got, values)), (application_id, got, values)
    expected_judges = {j.judge_id: (j.sheets, j.mean, j.spread, j.difference, j.step) for j in result.judges.values()}
    assert judges.keys() == expected_judges.keys()
    for judge_id, values in expected_judges.items():
        assert all(map(_same, judges[judge_id], values)), (judge_id, judges[judge_id], values)
    applications = result.applications
    counts = (
        len(applications),
        sum(1 for a in applications if a.rank is not None),
        sum(1 for a in applications if a.disagreement),
        sum(1 for a in applications if a.incomplete),
    )
    assert all(map(_same, stored_round_row(app, round_id), (result.mean, result.sd, *counts)))
    left_out = {r.sheet.id for a in result.applications for r in a.sheets if r.sheet.excluded == "conflict"}
    final_left_out = {sheet_id for sheet_id in left_out if totals[sheet_id] is not None}
    assert stored_exclusions(app, round_id) == final_left_out
    for application in result.applications:
        for sheet in application.sheets:
            if sheet.sheet.excluded == "draft":
                assert totals[sheet.sheet.id] is None
            else:
                assert _same(totals[sheet.sheet.id], sheet.total), (sheet.sheet.id, totals[sheet.sheet.id])
    return result
