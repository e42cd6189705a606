"""Writes for activities and attendance: each records its audit event, flushes, never commits."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from incubator.activities import labels  # noqa: F401 - registers the audit labels
from incubator.activities.models import KINDS, Activity, Attendance
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.cohorts.models import Cohort, CohortStartup, Space
from incubator.core.errors import ServiceError
from incubator.core.labels import stage_label
from incubator.core.themes import THEMES
from incubator.extensions import db

# The stages of a startup that takes part in the programme's activities.
PROGRAMME_STAGES = ("pre_incubation", "incubation", "graduated")


@dataclass
class CheckIn:
    """The outcome of a check-in: the attendance, and whether this call made it."""

    attendance: Attendance
    created: bool


def attendance_count(activity: Activity) -> int:
    """How many startups are checked in at `activity`."""
    return db.session.scalar(select(func.count(Attendance.id)).where(Attendance.activity_id == activity.id)) or 0


def save_activity(
    activity: Activity | None,
    cohort: Cohort,
    *,
    kind: str,
    title: str,
    theme: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    space: Space | None,
    capacity: int | None,
    actor: User,
) -> Activity:
    """Create an activity of `cohort`, or change one; times are aware UTC datetimes.

    A capacity below the startups already checked in is refused: nobody is un-checked-in silently.
    """
    if kind not in KINDS:
        raise ServiceError(_l("Choose a kind from the list."))
    if theme not in THEMES:
        raise ServiceError(_l("Choose a theme from the list."))
    if ends_at <= starts_at:
        raise ServiceError(_l("The activity must end after it starts."))
    if capacity is not None and capacity < 1:
        raise ServiceError(_l("The capacity must be at least 1, or empty for no limit."))
    if activity is not None and capacity is not None:
        present = attendance_count(activity)
        if capacity < present:
            raise ServiceError(
                _l(
                    "%(num)d startups are already checked in; the capacity cannot be lower than that.",
                    num=present,
                )
            )
    created = activity is None
    if created:
        activity = Activity(cohort_id=cohort.id, cohort=cohort, created_by_id=actor.id)
        db.session.add(activity)
    activity.kind, activity.title, activity.theme = kind, title.strip(), theme
    activity.description = (description or "").strip()
    activity.starts_at, activity.ends_at = starts_at, ends_at
    activity.space_id = space.id if space else None
    activity.space = space
    activity.capacity = capacity
    db.session.flush()
    record("activity.created" if created else "activity.updated", activity, actor=actor, title=activity.title)
    return activity


def check_in(activity: Activity, cohort_startup: CohortStartup, actor: User, *, at: datetime | None = None) -> CheckIn:
    """Record that `cohort_startup` attended `activity`.

    Only startups of the activity's cohort that are in the programme (pre-incubation,
    incubation, graduated) can be checked in, and not past the capacity. A second
    check-in of the same startup is harmless: it returns the first (`created=False`),
    also when another device checked it in at the same moment (the unique constraint).
    `at` records a check-in after the fact (seed data, a paper list); by default it is now.
    """
    name = cohort_startup.startup.name
    if cohort_startup.cohort_id != activity.cohort_id:
        raise ServiceError(_l("%(startup)s is not in this activity's cohort.", startup=name))
    if cohort_startup.stage not in PROGRAMME_STAGES:
        raise ServiceError(
            _l(
                "%(startup)s is not in the programme (stage: %(stage)s); only startups in pre-incubation, "
                "incubation or graduated can be checked in.",
                startup=name,
                stage=stage_label(cohort_startup.stage),
            )
        )
    existing = _attendance(activity, cohort_startup)
    if existing is not None:
        return CheckIn(existing, False)
    if activity.capacity is not None and attendance_count(activity) >= activity.capacity:
        raise ServiceError(
            _l("The activity is full: %(num)d startups are checked in, its capacity.", num=activity.capacity)
        )
    attendance = Attendance(activity_id=activity.id, cohort_startup_id=cohort_startup.id, checked_in_by_id=actor.id)
    if at is not None:
        attendance.checked_in_at = at
    try:
        with db.session.begin_nested():
            db.session.add(attendance)
            db.session.flush()
    except IntegrityError:
        # Another device checked the same startup in between our read and our write.
        return CheckIn(_attendance(activity, cohort_startup), False)
    record("attendance.checked_in", attendance, actor=actor, activity=activity.title, startup=name)
    db.session.flush()
    return CheckIn(attendance, True)


def undo_check_in(activity: Activity, cohort_startup: CohortStartup, actor: User) -> bool:
    """Remove `cohort_startup`'s check-in at `activity` (a tap on the wrong button); False if there was none."""
    attendance = _attendance(activity, cohort_startup)
    if attendance is None:
        return False
    record(
        "attendance.undone",
        attendance,
        actor=actor,
        activity=activity.title,
        startup=cohort_startup.startup.name,
        activity_id=activity.id,
        cohort_startup_id=cohort_startup.id,
    )
    db.session.delete(attendance)
    db.session.flush()
    return True


def _attendance(activity: Activity, cohort_startup: CohortStartup) -> Attendance | None:
    return db.session.scalar(
        select(Attendance).where(
            Attendance.activity_id == activity.id, Attendance.cohort_startup_id == cohort_startup.id
        )
    )
