"""Conflict-of-interest pages, on the `assignments` blueprint: the director's list of a round's
conflicts (declared by judges, marked by directors, found in the data), marking and removing one;
and a judge's declaration on an application assigned to them."""

from dataclasses import dataclass

from flask import abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.core.actions import button_action, form_action
from incubator.core.pagination import ListPage, requested_page
from incubator.extensions import db
from incubator.judging import permissions
from incubator.judging.assignments.board import Board, Declared, Judge, load_board
from incubator.judging.blueprints import assignments as bp
from incubator.judging.conflicts import services
from incubator.judging.conflicts.detection import conflict_reason
from incubator.judging.conflicts.forms import DeclareConflictForm, MarkConflictForm
from incubator.judging.models import ConflictDeclaration, Round
from incubator.judging.permissions import director_only, judges_only
from incubator.judging.ranking.compute import applications_by_id


@dataclass
class ConflictRow:
    application: Application
    judge: Judge
    source: str  # judge | director | data
    reason: str
    assigned: bool
    declaration: Declared | None = None


def _conflict_rows(board: Board) -> list[ConflictRow]:
    in_round = {a.id for a in board.applications}
    applications = applications_by_id({key[1] for key in (*board.declared, *board.detected)} & in_round)
    assigned = {(x.judge_id, x.application_id) for x in board.assignments}
    rows = []
    for key, declaration in board.declared.items():
        if key[1] in applications and key[0] in board.judges:
            rows.append(
                ConflictRow(
                    applications[key[1]],
                    board.judges[key[0]],
                    declaration.source,
                    declaration.reason,
                    key in assigned,
                    declaration,
                )
            )
    for key, reason in board.detected.items():
        if key not in board.declared:
            rows.append(ConflictRow(applications[key[1]], board.judges[key[0]], "data", reason, key in assigned))
    order = {a.id: i for i, a in enumerate(board.applications)}
    return sorted(rows, key=lambda r: (order[r.application.id], r.judge.name, r.judge.id))


def _mark(round_: Round, form: MarkConflictForm) -> str:
    """Mark the chosen conflict; the success message names the judge and the startup."""
    application = db.session.get(Application, form.application_id.data)
    judge = db.session.get(User, form.judge_id.data)
    services.mark_conflict(round_, application, judge, form.reason.data, current_user)
    return _(
        "The conflict of interest between %(judge)s and %(startup)s is marked.",
        judge=judge.name,
        startup=application.startup.name,
    )


@bp.route("/rounds/<int:round_id>/conflicts", methods=["GET", "POST"], endpoint="conflicts")
@director_only
def conflicts_page(round_id: int):
    """Every conflict of interest of the round: declared by judges, marked by directors, and found
    in the data, with their reasons; a director marks one here."""
    round_ = db.get_or_404(Round, round_id)
    board = load_board(round_)
    form = MarkConflictForm()
    form.application_id.choices = [SelectChoice(a.id, a.name) for a in board.applications]
    form.judge_id.choices = [SelectChoice(j.id, j.name) for j in board.judges.values() if j.is_judge]
    here = url_for(".conflicts", round_id=round_.id)
    marked = form_action(form, lambda: _mark(round_, form), done=lambda message: message, then=here)
    if marked:
        return marked
    page = ListPage.of(_conflict_rows(board), requested_page(), current_app.config["PER_PAGE"])
    return render_template(
        "judging/assignments/conflicts.html", round=round_, form=form, page=page, button_form=FlaskForm()
    )


@bp.route("/rounds/<int:round_id>/conflicts/<int:conflict_id>/delete", methods=["POST"])
@director_only
def remove_conflict(round_id: int, conflict_id: int):
    """Remove a conflict a director marked."""
    round_ = db.get_or_404(Round, round_id)
    declaration = db.session.get(ConflictDeclaration, conflict_id)
    if declaration is None or declaration.round_id != round_.id:
        abort(404)
    return button_action(
        lambda: services.remove_conflict(round_, declaration, current_user),
        done=_("The conflict of interest has been removed."),
        then=url_for(".conflicts", round_id=round_.id),
    )


@bp.route("/rounds/<int:round_id>/applications/<int:application_id>/conflict", methods=["GET", "POST"])
@judges_only
def declare_conflict(round_id: int, application_id: int):
    """A judge declares a conflict of interest with an application assigned to them, with a reason."""
    round_ = permissions.judge_round_or_404(round_id)
    judge = current_user._get_current_object()
    application = permissions.judge_application_or_404(judge, round_, application_id)
    form = DeclareConflictForm()
    declared = form_action(
        form,
        lambda: services.declare_conflict(round_, application, judge, form.reason.data),
        done=_(
            "Your conflict of interest with %(startup)s is recorded. You will not score it, "
            "and any sheet of yours for it does not count.",
            startup=application.startup.name,
        ),
        then=url_for("scoring.queue", round_id=round_.id),
    )
    if declared:
        return declared
    known = conflict_reason(round_, application, judge)
    return render_template(
        "judging/assignments/declare.html", round=round_, application=application, form=form, known=known
    )
