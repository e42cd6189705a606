"""Forms for focus areas, spaces, cohorts, copying a cohort's set-up and moving a startup's stage.

Choice lists come from rows (spaces, focus areas) or from the pipeline, so they are
filled at run time. WTForms' own messages are untranslated, so every parse or choice
error carries one of ours.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from incubator.admin.forms import CheckboxListField
from incubator.cohorts import pipeline
from incubator.cohorts.models import FocusArea, Space
from incubator.core.date_fields import WibDateTimeField
from incubator.core.forms import max_length, required
from incubator.core.labels import stage_label
from incubator.core.number_fields import within
from incubator.extensions import db

WINDOW_FORMAT = "%Y-%m-%dT%H:%M"
LARGEST_ATTENDANCE = 1_000  # activities a startup must attend; 2**31 made the save fail on PostgreSQL


def _int_or_none(value) -> int | None:
    """Coerce a submitted id; anything else becomes None and fails our own choice check."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _input_required():
    """Something was typed; unlike DataRequired it keeps a parse error ("not a date") instead of replacing it."""
    return InputRequired(message=_l("This field is required."))


def _wib_field(label):
    return WibDateTimeField(
        label,
        format=WINDOW_FORMAT,
        validators=[_input_required()],
        description=_l("Western Indonesia Time (WIB)."),
        invalid_value_message=_l("Enter a date and time, e.g. 2026-12-31T23:59."),
    )


def _check_window(form) -> None:
    if form.opens_at.data and form.closes_at.data and form.closes_at.data <= form.opens_at.data:
        raise ValidationError(_l("The application window must close after it opens."))


class FocusAreaForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[required(), max_length(40)],
        description=_l("A short identifier in lower case, e.g. games."),
    )
    name_id = StringField(_l("Name in Bahasa Indonesia"), validators=[required(), max_length(80)])
    name_en = StringField(_l("Name in English"), validators=[required(), max_length(80)])
    submit = SubmitField(_l("Save focus area"))


class _FocusAreasMixin:
    """A checkbox per focus area, checked against the rows it was built from."""

    def _load_focus_areas(self) -> None:
        self._areas = {a.id: a for a in db.session.scalars(select(FocusArea).order_by(FocusArea.code))}
        self.focus_areas.choices = [SelectChoice(a.id, f"{a.name} ({a.code})") for a in self._areas.values()]

    def validate_focus_areas(self, field) -> None:
        if any(value not in self._areas for value in field.data or ()):
            raise ValidationError(_l("Choose focus areas from the list."))

    def selected_focus_areas(self) -> list[FocusArea]:
        return [self._areas[value] for value in self.focus_areas.data or ()]


def _focus_areas_field():
    return CheckboxListField(
        _l("Focus areas"),
        coerce=_int_or_none,
        choices=[],
        validate_choice=False,
        invalid_value_message=_l("Choose focus areas from the list."),
    )


class SpaceForm(_FocusAreasMixin, FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(120)])
    city = StringField(_l("City or regency"), validators=[required(), max_length(80)])
    description = TextAreaField(_l("Description"), validators=[max_length(5000)], render_kw={"rows": 4})
    focus_areas = _focus_areas_field()
    submit = SubmitField(_l("Save space"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._load_focus_areas()


class CohortForm(_FocusAreasMixin, FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(160)])
    space_id = SelectField(
        _l("Host space"),
        coerce=_int_or_none,
        choices=[],
        validate_choice=False,
        validators=[_input_required()],
    )
    description = TextAreaField(
        _l("Call text"),
        validators=[max_length(20000)],
        description=_l("What the programme offers and who may apply; shown on the public call page."),
        render_kw={"rows": 8},
    )
    opens_at = _wib_field(_l("Applications open"))
    closes_at = _wib_field(_l("Applications close"))
    required_attendance = IntegerField(
        _l("Required attendance"),
        validators=[_input_required(), within(high=LARGEST_ATTENDANCE)],
        description=_l("How many activities each startup must attend."),
        invalid_value_message=_l("Enter a whole number."),
        render_kw={"min": 0},
    )
    focus_areas = _focus_areas_field()
    published = BooleanField(_l("Published: the call is shown to the public until it closes"))
    submit = SubmitField(_l("Save cohort"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._spaces = {s.id: s for s in db.session.scalars(select(Space).order_by(Space.name))}
        self.space_id.choices = [SelectChoice(s.id, f"{s.name} ({s.city})") for s in self._spaces.values()]
        self._load_focus_areas()

    def validate_space_id(self, field) -> None:
        if field.data not in self._spaces:
            raise ValidationError(_l("Choose a space from the list."))

    def validate_closes_at(self, field) -> None:
        _check_window(self)

    def validate_required_attendance(self, field) -> None:
        # Not NumberRange: it would add its message to "Enter a whole number." when nothing parsed.
        if field.data is not None and field.data < 0:
            raise ValidationError(_l("Required attendance cannot be negative."))

    def selected_space(self) -> Space:
        return self._spaces[self.space_id.data]


class CopyCohortForm(FlaskForm):
    name = StringField(_l("Name of the new cohort"), validators=[required(), max_length(160)])
    opens_at = _wib_field(_l("Applications open"))
    closes_at = _wib_field(_l("Applications close"))
    submit = SubmitField(_l("Copy the set-up"))

    def validate_closes_at(self, field) -> None:
        _check_window(self)


class StageChangeForm(FlaskForm):
    # Any submitted stage goes to the service, which refuses a move the pipeline forbids
    # with its own translated message.
    to_stage = SelectField(
        _l("New stage"),
        choices=[],
        validate_choice=False,
        validators=[_input_required()],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[required(), max_length(1000)],
        description=_l("Recorded in the stage history."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Change stage"))

    def __init__(self, current_stage: str | None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_stage.choices = [
            SelectChoice("", _l("Choose a stage")),
            *(SelectChoice(s, stage_label(s)) for s in pipeline.allowed_targets(current_stage)),
        ]
