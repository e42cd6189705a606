"""Form fields for numbers people type, read by core.numbers in either language's convention,
and `within`, the bounds every number field has.

Each shows back what was typed with a translated message when it cannot be read, and its data is
None then. Bounds and "required" stay with each form's validators: every number field has an
upper bound (a column holds 32 or 64 bits; a count past any programme's is a typo), checked by
`within` with plain integer comparison (WTForms' NumberRange turns the number into a float first,
which raised OverflowError for 400 digits).
"""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField
from wtforms.validators import StopValidation, ValidationError
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


def within(low=None, high=None, message=None):
    """A validator: the number the field read lies within low..high (either may be None). An
    empty field passes (pair it with a required check where one is needed); a value the field
    could not read keeps only its own message."""

    def check(form, field):
        if field.process_errors:
            raise StopValidation()
        value = field.data
        if value is None:
            return
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(message or _l("Enter a number no larger than %(max)s.", max=high))

    return check
