"""Startup profile and team member forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, SubmitField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from incubator.core.forms import SelectField, email_address, max_length, required
from incubator.core.labels import BUSINESS_STAGE_LABELS, LEGAL_STATUS_LABELS
from incubator.core.phones import PhoneNumber


class StartupForm(FlaskForm):
    name = StringField(_l("Startup name"), validators=[required(), max_length(160)])
    city = StringField(_l("City or regency"), validators=[required(), max_length(80)])
    focus_area_id = SelectField(_l("Focus area"), coerce=int, validate_choice=True)
    business_stage = SelectField(_l("Business stage"))
    legal_status = SelectField(_l("Legal status"))
    nib = StringField(
        _l("NIB (business identification number)"),
        validators=[max_length(20)],
        description=_l("Optional: 13 digits, if your business is registered."),
    )
    description = TextAreaField(_l("What your startup does"), validators=[max_length(2000)])
    website = URLField(_l("Website"), validators=[max_length(300)], description=_l("Optional, starting with https://"))
    social_link = URLField(_l("Social media link"), validators=[max_length(300)], description=_l("Optional."))
    submit = SubmitField(_l("Save profile"))

    def __init__(self, *args, focus_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.focus_area_id.choices = [SelectChoice(0, _l("Choose…"))] + [
            SelectChoice(a.id, a.name) for a in focus_areas
        ]
        self.business_stage.choices = [SelectChoice(k, v) for k, v in BUSINESS_STAGE_LABELS.items()]
        self.legal_status.choices = [SelectChoice(k, v) for k, v in LEGAL_STATUS_LABELS.items()]

    def validate_focus_area_id(self, field):
        if not field.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("This field is required."))


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(120)])
    role = StringField(_l("Role in the team"), validators=[required(), max_length(80)])
    email = EmailField(_l("E-mail"), validators=[Optional(), email_address(), max_length(254)])
    phone = StringField(
        _l("Phone or WhatsApp"),
        validators=[max_length(40), PhoneNumber()],
        description=_l("Optional, e.g. 0812 2653 7781"),
    )
    is_founder = BooleanField(_l("Founder"))
    under_30 = BooleanField(_l("Under 30 years old"))
    is_woman = BooleanField(_l("Woman"))
    submit = SubmitField(_l("Save team member"))
