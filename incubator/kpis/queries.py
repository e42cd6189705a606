"""Read-only questions about KPI reports (pages, exports and reports share them).

Every function issues a fixed number of queries whatever the number of reports.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select

from incubator.cohorts.models import Cohort, CohortStartup
from incubator.extensions import db
from incubator.kpis.growth import add_months, growth
from incubator.kpis.models import KpiMetric, KpiReport
from incubator.kpis.services import REPORTING_STAGES
from incubator.startups.models import Startup


def cohort_metrics(cohort_id: int) -> list[KpiMetric]:
    """The cohort's custom metrics in their order."""
    return db.session.scalars(
        select(KpiMetric).where(KpiMetric.cohort_id == cohort_id).order_by(KpiMetric.position, KpiMetric.id)
    ).all()


def startup_reports(cohort_startup: CohortStartup) -> list[KpiReport]:
    """The startup's reports, oldest month first (custom values loaded with them)."""
    return db.session.scalars(
        select(KpiReport).where(KpiReport.cohort_startup_id == cohort_startup.id).order_by(KpiReport.month)
    ).all()


@dataclass(frozen=True)
class Latest:
    """A startup's latest report and its growth over the month before (None: nothing to compare)."""

    cohort_startup: CohortStartup
    report: KpiReport | None
    previous: KpiReport | None
    revenue_growth: Decimal | None
    customers_growth: Decimal | None


def latest_of(cohort_startup: CohortStartup, reports: list[KpiReport]) -> Latest:
    """From a startup's reports (any order): the latest month, and its growth over the calendar
    month before when that month was reported."""
    if not reports:
        return Latest(cohort_startup, None, None, None, None)
    by_month = {r.month: r for r in reports}
    report = by_month[max(by_month)]
    previous = by_month.get(add_months(report.month, -1))
    return Latest(
        cohort_startup,
        report,
        previous,
        growth(previous.revenue, report.revenue) if previous else None,
        growth(previous.paying_customers, report.paying_customers) if previous else None,
    )


def cohort_startups(cohort: Cohort) -> list[CohortStartup]:
    """The startups that report in this cohort: those in pre-incubation or incubation, and any
    other that has reported before (e.g. graduated), by name."""
    has_report = select(KpiReport.id).where(KpiReport.cohort_startup_id == CohortStartup.id).exists()
    return db.session.scalars(
        select(CohortStartup)
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .where(CohortStartup.cohort_id == cohort.id, or_(CohortStartup.stage.in_(REPORTING_STAGES), has_report))
        .order_by(Startup.name, CohortStartup.id)
    ).all()


def cohort_reports(cohort: Cohort) -> list[KpiReport]:
    """Every report of the cohort, by startup name then month."""
    return db.session.scalars(
        select(KpiReport)
        .join(CohortStartup, CohortStartup.id == KpiReport.cohort_startup_id)
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .where(CohortStartup.cohort_id == cohort.id)
        .order_by(Startup.name, CohortStartup.id, KpiReport.month)
    ).all()


def cohort_table(cohort: Cohort, reports: list[KpiReport] | None = None) -> list[Latest]:
    """One line per reporting startup: its latest month and month-on-month growth (from `reports`,
    the cohort's `cohort_reports`, when the caller has read them already)."""
    startups = cohort_startups(cohort)
    by_startup = defaultdict(list)
    for report in cohort_reports(cohort) if reports is None else reports:
        by_startup[report.cohort_startup_id].append(report)
    return [latest_of(cs, by_startup[cs.id]) for cs in startups]


@dataclass(frozen=True)
class Totals:
    """The cohort's KPIs added up: each reporting startup's latest month, and funding to date."""

    startups: int  # that have reported at least once
    revenue: int  # a month's, each startup's latest
    paying_customers: int
    employees_full_time: int
    employees_part_time: int
    funding_raised: int  # over every month reported
    first_month: date | None  # the span of the startups' latest months
    last_month: date | None


def cohort_totals(lines: list[Latest], reports: list[KpiReport]) -> Totals:
    """The cohort table's latest reports added up, and the funding raised over all `reports`."""
    latest = [line.report for line in lines if line.report is not None]
    months = [r.month for r in latest]
    return Totals(
        len(latest),
        sum(r.revenue for r in latest),
        sum(r.paying_customers for r in latest),
        sum(r.employees_full_time for r in latest),
        sum(r.employees_part_time for r in latest),
        sum(r.funding_raised for r in reports),
        min(months, default=None),
        max(months, default=None),
    )


def revenue_by_month(cohort: Cohort) -> list[tuple[date, int, int]]:
    """(month, total revenue, startups reporting) for each month reported in the cohort, oldest first."""
    rows = db.session.execute(
        select(KpiReport.month, func.sum(KpiReport.revenue), func.count(KpiReport.id))
        .join(CohortStartup, CohortStartup.id == KpiReport.cohort_startup_id)
        .where(CohortStartup.cohort_id == cohort.id)
        .group_by(KpiReport.month)
        .order_by(KpiReport.month)
    ).all()
    return [(month, int(total or 0), int(count)) for month, total, count in rows]


@dataclass(frozen=True)
class Summary:
    """The KPI panel of a startup's incubation page."""

    latest: Latest
    recent: list[KpiReport]  # the last (up to) six reports, oldest first


def kpi_summary(cohort_startup):
    """The startup's KPI panel for its incubation page (None while there is nothing to show)."""
    reports = startup_reports(cohort_startup)
    if not reports:
        return None
    return Summary(latest_of(cohort_startup, reports), reports[-6:])
