"""The cohort report as HTML (one document, its CSS inlined) and as PDF, in the current language."""

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from incubator.core.figures import percent, points, rounded, signed
from incubator.core.i18n import grouped
from incubator.kpis.display import growth_label, month_label
from incubator.reports import fonts
from incubator.reports.cohort_charts import cohort_charts
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


def cohort_report_html(report: CohortReport) -> str:
    """The whole report as one HTML document."""
    return render_template(
        "reports/cohort_report.html",
        report=report,
        charts=cohort_charts(report),
        page_counter=page_counter(),
        points=points,
        percent=percent,
        grouped=grouped,
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
