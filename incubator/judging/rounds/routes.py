"""Director pages for rounds: a round's settings, its phase and the moves it allows.

The rubric builder and templates are in rubric_routes.py, on the same `judging` blueprint."""

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from incubator.cohorts.models import Cohort
from incubator.core.actions import button_action, form_action
from incubator.core.i18n import utc_to_wib, wib_to_utc
from incubator.core.labels import RECOMMENDATION_LABELS, phase_label
from incubator.extensions import db
from incubator.judging.blueprints import judging as bp
from incubator.judging.fields import level_key, level_label, plain_number
from incubator.judging.models import PHASE_MOVES, Round
from incubator.judging.permissions import director_only
from incubator.judging.rounds import services
from incubator.judging.rounds.forms import PhaseForm, RoundForm
from incubator.judging.sheets import reminders


@bp.context_processor
def _helpers():
    return {
        "level_key": level_key,
        "level_label": level_label,
        "plain_number": plain_number,
        "recommendation_labels": RECOMMENDATION_LABELS,
    }


def _round_values(form: RoundForm) -> dict:
    return {
        "name": form.name.data,
        "decides_stage": form.decides_stage.data,
        "scoring_opens_at": wib_to_utc(form.scoring_opens_at.data),
        "scoring_closes_at": wib_to_utc(form.scoring_closes_at.data),
        "judges_per_application": form.judges_per_application.data,
        "ranking_basis": form.ranking_basis.data,
        "judges_see_scores_after_close": form.judges_see_scores_after_close.data,
        "disagreement_threshold": form.disagreement_threshold.data,
    }


def _round_data(round_: Round) -> dict:
    return {
        "name": round_.name,
        "decides_stage": round_.decides_stage,
        "scoring_opens_at": utc_to_wib(round_.scoring_opens_at),
        "scoring_closes_at": utc_to_wib(round_.scoring_closes_at),
        "judges_per_application": round_.judges_per_application,
        "ranking_basis": round_.ranking_basis,
        "judges_see_scores_after_close": round_.judges_see_scores_after_close,
        "disagreement_threshold": plain_number(round_.disagreement_threshold),
    }


def _round_page(round_: Round) -> str:
    return url_for("judging.round_detail", round_id=round_.id)


@bp.route("/cohorts/<int:cohort_id>/rounds/new", methods=["GET", "POST"])
@director_only
def new_round(cohort_id: int):
    """Add a judging round to a cohort; it starts as a draft with an empty rubric."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = RoundForm()
    saved = form_action(
        form,
        lambda: services.save_round(None, cohort, **_round_values(form), actor=current_user),
        done=_("The round has been created. Now build its rubric."),
        then=_round_page,
    )
    return saved or render_template("judging/round_form.html", form=form, cohort=cohort, round=None)


@bp.route("/rounds/<int:round_id>")
@director_only
def round_detail(round_id: int):
    """A round's settings, its phase and the moves it allows, and why it cannot open yet."""
    round_ = db.get_or_404(Round, round_id)
    problems = services.rubric_problem_messages(round_.rubric) if round_.phase == "draft" else []
    return render_template(
        "judging/round.html",
        round=round_,
        moves=PHASE_MOVES[round_.phase],
        problems=problems,
        phase_form=PhaseForm(),
        last_reminder=reminders.last_reminder(round_),
        reminder_hours=current_app.config["JUDGE_REMINDER_INTERVAL_HOURS"],
    )


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@director_only
def edit_round(round_id: int):
    """Change a round's settings (times typed in WIB)."""
    round_ = db.get_or_404(Round, round_id)
    # Saved values pre-fill the page only: a submission must carry every field itself.
    form = RoundForm(data=_round_data(round_) if request.method == "GET" else None)
    saved = form_action(
        form,
        lambda: services.save_round(round_, round_.cohort, **_round_values(form), actor=current_user),
        done=_("The round has been saved."),
        then=_round_page(round_),
    )
    return saved or render_template("judging/round_form.html", form=form, cohort=round_.cohort, round=round_)


def _ask_before_opening(round_: Round, form: PhaseForm):
    """The confirmation page when opening `round_` now is probably a mistake and the director has
    not confirmed yet; None when the move can go ahead (or is refused for another reason)."""
    opening = form.validate_on_submit() and form.phase.data == "open" and form.confirm.data != "1"
    if not opening or "open" not in PHASE_MOVES.get(round_.phase, ()):
        return None
    warnings = services.opening_warnings(round_)
    if not warnings:
        return None
    confirm_form = PhaseForm(formdata=None, data={"phase": "open", "confirm": "1"})
    return render_template("judging/open_confirm.html", round=round_, warnings=warnings, form=confirm_form)


@bp.route("/rounds/<int:round_id>/phase", methods=["POST"])
@director_only
def set_phase(round_id: int):
    """Open, close, reopen or mark a round decided; opening is refused while the rubric is unusable,
    and asks for confirmation (a second POST with `confirm=1`) while the cohort still takes
    applications or the round has none; without it nothing changes."""
    round_ = db.get_or_404(Round, round_id)
    form = PhaseForm()
    asked = _ask_before_opening(round_, form)
    if asked is not None:
        return asked
    return button_action(
        lambda: services.set_phase(round_, form.phase.data, current_user),
        done=lambda _result: _("The round is now in the phase: %(phase)s.", phase=phase_label(round_.phase)),
        then=_round_page(round_),
        form=form,
    )
