"""Activity and attendance services: saving activities, check-in rules, undo, the attendance summary."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from incubator.activities.models import Activity, Attendance
from incubator.audit.models import AuditEvent
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.errors import ServiceError
from incubator.extensions import db as _db
from tests.activities_world import STARTS, add_activity, add_startups, check_in, world  # noqa: F401


def _call(app, action, activity_id, cohort_startup_id, director):
    """Run a check-in service in English, committed; returns its result or the refusal's text."""
    from incubator.activities import services

    with app.test_request_context("/?lang=en"):
        activity = _db.session.get(Activity, activity_id)
        membership = _db.session.get(CohortStartup, cohort_startup_id)
        try:
            result = getattr(services, action)(activity, membership, _db.session.merge(director))
        except ServiceError as exc:
            _db.session.rollback()
            return str(exc.message)
        _db.session.commit()
        return result.created if action == "check_in" else result


def _attended(app, activity_id) -> list[int]:
    with app.app_context():
        return sorted(
            _db.session.scalars(select(Attendance.cohort_startup_id).where(Attendance.activity_id == activity_id))
        )


def test_check_in_records_attendance_and_audit_event(app, world):  # noqa: F811
    batik = world["startups"]["Batik Lurik"]
    assert _call(app, "check_in", world["activity"], batik, world["director"]) is True
    assert _attended(app, world["activity"]) == [batik]
    with app.app_context():
        event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.checked_in"))
        assert event.actor_id == world["director"].id
        assert event.data == {"activity": "Kelas legalitas", "startup": "Batik Lurik"}


def test_check_in_twice_is_harmless(app, world):  # noqa: F811
    batik = world["startups"]["Batik Lurik"]
    assert _call(app, "check_in", world["activity"], batik, world["director"]) is True
    assert _call(app, "check_in", world["activity"], batik, world["director"]) is False
    assert _attended(app, world["activity"]) == [batik]
    with app.app_context():
        count = select(func.count()).where(AuditEvent.action == "attendance.checked_in")
        assert _db.session.scalar(count) == 1


@pytest.mark.parametrize(
    ("name", "stage"),
    [("Anyaman", "Applied"), ("Kriya Kita", "Not selected"), ("Batik Mundur", "Withdrawn")],
)
def test_check_in_startup_not_in_programme_is_refused(app, world, name, stage):  # noqa: F811
    message = _call(app, "check_in", world["activity"], world["startups"][name], world["director"])
    assert message == (
        f"{name} is not in the programme (stage: {stage}); only startups in pre-incubation, "
        "incubation or graduated can be checked in."
    )
    assert _attended(app, world["activity"]) == []


def test_check_in_startup_of_another_cohort_is_refused(app, world, create_cohort):  # noqa: F811
    other = create_cohort(name="Hetero for Startup Semarang 2026", areas=(("umkm", "UMKM", "MSMEs"),), space="Smg")
    stranger = add_startups(app, other.id, [("Lumpia Digital", "pre_incubation")])["Lumpia Digital"]
    message = _call(app, "check_in", world["activity"], stranger, world["director"])
    assert message == "Lumpia Digital is not in this activity's cohort."
    assert _attended(app, world["activity"]) == []


@pytest.mark.parametrize("stage_name", ["GamelanVerse", "Sanggar Digital"])
def test_check_in_incubation_and_graduated_startups_are_accepted(app, world, stage_name):  # noqa: F811
    assert _call(app, "check_in", world["activity"], world["startups"][stage_name], world["director"]) is True


def test_check_in_beyond_capacity_is_refused(app, world):  # noqa: F811
    small = add_activity(app, world["cohort"], world["director"], title="Klinik pitching", capacity=2)
    ids = world["startups"]
    assert _call(app, "check_in", small, ids["Batik Lurik"], world["director"]) is True
    assert _call(app, "check_in", small, ids["GamelanVerse"], world["director"]) is True
    message = _call(app, "check_in", small, ids["Kopi Merapi"], world["director"])
    assert message == "The activity is full: 2 startups are checked in, its capacity."
    # Checking in again someone already in is still harmless when full.
    assert _call(app, "check_in", small, ids["Batik Lurik"], world["director"]) is False
    assert _attended(app, small) == sorted([ids["Batik Lurik"], ids["GamelanVerse"]])


def test_undo_check_in_removes_attendance(app, world):  # noqa: F811
    batik = world["startups"]["Batik Lurik"]
    check_in(app, world["activity"], batik, world["director"])
    assert _call(app, "undo_check_in", world["activity"], batik, world["director"]) is True
    assert _attended(app, world["activity"]) == []
    assert _call(app, "undo_check_in", world["activity"], batik, world["director"]) is False
    with app.app_context():
        event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.undone"))
        assert event.data["startup"] == "Batik Lurik"


def _save(app, world, activity_id=None, **changes):  # noqa: F811
    from incubator.activities.services import save_activity

    values = {
        "kind": "training",
        "title": "  Branding untuk kriya ",
        "theme": "design_branding",
        "description": "",
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=2),
        "space": None,
        "capacity": None,
    } | changes
    with app.test_request_context("/?lang=en"):
        cohort = _db.session.get(Cohort, world["cohort"])
        activity = _db.session.get(Activity, activity_id) if activity_id else None
        try:
            saved = save_activity(activity, cohort, actor=_db.session.merge(world["director"]), **values)
        except ServiceError as exc:
            _db.session.rollback()
            return str(exc.message)
        _db.session.commit()
        return saved.id


def test_save_activity_strips_title_and_records_event(app, world):  # noqa: F811
    activity_id = _save(app, world)
    with app.app_context():
        activity = _db.session.get(Activity, activity_id)
        assert (activity.title, activity.kind, activity.space_id, activity.capacity) == (
            "Branding untuk kriya",
            "training",
            None,
            None,
        )
        assert _db.session.scalar(
            select(AuditEvent.action).where(AuditEvent.object_type == "activities", AuditEvent.object_id == activity_id)
        ) == ("activity.created")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": STARTS}, "The activity must end after it starts."),
        ({"capacity": 0}, "The capacity must be at least 1, or empty for no limit."),
        ({"kind": "party"}, "Choose a kind from the list."),
        ({"theme": "karaoke"}, "Choose a theme from the list."),
    ],
)
def test_save_activity_bad_values_are_refused(app, world, changes, message):  # noqa: F811
    assert _save(app, world, **changes) == message


def test_save_activity_capacity_below_checked_in_is_refused(app, world):  # noqa: F811
    ids = world["startups"]
    for name in ("Batik Lurik", "GamelanVerse", "TaniTech"):
        check_in(app, world["activity"], ids[name], world["director"])
    message = _save(app, world, world["activity"], capacity=2)
    assert message == "3 startups are already checked in; the capacity cannot be lower than that."
    assert _save(app, world, world["activity"], capacity=3) == world["activity"]


def test_attendance_summary_counts_against_requirement(app, world):  # noqa: F811
    from incubator.activities.queries import attendance_summary

    batik = world["startups"]["Batik Lurik"]
    titles = ["Kelas keuangan", "Klinik pitching", "Kelas produk"]
    for n, title in enumerate(titles):
        later = add_activity(
            app, world["cohort"], world["director"], title=title, starts=STARTS + timedelta(days=n + 1)
        )
        check_in(app, later, batik, world["director"])
    check_in(app, world["activity"], batik, world["director"])
    with app.test_request_context():
        summary = attendance_summary(_db.session.get(CohortStartup, batik))
        assert (summary.attended, summary.required, summary.met) == (4, 3, True)
        assert [a.title for a in summary.recent] == ["Kelas produk", "Klinik pitching", "Kelas keuangan"]
        other = attendance_summary(_db.session.get(CohortStartup, world["startups"]["TaniTech"]))
        assert (other.attended, other.required, other.met, other.recent) == (0, 3, False, [])


def test_activity_times_constraint_holds_in_database(app, world):  # noqa: F811
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        when = datetime(2026, 1, 1, tzinfo=UTC)
        _db.session.add(
            Activity(cohort_id=world["cohort"], kind="class", title="x", theme="other", starts_at=when, ends_at=when)
        )
        with pytest.raises(IntegrityError):
            _db.session.flush()
        _db.session.rollback()
