"""Opening a round for scoring while its cohort still takes applications, or with no application,
asks the director to confirm with the reason; without the confirmation nothing changes."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from incubator.audit.models import AuditEvent
from incubator.extensions import db as _db
from incubator.judging.models import Round
from tests.conftest import post_form

STILL_OPEN = (
    "The cohort Hetero for Startup Solo 2027 still takes applications until 31 Jan 2099 23.59 WIB: "
    "applications sent later will not be in this round's judging yet."
)
NONE_YET = "The round has no application to score yet."


def _make(app, create_cohort, director, *, closes_at, applications=0):
    """A draft round with a usable rubric in a cohort whose window closes at `closes_at`."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.rounds import services
    from incubator.judging.rounds.rubric import Scale
    from incubator.startups.models import Startup

    cohort_id = create_cohort(
        "Hetero for Startup Solo 2027",
        opens_at=closes_at - timedelta(days=60),
        closes_at=closes_at,
        director=director,
    ).id
    with app.test_request_context("/?lang=en"):
        actor = _db.session.merge(director)
        cohort = _db.session.get(Cohort, cohort_id)
        round_ = services.save_round(
            None,
            cohort,
            name="Seleksi pitch",
            decides_stage="applied",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=2,
            ranking_basis="raw",
            judges_see_scores_after_close=False,
            disagreement_threshold=Decimal(15),
            actor=actor,
        )
        services.save_criterion(
            round_.rubric,
            None,
            name="Problem",
            description="",
            weight=Decimal(1),
            scale=Scale(Decimal(1), Decimal(5), Decimal(1)),
            descriptors={},
            actor=actor,
        )
        for number in range(applications):
            startup = Startup(name=f"Startup {number}", city="Solo")
            _db.session.add(startup)
            _db.session.add(Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow()))
            _db.session.flush()
            change_stage(startup, cohort, "applied", None, system=True)
        _db.session.commit()
        return round_.id


@pytest.fixture
def director(client, login_as):
    user = login_as(client, "director")
    client.get("/?lang=en")
    return user


def _open(client, round_id, **extra):
    return post_form(client, f"/rounds/{round_id}/phase", {"phase": "open", **extra}, page=f"/rounds/{round_id}")


def _phase_events(db):
    return db.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "round.phase_changed"))


def test_opening_while_applications_are_open_and_none_in_round_asks_first(app, db, client, create_cohort, director):
    round_id = _make(app, create_cohort, director, closes_at=datetime(2099, 1, 31, 16, 59, tzinfo=UTC))

    response = _open(client, round_id)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.findall(r"<li>(.*?)</li>", page.split('role="alert"')[1].split("</div>")[0]) == [
        STILL_OPEN.replace("'", "&#39;"),
        NONE_YET,
    ]
    assert re.findall(r'name="(phase|confirm)" type="hidden" value="(\w*)"', page) == [
        ("phase", "open"),
        ("confirm", "1"),
    ]
    assert db.scalar(select(Round.phase).where(Round.id == round_id)) == "draft"
    assert _phase_events(db) == 0
    # A confirm other than "1" is no confirmation.
    assert _open(client, round_id, confirm="yes").status_code == 200
    assert db.scalar(select(Round.phase).where(Round.id == round_id)) == "draft"

    response = _open(client, round_id, confirm="1")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{round_id}"
    assert db.scalar(select(Round.phase).where(Round.id == round_id)) == "open"
    assert _phase_events(db) == 1


def test_opening_after_the_window_with_applications_needs_no_confirmation(app, db, client, create_cohort, director):
    from incubator.core.database import utcnow

    round_id = _make(app, create_cohort, director, closes_at=utcnow() - timedelta(days=1), applications=2)

    response = _open(client, round_id)

    assert response.status_code == 302
    assert db.scalar(select(Round.phase).where(Round.id == round_id)) == "open"


def test_opening_after_the_window_with_no_application_says_only_that(app, db, client, create_cohort, director):
    from incubator.core.database import utcnow
    from incubator.judging.rounds.services import opening_warnings

    closes_at = utcnow() - timedelta(days=1)
    round_id = _make(app, create_cohort, director, closes_at=closes_at)
    with app.test_request_context("/?lang=en"):
        round_ = _db.session.get(Round, round_id)
        assert opening_warnings(round_) == [NONE_YET]
        # The day before the window closed, both reasons.
        assert len(opening_warnings(round_, now=closes_at - timedelta(days=1))) == 2

    response = _open(client, round_id)

    assert response.status_code == 200
    assert "<li>The round has no application to score yet.</li>" in response.get_data(as_text=True)
    assert "still takes applications" not in response.get_data(as_text=True)
    assert db.scalar(select(Round.phase).where(Round.id == round_id)) == "draft"
