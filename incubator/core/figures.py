"""Figures as people read them: rounded once, written in the page's language.

`rounded` is the rounding of every figure shown and exported (2 decimals, halves away from
zero); `points`, `plain` and `signed` write figures for pages and PDFs of every area.
"""

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_decimal

from incubator.core.i18n import number_symbols
from incubator.core.spreadsheets import plain_number


def rounded(value: float | None, places: int = 2) -> Decimal | None:
    """A figure as shown and exported: `places` decimals, halves away from zero."""
    if value is None:
        return None
    shown = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(shown) if shown == 0 else shown  # -0.001 is shown as 0.00, not -0.00


def points(value: float | Decimal | None) -> str:
    """A figure as shown: 2 decimals (half away from zero) in the page's language (66,67 / 66.67),
    as Babel's "#,##0.00" writes it: a page shows a hundred of them, so only the separators are
    looked up (once per language)."""
    if value is None:
        return "–"
    if not isinstance(value, Decimal):
        value = rounded(value)
    group, decimal, minus = number_symbols()
    text = f"{abs(value):,.2f}".translate({ord(","): group, ord("."): decimal})
    return minus + text if value < 0 else text


def plain(value) -> str:
    """A stored number (a weight, a scale end, a score) as people write it: 2 or 2,5 / 2.5."""
    if value is None:
        return "–"
    return format_decimal(plain_number(value), format="#,##0.##")


def signed(value: Decimal | None) -> str:
    """A rounded difference with its sign: +10.00, −20.00, 0.00."""
    if value is None:
        return "–"
    if value == 0:
        return points(abs(value))
    return ("+" if value > 0 else "−") + points(abs(value))


def percent(part: int, whole: int) -> str:
    """`part` as a whole percentage of `whole`, halves away from zero: 58% (– when whole is 0)."""
    if not whole:
        return "–"
    return f"{rounded(100 * part / whole, 0)}%"
