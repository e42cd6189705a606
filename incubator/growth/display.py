"""A startup's growth as pages and PDFs show it: the small-multiples chart, the figures beside it,
and the action items proposed on each criterion, in the page's language."""

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from incubator.core.figures import points, rounded, signed
from incubator.growth import chart
from incubator.growth.figures import CriterionGrowth, StartupGrowth


@dataclass
class Panel:
    growth: CriterionGrowth
    svg: Markup
    changes: list[str]  # "+10.00" gate to gate, as shown


def legend() -> tuple[str, str]:
    return (_("This startup"), _("Cohort mean"))


def _value(value: float | None, released: bool) -> str:
    if not released:
        return _("not released")
    return points(value)


def panels(growth: StartupGrowth) -> list[Panel]:
    """One panel per shared criterion, gates numbered 1, 2, ... as in the list of gates."""
    names = legend()
    shown = []
    for row in growth.criteria:
        bars = [
            chart.Bar(
                str(index + 1),
                p.score,
                p.mean,
                _value(p.score, p.released),
                _value(p.mean, p.released) if p.released else "",
            )
            for index, p in enumerate(row.points)
        ]
        svg = chart.panel_svg(row.name, bars, legend=names, y_label=_("Score (0–100)"), x_label=_("Gate"))
        shown.append(Panel(row, svg, [signed(rounded(c)) for c in row.changes]))
    return shown


def legend_svg() -> Markup:
    return chart.legend_svg(legend())
