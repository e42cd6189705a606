"""Forms of the milestones area: a checklist item, and a founder's tick with evidence."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from incubator.core.forms import SelectField, max_length, required
from incubator.core.labels import stage_label
from incubator.core.number_fields import within
from incubator.milestones.evidence import link_problem
from incubator.milestones.models import MILESTONE_STAGES


class MilestoneForm(FlaskForm):
    stage = SelectField(_l("Stage"), validators=[required()])
    title = StringField(_l("Title"), validators=[required(), max_length(200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), max_length(2000)])
    position = IntegerField(
        _l("Order"),
        description=_l("Smaller numbers come first."),
        validators=[Optional(), within(0, 9999, _l("Use a number from 0 to 9999."))],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = [SelectChoice(s, stage_label(s)) for s in MILESTONE_STAGES]
        self.position.process_errors = [
            _l("Enter a whole number, e.g. 3.") if e else e for e in self.position.process_errors
        ]


class TickForm(FlaskForm):
    evidence_url = StringField(
        _l("Link to the evidence"),
        description=_l("An http:// or https:// address, e.g. a document, a photo or your shop page."),
        validators=[Optional(), max_length(500)],
    )
    evidence_note = TextAreaField(
        _l("Short note"), validators=[Optional(), max_length(1000)], description=_l("What was done, and when.")
    )
    submit = SubmitField(_l("Mark as done"))

    def validate_evidence_url(self, field):
        problem = link_problem(field.data or "")
        if problem == "scheme":
            raise ValidationError(_l("Only http:// and https:// links are accepted."))
        if problem == "host":
            raise ValidationError(_l("This link has no website address; check it."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not (self.evidence_url.data or "").strip() and not (self.evidence_note.data or "").strip():
            self.form_errors.append(_l("Give a link or a short note as evidence."))
            return False
        return ok
