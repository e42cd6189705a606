"""Decisions from the ranking (preview, then confirm), closing a round that has incomplete
applications, and the feedback released to founders."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from incubator.applications.models import Application
from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.core.errors import ServiceError
from incubator.core.figures import rounded
from incubator.core.labels import phase_label
from incubator.core.pagination import ListPage, requested_page
from incubator.extensions import db
from incubator.judging.decisions import feedback as feedback_service
from incubator.judging.decisions import services as decisions
from incubator.judging.decisions.forms import (
    ChoicesForm,
    CloseForm,
    ConfirmForm,
    ThresholdForm,
    TopForm,
    choice_name,
    feedback_form,
    read_choices,
)
from incubator.judging.models import Round
from incubator.judging.ranking.compute import RoundRanking, round_ranking
from incubator.judging.rounds import services
from incubator.judging.rounds.forms import level_label
from incubator.mentoring.access import is_mentor_of

bp = Blueprint("decisions", __name__)
director_only = roles_required(Role.DIRECTOR)


def figure(value) -> str:
    """A score as shown everywhere: 2 decimals, halves away from zero, in the page's language."""
    return "" if value is None else format_decimal(rounded(value), format="#,##0.00")


def may_see_feedback(application: Application) -> bool:
    """Founders of the startup, its mentors in the cohort, and directors; judges as such never
    (they see the round from their own pages)."""
    if not current_user.is_authenticated:
        return False
    if application.startup.is_founder(current_user) or current_user.is_director:
        return True
    return application.membership is not None and is_mentor_of(current_user, application.membership.id)


def released_feedback_or_404(application_id: int, round_id: int) -> tuple[Application, Round]:
    """The application and the round whose released feedback on it the current user may read
    (the page and its PDF); 404 for anything else, so ids leak nothing."""
    application = db.session.get(Application, application_id)
    round_ = db.session.get(Round, round_id)
    if (
        application is None
        or round_ is None
        or application.is_draft
        or round_.cohort_id != application.cohort_id
        or round_.feedback_released_at is None
        or not may_see_feedback(application)
    ):
        abort(404)
    return application, round_


def released_feedback_rounds(application: Application) -> list[Round]:
    """For the application page: the rounds whose feedback its founders may read now."""
    if not may_see_feedback(application) or application.is_draft:
        return []
    return feedback_service.rounds_with_feedback(application)


@bp.app_context_processor
def _globals():
    return {"released_feedback_rounds": released_feedback_rounds}


@bp.context_processor
def _helpers():
    return {"figure": figure, "level_label": level_label, "choice_name": choice_name}


# --- deciding ------------------------------------------------------------------------------


def _render_start(round_: Round, ranking: RoundRanking, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    rows = ranking.result.applications
    page = ListPage.of(rows, requested_page(), current_app.config["PER_PAGE"])
    open_ids = set(decisions.undecided(ranking))
    page_html = render_template(
        "judging/decisions/start.html",
        round=round_,
        ranking=ranking,
        page=page,
        problem=decisions.round_problem(round_),
        open_ids=open_ids,
        all_decided=not open_ids and bool(ranking.decisions),
        choices_form=forms.get("rows") or ChoicesForm(formdata=None),
        top_form=forms.get("top") or TopForm(formdata=None),
        threshold_form=forms.get("score") or ThresholdForm(formdata=None),
        phase_form=FlaskForm(formdata=None),
    )
    return page_html, status


@bp.route("/rounds/<int:round_id>/decisions")
@director_only
def start(round_id: int):
    """The ranking with a choice per application (advance, not selected, no decision) and the bulk helpers."""
    round_ = db.get_or_404(Round, round_id)
    return _render_start(round_, round_ranking(round_))


def _render_preview(round_: Round, seen: decisions.Preview, changed: bool = False):
    return render_template(
        "judging/decisions/preview.html",
        round=round_,
        preview=seen,
        changed=changed,
        confirm_form=ConfirmForm(formdata=None, data={"fingerprint": seen.confirm_fingerprint}),
    )


@bp.route("/rounds/<int:round_id>/decisions/preview", methods=["POST"])
@director_only
def preview(round_id: int):
    """Who moves where and which e-mails would be sent, for the rows chosen or a bulk helper; writes nothing."""
    round_ = db.get_or_404(Round, round_id)
    ranking = round_ranking(round_)
    mode = request.form.get("mode")
    if mode == "top":
        form = TopForm()
        if not form.validate_on_submit():
            return _render_start(round_, ranking, {"top": form})
        choices = decisions.bulk_choices(ranking, decisions.top_n(ranking, form.top_n.data), form.top_rest.data)
    elif mode == "score":
        form = ThresholdForm()
        if not form.validate_on_submit():
            return _render_start(round_, ranking, {"score": form})
        advance = decisions.at_or_above(ranking, form.min_score.data)
        choices = decisions.bulk_choices(ranking, advance, form.score_rest.data)
    else:
        mode, form = "rows", ChoicesForm()
        if not form.validate_on_submit():
            return _render_start(round_, ranking, {"rows": form})
        choices = read_choices(request.form, set(ranking.application_ids))
    if not choices:
        form.form_errors.append(
            _("Choose advance or not selected for at least one application.")
            if mode == "rows"
            else _("No application qualifies, so there is nothing to preview.")
        )
        return _render_start(round_, ranking, {mode: form})
    try:
        seen = decisions.preview(round_, choices, ranking)
    except ServiceError as exc:
        form.form_errors.append(str(exc.message))
        return _render_start(round_, ranking, {mode: form})
    return _render_preview(round_, seen)


@bp.route("/rounds/<int:round_id>/decisions/confirm", methods=["POST"])
@director_only
def confirm(round_id: int):
    """Apply the previewed decisions; if anything changed since the preview, show the new preview instead."""
    round_ = db.get_or_404(Round, round_id)
    form = ConfirmForm()
    ranking = round_ranking(round_)
    choices = read_choices(request.form, set(ranking.application_ids))
    if not form.validate_on_submit() or not choices:
        flash(_("Nothing was decided: choose the applications again."), "error")
        return redirect(url_for("decisions.start", round_id=round_.id))
    seen = decisions.preview(round_, choices, ranking)
    if seen.fingerprint != form.fingerprint.data or not seen.ready:
        return _render_preview(round_, seen, changed=True)
    try:
        made = decisions.decide(round_, choices, current_user, expected=form.fingerprint.data)
    except decisions.PreviewChanged:
        db.session.rollback()
        round_ = db.get_or_404(Round, round_id)
        return _render_preview(round_, decisions.preview(round_, choices), changed=True)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("decisions.start", round_id=round_id))
    db.session.commit()
    flash(
        ngettext("%(num)d decision has been recorded.", "%(num)d decisions have been recorded.", len(made))
        + " "
        + ngettext("%(num)d e-mail is queued.", "%(num)d e-mails are queued.", len(seen.mails)),
        "success",
    )
    return redirect(url_for("decisions.start", round_id=round_id))


# --- closing ------------------------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@director_only
def close_round(round_id: int):
    """Close scoring; when some applications have fewer counted sheets than expected, list them and
    close only once the director confirms."""
    round_ = db.get_or_404(Round, round_id)
    form = CloseForm()
    if not form.validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
        return redirect(url_for("judging.round_detail", round_id=round_.id))
    if round_.phase == "open" and form.confirm.data != "1":
        incomplete = decisions.incomplete_applications(round_ranking(round_))
        if incomplete:
            return render_template(
                "judging/decisions/close.html",
                round=round_,
                incomplete=incomplete,
                form=CloseForm(formdata=None, data={"confirm": "1"}),
            )
    try:
        services.set_phase(round_, "closed", current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("judging.round_detail", round_id=round_.id))
    db.session.commit()
    flash(_("The round is now in the phase: %(phase)s.", phase=phase_label(round_.phase)), "success")
    return redirect(url_for("decisions.start", round_id=round_.id))


# --- feedback -----------------------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/feedback", methods=["GET", "POST"])
@director_only
def feedback(round_id: int):
    """Choose which criteria's scores and comments founders see, and release or withdraw the feedback."""
    round_ = db.get_or_404(Round, round_id)
    criteria = list(round_.rubric.criteria) if round_.rubric else []
    form = feedback_form(criteria, feedback_service.released_items(round_), round_.feedback_overall_comments)
    if form.validate_on_submit():
        try:
            if form.withdraw.data:
                feedback_service.withdraw_feedback(round_, current_user)
            else:
                feedback_service.release_feedback(round_, form.chosen(), form.overall_comments.data, current_user)
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            if round_.feedback_released_at:
                flash(_("The feedback is released: founders can read it on their application page."), "success")
            else:
                flash(_("The feedback is withdrawn: founders no longer see it."), "success")
            return redirect(url_for("decisions.feedback", round_id=round_.id))
    return render_template("judging/decisions/feedback.html", round=round_, criteria=criteria, form=form)


@bp.route("/applications/<int:application_id>/feedback/<int:round_id>")
@login_required
def founder_feedback(application_id: int, round_id: int):
    """A round's released feedback on one application, for its founders (and directors); judges anonymised."""
    application, round_ = released_feedback_or_404(application_id, round_id)
    shown = feedback_service.founder_feedback(round_, application)
    if shown is None:
        abort(404)
    return render_template("judging/decisions/founder_feedback.html", round=round_, application=application, fb=shown)
