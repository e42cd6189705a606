"""Score sheets: drafts, submission, locking, stale saves, late saves, conflicts, and the ranking loader."""

import threading
import time
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from incubator.core.errors import ServiceError
from incubator.core.figures import rounded
from incubator.extensions import db as _db
from incubator.judging.models import Assignment, ConflictDeclaration, Round, Score, ScoreSheet
from incubator.judging.rounds.rubric import Scale
from incubator.judging.sheets.services import Entry, reopen_sheet, save_sheet


@pytest.fixture
def world(app, create_user, create_cohort):
    """An open round with two criteria, three submitted applications, two judges assigned to all."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.conflicts import found
    from incubator.judging.rounds import services
    from incubator.startups.models import Startup, TeamMember

    made = create_cohort()
    judges = [
        create_user(email="agus@univ-semarang.ac.id", roles=["judge"], name="Agus"),
        create_user(email="maya@gmail.com", roles=["judge"], name="Maya"),
    ]
    with app.test_request_context("/?lang=en"):
        actor = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        round_ = services.save_round(
            None,
            cohort,
            name="Pitch",
            decides_stage="applied",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=2,
            ranking_basis="raw",
            judges_see_scores_after_close=False,
            disagreement_threshold=D(15),
            actor=actor,
        )
        criteria = [
            services.save_criterion(
                round_.rubric,
                None,
                name=n,
                description="",
                weight=D(w),
                scale=Scale(D(1), D(5), D(1)),
                descriptors={},
                actor=actor,
            )
            for n, w in (("Problem", 2), ("Team", 1))
        ]
        apps = []
        for i, name in enumerate(["Batik Lurik", "GamelanVerse", "Kampus Kreatif"]):
            startup = Startup(name=name, city="Solo")
            if i == 2:  # someone at the first judge's university is on this team
                startup.members = [TeamMember(name="Rekan", email="rekan@univ-semarang.ac.id")]
            _db.session.add(startup)
            application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
            _db.session.add(application)
            _db.session.flush()
            found.update(startup_ids=[startup.id])  # as the team's writer does
            change_stage(startup, cohort, "applied", None, system=True)
            apps.append(application)
        for judge in judges:
            for application in apps:
                _db.session.add(Assignment(round_id=round_.id, application_id=application.id, judge_id=judge.id))
        services.set_phase(round_, "open", actor)
        _db.session.commit()
        return {
            "round": round_.id,
            "apps": [a.id for a in apps],
            "criteria": [c.id for c in criteria],
            "judges": judges,
            "director": made.director,
        }


def _save(app, world, judge=0, application=0, values=("4", "3"), version=0, submit=False, comment=""):
    from incubator.applications.models import Application
    from incubator.auth.models import User

    with app.test_request_context("/?lang=en"):
        try:
            sheet = save_sheet(
                world["round"],
                _db.session.get(Application, world["apps"][application]),
                _db.session.get(User, world["judges"][judge].id),
                {c: Entry(v, comment) for c, v in zip(world["criteria"], values, strict=True)},
                overall_comment="Solid",
                recommendation="advance",
                expected_version=version,
                submit=submit,
            )
            _db.session.commit()
            return sheet.version
        except ServiceError as exc:
            _db.session.rollback()
            return str(exc)


def test_draft_then_submit_then_locked(app, world, db):
    first = _save(app, world, values=("4", ""))
    assert isinstance(first, int)
    assert _save(app, world, values=("4", ""), version=first, submit=True) == (
        "Give a score for every criterion before submitting: Team."
    )
    final = _save(app, world, values=("4", "3"), version=first, submit=True)
    assert final == first + 1
    assert _save(app, world, values=("5", "5"), version=final) == (
        "This sheet is submitted and locked. Ask a director to reopen it."
    )
    sheet = db.scalar(select(ScoreSheet))
    assert (sheet.status, sheet.recommendation, sheet.overall_comment) == ("final", "advance", "Solid")
    assert sorted((s.criterion_id, s.value) for s in db.scalars(select(Score))) == [
        (world["criteria"][0], D("4.00")),
        (world["criteria"][1], D("3.00")),
    ]


def test_values_must_be_on_the_scale(app, world):
    assert _save(app, world, values=("6", "3")) == "Problem: give a score from 1 to 5 in steps of 1."
    assert _save(app, world, values=("2.5", "3")) == "Problem: give a score from 1 to 5 in steps of 1."
    assert _save(app, world, values=("abc", "3")) == "Enter a number, e.g. 2 or 2.5."


def test_stale_save_is_refused_not_applied(app, world, db):
    opened = _save(app, world, values=("4", "3"))  # both tabs show this version
    assert _save(app, world, values=("5", "5"), version=opened) == opened + 1  # the first tab
    stale = _save(app, world, values=("1", "1"), version=opened)  # the second tab
    assert stale.startswith("This sheet was changed in another window or device since you opened it.")
    assert sorted(s.value for s in db.scalars(select(Score))) == [D("5.00"), D("5.00")]
    assert _save(app, world, values=("1", "1"), version=0).startswith("This sheet was changed")


def test_unassigned_and_conflicted_judges_cannot_score(app, world, db):
    from incubator.applications.models import Application

    assert _save(app, world, judge=0, application=2) == (
        "You have a conflict of interest with this startup, so you cannot score it."
    )  # found in the data: same university domain
    with app.app_context():
        _db.session.add(
            ConflictDeclaration(
                round_id=world["round"],
                application_id=world["apps"][1],
                judge_id=world["judges"][1].id,
                source="judge",
                reason="Mantan rekan kerja pendiri",
            )
        )
        _db.session.execute(
            Assignment.__table__.delete().where(
                Assignment.application_id == world["apps"][0], Assignment.judge_id == world["judges"][1].id
            )
        )
        _db.session.commit()
    assert _save(app, world, judge=1, application=1) == (
        "You have a conflict of interest with this startup, so you cannot score it."
    )
    assert _save(app, world, judge=1, application=0) == "This application is not assigned to you."
    assert db.scalar(select(func.count(ScoreSheet.id))) == 0
    del Application


def test_a_closed_round_refuses_late_saves_and_keeps_what_was_saved(app, world, db):
    from incubator.judging.rounds.services import set_phase

    saved = _save(app, world, values=("4", "3"))
    with app.test_request_context("/?lang=en"):
        set_phase(_db.session.get(Round, world["round"]), "closed", _db.session.merge(world["director"]))
        _db.session.commit()
    assert (
        _save(app, world, values=("1", "1"), version=saved) == "Scoring is closed for this round; nothing was changed."
    )
    assert sorted(s.value for s in db.scalars(select(Score))) == [D("3.00"), D("4.00")]


def test_a_save_in_flight_finishes_before_the_round_closes(app, world, db):
    """The judge's save holds the round; the director's close waits for it, then wins."""
    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.judging.rounds.services import set_phase

    locked, order = threading.Event(), []

    def judge_saves():
        with app.test_request_context("/?lang=en"):
            save_sheet(
                world["round"],
                _db.session.get(Application, world["apps"][0]),
                _db.session.get(User, world["judges"][0].id),
                {c: Entry("4") for c in world["criteria"]},
                overall_comment="",
                recommendation=None,
                expected_version=0,
            )
            locked.set()
            time.sleep(0.6)
            order.append("judge committed")
            _db.session.commit()

    worker = threading.Thread(target=judge_saves)
    worker.start()
    assert locked.wait(10)
    with app.test_request_context("/?lang=en"):
        set_phase(_db.session.get(Round, world["round"]), "closed", _db.session.merge(world["director"]))
        _db.session.commit()
        order.append("director closed")
    worker.join(10)
    assert order == ["judge committed", "director closed"]
    assert db.scalar(select(func.count(Score.id))) == 2
    latest = db.scalar(select(ScoreSheet.version))
    assert _save(app, world, values=("1", "1"), version=latest) == (
        "Scoring is closed for this round; nothing was changed."
    )


def test_two_first_saves_at_once_make_one_sheet(app, world, db):
    results = []
    barrier = threading.Barrier(2)

    def save(values):
        barrier.wait(5)
        results.append(_save(app, world, values=values))

    threads = [threading.Thread(target=save, args=(v,)) for v in (("4", "3"), ("2", "2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert db.scalar(select(func.count(ScoreSheet.id))) == 1
    saved = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, str)]
    assert len(saved) == 1
    assert len(refused) == 1
    assert refused[0].startswith("This sheet was changed")


def test_director_reopens_a_sheet(app, world, db):
    _save(app, world, submit=True)
    with app.test_request_context("/?lang=en"):
        sheet = _db.session.scalar(select(ScoreSheet))
        reopen_sheet(sheet, _db.session.merge(world["director"]))
        _db.session.commit()
    assert db.scalar(select(ScoreSheet.status)) == "draft"


def test_ranking_counts_final_sheets_without_conflicts(app, world):
    from incubator.judging.ranking.compute import round_ranking

    _save(app, world, judge=0, application=0, values=("5", "5"), submit=True)  # T = 100
    _save(app, world, judge=1, application=0, values=("3", "1"), submit=True)  # T = 100·(2·0.5 + 0)/3 = 33.33
    _save(app, world, judge=1, application=1, values=("4", "4"))  # a draft: does not count
    with app.test_request_context("/?lang=en"):
        ranking = round_ranking(_db.session.get(Round, world["round"]))
        rows = {a.application_id: a for a in ranking.result.applications}
        first = rows[world["apps"][0]]
        assert (rounded(first.raw), rounded(first.spread), first.judges_counted, first.rank) == (
            D("66.67"),
            D("33.33"),
            2,
            1,
        )
        assert first.disagreement is True
        assert (rows[world["apps"][1]].rank, rows[world["apps"][1]].judges_counted) == (None, 0)
        assert list(ranking.exclusions.values()) == ["Not submitted (draft)."]


def test_a_save_sent_again_after_its_answer_was_lost_is_confirmed_once(app, world, db):
    from incubator.audit.models import AuditEvent

    opened = _save(app, world, values=("4", "3"))
    saved = _save(app, world, values=("5", "3"), version=opened)  # applied; the phone never heard back
    assert saved == opened + 1
    assert _save(app, world, values=("5", "3"), version=opened) == saved  # the resend: already in
    assert db.scalar(select(ScoreSheet)).version == saved
    saves = db.scalars(select(AuditEvent).where(AuditEvent.action == "sheet.saved"))
    assert len(saves) == 2  # the resend changed nothing and recorded nothing
    # A stale save that differs in anything is still refused, as a second tab is.
    assert _save(app, world, values=("5", "4"), version=opened).startswith("This sheet was changed")
    assert _save(app, world, values=("5", "3"), version=opened, submit=True).startswith("This sheet was changed")
