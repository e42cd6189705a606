"""The growth chart: small multiples drawn on the server as inline SVG, one small panel per criterion
the gates share, each with the startup's score at each gate beside the cohort's mean there (0-100).

Pure functions over plain data (no Flask, no database), like core.charts: pages and PDFs draw the same
picture, with presentation attributes only. Each panel is its own <svg> of fixed size, so at 360 px
the panels wrap one under the other and stay readable; every text is escaped here.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

from incubator.core.charts import BAR_COLOUR, FONT_FAMILY, REFERENCE_COLOUR, TEXT_COLOUR, TRACK_COLOUR, _num

WIDTH = 300
HEIGHT = 190
GRID = (0, 50, 100)


@dataclass(frozen=True)
class Bar:
    """One gate in a panel: its label on the x axis, the startup's score and the cohort's mean on
    0-100 (None: none, or not released), and the texts written above the bars."""

    gate: str
    score: float | None
    mean: float | None
    score_text: str
    mean_text: str


def panel_svg(title: str, bars: list[Bar], *, legend: tuple[str, str], y_label: str, x_label: str) -> Markup:
    """One criterion's panel: a 0-100 y axis labelled `y_label`, the gates along x (`x_label`), two
    bars per gate (the startup's score, the cohort's mean) with their values above them."""
    left, right, top, bottom = 44, 8, 36, 40
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    slot = plot_w / max(len(bars), 1)
    bar_w = min(28.0, slot / 3)
    summary = "; ".join(f"{b.gate}: {legend[0]} {b.score_text}, {legend[1]} {b.mean_text}" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}: {escape(summary)}" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="4" y="14" font-size="13" font-weight="bold" fill="{TEXT_COLOUR}">{escape(_clip(title, 38))}</text>',
    ]
    for value in GRID:
        y = top + plot_h * (1 - value / 100)
        parts.append(f'<line x1="{left}" y1="{_num(y)}" x2="{left + plot_w}" y2="{_num(y)}" stroke="{TRACK_COLOUR}"/>')
        parts.append(
            f'<text x="{left - 4}" y="{_num(y)}" dy="0.35em" text-anchor="end" fill="{TEXT_COLOUR}">{value}</text>'
        )
    # The y axis title, turned along the axis.
    middle = top + plot_h / 2
    parts.append(
        f'<text x="10" y="{_num(middle)}" text-anchor="middle" transform="rotate(-90 10 {_num(middle)})" '
        f'fill="{TEXT_COLOUR}">{escape(y_label)}</text>'
    )
    for index, bar in enumerate(bars):
        centre = left + slot * (index + 0.5)
        for offset, value, text, colour in (
            (-bar_w - 4, bar.score, bar.score_text, BAR_COLOUR),
            (4, bar.mean, bar.mean_text, REFERENCE_COLOUR),
        ):
            x = centre + offset
            if value is None:
                parts.append(
                    f'<text x="{_num(x + bar_w / 2)}" y="{_num(top + plot_h - 4)}" text-anchor="middle" '
                    f'fill="{TEXT_COLOUR}">{escape(text)}</text>'
                )
                continue
            share = min(max(value, 0.0), 100.0) / 100
            height = plot_h * share
            y = top + plot_h - height
            parts.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(height)}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{_num(x + bar_w / 2)}" y="{_num(y - 3)}" text-anchor="middle" font-size="10" '
                f'fill="{TEXT_COLOUR}">{escape(text)}</text>'
            )
        parts.append(
            f'<text x="{_num(centre)}" y="{_num(top + plot_h + 14)}" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}">{escape(bar.gate)}</text>'
        )
    parts.append(
        f'<text x="{_num(left + plot_w / 2)}" y="{HEIGHT - 6}" text-anchor="middle" '
        f'fill="{TEXT_COLOUR}">{escape(x_label)}</text>'
    )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above went through escape()


def legend_svg(legend: tuple[str, str]) -> Markup:
    """The two bar colours and what they stand for, once above the panels."""
    first = len(legend[0]) * 7 + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(legend[0])}, {escape(legend[1])}" '
        f'width="{first + len(legend[1]) * 7 + 30}" height="20" font-family="{escape(FONT_FAMILY)}" font-size="12">',
        f'<rect x="0" y="4" width="12" height="12" fill="{BAR_COLOUR}"/>',
        f'<text x="18" y="14" fill="{TEXT_COLOUR}">{escape(legend[0])}</text>',
        f'<rect x="{first}" y="4" width="12" height="12" fill="{REFERENCE_COLOUR}"/>',
        f'<text x="{first + 18}" y="14" fill="{TEXT_COLOUR}">{escape(legend[1])}</text>',
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 - every text above went through escape()


def _clip(text: str, length: int) -> str:
    """A panel's title on one line (the <title> and aria-label keep it whole)."""
    return text if len(text) <= length else text[: length - 1] + "…"
