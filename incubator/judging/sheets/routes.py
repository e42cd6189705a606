"""A judge's queue and scoring page (the director's sheet list and reminders: director_routes.py).

Judges see a round only while it is open or closed, and only the applications assigned to
them (judging.permissions); while a round is open nothing here shows another judge's scores or
comments.
"""

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.auth.models import Role, User
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.labels import RECOMMENDATION_LABELS
from incubator.core.pagination import requested_page
from incubator.core.stash import keeps_typing, take_stash
from incubator.extensions import db
from incubator.judging import permissions
from incubator.judging.blueprints import scoring as bp
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.fields import level_key, level_label, plain_number
from incubator.judging.models import Round, ScoreSheet
from incubator.judging.permissions import judges_only
from incubator.judging.rounds.frozen import frozen_criteria
from incubator.judging.rounds.rubric import criterion_rows
from incubator.judging.sheets import services as sheets
from incubator.judging.sheets.forms import comment_field, score_field, scoring_form, sheet_form_data
from incubator.judging.sheets.queue import judging_rounds, queue_page
from incubator.judging.sheets.reminders import send_reminders_command
from incubator.pitchday.models import pitch_day_id

bp.cli.add_command(send_reminders_command)


@bp.context_processor
def _helpers():
    return {
        "level_key": level_key,
        "level_label": level_label,
        "plain_number": plain_number,
        "recommendation_labels": RECOMMENDATION_LABELS,
        "score_field": score_field,
        "comment_field": comment_field,
    }


@bp.app_context_processor
def _home_helpers():
    """`your_judging()` for the judge's card on the home page; it queries only when called."""

    def your_judging():
        if not (current_user.is_authenticated and current_user.has_role(Role.JUDGE)):
            return []
        return judging_rounds(current_user._get_current_object())

    return {"your_judging": your_judging}


# --- the judge's queue ------------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/queue")
@judges_only
def queue(round_id: int):
    """The applications assigned to this judge in the round, with their status, the progress and the deadline."""
    round_ = permissions.judge_round_or_404(round_id, alone=True)
    number, per_page = requested_page(), current_app.config["PER_PAGE"]
    work, page = queue_page(round_, current_user._get_current_object(), number, per_page)
    items = render_template("judging/scoring/_queue_items.html", round=round_, work=work, page=page)
    now = utcnow()
    return render_template(
        "judging/scoring/queue.html",
        round=round_,
        work=work,
        items_html=Markup(items),  # noqa: S704 - written by a template
        not_yet=bool(round_.scoring_opens_at and now < round_.scoring_opens_at),
        ended=round_.phase != "open" or bool(round_.scoring_closes_at and now >= round_.scoring_closes_at),
        # A pitch day of the round: a guest signed in by link lands here, and needs its page's link.
        pitch_day=work.total and pitch_day_id(round_.id),
    )


# --- the scoring page -------------------------------------------------------------------


def _other_sheets(round_: Round, application: Application) -> list[tuple[str, ScoreSheet]]:
    """Other judges' submitted, counted sheets, named Judge A, B, ...: only after the round has
    closed and only when the round allows it. While a round is open this is always empty."""
    if not permissions.can_see_other_scores(round_):
        return []
    found = db.session.scalars(
        select(ScoreSheet)
        .where(
            ScoreSheet.round_id == round_.id,
            ScoreSheet.application_id == application.id,
            ScoreSheet.judge_id != current_user.id,
            ScoreSheet.status == "final",
        )
        .order_by(ScoreSheet.id)
    ).all()
    declared = conflicts.declared(round_.id)
    judges = db.session.scalars(select(User).where(User.id.in_([s.judge_id for s in found]))).all() if found else []
    detected = conflicts.detect(judges, [application])
    excluded = declared.keys() | detected.keys()
    counted = [s for s in found if (s.judge_id, application.id) not in excluded]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [(_("Judge %(letter)s", letter=letters[i % 26]), sheet) for i, sheet in enumerate(counted)]


def _fetch() -> bool:
    """An autosave sent by static/js/scoring.js; it is answered with JSON."""
    return request.headers.get("X-Requested-With") == "fetch"


@bp.route("/rounds/<int:round_id>/applications/<int:application_id>/score", methods=["GET", "POST"])
@judges_only
@keeps_typing
def score(round_id: int, application_id: int):
    """The pitch and the scoring form. Save draft keeps any partial sheet; Submit checks every
    criterion and locks the sheet. Refusals (stale, late, conflicted) keep what was typed."""
    round_ = permissions.judge_round_or_404(round_id, alone=True)
    judge = current_user._get_current_object()
    application = permissions.judge_application_or_404(judge, round_, application_id, bare=True)
    criteria = frozen_criteria(round_)
    if request.method == "POST":  # the save reads the sheet and checks the refusals under the round's lock
        return _post(round_, application, judge, criteria)
    sheet = sheets.find_sheet(round_.id, application.id, judge.id)
    problem = permissions.scoring_refusal(round_, application, judge)

    editable = problem is None and (sheet is None or sheet.status == "draft")
    form = scoring_form(criteria, formdata=None, data=sheet_form_data(sheet, criteria))
    kept = take_stash(request.path) if editable else None
    if kept:
        for name in form.data:
            if name in kept and name not in ("csrf_token", "save", "submit_sheet"):
                form[name].data = kept[name]
        flash(_("What you typed before your session ended has been put back. Check it and save."), "info")
    return _render_score(round_, application, form, sheet, problem, criteria, editable=editable)


def _save(round_, application, judge, criteria, form, *, submit: bool) -> ScoreSheet:
    return sheets.save_sheet(
        round_.id,
        application,
        judge,
        {cid: sheets.Entry(value, comment) for cid, (value, comment) in form.entries(criteria).items()},
        overall_comment=form.overall_comment.data or "",
        recommendation=form.recommendation.data or None,
        expected_version=form.expected_version(),
        submit=submit,
    )


def _post(round_, application, judge, criteria):
    """Save (or submit) the posted sheet. A fetch autosave gets JSON {status, version, message};
    a page gets a redirect, or the page again with the refusal and everything typed."""
    form = scoring_form(criteria)
    fetch = _fetch()
    submit = bool(form.submit_sheet.data) and not fetch
    if not form.validate_on_submit():
        if fetch:
            return jsonify(status="refused", version=form.expected_version(), message=_invalid(form)), 422
        form.form_errors.append(_invalid(form))
        return _refused(round_, application, judge, form, criteria)
    try:
        saved = _save(round_, application, judge, criteria, form, submit=submit)
    except ServiceError as exc:
        db.session.rollback()
        if fetch:
            return jsonify(status="refused", version=form.expected_version(), message=str(exc.message)), 409
        form.form_errors.append(str(exc.message))
        if submit:
            # Submission refused (e.g. a criterion without a score): keep what was typed as a draft.
            try:
                draft = _save(round_, application, judge, criteria, form, submit=False)
            except ServiceError:
                db.session.rollback()
            else:
                form.version.data = str(draft.version)
                db.session.commit()
                form.form_errors.append(_("What you entered is saved as a draft."))
        return _refused(round_, application, judge, form, criteria)
    # Read before the commit, which expires them: the answer then needs no query.
    version, round_id, application_id, startup = saved.version, round_.id, application.id, application.startup.name
    db.session.commit()
    saved_at = _("Saved at %(time)s", time=format_datetime(utcnow(), "HH.mm"))
    if fetch:
        return jsonify(status="saved", version=version, message=saved_at)
    if submit:
        flash(_("Your scores for %(startup)s are submitted and locked.", startup=startup), "success")
        return redirect(url_for("scoring.queue", round_id=round_id))
    flash(saved_at, "success")
    return redirect(url_for("scoring.score", round_id=round_id, application_id=application_id))


def _refused(round_, application, judge, form, criteria):
    """The page again after a refused save, with what was typed and the sheet as it is now."""
    sheet = sheets.find_sheet(round_.id, application.id, judge.id)
    problem = permissions.scoring_refusal(round_, application, judge)
    return _render_score(round_, application, form, sheet, problem, criteria, editable=True)


def _invalid(form) -> str:
    for name, errors in form.errors.items():
        if name != "csrf_token" and errors:
            return f"{form[name].label.text}: {errors[0]}"
    return _("The form could not be sent. Please try again.")


def _render_score(round_, application, form, sheet, problem, criteria, *, editable: bool):
    return render_template(
        "judging/scoring/score.html",
        round=round_,
        application=application,
        form=form,
        sheet=sheet,
        problem=problem,
        editable=editable,
        rows=criterion_rows(criteria),
        others=_other_sheets(round_, application),
    )
