"""Forms for decisions (one by one or in bulk, then confirm), closing a round, and releasing feedback."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, SubmitField

from incubator.judging.fields import required_number, whole_number_between
from incubator.judging.models import OUTCOMES

CHOICE_PREFIX = "choice-"
NO_DECISION = ""


def choice_name(application_id: int) -> str:
    return f"{CHOICE_PREFIX}{application_id}"


def read_choices(formdata, allowed: set[int]) -> dict[int, str]:
    """{application id: outcome} from the `choice-<id>` fields; "no decision" and unknown ids are left out."""
    choices = {}
    for key in formdata:
        if not key.startswith(CHOICE_PREFIX):
            continue
        raw_id = key.removeprefix(CHOICE_PREFIX)
        value = formdata.get(key, NO_DECISION)
        if raw_id.isdigit() and int(raw_id) in allowed and value in OUTCOMES:
            choices[int(raw_id)] = value
    return choices


class ChoicesForm(FlaskForm):
    """The per-row choices of the decisions page; the rows' radio buttons are read by `read_choices`."""

    mode = HiddenField(default="rows")
    submit = SubmitField(_l("Preview the decisions"))


class CommaDecimalField(DecimalField):
    """A decimal typed the Indonesian way (70,5) or the English way (70.5)."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [str(valuelist[0]).strip().replace(",", ".")]
        super().process_formdata(valuelist)


class TopForm(FlaskForm):
    """Advance the top N of the ranking."""

    mode = HiddenField(default="top")
    top_n = IntegerField(
        _l("How many to advance (the top N)"),
        validators=[whole_number_between(1, 10000, _l("Enter a whole number of at least 1."))],
        invalid_value_message=_l("Enter a whole number of at least 1."),
        description=_l("Applications tied at the cut are all included."),
    )
    top_rest = BooleanField(_l("Mark every other undecided application as not selected"))
    submit_top = SubmitField(_l("Preview the top N"))


class ThresholdForm(FlaskForm):
    """Advance every application at or above a score."""

    mode = HiddenField(default="score")
    min_score = CommaDecimalField(
        _l("Lowest score to advance"),
        places=None,
        validators=[required_number()],
        invalid_value_message=_l("Enter a number, e.g. 2 or 2.5."),
        description=_l("Compared with the unrounded score on the round's ranking basis."),
    )
    score_rest = BooleanField(_l("Mark every other undecided application as not selected"))
    submit_score = SubmitField(_l("Preview at or above this score"))


class ConfirmForm(FlaskForm):
    """Carries the previewed choices (as hidden `choice-<id>` fields) and the preview's fingerprint."""

    fingerprint = HiddenField()


class CloseForm(FlaskForm):
    confirm = HiddenField(default="")


def feedback_form(criteria, items, overall: bool):
    """Per criterion, show scores / show comments; plus the overall comments. Built from the rubric."""

    class FeedbackForm(FlaskForm):
        overall_comments = BooleanField(_l("Release the judges' overall comments"))
        release = SubmitField(_l("Release the feedback"))
        withdraw = SubmitField(_l("Withdraw the feedback"))

        def chosen(self) -> dict[int, tuple[bool, bool]]:
            return {c.id: (bool(self[f"scores_{c.id}"].data), bool(self[f"comments_{c.id}"].data)) for c in criteria}

    data = {"overall_comments": overall}
    for c in criteria:
        setattr(FeedbackForm, f"scores_{c.id}", BooleanField(_l("Show the scores")))
        setattr(FeedbackForm, f"comments_{c.id}", BooleanField(_l("Show the comments")))
        item = items.get(c.id)
        data[f"scores_{c.id}"] = bool(item and item.show_scores)
        data[f"comments_{c.id}"] = bool(item and item.show_comments)
    return FeedbackForm(data=data)
