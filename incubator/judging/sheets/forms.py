"""The judge's scoring form, built at run time from the round's criteria (one radio group and one
comment per criterion), and the small forms of the director's sheet pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from incubator.core.forms import SelectField, max_length
from incubator.core.labels import RECOMMENDATION_LABELS, SHEET_STATUS_LABELS
from incubator.judging.fields import level_key, level_label
from incubator.judging.rounds.rubric import levels

COMMENT_LIMIT = 5000  # what sheets.save_sheet keeps of a comment


def score_field(criterion_id: int) -> str:
    return f"score_{criterion_id}"


def comment_field(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


class _ScoringBase(FlaskForm):
    version = HiddenField()
    overall_comment = TextAreaField(_l("Overall comment"), validators=[Optional(), max_length(COMMENT_LIMIT)])
    # Values off the list are refused by the service with its own message, so WTForms does not check them.
    recommendation = RadioField(
        _l("Recommendation"),
        choices=[SelectChoice(code, label) for code, label in RECOMMENDATION_LABELS.items()],
        validate_choice=False,
        validators=[Optional()],
    )
    save = SubmitField(_l("Save draft"))
    submit_sheet = SubmitField(_l("Submit"))

    def entries(self, criteria) -> dict:
        """{criterion id: (value as sent or None, comment)} for sheets.save_sheet."""
        return {c.id: ((self[score_field(c.id)].data or None), self[comment_field(c.id)].data or "") for c in criteria}

    def expected_version(self) -> int:
        raw = (self.version.data or "0").strip()
        return int(raw) if raw.isdigit() else -1  # an unreadable version can only be stale


def scoring_form(criteria, **kwargs) -> _ScoringBase:
    """A form with `score_<id>` (one of the criterion's levels) and `comment_<id>` per criterion."""

    class ScoringForm(_ScoringBase):
        pass

    for criterion in criteria:
        setattr(
            ScoringForm,
            score_field(criterion.id),
            RadioField(
                criterion.name,
                choices=[SelectChoice(level_key(v), level_label(v)) for v in levels(criterion.scale)],
                validate_choice=False,
                validators=[Optional()],
            ),
        )
        setattr(
            ScoringForm,
            comment_field(criterion.id),
            TextAreaField(
                _l("Comment on %(criterion)s", criterion=criterion.name),
                validators=[Optional(), max_length(COMMENT_LIMIT)],
            ),
        )
    return ScoringForm(**kwargs)


def sheet_form_data(sheet, criteria) -> dict:
    """A saved sheet as the scoring form's data (version 0 when there is none yet)."""
    data = {"version": str(sheet.version if sheet else 0)}
    if sheet is None:
        return data
    scores = {s.criterion_id: s for s in sheet.scores}
    for criterion in criteria:
        score = scores.get(criterion.id)
        if score is not None:
            data[score_field(criterion.id)] = level_key(score.value) if score.value is not None else None
            data[comment_field(criterion.id)] = score.comment
    data["overall_comment"] = sheet.overall_comment
    data["recommendation"] = sheet.recommendation
    return data


class SheetFilterForm(FlaskForm):
    """The status filter of the director's sheet list (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("All")),
            *(SelectChoice(code, label) for code, label in SHEET_STATUS_LABELS.items()),
        ],
        validators=[Optional()],
    )
