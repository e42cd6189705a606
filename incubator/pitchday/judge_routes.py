"""The judge's pitch-day page, its scoring form and the small JSON it polls, and a founder's own slot.

A judge sees a pitch day only in a round they are assigned in (open or closed), and on it only the
pitches assigned to them; scores go through the scoring sheets' own service
(judging.sheets.services.save_sheet), with the same refusals as the scoring page."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.auth.access import login_required
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.stash import keeps_typing
from incubator.extensions import db
from incubator.judging import permissions
from incubator.judging.permissions import judges_only, not_found
from incubator.judging.ranking.compute import applications_by_id
from incubator.judging.rounds.frozen import frozen_criteria
from incubator.judging.rounds.rubric import criterion_rows
from incubator.judging.sheets import services as sheets
from incubator.judging.sheets.forms import comment_field, score_field, scoring_form, sheet_form_data
from incubator.pitchday import board as reads
from incubator.pitchday.models import PitchDay, PitchSlot
from incubator.pitchday.routes import BOARD_SECONDS, _clock, _me, bp, pitch_day_or_404

OPEN = ("not_started", "draft")  # a sheet still to finish


def _judge_context(round_id: int):
    """(pitch day, the judge's pitches): 404 unless the judge is assigned a pitch of it."""
    pitch_day = pitch_day_or_404(round_id)
    judging = permissions.can_judge_in_round(_me(), pitch_day.round)  # a guest: the round of their pass only
    mine = reads.judge_pitches(pitch_day, _me()) if judging else []
    if not mine:
        not_found()
    return pitch_day, mine


def _target(pitch_day: PitchDay, mine, chosen: int | None) -> int | None:
    """The pitch to show: the one the judge chose (their place), else the one on stage."""
    assigned = {m.pitch.application_id for m in mine}
    if chosen in assigned:
        return chosen
    current = pitch_day.current_slot
    return current.application_id if current and current.application_id in assigned else None


def _render(pitch_day: PitchDay, mine, target: int | None, *, form=None, chosen: bool = False):
    judge, round_ = _me(), pitch_day.round
    context = {"application": None, "sheet": None, "problem": None, "editable": False, "rows": []}
    if target is not None:
        # `target` is one of the judge's pitches (read with its assignment in _judge_context): the
        # application alone, without the team and cohort the scoring page's loader brings.
        application = applications_by_id([target])[target]
        criteria = list(frozen_criteria(round_))
        sheet = sheets.find_sheet(round_.id, application.id, judge.id)
        problem = permissions.scoring_refusal(round_, application, judge)
        editable = problem is None and (sheet is None or sheet.status == "draft")
        form = form or scoring_form(criteria, formdata=None, data=sheet_form_data(sheet, criteria))
        context = {"application": application, "sheet": sheet, "problem": problem, "editable": editable}
        context["rows"] = criterion_rows(criteria)
    return render_template(
        "pitchday/judge.html",
        round=round_,
        pitch_day=pitch_day,
        mine=mine,
        form=form,
        chosen=chosen,
        current=pitch_day.current_slot,
        missing=sum(1 for m in mine if m.pitch.position < pitch_day.called and m.state in OPEN),
        reminder=reads.reminder_for(pitch_day, judge.id),
        every=BOARD_SECONDS,
        score_field=score_field,
        comment_field=comment_field,
        **context,
    )


@bp.route("/rounds/<int:round_id>/pitch-day/judge")
@judges_only
def judge_page(round_id: int):
    """The judge's pitch-day page: the sheet of the pitch on stage (or of `?pitch=`, the judge's
    place), the slot's countdown, their pitches with the state of each sheet, and reminders."""
    pitch_day, mine = _judge_context(round_id)
    chosen = request.args.get("pitch", type=int)
    target = _target(pitch_day, mine, chosen)
    return _render(pitch_day, mine, target, chosen=target is not None and target == chosen)


def _fetch() -> bool:
    """An autosave sent by static/js/scoring.js: answered with JSON as the scoring page does."""
    return request.headers.get("X-Requested-With") == "fetch"


def _save(round_, application, form, criteria, *, submit: bool):
    return sheets.save_sheet(
        round_.id,
        application,
        _me(),
        {cid: sheets.Entry(value, comment) for cid, (value, comment) in form.entries(criteria).items()},
        overall_comment=form.overall_comment.data or "",
        recommendation=form.recommendation.data or None,
        expected_version=form.expected_version(),
        submit=submit,
    )


def _refused(pitch_day, application, form, criteria, message: str, *, submit: bool):
    """The page again with the refusal and everything typed; a refused submission is kept as a draft."""
    db.session.rollback()
    form.form_errors.append(message)
    if submit:
        try:
            draft = _save(pitch_day.round, application, form, criteria, submit=False)
        except ServiceError:
            db.session.rollback()
        else:
            form.version.data = str(draft.version)
            db.session.commit()
            form.form_errors.append(_("What you entered is saved as a draft."))
    return _render(pitch_day, reads.judge_pitches(pitch_day, _me()), application.id, form=form, chosen=True)


def _my_pitch_or_404(round_id: int, application_id: int):
    """(pitch day, application) of one of the judge's pitches: a pitch of the day, assigned to them
    in a round they may judge in. What _judge_context reads for the page, without every pitch's
    state: a save needs only this one."""
    pitch_day = pitch_day_or_404(round_id)
    pitched = {slot.application_id for slot in pitch_day.slots}
    if not permissions.can_judge_in_round(_me(), pitch_day.round) or application_id not in pitched:
        not_found(_("This application is not assigned to you."))
    return pitch_day, permissions.judge_application_or_404(_me(), pitch_day.round, application_id, bare=True)


@bp.route("/rounds/<int:round_id>/pitch-day/judge/<int:application_id>", methods=["POST"])
@judges_only
@keeps_typing
def judge_save(round_id: int, application_id: int):
    """Save a pitch's sheet (Save draft keeps the judge's place; Submit follows the stage again)."""
    pitch_day, application = _my_pitch_or_404(round_id, application_id)
    round_ = pitch_day.round
    criteria = list(frozen_criteria(round_))
    form, fetch = scoring_form(criteria), _fetch()
    submit = bool(form.submit_sheet.data) and not fetch
    if not form.validate_on_submit():
        message = _invalid(form)
        page = lambda: _refused(pitch_day, application, form, criteria, message, submit=False)  # noqa: E731
        return _refuse(fetch, form, message, 422, page)
    try:
        saved = _save(round_, application, form, criteria, submit=submit)
    except ServiceError as exc:
        message = str(exc.message)
        page = lambda: _refused(pitch_day, application, form, criteria, message, submit=submit)  # noqa: E731
        return _refuse(fetch, form, message, 409, page)
    version = saved.version
    db.session.commit()
    return _saved(round_id, application, version, fetch=fetch, submit=submit)


def _refuse(fetch: bool, form, message: str, status: int, page):
    """A refused save: JSON with the sheet's version for the page's script, else `page()`: the
    sheet again with the message and what was typed."""
    if not fetch:
        return page()
    db.session.rollback()
    return jsonify(status="refused", version=form.expected_version(), message=message), status


def _saved(round_id: int, application, version: int, *, fetch: bool, submit: bool):
    """The answer to a save that was committed: JSON for the script; after Submit, the judge's page
    following the stage again; after Save draft, the same pitch with "Saved at …"."""
    saved_at = _("Saved at %(time)s", time=format_datetime(utcnow(), "HH.mm"))
    if fetch:
        return jsonify(status="saved", version=version, message=saved_at)
    if submit:
        flash(_("Your scores for %(startup)s are submitted and locked.", startup=application.startup.name), "success")
        return redirect(url_for("pitchday.judge_page", round_id=round_id))
    flash(saved_at, "success")
    return redirect(url_for("pitchday.judge_page", round_id=round_id, pitch=application.id))


def _invalid(form) -> str:
    for name, errors in form.errors.items():
        if name != "csrf_token" and errors:
            return f"{form[name].label.text}: {errors[0]}"
    return _("The form could not be sent. Please try again.")


def now_state(pitch_day: PitchDay, startup: str | None) -> dict:
    """What the pages' scripts poll: who is on stage, the slot's countdown and the stage's mark."""
    current = pitch_day.current_slot
    clock = _clock(pitch_day)
    return {
        "state": pitch_day.state,
        "position": None if current is None else current.position + 1,
        "pitches": len(pitch_day.slots),
        "application_id": None if current is None else current.application_id,
        "startup": startup,
        "seconds_left": clock.seconds_left,
        "running": clock.running,
        "mark": f"{pitch_day.state}:{pitch_day.current_position}",
    }


@bp.route("/rounds/<int:round_id>/pitch-day/now.json")
@login_required
def now(round_id: int):
    """The stage now, for the judge's page to follow (directors and the judges assigned a pitch of it);
    a judge reads the name of the pitch on stage only when it is assigned to them."""
    pitch_day = pitch_day_or_404(round_id)
    user = _me()
    director = pitch_day.can_run(user)
    if not director and (
        not permissions.can_judge_in_round(user, pitch_day.round) or not reads.judges_pitch_day(pitch_day, user.id)
    ):
        not_found()
    current = pitch_day.current_slot
    startup = None
    if current is not None and (director or reads.is_assigned(pitch_day, user.id, current.application_id)):
        startup = reads.startup_name(current.application_id)
    answer = now_state(pitch_day, startup)
    reminder = reads.reminder_for(pitch_day, user.id)
    answer["reminded_at"] = reminder.sent_at.isoformat() if reminder else None
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/rounds/<int:round_id>/pitch-day/applications/<int:application_id>")
@login_required
def slot(round_id: int, application_id: int):
    """A founder's own pitch slot: when and where their startup pitches (directors see any)."""
    pitch_day = pitch_day_or_404(round_id)
    application = db.session.get(Application, application_id)
    found = db.session.scalar(
        select(PitchSlot).where(PitchSlot.pitch_day_id == pitch_day.id, PitchSlot.application_id == application_id)
    )
    user = _me()
    if application is None or found is None or not (application.startup.is_founder(user) or user.is_director):
        not_found()
    return render_template(
        "pitchday/slot.html", round=pitch_day.round, pitch_day=pitch_day, slot=found, application=application
    )
