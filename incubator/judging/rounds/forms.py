"""Forms for rounds, rubric templates and criteria (the criterion form is built from its saved scale)."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from incubator.cohorts.pipeline import DECIDABLE, next_stage
from incubator.core.date_fields import WibDateTimeField
from incubator.core.forms import max_length, required
from incubator.core.labels import ranking_basis_label, stage_label
from incubator.judging.fields import (
    LARGEST,
    decimal_between,
    decimal_field,
    level_key,
    level_label,
    two_decimals,
    whole_number_between,
)
from incubator.judging.models import RANKING_BASES

WIB_FORMAT = "%Y-%m-%dT%H:%M"


def _wib_datetime(label):
    return WibDateTimeField(
        label,
        format=WIB_FORMAT,
        validators=[Optional()],
        description=_l("WIB (Asia/Jakarta). Leave empty if not decided yet."),
        invalid_value_message=_l("Enter a date and time, e.g. 2026-03-01 09:00."),
    )


class RoundForm(FlaskForm):
    name = StringField(_l("Name of the round"), validators=[required(), max_length(120)])
    decides_stage = SelectField(
        _l("Stage step it decides"),
        choices=[],
        validators=[required()],
        invalid_choice_message=_l("Choose which stage step the round decides."),
    )
    scoring_opens_at = _wib_datetime(_l("Scoring opens"))
    scoring_closes_at = _wib_datetime(_l("Scoring closes"))
    judges_per_application = IntegerField(
        _l("Judges per application"),
        default=3,
        validators=[whole_number_between(1, 100, _l("Enter a whole number from 1 to 100."))],
        invalid_value_message=_l("Enter a whole number from 1 to 100."),
    )
    ranking_basis = SelectField(
        _l("Rank by"),
        default="raw",
        choices=[],
        invalid_choice_message=_l("Choose raw or normalised scores for the ranking."),
    )
    judges_see_scores_after_close = BooleanField(_l("Judges may see each other's scores after scoring closes"))
    disagreement_threshold = decimal_field(
        _l("Disagreement threshold"),
        default=Decimal("15.0"),
        description=_l("Points on the 0–100 scale: applications whose judges differ this much are flagged."),
        validators=[
            decimal_between(Decimal(0), Decimal(100), _l("Enter a number from 0 to 100.")),
            two_decimals(),
        ],
    )
    submit = SubmitField(_l("Save the round"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decides_stage.choices = [
            SelectChoice(stage, f"{stage_label(stage)} → {stage_label(next_stage(stage))}") for stage in DECIDABLE
        ]
        self.ranking_basis.choices = [SelectChoice(code, ranking_basis_label(code)) for code in RANKING_BASES]

    def validate_scoring_closes_at(self, field):
        opens = self.scoring_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("The scoring window must close after it opens."))


class PhaseForm(FlaskForm):
    phase = HiddenField(validators=[required()])
    confirm = HiddenField(default="")  # "1": the director confirmed opening despite the warnings


class RubricForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(120)])
    description = TextAreaField(
        _l("Description"),
        validators=[max_length(2000)],
        description=_l("What the rubric is for; judges do not see it."),
    )
    submit = SubmitField(_l("Save"))


class SaveAsTemplateForm(FlaskForm):
    name = StringField(_l("Name of the new template"), validators=[required(), max_length(120)])
    submit = SubmitField(_l("Save as a template"))


class CopyTemplateForm(FlaskForm):
    template_id = SelectField(
        _l("Template"),
        coerce=int,
        choices=[],
        validators=[required()],
        invalid_choice_message=_l("Choose a template."),
        invalid_value_message=_l("Choose a template."),
    )
    submit = SubmitField(_l("Copy into this rubric"))

    def __init__(self, templates, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.template_id.choices = [SelectChoice(t.id, t.name) for t in templates]


class MoveForm(FlaskForm):
    direction = SelectField(choices=[SelectChoice("up", "up"), SelectChoice("down", "down")], validators=[required()])


def _scale_validators():
    return [decimal_between(-LARGEST, LARGEST, _l("Enter a number between -9999.99 and 9999.99.")), two_decimals()]


class CriterionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(120)])
    description = TextAreaField(
        _l("Description"),
        validators=[max_length(2000)],
        description=_l("What judges should look at; they see it on the scoring form."),
    )
    weight = decimal_field(
        _l("Weight"),
        default=Decimal(1),
        description=_l("Relative to the other criteria: weights 2 and 1 give 66.67 and 33.33 of the 100 points."),
        validators=[
            decimal_between(
                Decimal(0),
                LARGEST,
                _l("The weight must be greater than zero."),
                above_low=True,
                too_high=_l("Use a weight of at most 9999.99."),
            ),
            two_decimals(),
        ],
    )
    scale_min = decimal_field(_l("Lowest score"), default=Decimal(1), validators=_scale_validators())
    scale_max = decimal_field(_l("Highest score"), default=Decimal(5), validators=_scale_validators())
    scale_step = decimal_field(_l("Step"), default=Decimal(1), validators=_scale_validators())
    submit = SubmitField(_l("Save the criterion"))

    # (value, field) for each level of the saved scale; filled by criterion_form().
    level_fields: list = []

    def descriptors(self) -> dict[Decimal, str]:
        return {value: field.data or "" for value, field in self.level_fields}


def criterion_form(level_values, *args, **kwargs) -> CriterionForm:
    """A criterion form with one descriptor input per level of the criterion's saved scale."""

    class Form(CriterionForm):
        pass

    names = []
    for value in level_values:
        name = f"level-{level_key(value)}"
        label = _l("What does a %(value)s mean?", value=level_label(value))
        setattr(Form, name, StringField(label, validators=[max_length(300)]))
        names.append((value, name))
    form = Form(*args, **kwargs)
    form.level_fields = [(value, form[name]) for value, name in names]
    return form
