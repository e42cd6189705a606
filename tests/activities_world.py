"""A cohort with startups in every stage and one activity, for the activities tests (pages, services, journey)."""

from datetime import UTC, datetime, timedelta

import pytest

from incubator.extensions import db as _db

# (startup, stage it reaches). Those in the programme can be checked in; the others cannot.
STARTUPS = [
    ("Batik Lurik", "pre_incubation"),
    ("GamelanVerse", "incubation"),
    ("Kopi Merapi", "pre_incubation"),
    ("Sanggar Digital", "graduated"),
    ("TaniTech", "pre_incubation"),
    ("Wayang AR", "pre_incubation"),
    ("Anyaman", "applied"),
    ("Kriya Kita", "not_selected"),
    ("Batik Mundur", "withdrawn"),
]
PATHS = {
    "applied": ["applied"],
    "pre_incubation": ["applied", "pre_incubation"],
    "incubation": ["applied", "pre_incubation", "incubation"],
    "graduated": ["applied", "pre_incubation", "incubation", "graduated"],
    "not_selected": ["applied", "not_selected"],
    "withdrawn": ["applied", "withdrawn"],
}
# 2026-07-01 09:00-12:00 WIB
STARTS = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


def add_startups(app, cohort_id: int, names_stages, owner_id: int | None = None) -> dict[str, int]:
    """Startups entered into the cohort and moved to their stage; returns cohort-startup ids by name."""
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.startups.models import Startup

    ids = {}
    with app.test_request_context():
        cohort = _db.session.get(Cohort, cohort_id)
        for name, stage in names_stages:
            startup = Startup(name=name, city="Surakarta", owner_id=owner_id)
            _db.session.add(startup)
            _db.session.flush()
            for step in PATHS[stage]:
                change = change_stage(startup, cohort, step, None, system=True)
            ids[name] = change.cohort_startup_id
        _db.session.commit()
    return ids


def add_activity(app, cohort_id: int, director, title="Kelas legalitas", starts=STARTS, capacity=None, **extra) -> int:
    from incubator.activities.services import save_activity
    from incubator.cohorts.models import Cohort

    with app.test_request_context():
        cohort = _db.session.get(Cohort, cohort_id)
        activity = save_activity(
            None,
            cohort,
            kind=extra.get("kind", "class"),
            title=title,
            theme=extra.get("theme", "legality_licensing"),
            description="",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            space=cohort.space,
            capacity=capacity,
            actor=_db.session.merge(director),
        )
        _db.session.commit()
        return activity.id


def check_in(app, activity_id: int, cohort_startup_id: int, director) -> None:
    from incubator.activities.models import Activity
    from incubator.activities.services import check_in as do_check_in
    from incubator.cohorts.models import CohortStartup

    with app.test_request_context():
        do_check_in(
            _db.session.get(Activity, activity_id),
            _db.session.get(CohortStartup, cohort_startup_id),
            _db.session.merge(director),
        )
        _db.session.commit()


@pytest.fixture
def world(app, create_user, create_cohort):
    """The cohort (required attendance 3), its director, a founder owning Batik Lurik, the startups, one activity."""
    made = create_cohort(required_attendance=3)
    founder = create_user(email="rina@gmail.com", roles=["applicant"], name="Rina")
    ids = add_startups(app, made.id, STARTUPS[:1], owner_id=founder.id)
    ids |= add_startups(app, made.id, STARTUPS[1:])
    activity = add_activity(app, made.id, made.director)
    return {
        "cohort": made.id,
        "space": made.space_id,
        "director": made.director,
        "founder": founder,
        "startups": ids,
        "activity": activity,
    }
