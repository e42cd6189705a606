"""Charts drawn on the server as inline SVG: no JavaScript, no stylesheet they depend on.

Pure functions over plain data (no Flask, no database), so pages and PDFs draw the
same picture. Only SVG presentation attributes are used: a strict CSP forbids
`style="..."`, and WeasyPrint reads presentation attributes as well as browsers do.
Every piece of text is escaped here, whoever calls.
"""

from markupsafe import Markup, escape

BAR_COLOUR = "#0b5c4a"
TRACK_COLOUR = "#e6ecea"
TEXT_COLOUR = "#1d2327"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif"
FONT_SIZE = 14
# No text metrics on the server: a generous average glyph width for 14 px text.
CHAR_WIDTH = 8
AXIS_HEIGHT = 24  # a line for an axis' name


def _num(value: float) -> str:
    """A coordinate without trailing zeros (12, 12.5)."""
    return f"{value:.1f}".removesuffix(".0")


def axis_title(x: float, y: float, text: str, anchor: str = "middle", rotate: bool = False) -> str:
    """An axis' name (class "axis-title", so a test can find every chart's two)."""
    turn = f' transform="rotate(-90 {_num(x)} {_num(y)})"' if rotate else ""
    return (
        f'<text class="axis-title" x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" fill="{TEXT_COLOUR}" '
        f'font-weight="bold"{turn}>{escape(text)}</text>'
    )


def funnel_svg(
    rows: list[tuple[str, int]],
    title: str = "",
    *,
    width: int = 600,
    row_height: int = 32,
    axes: tuple[str, str] | None = None,
    count_label=str,
) -> Markup:
    """Horizontal bars, one per (label, count) in the order given, the longest for the largest count.

    Each count is written after its bar. `title` becomes the chart's <title>; the
    aria-label repeats it with every label and count, so a screen reader gets the
    numbers without the picture. `axes` names the two axes (the labels', written above
    them, and the counts', under a base line), as printed reports need; `count_label` writes a count
    (e.g. with the language's grouping: 5.000).
    """
    pad = 8
    longest_label = max((len(str(label)) for label, _ in rows), default=0)
    label_width = min(max(longest_label * CHAR_WIDTH + 2 * pad, 80), width // 2)
    largest = max((max(int(count), 0) for _, count in rows), default=0)
    count_width = max(len(count_label(largest)) * CHAR_WIDTH + 2 * pad, 40)
    bar_space = width - label_width - count_width
    head, foot = (AXIS_HEIGHT, AXIS_HEIGHT) if axes else (0, 0)
    height = 2 * pad + len(rows) * row_height + head + foot
    bar_height = row_height - 10

    summary = "; ".join(f"{label}: {count_label(int(count))}" for label, count in rows)
    aria_label = f"{title}: {summary}" if title else summary
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(aria_label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{FONT_SIZE}">',
        f"<title>{escape(title or summary)}</title>",
    ]
    if axes:
        parts.append(axis_title(pad, pad + 12, axes[0], anchor="start"))
        base = pad + head + len(rows) * row_height
        parts.append(
            f'<line x1="{label_width}" y1="{base}" x2="{label_width + bar_space}" y2="{base}" stroke="{TEXT_COLOUR}"/>'
        )
        parts.append(axis_title(label_width + bar_space / 2, base + 18, axes[1]))
    for index, (label, count) in enumerate(rows):
        count = int(count)
        top = pad + head + index * row_height
        middle = top + row_height / 2
        bar_width = bar_space * max(count, 0) / largest if largest else 0
        parts.append(
            f'<text x="{label_width - pad}" y="{_num(middle)}" dy="0.35em" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{top + 5}" width="{bar_space}" height="{bar_height}" fill="{TRACK_COLOUR}"/>'
        )
        if bar_width:
            parts.append(
                f'<rect x="{label_width}" y="{top + 5}" width="{_num(bar_width)}" height="{bar_height}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{_num(label_width + bar_space + pad)}" y="{_num(middle)}" dy="0.35em" '
            f'fill="{TEXT_COLOUR}" font-weight="bold">{escape(count_label(count))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above went through escape()


REFERENCE_COLOUR = "#9db8b0"


def compare_bars_svg(
    rows: list[tuple[str, float | None, float | None, float, float, str]],
    title: str,
    legend: tuple[str, str],
    *,
    width: int = 640,
    axes: tuple[str, str] | None = None,
) -> Markup:
    """Two bars per row: a value and a reference on the row's own scale (label, value, reference,
    minimum, maximum, the text written after the bars), e.g. a criterion's mean for one application
    against the round's mean. Missing values draw no bar. `legend` names the two bars; `axes` names
    the rows' axis and the values' (under a base line, with its scale when every row shares one)."""
    pad, bar_height, row_height = 8, 12, 40
    longest_label = max((len(str(r[0])) for r in rows), default=0)
    label_width = min(max(longest_label * CHAR_WIDTH + 2 * pad, 80), width * 2 // 5)
    text_width = max((len(str(r[5])) for r in rows), default=0) * CHAR_WIDTH + 2 * pad
    bar_space = max(width - label_width - text_width, 60)
    legend_height = 28
    foot = 2 * AXIS_HEIGHT if axes else 0
    height = legend_height + 2 * pad + len(rows) * row_height + foot

    summary = "; ".join(f"{r[0]}: {r[5]}" for r in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}: {escape(summary)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{FONT_SIZE - 2}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{label_width}" y="6" width="12" height="12" fill="{BAR_COLOUR}"/>',
        f'<text x="{label_width + 18}" y="16" fill="{TEXT_COLOUR}">{escape(legend[0])}</text>',
        f'<rect x="{label_width + 28 + len(legend[0]) * CHAR_WIDTH}" y="6" width="12" height="12" '
        f'fill="{REFERENCE_COLOUR}"/>',
        f'<text x="{label_width + 46 + len(legend[0]) * CHAR_WIDTH}" y="16" fill="{TEXT_COLOUR}">'
        f"{escape(legend[1])}</text>",
    ]
    if axes:
        parts += _value_axis(rows, axes, label_width, bar_space, legend_height + pad + len(rows) * row_height)
    for index, (label, value, reference, minimum, maximum, text) in enumerate(rows):
        top = legend_height + pad + index * row_height
        span = (maximum - minimum) or 1
        parts.append(
            f'<text x="{label_width - pad}" y="{_num(top + row_height / 2)}" dy="0.35em" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
        for offset, figure, colour in ((4, value, BAR_COLOUR), (4 + bar_height + 2, reference, REFERENCE_COLOUR)):
            parts.append(
                f'<rect x="{label_width}" y="{top + offset}" width="{bar_space}" height="{bar_height}" '
                f'fill="{TRACK_COLOUR}"/>'
            )
            if figure is not None:
                share = min(max((figure - minimum) / span, 0), 1)
                if share:
                    parts.append(
                        f'<rect x="{label_width}" y="{top + offset}" width="{_num(bar_space * share)}" '
                        f'height="{bar_height}" fill="{colour}"/>'
                    )
        parts.append(
            f'<text x="{_num(label_width + bar_space + pad)}" y="{_num(top + row_height / 2)}" dy="0.35em" '
            f'fill="{TEXT_COLOUR}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above went through escape()


def _value_axis(rows, axes: tuple[str, str], left: int, span: int, base: float) -> list[str]:
    """compare_bars_svg's axes: the rows' name beside the legend; under the bars a base line, its
    scale in quarters when every row shares one, and the values' name."""
    parts = [
        axis_title(0, 16, axes[0], anchor="start"),
        f'<line x1="{left}" y1="{_num(base)}" x2="{left + span}" y2="{_num(base)}" stroke="{TEXT_COLOUR}"/>',
    ]
    scales = {(r[3], r[4]) for r in rows}
    if len(scales) == 1:
        minimum, maximum = scales.pop()
        for quarter in range(5):
            x = left + span * quarter / 4
            value = minimum + (maximum - minimum) * quarter / 4
            parts.append(
                f'<line x1="{_num(x)}" y1="{_num(base)}" x2="{_num(x)}" y2="{_num(base + 4)}" stroke="{TEXT_COLOUR}"/>'
                f'<text x="{_num(x)}" y="{_num(base + 16)}" text-anchor="middle" fill="{TEXT_COLOUR}">'
                f"{_num(value)}</text>"
            )
    parts.append(axis_title(left + span / 2, base + 2 * AXIS_HEIGHT - 6, axes[1]))
    return parts
