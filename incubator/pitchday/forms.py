"""Forms of the pitch day: its set-up, the order of pitches, a pitch's move and the stage controls."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from incubator.core.date_fields import WibDateTimeField
from incubator.core.forms import SelectField, max_length, required
from incubator.judging.fields import whole_number_between

WIB_FORMAT = "%Y-%m-%dT%H:%M"


def _minutes(label, default, low):
    message = _l("Enter a whole number of minutes from %(low)d to 120.", low=low)
    return IntegerField(
        label, default=default, validators=[whole_number_between(low, 120, message)], invalid_value_message=message
    )


class SetupForm(FlaskForm):
    """Where and when the pitch day runs, and how long each pitch's slot is."""

    room = StringField(_l("Room"), validators=[required(), max_length(120)])
    starts_at = WibDateTimeField(
        _l("First pitch starts"),
        format=WIB_FORMAT,
        validators=[DataRequired(message=_l("Enter a date and time, e.g. 2026-03-01 09:00."))],
        description=_l("WIB (Asia/Jakarta)."),
        invalid_value_message=_l("Enter a date and time, e.g. 2026-03-01 09:00."),
    )
    pitch_minutes = _minutes(_l("Pitch (minutes)"), 5, 1)
    questions_minutes = _minutes(_l("Questions (minutes)"), 3, 0)
    language = SelectField(
        _l("Language of the room"),
        default="id",
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
        invalid_choice_message=_l("Choose Bahasa Indonesia or English."),
        description=_l("The results screen and the printed pages are in this language."),
    )
    results_top = IntegerField(
        _l("Results screen: how many of the top to show"),
        default=10,
        validators=[whole_number_between(1, 100, _l("Enter a whole number from 1 to 100."))],
        invalid_value_message=_l("Enter a whole number from 1 to 100."),
    )
    submit = SubmitField(_l("Save the pitch day"))


class OrderForm(FlaskForm):
    order = SelectField(
        _l("Order every pitch"),
        choices=[
            SelectChoice("submitted", _l("by application time")),
            SelectChoice("name", _l("by name")),
            SelectChoice("random", _l("at random")),
        ],
        invalid_choice_message=_l("Choose an order."),
    )
    submit = SubmitField(_l("Order"))


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[required()])

    def validate_direction(self, field):
        if field.data not in ("up", "down"):
            raise ValidationError(_l("This pitch cannot move that way."))


class ControlForm(FlaskForm):
    action = HiddenField(validators=[required()])

    def validate_action(self, field):
        if field.data not in ("start", "next", "back", "pause"):
            raise ValidationError(_l("That move is not possible now."))


class RemindForm(FlaskForm):
    """The board's Remind buttons: one form, each button sends its judge's id."""

    judge_id = IntegerField(
        _l("Judge"),
        validators=[DataRequired(message=_l("Choose a judge to remind."))],
        invalid_value_message=_l("Choose a judge to remind."),
    )
