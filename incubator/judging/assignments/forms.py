"""Forms for assigning judges and a judge's focus areas (conflict forms: conflicts/forms.py).

Choices come from rows, so they are filled at run time. WTForms' own parse and choice
messages are untranslated, so every such error carries one of ours instead.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectMultipleField, SubmitField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from incubator.core.forms import SelectField
from incubator.core.urls import row_id

LARGEST_CAP = 1000


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def int_or_none(value) -> int | None:
    """Coerce a submitted id; anything else becomes None and fails our own check."""
    try:
        return row_id(value)
    except (TypeError, ValueError):
        return None


def chosen(message):
    """A required id (in a hidden input or a select): our message instead of WTForms' own."""

    def check(form, field):
        field.errors[:] = []
        if field.data is None:
            raise StopValidation(message)
        choices = getattr(field, "choices", None)
        if choices is not None and field.data not in {c.value for c in choices}:
            raise StopValidation(message)

    return check


def some_chosen(message):
    """At least one box ticked, and only boxes that were offered (when the choices are known)."""

    def check(form, field):
        field.errors[:] = []
        values = field.data or []
        if not values or any(v is None for v in values):
            raise StopValidation(message)
        if field.choices and not set(values) <= {c.value for c in field.choices}:
            raise StopValidation(message)

    return check


def cap_value():
    def check(form, field):
        raw = field.raw_data[0].strip() if field.raw_data and isinstance(field.raw_data[0], str) else ""
        field.errors[:] = []
        if not raw:
            field.data = None
            raise StopValidation()
        if field.data is None or not 1 <= field.data <= LARGEST_CAP:
            raise StopValidation(_l("Enter a whole number from 1 to %(max)d, or leave it empty.", max=LARGEST_CAP))

    return check


class AddAssignmentForm(FlaskForm):
    """One judge for one application (the overview's per-application form)."""

    application_id = IntegerField(
        _l("Application"), filters=[row_id], validators=[chosen(_l("Choose an application."))]
    )
    judge_id = SelectField(
        _l("Add a judge"), coerce=int_or_none, validate_choice=False, validators=[chosen(_l("Choose a judge."))]
    )


class BulkAssignForm(FlaskForm):
    application_ids = CheckboxListField(
        _l("Applications on this page"),
        coerce=int_or_none,
        choices=[],
        validate_choice=False,
        validators=[some_chosen(_l("Choose at least one application."))],
    )
    judge_ids = CheckboxListField(
        _l("Judges"),
        coerce=int_or_none,
        choices=[],
        validate_choice=False,
        validators=[some_chosen(_l("Choose at least one judge."))],
    )
    submit = SubmitField(_l("Assign the chosen judges"))


class AutoAssignForm(FlaskForm):
    cap = IntegerField(
        _l("Most applications per judge"),
        validators=[cap_value()],
        description=_l("The cap counts the applications a judge already has in this round. Leave empty for no cap."),
    )
    fingerprint = HiddenField()
    preview = SubmitField(_l("Preview the assignment"))
    confirm = SubmitField(_l("Confirm and assign"))


class FocusAreasForm(FlaskForm):
    focus_areas = CheckboxListField(_l("Focus areas this judge knows well"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Save the focus areas"))

    def validate_focus_areas(self, field) -> None:
        offered = {c.value for c in field.choices}
        if any(value not in offered for value in field.data or ()):
            raise ValidationError(_l("Choose focus areas from the list."))
