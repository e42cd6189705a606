"""Scorecards as HTML (one document, its CSS inlined) and as PDF."""

from flask import render_template
from flask_babel import gettext as _

from incubator.core import charts
from incubator.core.figures import plain, points
from incubator.reports import batch, fonts
from incubator.reports.pdf import render_pdf
from incubator.reports.scorecards import Scorecard


def _chart(card: Scorecard):
    """The application's criterion means against the round's, each on its criterion's scale."""
    rows = [
        (
            line.criterion.name,
            line.mean,
            line.round_mean,
            float(line.criterion.scale_min),
            float(line.criterion.scale_max),
            f"{points(line.mean)} / {points(line.round_mean)}",
        )
        for line in card.lines
    ]
    if not rows:
        return None
    return charts.compare_bars_svg(
        rows,
        _("Criterion means: this application against the round"),
        (_("This application"), _("Round mean")),
    )


def scorecards_html(cards: list[Scorecard]) -> str:
    """One HTML document holding every card, a page break between them."""
    return render_template(
        "reports/scorecard.html",
        cards=cards,
        cards_with_charts=[(card, _chart(card)) for card in cards],
        points=points,
        plain=plain,
        font_faces=fonts.font_face_css(),
        font_stack=fonts.FONT_STACK,
    )


def scorecards_pdf(cards: list[Scorecard], *, workers: int | None = 1, progress=None) -> bytes:
    """The cards as one PDF; with more than one worker, rendered chunk by chunk in parallel processes."""
    if len(cards) <= batch.CARDS_PER_CHUNK or workers == 1:
        data = render_pdf(scorecards_html(cards))
        if progress:
            progress(1, 1)
        return data
    documents = [scorecards_html(list(chunk)) for chunk in batch.chunks(cards)]
    return batch.render_documents(documents, workers=workers, progress=progress)
