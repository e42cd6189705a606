"""Validators with our own translated messages (WTForms ships no Indonesian catalogue)."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, EqualTo, Length


def required():
    return DataRequired(message=_l("This field is required."))


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


def email_address():
    return Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)


def same_as(field: str):
    return EqualTo(field, message=_l("The two passwords do not match."))
