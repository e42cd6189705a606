"""Form fields for numbers people type, read by core.numbers in either language's convention.

Each shows back what was typed with a translated message when it cannot be read, and its data is
None then. Bounds and "required" stay with each form's validators.
"""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField
from wtforms.widgets import TextInput

from incubator.core.numbers import ValueProblem, read_number, read_rupiah

RUPIAH_MESSAGES = {
    "money": _l("Write an amount in Rupiah, such as Rp 150.000.000, 75jt or 1,5 M."),
    "money_too_large": _l("This amount is too large."),
}
TOO_LARGE = _l("This number is too large.")


class _Typed:
    """Shared by the fields below: a text box (so `1.500` and `Rp` can be typed) with a keyboard
    hint for phones, and `read(text)` turning what was typed into the field's data."""

    widget = TextInput()
    inputmode = "decimal"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": self.inputmode})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = self.read(valuelist[0])
        except ValueError:
            self.data = None
            raise


class RupiahField(_Typed, IntegerField):
    """Whole Rupiah: `Rp 150.000.000`, `150,000,000`, `75jt`, `1,5 M` (cents are rounded)."""

    inputmode = "text"  # "jt" and "Rp" are letters

    def read(self, text: str) -> int | None:
        # A minus is read, so that the form's own check can say a figure cannot be negative.
        text = text.strip()
        sign = -1 if text.startswith("-") else 1
        try:
            value = read_rupiah(text.removeprefix("-"))
        except ValueProblem as problem:
            raise ValueError(RUPIAH_MESSAGES[problem.code]) from None
        return None if value is None else sign * value


class WholeNumberField(_Typed, IntegerField):
    """A count: `12`, `1.500` or `1,500` (thousands); `1,5` or `1.5` is refused, not read as 15."""

    inputmode = "numeric"

    def read(self, text: str) -> int | None:
        try:
            value = read_number(text)
        except ValueProblem as problem:
            if problem.code == "number_too_large":
                raise ValueError(TOO_LARGE) from None
            raise ValueError(_l("Enter a whole number, e.g. 12.")) from None
        if value is None:
            return None
        if value != value.to_integral_value():
            raise ValueError(_l("Enter a whole number, without a fraction."))
        return int(value)


class NumberField(_Typed, DecimalField):
    """A number with or without a fraction: `2,5` and `2.5` alike, `1.500` as fifteen hundred."""

    def read(self, text: str) -> Decimal | None:
        try:
            value = read_number(text)
        except ValueProblem as problem:
            if problem.code == "number_too_large":
                raise ValueError(TOO_LARGE) from None
            raise ValueError(_l("Enter a number, e.g. 12 or 2,5.")) from None
        if value is not None and not value.is_finite():
            raise ValueError(_l("Enter a number, e.g. 12 or 2,5."))
        return value
