"""Forms for activities: the activity itself, the check-in search and one check-in button.

Times are typed as WIB wall-clock time; the route turns them into UTC. The space list
comes from rows, so it is filled at run time. WTForms' own messages are untranslated,
so every parse or choice error carries one of ours.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from incubator.activities.labels import KIND_LABELS
from incubator.activities.models import KINDS
from incubator.cohorts.models import Space
from incubator.core.date_fields import WibDateTimeField
from incubator.core.forms import SelectField, max_length, required
from incubator.core.number_fields import within
from incubator.core.themes import THEMES, theme_choices
from incubator.core.urls import row_id
from incubator.extensions import db

TIME_FORMAT = "%Y-%m-%dT%H:%M"
NO_SPACE = 0  # the option for an activity held elsewhere or online
LARGEST_CAPACITY = 10_000  # startups; more is a typo (2**31 made the insert fail on PostgreSQL)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _wib_field(label):
    return WibDateTimeField(
        label,
        format=TIME_FORMAT,
        validators=[InputRequired(message=_l("This field is required."))],
        description=_l("Western Indonesia Time (WIB)."),
        invalid_value_message=_l("Enter a date and time, e.g. 2026-12-31T09:00."),
    )


class ActivityForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[], validate_choice=False, validators=[required()])
    title = StringField(_l("Title"), validators=[required(), max_length(200)])
    theme = SelectField(_l("Theme"), choices=[], validate_choice=False, validators=[required()])
    description = TextAreaField(_l("Description"), validators=[max_length(5000)], render_kw={"rows": 4})
    starts_at = _wib_field(_l("Starts"))
    ends_at = _wib_field(_l("Ends"))
    space_id = SelectField(_l("Space"), coerce=_int_or_none, choices=[], validate_choice=False)
    capacity = IntegerField(
        _l("Capacity (startups)"),
        validators=[Optional(), within(high=LARGEST_CAPACITY)],
        description=_l("Leave empty for no limit."),
        invalid_value_message=_l("Enter a whole number."),
        render_kw={"min": 1},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k, KIND_LABELS[k]) for k in KINDS]
        self.theme.choices = theme_choices()
        self._spaces = {s.id: s for s in db.session.scalars(select(Space).order_by(Space.name))}
        self.space_id.choices = [
            *(SelectChoice(s.id, f"{s.name} ({s.city})") for s in self._spaces.values()),
            SelectChoice(NO_SPACE, _l("Elsewhere or online")),
        ]

    def validate_kind(self, field) -> None:
        if field.data not in KINDS:
            raise ValidationError(_l("Choose a kind from the list."))

    def validate_theme(self, field) -> None:
        if field.data not in THEMES:
            raise ValidationError(_l("Choose a theme from the list."))

    def validate_space_id(self, field) -> None:
        if field.data != NO_SPACE and field.data not in self._spaces:
            raise ValidationError(_l("Choose a space from the list."))

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The activity must end after it starts."))

    def validate_capacity(self, field) -> None:
        # Not NumberRange: it would add its message to "Enter a whole number." when nothing parsed.
        if field.data is not None and field.data < 1:
            raise ValidationError(_l("The capacity must be at least 1, or empty for no limit."))

    def selected_space(self) -> Space | None:
        return self._spaces.get(self.space_id.data)


class CheckInSearchForm(FlaskForm):
    """The search box above the check-in list (GET, so it works without JavaScript)."""

    class Meta:
        csrf = False

    q = StringField(_l("Find a startup"), validators=[max_length(100)])


class CheckInForm(FlaskForm):
    """One startup's button: check in, or undo with `undo=1`."""

    cohort_startup_id = HiddenField(validators=[InputRequired(message=_l("Choose a startup from the list."))])
    undo = HiddenField()
    q = HiddenField()

    def startup_id(self) -> int | None:
        return row_id(self.cohort_startup_id.data)
