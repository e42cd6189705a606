"""The writes of the kpis area: monthly reports, the cohort's custom metrics, and reminders.

A report for a month already reported replaces the first only when the founder confirmed
(`replace=True`); otherwise `ReportExists` carries the saved report so the page can show it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from incubator.audit.models import AuditEvent
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.cohorts.pipeline import INCUBATION, PRE_INCUBATION
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.kpis import labels  # noqa: F401 - registers the audit labels
from incubator.kpis.growth import current_month, last_month, month_start
from incubator.kpis.models import KpiMetric, KpiReport, KpiValue
from incubator.mail.outbox import queue_mail

# Startups report KPIs while they are followed by the programme.
REPORTING_STAGES = (PRE_INCUBATION, INCUBATION)
FIGURES = ("revenue", "paying_customers", "employees_full_time", "employees_part_time", "funding_raised")
REMINDER_ACTION = "kpi.reminder_sent"


class ReportExists(ServiceError):
    """The month is already reported: replacing it needs the founder's confirmation."""

    def __init__(self, report: KpiReport) -> None:
        super().__init__(_l("This month is already reported. Check the saved figures below, then replace them or not."))
        self.report = report


@dataclass
class Figures:
    """What a founder reports for one month."""

    revenue: int
    paying_customers: int
    employees_full_time: int
    employees_part_time: int
    funding_raised: int
    note: str = ""
    values: dict[int, Decimal] = field(default_factory=dict)  # {metric id: value}


def report_for(cohort_startup: CohortStartup, month: date) -> KpiReport | None:
    """The saved report of that month, if any."""
    return db.session.scalar(
        select(KpiReport).where(KpiReport.cohort_startup_id == cohort_startup.id, KpiReport.month == month_start(month))
    )


def save_report(
    cohort_startup: CohortStartup,
    month: date,
    figures: Figures,
    actor: User | None,
    *,
    replace: bool = False,
    now: datetime | None = None,
) -> KpiReport:
    """Save a month's report. Refuses a startup that is not in pre-incubation or incubation, a
    month after the current one (WIB), negative figures, and, unless `replace`, a month already
    reported (`ReportExists`). Custom metric values replace the saved ones; an empty one is removed."""
    month = month_start(month)
    if cohort_startup.stage not in REPORTING_STAGES:
        raise ServiceError(_l("KPIs are reported only in pre-incubation and incubation."))
    if month > current_month(now or utcnow()):
        raise ServiceError(_l("A month in the future cannot be reported."))
    if any(getattr(figures, name) is None or getattr(figures, name) < 0 for name in FIGURES):
        raise ServiceError(_l("Figures cannot be negative."))
    if any(value < 0 for value in figures.values.values()):
        raise ServiceError(_l("Figures cannot be negative."))
    report = report_for(cohort_startup, month)
    if report is not None and not replace:
        raise ReportExists(report)
    replacing = report is not None
    if report is None:
        report = KpiReport(cohort_startup_id=cohort_startup.id, month=month)
        db.session.add(report)
    for name in FIGURES:
        setattr(report, name, int(getattr(figures, name)))
    report.note = (figures.note or "").strip()
    report.submitted_by_id = getattr(actor, "id", None)
    metric_ids = set(db.session.scalars(select(KpiMetric.id).where(KpiMetric.cohort_id == cohort_startup.cohort_id)))
    wanted = {mid: value for mid, value in figures.values.items() if mid in metric_ids}
    for value in list(report.values):
        if value.metric_id not in wanted:
            report.values.remove(value)
        else:
            value.value = wanted.pop(value.metric_id)
    for metric_id, value in wanted.items():
        report.values.append(KpiValue(metric_id=metric_id, value=value))
    db.session.flush()
    record(
        "kpi.report_replaced" if replacing else "kpi.report_submitted",
        report,
        actor=actor,
        cohort_startup_id=cohort_startup.id,
        month=month.isoformat()[:7],
    )
    db.session.flush()
    return report


def _check_metric_name(cohort: Cohort, name: str, metric: KpiMetric | None) -> str:
    name = name.strip()
    if not name:
        raise ServiceError(_l("Give the metric a name."))
    clash = db.session.scalar(
        select(KpiMetric.id).where(
            KpiMetric.cohort_id == cohort.id,
            func.lower(KpiMetric.name) == name.lower(),
            KpiMetric.id != (metric.id if metric else -1),
        )
    )
    if clash:
        raise ServiceError(_l("This cohort already has a metric with that name."))
    return name


def add_metric(cohort: Cohort, name: str, unit: str, actor: User | None) -> KpiMetric:
    """A new custom metric for the cohort's reports, placed last."""
    name = _check_metric_name(cohort, name, None)
    last = db.session.scalar(select(func.max(KpiMetric.position)).where(KpiMetric.cohort_id == cohort.id))
    metric = KpiMetric(cohort_id=cohort.id, name=name, unit=(unit or "").strip(), position=(last or 0) + 1)
    db.session.add(metric)
    db.session.flush()
    record("kpi.metric_added", metric, actor=actor, cohort_id=cohort.id, name=name)
    db.session.flush()
    return metric


def change_metric(metric: KpiMetric, name: str, unit: str, actor: User | None) -> KpiMetric:
    """Rename a metric or change its unit; reported values stay."""
    name = _check_metric_name(metric.cohort, name, metric)
    before = metric.name
    metric.name, metric.unit = name, (unit or "").strip()
    record("kpi.metric_changed", metric, actor=actor, cohort_id=metric.cohort_id, name=name, before=before)
    db.session.flush()
    return metric


def metric_value_count(metric: KpiMetric) -> int:
    """How many reported values removing the metric would delete."""
    return db.session.scalar(select(func.count(KpiValue.id)).where(KpiValue.metric_id == metric.id)) or 0


def remove_metric(metric: KpiMetric, actor: User | None) -> None:
    """Remove a metric and the values reported for it (the page asks for confirmation first)."""
    record(
        "kpi.metric_removed",
        metric,
        actor=actor,
        cohort_id=metric.cohort_id,
        name=metric.name,
        values_deleted=metric_value_count(metric),
    )
    db.session.delete(metric)
    db.session.flush()


# --- reminders -------------------------------------------------------------------------------


def late_startups(cohort: Cohort | None = None, now: datetime | None = None) -> list[CohortStartup]:
    """Startups in pre-incubation or incubation (of `cohort`, or all) with no report for last
    month and not yet reminded for that month."""
    month = last_month(now or utcnow())
    query = (
        select(CohortStartup)
        .where(CohortStartup.stage.in_(REPORTING_STAGES))
        .where(
            ~select(KpiReport.id)
            .where(KpiReport.cohort_startup_id == CohortStartup.id, KpiReport.month == month)
            .exists()
        )
        .order_by(CohortStartup.cohort_id, CohortStartup.id)
    )
    if cohort is not None:
        query = query.where(CohortStartup.cohort_id == cohort.id)
    late = db.session.scalars(query).all()
    if not late:
        return []
    reminded = {
        event.object_id
        for event in db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == REMINDER_ACTION,
                AuditEvent.object_type == CohortStartup.__tablename__,
                AuditEvent.object_id.in_([cs.id for cs in late]),
            )
        )
        if (event.data or {}).get("month") == month.isoformat()[:7]
    }
    return [cs for cs in late if cs.id not in reminded]


def remind_late_reports(
    cohort: Cohort | None = None, actor: User | None = None, now: datetime | None = None, link_for=None
) -> int:
    """Queue a reminder, in the founder's language, to the founder of every startup that has not
    reported last month; at most one per startup and month (an audit event marks it sent).
    `link_for(cohort_startup)` gives the report page's address. Returns how many were queued."""
    now = now or utcnow()
    month = last_month(now)
    sent = 0
    for cs in late_startups(cohort, now):
        owner = cs.startup.owner
        if owner is None or not owner.active:
            continue
        queue_mail(
            owner,
            "kpi_reminder",
            user=owner,
            startup=cs.startup,
            cohort=cs.cohort,
            month=month,
            link=link_for(cs) if link_for else "",
        )
        record(REMINDER_ACTION, cs, actor=actor, month=month.isoformat()[:7], recipient=owner.email)
        sent += 1
    db.session.flush()
    return sent
