"""How KPI figures and charts appear on pages and in e-mails, in the page's language."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from incubator.core.i18n import format_rupiah
from incubator.kpis import charts
from incubator.kpis.growth import months_between
from incubator.kpis.models import KpiMetric, KpiReport


def month_label(month: date | None, long: bool = True) -> str:
    """`September 2026` (long) or `Sep 2026`, in the page's language."""
    if month is None:
        return ""
    return format_date(month, "MMMM yyyy" if long else "MMM yy")


def growth_label(value: Decimal | None) -> str:
    """`+12,5%`, `-3%`, or a dash when there is nothing to compare."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return f"{sign}{format_decimal(value, format='#,##0.#')}%"


def number_label(value) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    return format_decimal(value, format="#,##0.##")


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup


def _series(reports: list[KpiReport], pick) -> list[tuple[str, object]]:
    """(month label, value) for every month from the first report to the last; None where missing."""
    if not reports:
        return []
    by_month = {r.month: r for r in reports}
    months = months_between(min(by_month), max(by_month))
    return [(month_label(m, long=False), pick(by_month[m]) if m in by_month else None) for m in months]


def startup_charts(reports: list[KpiReport], metrics: list[KpiMetric]) -> list[Chart]:
    """One chart per figure over the months reported: revenue and customers as lines,
    employees and funding as bars, each custom metric as a line."""
    month_axis = _("Month")
    specs = [
        (_("Revenue"), _("Rupiah"), lambda r: r.revenue, charts.line_chart, format_rupiah),
        (_("Paying customers"), _("Customers"), lambda r: r.paying_customers, charts.line_chart, number_label),
        (_("Full-time employees"), _("People"), lambda r: r.employees_full_time, charts.bar_chart, number_label),
        (_("Part-time employees"), _("People"), lambda r: r.employees_part_time, charts.bar_chart, number_label),
        (_("Funding raised"), _("Rupiah"), lambda r: r.funding_raised, charts.bar_chart, format_rupiah),
    ]
    for metric in metrics:

        def pick(r, metric_id=metric.id):
            return next((v.value for v in r.values if v.metric_id == metric_id), None)

        specs.append((metric.name, metric.unit or metric.name, pick, charts.line_chart, number_label))
    out = []
    for title, unit, pick, draw, tick in specs:
        points = _series(reports, pick)
        out.append(
            Chart(title, draw(points, title, y_label=unit, x_label=month_axis, tick=tick, empty=_("not reported")))
        )
    return out


def revenue_chart(reports: list[KpiReport]) -> Markup:
    """The small revenue line of the incubation page's KPI panel."""
    title = _("Revenue")
    return charts.line_chart(
        _series(reports, lambda r: r.revenue),
        title,
        y_label=_("Rupiah"),
        x_label=_("Month"),
        tick=format_rupiah,
        empty=_("not reported"),
    )


def cohort_revenue_chart(totals: list[tuple[date, int, int]]) -> Markup:
    """The cohort's total revenue by month, as bars."""
    title = _("Total revenue of the cohort by month")
    by_month = {month: total for month, total, _count in totals}
    points = (
        [(month_label(m, long=False), by_month.get(m)) for m in months_between(min(by_month), max(by_month))]
        if by_month
        else []
    )
    return charts.bar_chart(
        points, title, y_label=_("Rupiah"), x_label=_("Month"), tick=format_rupiah, empty=_("not reported")
    )
