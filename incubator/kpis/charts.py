"""KPI charts drawn on the server as inline SVG: a line or bars over months.

Pure functions over plain data (no Flask, no database), so the KPI pages and the PDF
reports draw the same picture. Like `incubator.core.charts`, only presentation
attributes are used (the CSP forbids style="..."), every text is escaped here, and each
chart carries a <title> and <desc> naming every value, so it reads without the picture.
Callers pass labels and values already formatted for the page's language.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal

from markupsafe import Markup, escape

from incubator.core.charts import FONT_FAMILY, TEXT_COLOUR

LINE_COLOUR = "#0b5c4a"
GRID_COLOUR = "#d5dedb"
FONT_SIZE = 12
WIDTH, HEIGHT = 600, 260
LEFT, RIGHT, TOP, BOTTOM = 112, 16, 16, 48  # room for "Rp 25.000.000" beside the axis name
TICKS = 4
LABEL_CHAR_WIDTH = 6.5  # about the average width of a digit or letter of 12 px text

Number = int | float | Decimal


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _nice_top(largest: float) -> float:
    """The value axis' top at or above `largest`, so that each of the TICKS grid lines falls on a round
    number: the spacing is 1, 2, 2.5 or 5 times a power of ten (2.5 only from 25 up, so counts stay whole)."""
    if largest <= 0:
        return float(TICKS)
    wanted = largest / TICKS
    power = 1.0
    while power * 10 <= wanted:
        power *= 10
    while power > wanted and power > 1e-9 and largest < 1:  # fractions only for values below 1
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        spacing = step * power
        if step == 2.5 and spacing < 25:
            continue
        if spacing >= wanted:
            return spacing * TICKS
    return 10 * power * TICKS  # pragma: no cover - the loop always returns


def _open(title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{FONT_SIZE}" class="kpi-chart">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def _axes(top_value: float, y_label: str, x_label: str, tick: Callable[[Number], str]) -> list[str]:
    """Grid lines with value labels, the two axes, and their names."""
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(TICKS + 1):
        value = top_value * i / TICKS
        y = TOP + plot_h - plot_h * i / TICKS
        parts.append(f'<line x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" y2="{_num(y)}" stroke="{GRID_COLOUR}"/>')
        shown = value if value != int(value) else int(value)
        parts.append(
            f'<text x="{LEFT - 6}" y="{_num(y)}" dy="0.35em" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{escape(tick(shown))}</text>"
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="{TEXT_COLOUR}"/>'
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="{TEXT_COLOUR}"/>'
    )
    parts.append(
        f'<text class="axis-title" x="12" y="{_num(TOP + plot_h / 2)}" text-anchor="middle" fill="{TEXT_COLOUR}" '
        f'transform="rotate(-90 12 {_num(TOP + plot_h / 2)})">{escape(y_label)}</text>'
    )
    parts.append(
        f'<text class="axis-title" x="{_num(LEFT + (WIDTH - LEFT - RIGHT) / 2)}" y="{HEIGHT - 4}" '
        f'text-anchor="middle" fill="{TEXT_COLOUR}">{escape(x_label)}</text>'
    )
    return parts


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> list[str]:
    # Every label when each fits in its slot (a histogram's ten "90–100" do); otherwise every n-th
    # one, at most about 8 under 600 units, always the last.
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    fits = max((len(label) for label in labels), default=0) * LABEL_CHAR_WIDTH + 4 <= slot
    every = 1 if fits else max(1, -(-len(labels) // 8))
    y = HEIGHT - BOTTOM + 16
    return [
        f'<text x="{_num(x)}" y="{y}" text-anchor="middle" fill="{TEXT_COLOUR}">{escape(label)}</text>'
        for index, (label, x) in enumerate(zip(labels, xs, strict=True))
        if index % every == 0 or index == len(labels) - 1
    ]


def _describe(points: Sequence[tuple[str, Number | None]], tick: Callable[[Number], str], empty: str) -> str:
    return "; ".join(f"{label}: {empty if value is None else tick(value)}" for label, value in points)


def line_chart(
    points: Sequence[tuple[str, Number | None]],
    title: str,
    *,
    y_label: str,
    x_label: str,
    tick: Callable[[Number], str] = str,
    empty: str = "-",
) -> Markup:
    """A line over (label, value) points in order; a None value is a gap (a month not reported).

    `tick` formats a value for the axis and the description (e.g. Rupiah); `empty` names a gap."""
    values = [float(v) for _, v in points if v is not None]
    top_value = _nice_top(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)
    xs = [LEFT + step * i if len(points) > 1 else LEFT + plot_w / 2 for i in range(len(points))]
    parts = _open(title, _describe(points, tick, empty))
    parts += _axes(top_value, y_label, x_label, tick)
    segment: list[str] = []
    segments = []
    for x, (_, value) in zip(xs, points, strict=True):
        if value is None:
            segments.append(segment)
            segment = []
            continue
        y = TOP + plot_h - plot_h * float(value) / top_value
        segment.append(f"{_num(x)},{_num(y)}")
        parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{LINE_COLOUR}"/>')
    segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2.5"/>')
    parts += _x_labels([label for label, _ in points], xs)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above went through escape()


def bar_chart(
    points: Sequence[tuple[str, Number | None]],
    title: str,
    *,
    y_label: str,
    x_label: str,
    tick: Callable[[Number], str] = str,
    empty: str = "-",
    show_values: bool = False,
) -> Markup:
    """Vertical bars over (label, value) points in order; a None value has no bar. With `show_values`,
    each bar's value is written above it (a histogram's counts)."""
    values = [float(v) for _, v in points if v is not None]
    top_value = _nice_top(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    bar_w = max(slot * 0.6, 2)
    xs = [LEFT + slot * i + slot / 2 for i in range(len(points))]
    parts = _open(title, _describe(points, tick, empty))
    parts += _axes(top_value, y_label, x_label, tick)
    for x, (_, value) in zip(xs, points, strict=True):
        if value is None or float(value) <= 0:
            continue
        h = plot_h * float(value) / top_value
        parts.append(
            f'<rect x="{_num(x - bar_w / 2)}" y="{_num(TOP + plot_h - h)}" width="{_num(bar_w)}" '
            f'height="{_num(h)}" fill="{LINE_COLOUR}"/>'
        )
        if show_values:
            parts.append(
                f'<text x="{_num(x)}" y="{_num(TOP + plot_h - h - 4)}" text-anchor="middle" fill="{TEXT_COLOUR}" '
                f'font-weight="bold">{escape(tick(value))}</text>'
            )
    parts += _x_labels([label for label, _ in points], xs)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above went through escape()
