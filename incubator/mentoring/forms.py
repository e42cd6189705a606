"""Forms for assigning mentors, logging a session with its action items, and ticking an item."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields import FieldList, FormField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, StopValidation, ValidationError
from wtforms.widgets import DateInput

from incubator.core.date_fields import check_year
from incubator.core.forms import SelectField, max_length
from incubator.core.themes import theme_choices
from incubator.mentoring.labels import STATUS_LABELS, VISIBILITY_LABELS
from incubator.mentoring.queries import today_wib
from incubator.mentoring.services import MAX_COMMENT

TEAM = "team"
BLANK_ROWS = 3


def parse_day(text: str | None) -> date | None:
    """A date as typed in a date input (YYYY-MM-DD); None when empty. ValueError when it is not a
    date or not in a year a programme can have (core.date_fields)."""
    text = (text or "").strip()
    if not text:
        return None
    day = date.fromisoformat(text)
    check_year(day)
    return day


class DayField(StringField):
    """A date typed in a date input; what was typed is shown back when it is not a date."""

    widget = DateInput()

    @property
    def day(self) -> date | None:
        try:
            return parse_day(self.data)
        except ValueError:
            return None

    def pre_validate(self, form):
        """A real date in a year no programme has gets that message, not "not a date"."""
        try:
            day = date.fromisoformat((self.data or "").strip())
        except ValueError:
            return  # empty or not a date: the form's own checks say so
        try:
            check_year(day)
        except ValueError as error:
            raise StopValidation(str(error.args[0])) from None


def status_choices():
    return [SelectChoice(code, str(label)) for code, label in STATUS_LABELS.items()]


class AssignForm(FlaskForm):
    """Assign a mentor to one of the cohort's startups."""

    cohort_startup_id = SelectField(
        _l("Startup"), coerce=int, choices=[], invalid_choice_message=_l("Choose a startup of this cohort.")
    )
    mentor_id = SelectField(_l("Mentor"), coerce=int, choices=[], invalid_choice_message=_l("Choose a mentor."))
    submit = SubmitField(_l("Assign the mentor"))


class WeeksForm(FlaskForm):
    """How many weeks without a session count as "not met" (a GET filter)."""

    weeks = IntegerField(_l("Not met in the last ... weeks"), default=4)

    class Meta:
        csrf = False


class ItemRowForm(Form):
    """One action-item row; a row without a title is ignored."""

    item_id = HiddenField()
    title = StringField(_l("Action item"), validators=[max_length(300)])
    owner = SelectField(_l("Owner"), choices=[])
    due_on = DayField(_l("Due date"))
    status = SelectField(_l("Status"), choices=[], default="open")

    def validate_due_on(self, field):
        if (self.title.data or "").strip() and (field.data or "").strip() and field.day is None:
            raise ValidationError(_l("Enter the due date as a date, e.g. 2026-03-01."))


class NoteForm(FlaskForm):
    """A mentoring session: when, how long, the theme, notes in Markdown, who may read it, and action items."""

    held_on = DayField(
        _l("Date of the session"), validators=[InputRequired(message=_l("Enter the date of the session."))]
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[InputRequired(message=_l("Enter the duration in minutes, from 1 to 1440."))],
        invalid_value_message=_l("Enter the duration in minutes, from 1 to 1440."),
    )
    theme = SelectField(_l("Theme"), choices=[], invalid_choice_message=_l("Choose a theme."))
    body = TextAreaField(
        _l("Notes"),
        description=_l(
            "Markdown: **bold**, *italic*, lists with -, links as [text](https://...). HTML is shown as text."
        ),
        validators=[max_length(20000)],
    )
    visibility = RadioField(
        _l("Who may read the note"),
        choices=[SelectChoice(code, label) for code, label in VISIBILITY_LABELS.items()],
        default="internal",
        invalid_choice_message=_l("Choose who may read the note."),
    )
    items = FieldList(FormField(ItemRowForm), min_entries=0)
    submit = SubmitField(_l("Save the session"))

    def validate_held_on(self, field):
        if field.day is None:
            raise ValidationError(_l("Enter the date of the session as a date, e.g. 2026-03-01."))
        if field.day > today_wib():
            raise ValidationError(_l("The session date cannot be in the future."))

    def validate_theme(self, field):
        if not field.data:
            raise ValidationError(_l("Choose a theme."))

    def validate_duration_minutes(self, field):
        if field.data is not None and not 1 <= field.data <= 1440:
            raise ValidationError(_l("Enter the duration in minutes, from 1 to 1440."))


def note_form(owners, note=None, formdata=None) -> NoteForm:
    """The session form with its owner and theme choices; existing items first, then blank rows."""
    kwargs = {} if formdata is None else {"formdata": formdata}
    if note is not None and formdata is None:
        data = {
            "held_on": note.held_on.isoformat(),
            "duration_minutes": note.duration_minutes,
            "theme": note.theme,
            "body": note.body,
            "visibility": note.visibility,
            "items": [
                {
                    "item_id": str(i.id),
                    "title": i.title,
                    "owner": str(i.owner_id) if i.owner_id else TEAM,
                    "due_on": i.due_on.isoformat() if i.due_on else "",
                    "status": i.status,
                }
                for i in note.action_items
            ]
            + [{"owner": TEAM, "status": "open"}] * BLANK_ROWS,
        }
        form = NoteForm(data=data, **kwargs)
    else:
        form = NoteForm(**kwargs)
        if formdata is None:
            for _ in range(BLANK_ROWS):
                form.items.append_entry({"owner": TEAM, "status": "open"})
    form.theme.choices = [SelectChoice("", str(_l("Choose a theme"))), *theme_choices()]
    owner_options = [SelectChoice(TEAM, str(_l("The team"))), *(SelectChoice(str(u.id), u.name) for u in owners)]
    for row in form.items:
        row.form.owner.choices = owner_options
        row.form.status.choices = status_choices()
    return form


def item_owner(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class StatusForm(FlaskForm):
    """Move an action item to open, in progress or done, with an optional short comment."""

    status = SelectField(_l("Status"), choices=[], invalid_choice_message=_l("Choose a status."))
    comment = TextAreaField(
        _l("Comment (optional)"),
        validators=[max_length(MAX_COMMENT)],
        description=_l("At most 500 characters."),
    )
    submit = SubmitField(_l("Update"))


def status_form(item=None, formdata=None, prefix: str = "") -> StatusForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    if item is not None:
        kwargs["data"] = {"status": item.status, "comment": item.done_comment}
    form = StatusForm(prefix=prefix, **kwargs)
    form.status.choices = status_choices()
    return form
