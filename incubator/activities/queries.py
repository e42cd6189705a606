"""Read-only questions about activities and attendance (pages, exports and reports share them).

Each list is one query (or a fixed few) whatever the number of rows: related rows come
joined in, and every relationship a page does not show stays unloaded.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, lazyload

from incubator.activities.models import Activity, Attendance
from incubator.activities.services import PROGRAMME_STAGES
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.startups.models import Startup

RECENT = 3


@dataclass
class AttendanceSummary:
    attended: int = 0
    required: int = 0
    recent: list = field(default_factory=list)  # the startup's latest attended activities
    cohort_startup_id: int | None = None

    @property
    def met(self) -> bool:
        return self.attended >= self.required


@dataclass
class StartupAttendance:
    """One startup of the programme on the cohort's attendance table."""

    cohort_startup: CohortStartup
    attended: int
    required: int

    @property
    def below(self) -> bool:
        return self.attended < self.required


def attended_activities(cohort_startup: CohortStartup, limit: int | None = None) -> list[tuple[Activity, datetime]]:
    """The activities this startup attended with its check-in time, latest first."""
    statement = (
        select(Activity, Attendance.checked_in_at)
        .join(Attendance, Attendance.activity_id == Activity.id)
        .where(Attendance.cohort_startup_id == cohort_startup.id)
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
        .options(lazyload(Activity.cohort))
    )
    if limit:
        statement = statement.limit(limit)
    return [(activity, when) for activity, when in db.session.execute(statement)]


def attendance_summary(cohort_startup) -> AttendanceSummary:
    """How many of the cohort's activities this startup attended, against the cohort's requirement."""
    attended = db.session.scalar(
        select(func.count(Attendance.id)).where(Attendance.cohort_startup_id == cohort_startup.id)
    )
    return AttendanceSummary(
        attended=attended or 0,
        required=cohort_startup.cohort.required_attendance,
        recent=[activity for activity, _when in attended_activities(cohort_startup, RECENT)],
        cohort_startup_id=cohort_startup.id,
    )


def _programme(cohort: Cohort):
    return (
        select(CohortStartup)
        .join(CohortStartup.startup)
        .options(contains_eager(CohortStartup.startup).options(lazyload("*")))
        .where(CohortStartup.cohort_id == cohort.id, CohortStartup.stage.in_(PROGRAMME_STAGES))
        .order_by(Startup.name, CohortStartup.id)
    )


def programme_startups(cohort: Cohort) -> list[CohortStartup]:
    """The cohort's startups in the programme (pre-incubation, incubation, graduated), by name."""
    return list(db.session.scalars(_programme(cohort)).unique())


def cohort_attendance(cohort: Cohort) -> list[StartupAttendance]:
    """Every startup of the programme with its attended count, by name."""
    counts = (
        select(Attendance.cohort_startup_id, func.count(Attendance.id).label("n"))
        .group_by(Attendance.cohort_startup_id)
        .subquery()
    )
    statement = (
        _programme(cohort)
        .add_columns(func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.cohort_startup_id == CohortStartup.id)
    )
    return [
        StartupAttendance(membership, int(n), cohort.required_attendance)
        for membership, n in db.session.execute(statement).unique()
    ]


def checked_in(activity: Activity) -> dict[int, Attendance]:
    """The activity's attendances by cohort-startup id."""
    rows = db.session.scalars(
        select(Attendance)
        .where(Attendance.activity_id == activity.id)
        .options(lazyload(Attendance.cohort_startup), lazyload(Attendance.activity))
    )
    return {a.cohort_startup_id: a for a in rows}


def activity_attendances(activity: Activity) -> list[Attendance]:
    """Who checked in at the activity, by startup name, with who checked them in."""
    return list(
        db.session.scalars(
            select(Attendance)
            .join(Attendance.cohort_startup)
            .join(CohortStartup.startup)
            .where(Attendance.activity_id == activity.id)
            .options(
                contains_eager(Attendance.cohort_startup).contains_eager(CohortStartup.startup).options(lazyload("*")),
                lazyload(Attendance.activity),
                lazyload(Attendance.checked_in_by),
            )
            .order_by(Startup.name, Attendance.id)
        ).unique()
    )


def attendance_counts(activity_ids: list[int]) -> dict[int, int]:
    """How many startups checked in at each of these activities (missing: none)."""
    if not activity_ids:
        return {}
    return dict(
        db.session.execute(
            select(Attendance.activity_id, func.count(Attendance.id))
            .where(Attendance.activity_id.in_(activity_ids))
            .group_by(Attendance.activity_id)
        ).all()
    )


def _activities(cohort: Cohort):
    return select(Activity).where(Activity.cohort_id == cohort.id).options(lazyload(Activity.cohort))


def upcoming_activities(cohort: Cohort, now: datetime | None = None) -> list[Activity]:
    """Activities not yet over, the soonest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(_activities(cohort).where(Activity.ends_at >= now).order_by(Activity.starts_at, Activity.id))
    )


def past_activities(cohort: Cohort, now: datetime | None = None):
    """The statement for activities that are over, the latest first (the page paginates it)."""
    now = now or utcnow()
    return _activities(cohort).where(Activity.ends_at < now).order_by(Activity.starts_at.desc(), Activity.id.desc())


def attendance_export(cohort: Cohort) -> list[tuple[StartupAttendance, Activity | None, datetime | None]]:
    """One entry per startup of the programme and activity it attended, by startup name then
    activity start; a startup that attended nothing has one entry with no activity."""
    table = cohort_attendance(cohort)
    rows = db.session.execute(
        select(Attendance.cohort_startup_id, Activity, Attendance.checked_in_at)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Activity.cohort_id == cohort.id)
        .options(lazyload(Activity.cohort))
        .order_by(Activity.starts_at, Activity.id)
    ).all()
    by_startup: dict[int, list] = {}
    for cohort_startup_id, activity, when in rows:
        by_startup.setdefault(cohort_startup_id, []).append((activity, when))
    entries = []
    for line in table:
        attended = by_startup.get(line.cohort_startup.id) or [(None, None)]
        entries.extend((line, activity, when) for activity, when in attended)
    return entries
