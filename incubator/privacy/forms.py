"""Consent, deletion request and the director's answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from incubator.core.forms import max_length
from incubator.privacy.services import REASON_MAX


def consent_box():
    """The tick that accepts the privacy notice (registration uses it too)."""
    return BooleanField(
        _l("I have read the privacy notice and agree that my data is used as it describes."),
        validators=[DataRequired(message=_l("Tick the box to accept the privacy notice."))],
    )


class ConsentForm(FlaskForm):
    accept = consent_box()
    next = HiddenField()
    submit = SubmitField(_l("Accept and continue"))


class DeletionRequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Why (optional)"),
        validators=[max_length(REASON_MAX)],
        description=_l("A director reads it before deciding; it is removed with your data."),
    )
    understood = BooleanField(
        _l("I understand that my account, my startups' profiles, pitches and decks will be erased for good."),
        validators=[DataRequired(message=_l("Tick the box to confirm that you understand."))],
    )
    submit = SubmitField(_l("Ask for deletion"))


class DecisionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[max_length(REASON_MAX)],
        description=_l("Required when refusing: the applicant reads it."),
    )
    approve = SubmitField(_l("Approve and erase"))
    refuse = SubmitField(_l("Refuse"))
