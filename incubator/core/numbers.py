"""Numbers and amounts as people type them, in Indonesian and in English.

One reader for every form and the CSV import. Indonesians write `1.500.000` and `2,5`; English
writers `1,500,000` and `2.5`; either may write `Rp 150.000.000`, `75jt` or `1,5 M`. A single
separator followed by exactly three digits groups thousands (`150.000`, `25,000`); otherwise it
is the decimal point (`1.5`, `1,5`). With both, the last one is the decimal point
(`150.000,50`, `1,234.5`). Pure: no Flask, no database.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

LARGEST_RUPIAH = 10**15  # a thousand trillion: far above any startup's figure, well inside BIGINT
# Whole digits a typed number may have: more than any column holds (NUMERIC(18, 2), BIGINT), and few
# enough that Decimal's 28 digits still round it (`quantize` on "9" * 5000 raised InvalidOperation).
MOST_WHOLE_DIGITS = 20

_RUPIAH_UNITS = {
    "": 1,
    "rb": 10**3,
    "ribu": 10**3,
    "k": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "million": 10**6,
    "mio": 10**6,
    # In Indonesian "M" is miliar (10^9), as in "Rp 1,5 M".
    "m": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "t": 10**12,
    "triliun": 10**12,
    "trillion": 10**12,
}


class ValueProblem(ValueError):
    """A typed value that cannot be read; `code` names the problem, `params` fill its message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _grouped(parts: list[str]) -> bool:
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def _digits(text: str, code: str) -> Decimal:
    """'150.000.000', '150,000,000', '1,5', '1.5', '1.234.567,89' → a Decimal (either convention)."""
    s = text.replace(" ", "")
    if not re.fullmatch(r"\d[\d.,]*", s) or s[-1] in ".,":
        raise ValueProblem(code)
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        group = "," if decimal == "." else "."
        whole, _, fraction = s.rpartition(decimal)
        if decimal in whole or not _grouped(whole.split(group)):
            raise ValueProblem(code)
        s = whole.replace(group, "") + "." + fraction
    elif dots or commas:
        sep = "." if dots else ","
        parts = s.split(sep)
        if len(parts) > 2 or len(parts[1]) == 3:  # thousands: '150.000.000', '25,000'
            if not _grouped(parts):
                raise ValueProblem(code)
            s = "".join(parts)
        else:  # a decimal separator: '1,5', '1.5', '150000000.0'
            s = parts[0] + "." + parts[1]
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueProblem(code) from None
    if value.adjusted() >= MOST_WHOLE_DIGITS:
        raise ValueProblem(f"{code}_too_large")
    return value


def read_number(text: str | None) -> Decimal | None:
    """A number typed either way (`12`, `2,5`, `2.5`, `1.500`, `-3`); None when empty.
    ValueProblem("number") when it is not one, ("number_too_large") past MOST_WHOLE_DIGITS digits."""
    s = (text or "").strip()
    if not s:
        return None
    negative = s.startswith("-")
    value = _digits(s.removeprefix("-").strip(), "number")
    return -value if negative else value


def read_rupiah(text: str | None) -> int | None:
    """Whole Rupiah from how people write amounts: 'Rp 150.000.000', '75jt', '1,5 M',
    'Rp 40.000.000,-', 'Rp 1.234.567,89' (rounded to the Rupiah); None when empty.
    ValueProblem("money") when it is not an amount, ("money_too_large") above LARGEST_RUPIAH."""
    s = " ".join((text or "").lower().split())
    if not s:
        return None
    s = re.sub(r"^(rp|idr)\.?\s*", "", s)
    s = re.sub(r"\s*(rupiah|idr)\.?$", "", s)
    s = re.sub(r"\s*[.,]?-+$", "", s)  # 'Rp 40.000.000,-'
    match = re.fullmatch(r"(\d[\d., ]*?)\s*([a-z]*)\.?", s)
    if not match or match.group(2) not in _RUPIAH_UNITS:
        raise ValueProblem("money")
    amount = _digits(match.group(1), "money") * _RUPIAH_UNITS[match.group(2)]
    if amount > LARGEST_RUPIAH:  # before rounding: 10**20 jt has more digits than Decimal rounds
        raise ValueProblem("money_too_large")
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
