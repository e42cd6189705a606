"""Form fields and number helpers the judging forms share: scores, weights and scales as people
type and read them (`2,5` in Indonesian), and the checks on them."""

from decimal import Decimal
from functools import lru_cache

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField
from wtforms.validators import StopValidation, ValidationError

from incubator.core.i18n import number_symbols

# Numeric(6, 2) columns: four digits before the point, two after.
LARGEST = Decimal("9999.99")


def plain_number(value: Decimal) -> Decimal:
    """`3.00` as `3` and `2.50` as `2.5`, never in exponent form (`1E+1`)."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@lru_cache(maxsize=4096)
def level_key(value: Decimal) -> str:
    """The level's part of an input name: `level-3`, `level-2.5`, `level--1` (a pure function of
    the value, so worked out once per value: a scoring page asks it for every level twice)."""
    return format(plain_number(value), "f")


def level_label(value: Decimal) -> str:
    """A level value as people read it in the current language (`2,5` in Indonesian), as Babel's
    "#,##0.##" writes it; a scoring form shows dozens, so only the separators are looked up."""
    value = Decimal(value)
    if value != value.quantize(Decimal("0.01")):  # more than 2 decimals: Babel rounds them
        return format_decimal(plain_number(value), format="#,##0.##")
    return _separated(value, number_symbols())


@lru_cache(maxsize=4096)
def _separated(value: Decimal, symbols: tuple[str, str, str]) -> str:
    """`value` (at most 2 decimals) written with these (group, decimal, minus) symbols: a pure
    function of both, worked out once for each."""
    value = plain_number(value)
    group, decimal, minus = symbols
    text = format(abs(value), ",f").translate({ord(","): group, ord("."): decimal})
    return minus + text if value < 0 else text


def decimal_field(label, *, default=None, description=None, validators=()):
    return DecimalField(
        label,
        default=default,
        places=None,
        description=description,
        validators=[required_number(), *validators],
        invalid_value_message=_l("Enter a number, e.g. 2 or 2.5."),
    )


def required_number():
    """Like `required()`, but 0 is a value (DataRequired would refuse it); NaN and infinity are not."""

    def check(form, field):
        raw = field.raw_data[0].strip() if field.raw_data and isinstance(field.raw_data[0], str) else ""
        field.errors[:] = []
        if not raw:
            raise StopValidation(_l("This field is required."))
        if field.data is None or not field.data.is_finite():
            raise StopValidation(_l("Enter a number, e.g. 2 or 2.5."))

    return check


def two_decimals():
    def check(form, field):
        if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError(_l("Use at most 2 decimals."))

    return check


def decimal_between(low: Decimal, high: Decimal, message, *, above_low: bool = False, too_high=None):
    """`low <= value <= high` (or `low < value` with `above_low`), with our own messages.

    Stops the chain, so that later checks never see a huge number (quantize would fail on it).
    """

    def check(form, field):
        value = field.data
        if value is None:
            return
        if value <= low if above_low else value < low:
            raise StopValidation(message)
        if value > high:
            raise StopValidation(too_high or message)

    return check


def whole_number_between(low: int, high: int, message):
    def check(form, field):
        if field.process_errors:
            raise StopValidation()  # the field's own message is already shown
        if field.data is None or not low <= field.data <= high:
            raise ValidationError(message)

    return check
