"""The stage pipeline: every allowed and every refused transition, in the pure table
and through the one stage-change service."""

from datetime import timedelta
from itertools import product

import pytest
from sqlalchemy import select

from incubator.audit.models import AuditEvent
from incubator.cohorts import pipeline
from incubator.cohorts.models import CohortStartup, StageChange
from incubator.core.errors import ServiceError
from incubator.extensions import db as _db

ALLOWED = {
    (None, "applied"),
    ("applied", "pre_incubation"),
    ("applied", "not_selected"),
    ("applied", "withdrawn"),
    ("pre_incubation", "incubation"),
    ("pre_incubation", "not_selected"),
    ("pre_incubation", "withdrawn"),
    ("incubation", "graduated"),
    ("incubation", "not_selected"),
    ("incubation", "withdrawn"),
}
EVERY_PAIR = list(product((None, *pipeline.STAGES), pipeline.STAGES))


@pytest.mark.parametrize(("from_stage", "to_stage"), EVERY_PAIR)
def test_transition_table(from_stage, to_stage):
    assert pipeline.is_allowed(from_stage, to_stage) == ((from_stage, to_stage) in ALLOWED)


def test_next_stage():
    assert [pipeline.next_stage(s) for s in pipeline.STAGES] == [
        "pre_incubation",
        "incubation",
        "graduated",
        None,
        None,
        None,
    ]


# --- through the service, on the real database ------------------------------------------


@pytest.fixture
def setup(app, create_user):
    """A cohort, a startup owned by a founder, a director; returns a function that runs code in a request."""
    from incubator.cohorts import services
    from incubator.cohorts.models import Cohort, FocusArea
    from incubator.core.database import utcnow
    from incubator.startups.models import Startup

    director = create_user(email="dir@example.org", roles=["director"])
    founder = create_user(email="founder@example.org", roles=["applicant"])
    stranger = create_user(email="stranger@example.org", roles=["applicant"])
    with app.test_request_context():
        actor = _db.session.merge(director)
        area = FocusArea(code="crafts", name_id="Kriya", name_en="Crafts")
        space = services.save_space(
            None, name="Solo", city="Surakarta", description="", focus_areas=[area], actor=actor
        )
        cohort = services.save_cohort(
            None,
            name="Solo 2026",
            space=space,
            description="",
            opens_at=utcnow() - timedelta(days=1),
            closes_at=utcnow() + timedelta(days=1),
            required_attendance=0,
            focus_areas=[],
            published=True,
            actor=actor,
        )
        startup = Startup(name="Batik Lurik", owner_id=founder.id)
        _db.session.add(startup)
        _db.session.commit()
        ids = {"cohort": cohort.id, "startup": startup.id}

    def run(fn):
        with app.test_request_context("/?lang=en"):
            from incubator.auth.models import User

            people = {
                "director": _db.session.get(User, director.id),
                "founder": _db.session.get(User, founder.id),
                "stranger": _db.session.get(User, stranger.id),
            }
            result = fn(_db.session.get(Startup, ids["startup"]), _db.session.get(Cohort, ids["cohort"]), people)
            _db.session.commit()
            return result

    return run


def _move(run, to_stage, who="director", reason=""):
    from incubator.cohorts.services import change_stage

    return run(lambda s, c, p: change_stage(s, c, to_stage, p[who], reason).id)


def _walk(run, *stages):
    for stage in stages:
        _move(run, stage)


@pytest.mark.parametrize(("from_stage", "to_stage"), sorted(ALLOWED, key=str))
def test_service_allows(setup, db, from_stage, to_stage):
    path = {None: [], "applied": ["applied"], "pre_incubation": ["applied", "pre_incubation"]}.get(
        from_stage, ["applied", "pre_incubation", "incubation"]
    )
    _walk(setup, *path)
    _move(setup, to_stage, reason="Keputusan panel")
    row = db.scalar(select(CohortStartup))
    assert row.stage == to_stage
    last = db.scalars(select(StageChange).order_by(StageChange.id))[-1]
    assert (last.from_stage, last.to_stage, last.reason) == (from_stage, to_stage, "Keputusan panel")


REFUSED = [pair for pair in EVERY_PAIR if pair not in ALLOWED]


@pytest.mark.parametrize(("from_stage", "to_stage"), REFUSED, ids=[f"{a}-{b}" for a, b in REFUSED])
def test_service_refuses(setup, db, from_stage, to_stage):
    paths = {
        None: [],
        "applied": ["applied"],
        "pre_incubation": ["applied", "pre_incubation"],
        "incubation": ["applied", "pre_incubation", "incubation"],
        "graduated": ["applied", "pre_incubation", "incubation", "graduated"],
        "not_selected": ["applied", "not_selected"],
        "withdrawn": ["applied", "withdrawn"],
    }
    _walk(setup, *paths[from_stage])
    before = db.scalars(select(StageChange))
    with pytest.raises(ServiceError) as refused:
        _move(setup, to_stage)
    expected = {
        None: "This startup is not in the cohort yet; it can only enter it as applied.",
        "graduated": "This startup's stage is final; it cannot move any more.",
        "not_selected": "This startup's stage is final; it cannot move any more.",
        "withdrawn": "This startup's stage is final; it cannot move any more.",
    }.get(from_stage, "A startup moves one step forward at a time, or to not selected or withdrawn.")
    assert str(refused.value) == expected
    assert len(db.scalars(select(StageChange))) == len(before)


def test_every_change_is_recorded_with_who_when_from_to_why(setup, db):
    _move(setup, "applied", reason="Dikirim")
    _move(setup, "pre_incubation", reason="Skor tertinggi")
    history = db.scalars(select(StageChange).order_by(StageChange.id))
    assert [(h.from_stage, h.to_stage, h.reason) for h in history] == [
        (None, "applied", "Dikirim"),
        ("applied", "pre_incubation", "Skor tertinggi"),
    ]
    assert all(h.actor_id is not None and h.created_at is not None for h in history)
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "stage.changed").order_by(AuditEvent.id))
    assert [(e.data.get("from_stage"), e.data["to_stage"]) for e in events] == [
        (None, "applied"),
        ("applied", "pre_incubation"),
    ]


def test_founder_may_withdraw_but_not_advance(setup, db):
    _move(setup, "applied", who="founder")
    with pytest.raises(ServiceError, match="Only a director can change a startup's stage."):
        _move(setup, "pre_incubation", who="founder")
    _move(setup, "withdrawn", who="founder", reason="Fokus ke pasar ekspor")
    assert db.scalar(select(CohortStartup.stage)) == "withdrawn"


def test_stranger_may_not_withdraw_someone_elses_startup(setup):
    _move(setup, "applied")
    with pytest.raises(ServiceError, match="Only a director can change a startup's stage."):
        _move(setup, "withdrawn", who="stranger")


def test_unknown_stage_is_refused(setup):
    with pytest.raises(ServiceError, match="Unknown stage: hibernating."):
        _move(setup, "hibernating")


def test_database_keeps_one_current_stage_per_startup_per_cohort(setup, app):
    from sqlalchemy.exc import IntegrityError

    _move(setup, "applied")
    with app.app_context():
        row = _db.session.scalar(select(CohortStartup))
        _db.session.add(CohortStartup(cohort_id=row.cohort_id, startup_id=row.startup_id, stage="applied"))
        with pytest.raises(IntegrityError):
            _db.session.flush()
        _db.session.rollback()
