"""The cohort report as HTML (one document, its CSS inlined) and as PDF, in the current language."""

from flask import render_template
from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from incubator.core import charts
from incubator.core.figures import points, rounded, signed
from incubator.core.labels import stage_label
from incubator.kpis import charts as kpi_charts
from incubator.kpis.display import cohort_revenue_chart, growth_label, month_label
from incubator.reports import fonts
from incubator.reports.cohort_report import CohortReport
from incubator.reports.pdf import render_pdf


def _css_string(text: str) -> str:
    """`text` as a CSS string literal that cannot end the string or the <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n' else c for c in text)
    return f'"{escaped}"'


def page_counter() -> Markup:
    """The CSS `content` of the page number, translated: "page " counter(page) " of " counter(pages)."""
    marker = "\x00"
    text = _("page %(page)s of %(pages)s", page=f"{marker}page{marker}", pages=f"{marker}pages{marker}")
    parts = []
    for index, piece in enumerate(text.split(marker)):
        if index % 2:
            parts.append(f"counter({'pages' if piece == 'pages' else 'page'})")
        elif piece:
            parts.append(_css_string(piece))
    return Markup(" ".join(parts))  # noqa: S704 - each piece of text went through _css_string


def _minus(text: str) -> str:
    return text.replace("\u2212", "-")


def _charts(report: CohortReport) -> dict:
    def count(value) -> str:  # grid lines may fall between whole numbers (1.25, 2.5)
        return format_decimal(value, format="#,##0.##")

    return {
        "funnel": charts.funnel_svg([(stage_label(s), n) for s, n in report.funnel], _("Startups by stage")),
        "focus": charts.funnel_svg(report.by_focus_area, _("Startups by focus area")),
        "city": charts.funnel_svg(report.by_city, _("Startups by city")),
        "histograms": [
            kpi_charts.bar_chart(
                section.bins,
                _("Distribution of raw scores: %(round)s", round=section.round.name),
                y_label=_("Applications"),
                x_label=_("Raw score"),
                tick=count,
            )
            for section in report.rounds
        ],
        "revenue": cohort_revenue_chart(report.revenue),
        "growth": [
            charts.compare_bars_svg(
                [
                    # WeasyPrint draws an SVG's text from one font, without the page's fallbacks: the
                    # bundled text font has no "−" (U+2212), so the chart writes a hyphen-minus.
                    (row.name, row.second_mean, row.first_mean, 0.0, 100.0, _minus(signed(rounded(row.mean_change))))
                    for row in step.criteria
                ],
                _(
                    "Cohort mean per criterion (0–100), %(first)s → %(second)s",
                    first=step.first.name,
                    second=step.second.name,
                ),
                (step.second.name, step.first.name),
            )
            for step in (report.growth.steps if report.growth else [])
        ],
    }


def cohort_report_html(report: CohortReport) -> str:
    """The whole report as one HTML document."""
    return render_template(
        "reports/cohort_report.html",
        report=report,
        charts=_charts(report),
        page_counter=page_counter(),
        points=points,
        signed=signed,
        rounded=rounded,
        month_label=month_label,
        growth_label=growth_label,
        font_faces=fonts.font_face_css(),
        font_stack=fonts.FONT_STACK,
    )


def cohort_report_pdf(report: CohortReport) -> bytes:
    """The report as one A4 PDF."""
    return render_pdf(cohort_report_html(report))
