"""Forms for a proposed action item: accept it (wording, owner, due date), reword it, or dismiss it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from incubator.core.forms import SelectField, max_length
from incubator.growth.proposals import MAX_REASON, MAX_TITLE
from incubator.mentoring.forms import TEAM, DayField


class AcceptForm(FlaskForm):
    title = StringField(
        _l("What is to be done"),
        validators=[InputRequired(_l("Write what is to be done.")), max_length(MAX_TITLE)],
    )
    owner = SelectField(_l("Owner"), choices=[], invalid_choice_message=_l("Choose an owner."))
    due_on = DayField(
        _l("Due date"), validators=[InputRequired(_l("Choose a due date."))], description=_l("For example 2026-12-31.")
    )
    accept = SubmitField(_l("Accept as an action item"))

    def validate_due_on(self, field):
        if field.data and field.day is None:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Enter a date such as 2026-12-31."))


class EditForm(FlaskForm):
    title = StringField(
        _l("Proposed wording"),
        validators=[InputRequired(_l("Write what is to be done.")), max_length(MAX_TITLE)],
    )
    save = SubmitField(_l("Save the wording"))


class DismissForm(FlaskForm):
    reason = TextAreaField(
        _l("Why dismiss it"),
        validators=[InputRequired(_l("Say why the proposal is dismissed.")), max_length(MAX_REASON)],
        description=_l("At most 500 characters. The reason is kept in the audit trail."),
    )
    dismiss = SubmitField(_l("Dismiss the proposal"))


def accept_form(proposal, owners, formdata=None) -> AcceptForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = AcceptForm(prefix="accept", data={"title": proposal.title, "owner": TEAM}, **kwargs)
    form.owner.choices = [SelectChoice(TEAM, str(_l("The team")))] + [SelectChoice(str(u.id), u.name) for u in owners]
    return form


def edit_form(proposal, formdata=None) -> EditForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    return EditForm(prefix="edit", data={"title": proposal.title}, **kwargs)


def dismiss_form(formdata=None) -> DismissForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    return DismissForm(prefix="dismiss", **kwargs)


class ShareForm(FlaskForm):
    source_id = SelectField(
        _l("Share the rubric of"), coerce=int, choices=[], invalid_choice_message=_l("Choose a round.")
    )
    share = SubmitField(_l("Share this rubric"))
