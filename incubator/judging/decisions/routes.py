"""Decisions from the ranking (preview, then confirm), closing a round that has incomplete
applications, and the feedback released to founders."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from incubator.applications.models import Application
from incubator.auth.access import login_required
from incubator.core.actions import commit_or_refuse, form_action
from incubator.core.errors import ServiceError
from incubator.core.figures import rounded
from incubator.core.labels import phase_label
from incubator.core.pagination import ListPage, requested_page
from incubator.extensions import db
from incubator.judging import permissions
from incubator.judging.blueprints import decisions as bp
from incubator.judging.decisions import bulk as in_bulk
from incubator.judging.decisions import feedback as feedback_service
from incubator.judging.decisions import redecide as redeciding
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
from incubator.judging.fields import level_label
from incubator.judging.models import Round
from incubator.judging.permissions import director_only
from incubator.judging.ranking.compute import RoundRanking, round_ranking
from incubator.judging.rounds import services


def figure(value) -> str:
    """A score as shown everywhere: 2 decimals, halves away from zero, in the page's language."""
    return "" if value is None else format_decimal(rounded(value), format="#,##0.00")


def released_feedback_rounds(application: Application) -> list[Round]:
    """For the application page: the rounds whose feedback its founders may read now."""
    if not permissions.can_see_feedback(current_user, application) or application.is_draft:
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
    open_ids = set(in_bulk.undecided(ranking))
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


def _render_preview(round_: Round, seen: decisions.Preview, changed: bool = False, warning: str | None = None):
    return render_template(
        "judging/decisions/preview.html",
        round=round_,
        preview=seen,
        changed=changed,
        warning=warning,
        confirm_form=ConfirmForm(formdata=None, data={"fingerprint": seen.confirm_fingerprint}),
    )


def _chosen(ranking: RoundRanking) -> tuple[str, FlaskForm, in_bulk.BulkChoice | dict[int, str] | None]:
    """The way the director chose (rows one by one, the top N, or a score threshold), its form, and
    what it chose: a `BulkChoice` for the bulk helpers, the rows' choices, or None when the form is not valid."""
    mode = request.form.get("mode")
    if mode == "top":
        form = TopForm()
        if not form.validate_on_submit():
            return mode, form, None
        return (
            mode,
            form,
            in_bulk.bulk_choices(ranking, in_bulk.top_n(ranking, form.top_n.data), form.top_rest.data),
        )
    if mode == "score":
        form = ThresholdForm()
        if not form.validate_on_submit():
            return mode, form, None
        advance = in_bulk.at_or_above(ranking, form.min_score.data)
        return mode, form, in_bulk.bulk_choices(ranking, advance, form.score_rest.data)
    form = ChoicesForm()
    if not form.validate_on_submit():
        return "rows", form, None
    return "rows", form, read_choices(request.form, set(ranking.application_ids))


def _left_out_warning(bulk: in_bulk.BulkChoice) -> str:
    return ngettext(
        "%(num)d application was left out because it is not fully scored: %(names)s. "
        "Choose it one by one if you mean to decide it.",
        "%(num)d applications were left out because they are not fully scored: %(names)s. "
        "Choose them one by one if you mean to decide them.",
        len(bulk.left_out),
        names=", ".join(a.startup.name for a in bulk.left_out),
    )


@bp.route("/rounds/<int:round_id>/decisions/preview", methods=["POST"])
@director_only
def preview(round_id: int):
    """Who moves where and which e-mails would be sent, for the rows chosen or a bulk helper; writes nothing.
    The bulk helpers leave out unscored and incomplete applications, and the preview says which."""
    round_ = db.get_or_404(Round, round_id)
    ranking = round_ranking(round_)
    mode, form, chosen = _chosen(ranking)
    if chosen is None:
        return _render_start(round_, ranking, {mode: form})
    bulk = chosen if isinstance(chosen, in_bulk.BulkChoice) else None
    choices = bulk.choices if bulk else chosen
    if not choices:
        form.form_errors.append(
            _("Choose advance or not selected for at least one application.")
            if mode == "rows"
            else _("No application qualifies, so there is nothing to preview.")
        )
        if bulk and bulk.left_out:
            form.form_errors.append(_left_out_warning(bulk))
        return _render_start(round_, ranking, {mode: form})
    try:
        seen = decisions.preview(round_, choices, ranking)
    except ServiceError as exc:
        form.form_errors.append(str(exc.message))
        return _render_start(round_, ranking, {mode: form})
    return _render_preview(round_, seen, warning=_left_out_warning(bulk) if bulk and bulk.left_out else None)


def _decide(round_: Round, choices: dict[int, str], seen: decisions.Preview, fingerprint: str):
    """Apply the confirmed decisions and go back to the ranking; if anything changed since the
    preview (another director deciding meanwhile), show the new preview instead."""
    try:
        made = decisions.decide(round_, choices, current_user, expected=fingerprint)
    except decisions.PreviewChanged:
        db.session.rollback()
        round_ = db.get_or_404(Round, round_.id)
        return _render_preview(round_, decisions.preview(round_, choices), changed=True)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("decisions.start", round_id=round_.id))
    db.session.commit()
    flash(
        ngettext("%(num)d decision has been recorded.", "%(num)d decisions have been recorded.", len(made))
        + " "
        + ngettext("%(num)d e-mail is queued.", "%(num)d e-mails are queued.", len(seen.mails)),
        "success",
    )
    return redirect(url_for("decisions.start", round_id=round_.id))


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
    return _decide(round_, choices, seen, form.fingerprint.data)


# --- closing ------------------------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@director_only
def close_round(round_id: int):
    """Close scoring; when some applications have fewer counted sheets than expected, list them and
    close only once the director confirms."""
    round_ = db.get_or_404(Round, round_id)
    form = CloseForm()
    round_page = url_for("judging.round_detail", round_id=round_.id)
    if not form.validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
        return redirect(round_page)
    if round_.phase == "open" and form.confirm.data != "1":
        incomplete = decisions.incomplete_applications(round_ranking(round_))
        if incomplete:
            confirm_form = CloseForm(formdata=None, data={"confirm": "1"})
            return render_template(
                "judging/decisions/close.html", round=round_, incomplete=incomplete, form=confirm_form
            )
    ok, refusal = commit_or_refuse(lambda: services.set_phase(round_, "closed", current_user))
    if not ok:
        flash(refusal, "error")
        return redirect(round_page)
    flash(_("The round is now in the phase: %(phase)s.", phase=phase_label(round_.phase)), "success")
    return redirect(url_for("decisions.start", round_id=round_.id))


@bp.route("/rounds/<int:round_id>/redecide", methods=["GET", "POST"])
@director_only
def redecide(round_id: int):
    """A decided round: what re-deciding would change (a conflict found after the decision), and
    the director's choice to re-decide it: the round closes again with its figures computed anew."""
    round_ = db.get_or_404(Round, round_id)
    if round_.phase != "decided":
        permissions.not_found(_("Only a decided round can be re-decided."))
    form = CloseForm()
    done = form_action(
        form,
        lambda: services.reopen_decided(round_, current_user),
        done=_("The round is closed again and its figures are computed anew. Decide it again from the ranking."),
        then=url_for("decisions.start", round_id=round_.id),
    )
    if done is not None:
        return done
    seen = redeciding.preview(round_)
    return render_template("judging/decisions/redecide.html", round=round_, seen=seen, form=form)


# --- feedback -----------------------------------------------------------------------------


def _release_or_withdraw(round_: Round, form) -> str:
    """Release the chosen feedback (or withdraw it); the message says which happened."""
    if form.withdraw.data:
        feedback_service.withdraw_feedback(round_, current_user)
    else:
        proposed = feedback_service.release_feedback(round_, form.chosen(), form.overall_comments.data, current_user)
        if proposed:
            return _(
                "The feedback is released: founders can read it on their application page. "
                "%(count)d action items are proposed to the mentors of the advanced startups.",
                count=proposed,
            )
    if round_.feedback_released_at:
        return _("The feedback is released: founders can read it on their application page.")
    return _("The feedback is withdrawn: founders no longer see it.")


@bp.route("/rounds/<int:round_id>/feedback", methods=["GET", "POST"])
@director_only
def feedback(round_id: int):
    """Choose which criteria's scores and comments founders see, and release or withdraw the feedback."""
    round_ = db.get_or_404(Round, round_id)
    criteria = list(round_.rubric.criteria) if round_.rubric else []
    form = feedback_form(criteria, feedback_service.released_items(round_), round_.feedback_overall_comments)
    saved = form_action(
        form,
        lambda: _release_or_withdraw(round_, form),
        done=lambda message: message,
        then=url_for("decisions.feedback", round_id=round_.id),
    )
    return saved or render_template("judging/decisions/feedback.html", round=round_, criteria=criteria, form=form)


@bp.route("/applications/<int:application_id>/feedback/<int:round_id>")
@login_required
def founder_feedback(application_id: int, round_id: int):
    """A round's released feedback on one application, for its founders (and directors); judges anonymised."""
    application, round_ = permissions.released_feedback_or_404(current_user, application_id, round_id)
    shown = feedback_service.founder_feedback(round_, application)
    if shown is None:
        abort(404)
    return render_template("judging/decisions/founder_feedback.html", round=round_, application=application, fb=shown)
