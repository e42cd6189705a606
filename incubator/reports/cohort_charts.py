"""The cohort report's charts, drawn by the app's chart functions (core.charts, kpis.charts) from the
report's data, in the current language. Every chart names both its axes (a printed page has no
tooltip), and the score histograms write each bin's count on its bar."""

from flask_babel import format_decimal
from flask_babel import gettext as _

from incubator.core import charts
from incubator.core.figures import rounded, signed
from incubator.core.i18n import grouped
from incubator.core.labels import stage_label
from incubator.kpis import charts as kpi_charts
from incubator.kpis.display import cohort_revenue_chart, revenue_chart
from incubator.reports.cohort_report import CohortReport

# Two charts share a page's width: drawn narrower, their text prints larger.
HALF_WIDTH = 380
THIRD_WIDTH = 320  # beside a table


def _minus(text: str) -> str:
    # WeasyPrint draws an SVG's text from one font, without the page's fallbacks: the bundled text
    # font has no "−" (U+2212), so the chart writes a hyphen-minus.
    return text.replace("\u2212", "-")


def _count(value) -> str:  # grid lines may fall between whole numbers (1.25, 2.5)
    return format_decimal(value, format="#,##0.##")


def _bars(rows: list[tuple[str, int]], title: str, axis: str, width: int = THIRD_WIDTH) -> str:
    """Startups counted by `axis` (stage, focus area, city, …): one bar each, the count written."""
    return charts.funnel_svg(rows, title, width=width, row_height=26, axes=(axis, _("Startups")), count_label=grouped)


def cohort_charts(report: CohortReport) -> dict:
    """Every chart of the report, by place: the summary's funnel, who applied (focus area, city), a
    histogram per round, the cohort's revenue, a growth chart per pair of gates, a revenue line per
    startup page (by cohort-startup id, for those that reported)."""
    profile = report.profile
    return {
        "funnel": _bars(
            [(stage_label(s), n) for s, n in report.funnel], _("Startups by stage"), _("Stage"), HALF_WIDTH
        ),
        "focus": _bars(
            [(g.label, g.startups) for g in profile.focus_areas], _("Startups by focus area"), _("Focus area")
        ),
        "city": _bars([(g.label, g.startups) for g in profile.cities], _("Startups by city"), _("City or regency")),
        "business": _bars(
            [(g.label, g.startups) for g in profile.business_stages],
            _("Startups by business stage"),
            _("Business stage"),
        ),
        "histograms": [
            kpi_charts.bar_chart(
                section.bins,
                _("Distribution of raw scores: %(round)s", round=section.round.name),
                y_label=_("Applications"),
                x_label=_("Raw score (0–100)"),
                tick=_count,
                show_values=True,
            )
            for section in report.rounds
        ],
        "revenue": cohort_revenue_chart(report.revenue),
        "growth": [
            charts.compare_bars_svg(
                [
                    (row.name, row.second_mean, row.first_mean, 0.0, 100.0, _minus(signed(rounded(row.mean_change))))
                    for row in step.criteria
                ],
                _(
                    "Cohort mean per criterion (0–100), %(first)s → %(second)s",
                    first=step.first.name,
                    second=step.second.name,
                ),
                (step.second.name, step.first.name),
                axes=(_("Criterion"), _("Cohort mean (0–100)")),
            )
            for step in (report.growth.steps if report.growth else [])
        ],
        "startups": {
            page.cohort_startup.id: revenue_chart(page.kpi_reports) for page in report.startups if page.kpi_reports
        },
    }
