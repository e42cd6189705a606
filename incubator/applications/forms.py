"""The pitch form, the choice of startup when applying, and the director's filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SubmitField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice

from incubator.applications.models import TEXT_LIMITS
from incubator.core.forms import SelectField, StringField, max_length
from incubator.core.number_fields import RupiahField


class PitchForm(FlaskForm):
    """Nothing is required to save a draft; completeness is checked on submission. Each field is
    checked on its own: the valid ones are saved, the others shown back with their message."""

    version = HiddenField()

    problem = TextAreaField(_l("The problem you solve"), validators=[max_length(TEXT_LIMITS["problem"])])
    solution = TextAreaField(_l("Your solution"), validators=[max_length(TEXT_LIMITS["solution"])])
    target_market = TextAreaField(_l("Target market"), validators=[max_length(TEXT_LIMITS["target_market"])])
    business_model = TextAreaField(_l("Business model"), validators=[max_length(TEXT_LIMITS["business_model"])])
    traction = TextAreaField(
        _l("Traction so far"),
        validators=[max_length(TEXT_LIMITS["traction"])],
        description=_l("Users, customers, revenue, partners: whatever you have."),
    )
    funding_need = RupiahField(_l("Funding need (Rupiah)"), description=_l("In Rupiah, e.g. Rp 150.000.000 or 75jt."))
    why_programme = TextAreaField(_l("Why this programme"), validators=[max_length(TEXT_LIMITS["why_programme"])])
    video_url = URLField(
        _l("Pitch video link"), validators=[max_length(500)], description=_l("A link starting with https://")
    )
    deck = FileField(_l("Pitch deck (PDF)"))
    save = SubmitField(_l("Save draft"))
    submit_application = SubmitField(_l("Submit application"))

    def __init__(self, *args, max_mb: int = 20, **kwargs):
        super().__init__(*args, **kwargs)
        self.deck.description = _l("PDF only, at most %(mb)d MB.", mb=max_mb)

    def expected_version(self) -> int | None:
        """The version the page showed; None when the post names none (nothing to compare)."""
        raw = (self.version.data or "").strip()
        if not raw:
            return None
        return int(raw) if raw.isdigit() and len(raw) < 10 else 0  # unreadable: can only be stale


class ApplyForm(FlaskForm):
    startup_id = SelectField(_l("Which startup applies"), coerce=int)
    submit = SubmitField(_l("Start the application"))

    def __init__(self, *args, startups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.startup_id.choices = [SelectChoice(s.id, s.name) for s in startups]


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Why are you withdrawing? (optional)"), validators=[max_length(1000)])
    submit = SubmitField(_l("Withdraw from the cohort"))


class ApplicationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search startups"), validators=[max_length(100)])
    stage = SelectField(_l("Stage"), validate_choice=False)
    focus_area = SelectField(_l("Focus area"), validate_choice=False)
    city = StringField(_l("City or regency"), validators=[max_length(80)])
    business_stage = SelectField(_l("Business stage"), validate_choice=False)
    women_led = SelectField(_l("Women-led"), validate_choice=False)
    youth_led = SelectField(_l("Youth-led"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    sort = SelectField(_l("Sort by"), validate_choice=False)
