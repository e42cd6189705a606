"""The director's pages on a round's sheets: every sheet with its status, reopening a submitted one,
and reminding the judges who still have applications to score. On the `scoring` blueprint."""

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.core.actions import button_action
from incubator.core.errors import ServiceError
from incubator.core.pagination import requested_page
from incubator.extensions import db
from incubator.judging.blueprints import scoring as bp
from incubator.judging.models import Round, ScoreSheet
from incubator.judging.permissions import director_only
from incubator.judging.sheets import services as sheets
from incubator.judging.sheets.forms import SheetFilterForm
from incubator.judging.sheets.reminders import Reminded, remind_judges


@bp.route("/rounds/<int:round_id>/sheets", endpoint="sheets")
@director_only
def sheet_list(round_id: int):
    """Every score sheet of the round with its status, and a Reopen button on submitted ones."""
    round_ = db.get_or_404(Round, round_id)
    form = SheetFilterForm(request.args)
    status = form.status.data if form.status.data in ("draft", "final") else ""
    query = select(ScoreSheet).where(ScoreSheet.round_id == round_.id).order_by(ScoreSheet.id)
    if status:
        query = query.where(ScoreSheet.status == status)
    page = db.paginate(query, page=requested_page(), per_page=current_app.config["PER_PAGE"], error_out=False)
    judge_ids = {s.judge_id for s in page.items}
    application_ids = {s.application_id for s in page.items}
    judges = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(judge_ids)))} if judge_ids else {}
    applications = (
        {a.id: a for a in db.session.scalars(select(Application).where(Application.id.in_(application_ids)))}
        if application_ids
        else {}
    )
    return render_template(
        "judging/scoring/sheets.html",
        round=round_,
        page=page,
        form=form,
        judges=judges,
        applications=applications,
    )


def _reopen(round_: Round, sheet: ScoreSheet) -> None:
    if round_.phase != "open":
        raise ServiceError(_("A sheet can be reopened only while its round is open for scoring."))
    sheets.reopen_sheet(sheet, current_user._get_current_object())


@bp.route("/rounds/<int:round_id>/sheets/<int:sheet_id>/reopen", methods=["POST"])
@director_only
def reopen_sheet(round_id: int, sheet_id: int):
    """A director unlocks a submitted sheet so its judge can change it (while the round is open)."""
    round_ = db.get_or_404(Round, round_id)
    sheet = db.session.get(ScoreSheet, sheet_id)
    if sheet is None or sheet.round_id != round_.id:
        abort(404)
    return button_action(
        lambda: _reopen(round_, sheet),
        done=_("The sheet is reopened: its judge can change it and submit it again."),
        then=url_for("scoring.sheets", round_id=round_.id, _anchor=f"sheet-{sheet_id}"),
    )


def _reminded(done: Reminded):
    hours = current_app.config["JUDGE_REMINDER_INTERVAL_HOURS"]
    recent = ngettext(
        "%(num)d judge was already reminded in the last %(hours)d hours and was not e-mailed again.",
        "%(num)d judges were already reminded in the last %(hours)d hours and were not e-mailed again.",
        done.recent,
        hours=hours,
    )
    if done.sent:
        sent = ngettext("A reminder was sent to %(num)d judge.", "A reminder was sent to %(num)d judges.", done.sent)
        return f"{sent} {recent}" if done.recent else sent
    if done.recent:
        nothing = _("No reminder was sent.")
        return f"{nothing} {recent}", "info"
    return _("Every judge has submitted every sheet: no reminder was needed."), "info"


@bp.route("/rounds/<int:round_id>/remind", methods=["POST"])
@director_only
def remind(round_id: int):
    """E-mail every judge of the round who still has applications to score and was not reminded
    of it within `JUDGE_REMINDER_INTERVAL_HOURS`."""
    round_ = db.get_or_404(Round, round_id)
    return button_action(
        lambda: remind_judges(round_, actor=current_user._get_current_object()),
        done=_reminded,
        then=url_for("judging.round_detail", round_id=round_.id),
    )
