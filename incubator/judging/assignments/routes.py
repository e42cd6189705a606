"""Director pages for assigning judges and handling conflicts of interest; judges declare conflicts.

The overview reads the whole round once (`assignments.load_board`, a fixed number of
queries) and pages its applications in memory, so a page costs the same number of
queries whatever the number of applications, judges and sheets.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from incubator.applications.models import Application
from incubator.auth.access import roles_required
from incubator.auth.models import Role, User
from incubator.cohorts.models import FocusArea
from incubator.cohorts.queries import focus_area_names
from incubator.core.errors import ServiceError, render_error
from incubator.core.pagination import ListPage, requested_page
from incubator.extensions import db
from incubator.judging.assignments import board as services
from incubator.judging.assignments.forms import (
    AddAssignmentForm,
    AutoAssignForm,
    BulkAssignForm,
    DeclareConflictForm,
    FocusAreasForm,
    MarkConflictForm,
)
from incubator.judging.models import Assignment, ConflictDeclaration, Round
from incubator.judging.ranking.compute import RoundEntry, applications_by_id, load_round
from incubator.judging.sheets.queue import JUDGE_PHASES

bp = Blueprint("assignments", __name__)
director_only = roles_required(Role.DIRECTOR)
judges_only = roles_required(Role.JUDGE)


def _round(round_id: int) -> Round:
    return db.get_or_404(Round, round_id)


def _back(round_: Round, anchor: str | None = None):
    """Back to the overview, on the page the form was sent from."""
    page = requested_page(request.form)
    return redirect(url_for(".overview", round_id=round_.id, page=page if page > 1 else None, _anchor=anchor))


# --- the overview ------------------------------------------------------------------------


@dataclass
class JudgeRow:
    judge: services.Judge
    areas: list[str]
    assigned: int = 0
    drafts: int = 0
    submitted: int = 0
    conflicts: int = 0


class Place(NamedTuple):
    assignment_id: int
    judge: services.Judge
    sheet: str | None  # draft | final | None
    conflict: str | None


@dataclass
class ApplicationRow:
    """One card of the overview, as plain data (the page reads kept facts only)."""

    entry: RoundEntry
    decides: bool
    places: list[Place] = field(default_factory=list)
    addable: list[tuple[services.Judge, bool]] = field(default_factory=list)  # and whether they know its area
    conflicted: list[tuple[services.Judge, str]] = field(default_factory=list)  # judges not assigned, with why

    @property
    def counted(self) -> int:
        return sum(1 for p in self.places if not p.conflict)


def _judge_rows(board: services.Board, areas: dict[int, str]) -> list[JudgeRow]:
    rows = [
        JudgeRow(j, sorted(areas[a] for a in j.areas if a in areas), **board.tally(j.id)) for j in board.judges.values()
    ]
    return [r for r in rows if r.judge.is_judge or r.assigned]


def _application_rows(board: services.Board, entries: list[RoundEntry]) -> list[ApplicationRow]:
    judges, pool = board.judges, board.pool
    rows = []
    for entry in entries:
        row = ApplicationRow(entry, board.decides(entry.id))
        row.places = sorted(
            (
                Place(
                    x.id,
                    judges[x.judge_id],
                    board.sheets.get((x.judge_id, x.application_id)),
                    board.conflict(x.judge_id, x.application_id),
                )
                for x in board.placed(entry.id)
            ),
            key=lambda p: (p.judge.name, p.judge.id),
        )
        on = {p.judge.id for p in row.places}
        for judge in pool:
            if judge.id in on:
                continue
            reason = board.conflict(judge.id, entry.id)
            if reason:
                row.conflicted.append((judge, reason))
            elif row.decides:
                row.addable.append((judge, entry.focus_area_id is not None and entry.focus_area_id in judge.areas))
        rows.append(row)
    return rows


def _judge_options(pool: list[services.Judge]) -> Callable[[list[tuple[services.Judge, bool]]], Markup]:
    """Writes an "add a judge" list's <option>s. Each judge's two options (knowing the
    application's focus area or not) are written once per page: a page holds 25 such lists."""
    label = escape(_("knows this focus area"))  # outside the f-string, where Babel finds it
    knows = f" ({label})"
    written = {
        (judge.id, known): f'<option value="{judge.id}">{escape(judge.name)}{knows if known else ""}</option>'
        for judge in pool
        for known in (False, True)
    }
    return lambda addable: Markup("".join(written[judge.id, known] for judge, known in addable))  # noqa: S704 - escaped above


@bp.route("/rounds/<int:round_id>/assignments")
@director_only
def overview(round_id: int):
    """Each judge's load and progress, and each application's judges, with the hand, bulk and
    automatic ways to assign them (applications paginated)."""
    round_ = load_round(round_id) or abort(404)
    board = services.load_board(round_)
    page = ListPage.of(board.applications, requested_page(), current_app.config["PER_PAGE"])
    return render_template(
        "judging/assignments/overview.html",
        round=round_,
        board_html=Markup(_board_html(round_, board, page)),  # noqa: S704 - written by a template
    )


def _board_html(round_: Round, board: services.Board, page: ListPage) -> str:
    rows = _application_rows(board, page.items)
    bulk_form = BulkAssignForm(formdata=None, meta={"csrf": False})
    bulk_form.application_ids.choices = [SelectChoice(r.entry.id, r.entry.name) for r in rows if r.decides]
    bulk_form.judge_ids.choices = [SelectChoice(j.id, j.name) for j in board.pool]
    areas = focus_area_names()
    return render_template(
        "judging/assignments/_board.html",
        round=round_,
        board=board,
        judges=_judge_rows(board, areas),
        areas=areas,
        rows=rows,
        page=page,
        full=board.full(),
        judge_options=_judge_options(board.pool),
        bulk_form=bulk_form,
    )


@bp.route("/rounds/<int:round_id>/assignments/add", methods=["POST"])
@director_only
def add(round_id: int):
    """Assign one judge to one application by hand."""
    round_ = _round(round_id)
    form = AddAssignmentForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return _back(round_)
    application = db.session.get(Application, form.application_id.data)
    judge = db.session.get(User, form.judge_id.data)
    if application is None or application.cohort_id != round_.cohort_id:
        abort(404)
    try:
        services.assign(round_, application, judge, current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("%(judge)s now judges %(startup)s.", judge=judge.name, startup=application.startup.name), "success")
    return _back(round_, f"application-{application.id}")


@bp.route("/rounds/<int:round_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@director_only
def delete(round_id: int, assignment_id: int):
    """Take a judge off an application (refused once they have written anything for it)."""
    round_ = _round(round_id)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.round_id != round_.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
        return _back(round_)
    judge = db.session.get(User, assignment.judge_id)
    application = db.session.get(Application, assignment.application_id)
    try:
        services.unassign(round_, assignment, current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(
            _("%(judge)s no longer judges %(startup)s.", judge=judge.name, startup=application.startup.name), "success"
        )
    return _back(round_, f"application-{application.id}")


@bp.route("/rounds/<int:round_id>/assignments/bulk", methods=["POST"])
@director_only
def bulk(round_id: int):
    """Assign every chosen judge to every chosen application (conflicts and duplicates left out)."""
    round_ = _round(round_id)
    form = BulkAssignForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return _back(round_, "bulk")
    try:
        result = services.bulk_assign(round_, form.application_ids.data, form.judge_ids.data, current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return _back(round_, "bulk")
    db.session.commit()
    parts = [ngettext("%(num)d assignment added.", "%(num)d assignments added.", result.added)]
    if result.already:
        parts.append(ngettext("%(num)d was already assigned.", "%(num)d were already assigned.", result.already))
    if result.conflicted:
        parts.append(
            ngettext(
                "%(num)d left out for a conflict of interest.",
                "%(num)d left out for a conflict of interest.",
                result.conflicted,
            )
        )
    flash(" ".join(parts), "success")
    return _back(round_)


@bp.route("/rounds/<int:round_id>/assignments/auto", methods=["GET", "POST"])
@director_only
def auto(round_id: int):
    """The automatic assignment: choose a cap, see exactly what would be added, then confirm.
    The confirmation computes it again and applies it only if it is still what was shown."""
    round_ = _round(round_id)
    form = AutoAssignForm()
    preview = None
    if form.validate_on_submit():
        try:
            if form.confirm.data:
                preview = services.auto_assign(
                    round_, current_user, form.cap.data, apply=True, expected=form.fingerprint.data or ""
                )
            else:
                preview = services.auto_assign(round_, current_user, form.cap.data, apply=False)
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            if preview.applied:
                db.session.commit()
                if preview.added:
                    flash(ngettext("%(num)d assignment added.", "%(num)d assignments added.", preview.added), "success")
                else:
                    flash(_("Nothing was added: no application could get another judge."), "info")
                return redirect(url_for(".overview", round_id=round_.id))
            db.session.rollback()  # a preview writes nothing
            form.fingerprint.data = preview.fingerprint
    return render_template("judging/assignments/auto.html", round=round_, form=form, preview=preview)


# --- conflicts of interest -------------------------------------------------------------------


@dataclass
class ConflictRow:
    application: Application
    judge: services.Judge
    source: str  # judge | director | data
    reason: str
    assigned: bool
    declaration: services.Declared | None = None


def _conflict_rows(board: services.Board) -> list[ConflictRow]:
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


@bp.route("/rounds/<int:round_id>/conflicts", methods=["GET", "POST"], endpoint="conflicts")
@director_only
def conflicts_page(round_id: int):
    """Every conflict of interest of the round: declared by judges, marked by directors, and found
    in the data, with their reasons; a director marks one here."""
    round_ = _round(round_id)
    board = services.load_board(round_)
    form = MarkConflictForm()
    form.application_id.choices = [SelectChoice(a.id, a.name) for a in board.applications]
    form.judge_id.choices = [SelectChoice(j.id, j.name) for j in board.judges.values() if j.is_judge]
    if form.validate_on_submit():
        application = db.session.get(Application, form.application_id.data)
        judge = db.session.get(User, form.judge_id.data)
        try:
            services.mark_conflict(round_, application, judge, form.reason.data, current_user)
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(
                _(
                    "The conflict of interest between %(judge)s and %(startup)s is marked.",
                    judge=judge.name,
                    startup=application.startup.name,
                ),
                "success",
            )
            return redirect(url_for(".conflicts", round_id=round_.id))
    page = ListPage.of(_conflict_rows(board), requested_page(), current_app.config["PER_PAGE"])
    return render_template(
        "judging/assignments/conflicts.html",
        round=round_,
        form=form,
        page=page,
        button_form=FlaskForm(),
    )


@bp.route("/rounds/<int:round_id>/conflicts/<int:conflict_id>/delete", methods=["POST"])
@director_only
def remove_conflict(round_id: int, conflict_id: int):
    """Remove a conflict a director marked."""
    round_ = _round(round_id)
    declaration = db.session.get(ConflictDeclaration, conflict_id)
    if declaration is None or declaration.round_id != round_.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
    else:
        try:
            services.remove_conflict(round_, declaration, current_user)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The conflict of interest has been removed."), "success")
    return redirect(url_for(".conflicts", round_id=round_.id))


def _not_found(message: str | None = None):
    abort(make_response(render_error(404, message)))


@bp.route("/rounds/<int:round_id>/applications/<int:application_id>/conflict", methods=["GET", "POST"])
@judges_only
def declare_conflict(round_id: int, application_id: int):
    """A judge declares a conflict of interest with an application assigned to them, with a reason."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.phase not in JUDGE_PHASES:
        _not_found()
    application = db.session.scalar(
        select(Application)
        .join(Assignment, Assignment.application_id == Application.id)
        .where(
            Application.id == application_id,
            Assignment.round_id == round_.id,
            Assignment.judge_id == current_user.id,
        )
    )
    if application is None:
        _not_found(_("This application is not assigned to you."))
    judge = current_user._get_current_object()
    known = services.conflict_reason(round_, application, judge)
    form = DeclareConflictForm()
    if form.validate_on_submit():
        try:
            services.declare_conflict(round_, application, judge, form.reason.data)
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(
                _(
                    "Your conflict of interest with %(startup)s is recorded. You will not score it, "
                    "and any sheet of yours for it does not count.",
                    startup=application.startup.name,
                ),
                "success",
            )
            return redirect(url_for("scoring.queue", round_id=round_.id))
    return render_template(
        "judging/assignments/declare.html", round=round_, application=application, form=form, known=known
    )


# --- a judge's focus areas -------------------------------------------------------------------


@bp.route("/judges/<int:user_id>/focus-areas", methods=["GET", "POST"])
@director_only
def judge_focus_areas(user_id: int):
    """The focus areas a judge knows well, which the automatic assignment prefers to match."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.JUDGE):
        abort(404)
    back = db.session.get(Round, request.args.get("round_id", type=int) or 0)
    areas = {a.id: a for a in db.session.scalars(select(FocusArea).order_by(FocusArea.code))}
    saved = {"focus_areas": sorted(services.judge_area_ids(user))} if request.method == "GET" else None
    form = FocusAreasForm(data=saved)
    form.focus_areas.choices = [SelectChoice(a.id, f"{a.name} ({a.code})") for a in areas.values()]
    if form.validate_on_submit():
        chosen = [areas[i] for i in form.focus_areas.data or ()]
        try:
            services.set_judge_focus_areas(user, chosen, current_user)
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("The focus areas of %(name)s have been saved.", name=user.name), "success")
            if back is not None:
                return redirect(url_for(".overview", round_id=back.id))
            return redirect(url_for(".judge_focus_areas", user_id=user.id))
    return render_template("judging/assignments/focus_areas.html", judge=user, form=form, areas=areas, back=back)
