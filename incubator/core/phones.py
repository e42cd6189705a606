"""Phone numbers as people type them, stored in one form: E.164 (`+6281226537781`).

Every phone field (a team member's contact, the founder's WhatsApp number in an import, any
later one) reads numbers here, with Google's libphonenumber rules (the `phonenumbers`
package): which lengths and prefixes a country's numbers really have is data that changes,
and that library keeps it. Numbers without a country code are read as Indonesian.
"""

import re

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

DEFAULT_REGION = "ID"
# A spreadsheet's leading apostrophe (kept as text) and the characters people put between digits.
_TYPED = re.compile(r"[+\d\s().\-/]+")
MESSAGE = _l("This is not a phone number. Write it like 0812 2653 7781 or +62 812 2653 7781.")


class PhoneProblem(ValueError):
    """The text is not a phone number any country has."""


def normalise_phone(text: str | None, region: str = DEFAULT_REGION) -> str:
    """The number in E.164 (`+62…`), '' for an empty text, or PhoneProblem.

    '0812-2653-7781', '+62 857 4012 3344', '62 813…', '0062 812…', '(0)812…' and '812…' (a
    spreadsheet dropped the 0) all read as Indonesian mobiles; '+1 650 253 0000' stays American."""
    text = (text or "").strip().lstrip("'").strip()
    if not text:
        return ""
    if len(text) > 40 or not _TYPED.fullmatch(text):
        raise PhoneProblem(text)
    digits = re.sub(r"\D", "", text)
    if text.startswith("00"):  # the international dialling prefix
        text = "+" + digits[2:]
    elif not text.startswith("+") and digits.startswith("62") and len(digits) >= 10:
        text = "+" + digits  # the country code written without its plus
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneProblem(text) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneProblem(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalise(text: str | None) -> str | None:
    """The E.164 form, or None when the text is no phone number (for data written before)."""
    try:
        return normalise_phone(text)
    except PhoneProblem:
        return None


class PhoneNumber:
    """A WTForms validator: the field must be empty or a phone number; its data becomes E.164."""

    def __call__(self, form, field) -> None:
        try:
            field.data = normalise_phone(field.data)
        except PhoneProblem:
            raise ValidationError(MESSAGE) from None
