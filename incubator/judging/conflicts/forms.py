"""Forms for conflicts of interest: a director marks one, a judge declares one."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField

from incubator.core.forms import SelectField, max_length, required
from incubator.judging.assignments.forms import chosen, int_or_none
from incubator.judging.conflicts.services import REASON_LIMIT


class MarkConflictForm(FlaskForm):
    application_id = SelectField(
        _l("Application"),
        coerce=int_or_none,
        choices=[],
        validate_choice=False,
        validators=[chosen(_l("Choose an application."))],
    )
    judge_id = SelectField(
        _l("Judge"), coerce=int_or_none, choices=[], validate_choice=False, validators=[chosen(_l("Choose a judge."))]
    )
    reason = TextAreaField(
        _l("Reason"), validators=[required(), max_length(REASON_LIMIT)], render_kw={"rows": 2, "maxlength": 500}
    )
    submit = SubmitField(_l("Mark the conflict"))


class DeclareConflictForm(FlaskForm):
    reason = TextAreaField(
        _l("Why can you not judge this startup fairly?"),
        validators=[required(), max_length(REASON_LIMIT)],
        description=_l("For example: you mentor this startup, work with its founders, or are related to one of them."),
        render_kw={"rows": 3, "maxlength": 500},
    )
    submit = SubmitField(_l("Declare the conflict"))
