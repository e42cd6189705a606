"""Director pages for assigning judges: the overview (each judge's load, each application's
judges), by hand, in bulk and automatically, and the focus areas a judge knows.

Conflicts of interest have their pages in conflicts/routes.py, on this same `assignments` blueprint.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from incubator.applications.models import Application
from incubator.auth.models import Role, User
from incubator.cohorts.models import FocusArea
from incubator.core.actions import button_action, commit_or_refuse, flash_done, form_action
from incubator.core.pagination import requested_page
from incubator.core.urls import requested_id
from incubator.extensions import db
from incubator.judging.assignments import automatic, board_view, bulk, manual
from incubator.judging.assignments.board_page import load_overview
from incubator.judging.assignments.forms import AddAssignmentForm, AutoAssignForm, BulkAssignForm, FocusAreasForm
from incubator.judging.blueprints import assignments as bp
from incubator.judging.models import Assignment, Round
from incubator.judging.permissions import director_only
from incubator.judging.ranking.members import load_round


def _round(round_id: int) -> Round:
    return db.get_or_404(Round, round_id)


def _back(round_: Round, anchor: str | None = None) -> str:
    """The overview, on the page the form was sent from."""
    page = requested_page(request.form)
    return url_for(".overview", round_id=round_.id, page=page if page > 1 else None, _anchor=anchor)


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@bp.route("/rounds/<int:round_id>/assignments")
@director_only
def overview(round_id: int):
    """Each judge's load and progress, and each application's judges, with the hand, bulk and
    automatic ways to assign them (applications paginated)."""
    round_ = load_round(round_id) or abort(404)
    board = load_overview(round_, requested_page(), current_app.config["PER_PAGE"])
    return render_template(
        "judging/assignments/overview.html",
        round=round_,
        board_html=Markup(board_view.board_html(board)),  # noqa: S704 - written by a template
    )


@bp.route("/rounds/<int:round_id>/assignments/add", methods=["POST"])
@director_only
def add(round_id: int):
    """Assign one judge to one application by hand."""
    round_ = _round(round_id)
    form = AddAssignmentForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_back(round_))
    application = db.session.get(Application, form.application_id.data)
    judge = db.session.get(User, form.judge_id.data)
    if application is None or application.cohort_id != round_.cohort_id:
        abort(404)
    return button_action(
        lambda: manual.assign(round_, application, judge, current_user),
        done=_("%(judge)s now judges %(startup)s.", judge=judge.name, startup=application.startup.name),
        then=_back(round_, f"application-{application.id}"),
        form=form,
    )


@bp.route("/rounds/<int:round_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@director_only
def delete(round_id: int, assignment_id: int):
    """Take a judge off an application (refused once they have written anything for it)."""
    round_ = _round(round_id)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.round_id != round_.id:
        abort(404)
    judge = db.session.get(User, assignment.judge_id)
    application = db.session.get(Application, assignment.application_id)
    return button_action(
        lambda: manual.unassign(round_, assignment, current_user),
        done=_("%(judge)s no longer judges %(startup)s.", judge=judge.name, startup=application.startup.name),
        then=_back(round_, f"application-{application.id}"),
    )


def _bulk_done(result: bulk.BulkResult) -> str:
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
    return " ".join(parts)


@bp.route("/rounds/<int:round_id>/assignments/bulk", methods=["POST"], endpoint="bulk")
@director_only
def bulk_assign(round_id: int):
    """Assign every chosen judge to every chosen application (conflicts and duplicates left out)."""
    round_ = _round(round_id)
    form = BulkAssignForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_back(round_, "bulk"))
    ok, result = commit_or_refuse(
        lambda: bulk.bulk_assign(round_, form.application_ids.data, form.judge_ids.data, current_user)
    )
    if not ok:
        flash(result, "error")
        return redirect(_back(round_, "bulk"))
    flash(_bulk_done(result), "success")
    return redirect(_back(round_))


def _auto_preview(round_: Round, form: AutoAssignForm) -> automatic.Preview:
    """The automatic assignment for the chosen cap: applied when the director confirms the preview
    they saw (and it is still that), otherwise only computed (a preview writes nothing)."""
    if form.confirm.data:
        preview = automatic.auto_assign(
            round_, current_user, form.cap.data, apply=True, expected=form.fingerprint.data or ""
        )
    else:
        preview = automatic.auto_assign(round_, current_user, form.cap.data, apply=False)
    if not preview.applied:
        db.session.rollback()
    return preview


def _auto_done(preview: automatic.Preview):
    if preview.added:
        return ngettext("%(num)d assignment added.", "%(num)d assignments added.", preview.added)
    return _("Nothing was added: no application could get another judge."), "info"


@bp.route("/rounds/<int:round_id>/assignments/auto", methods=["GET", "POST"])
@director_only
def auto(round_id: int):
    """The automatic assignment: choose a cap, see exactly what would be added, then confirm.
    The confirmation computes it again and applies it only if it is still what was shown."""
    round_ = _round(round_id)
    form = AutoAssignForm()
    preview = None
    if form.validate_on_submit():
        ok, preview = commit_or_refuse(lambda: _auto_preview(round_, form))
        if ok and preview.applied:
            flash_done(_auto_done, preview)
            return redirect(url_for(".overview", round_id=round_.id))
        if ok:
            form.fingerprint.data = preview.fingerprint
        else:
            form.form_errors.append(preview)
            preview = None
    return render_template("judging/assignments/auto.html", round=round_, form=form, preview=preview)


# --- a judge's focus areas -------------------------------------------------------------------


@bp.route("/judges/<int:user_id>/focus-areas", methods=["GET", "POST"])
@director_only
def judge_focus_areas(user_id: int):
    """The focus areas a judge knows well, which the automatic assignment prefers to match."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.JUDGE):
        abort(404)
    back = db.session.get(Round, requested_id("round_id"))
    areas = {a.id: a for a in db.session.scalars(select(FocusArea).order_by(FocusArea.code))}
    saved = {"focus_areas": sorted(manual.judge_area_ids(user))} if request.method == "GET" else None
    form = FocusAreasForm(data=saved)
    form.focus_areas.choices = [SelectChoice(a.id, f"{a.name} ({a.code})") for a in areas.values()]
    done = form_action(
        form,
        lambda: manual.set_judge_focus_areas(user, [areas[i] for i in form.focus_areas.data or ()], current_user),
        done=_("The focus areas of %(name)s have been saved.", name=user.name),
        then=url_for(".overview", round_id=back.id) if back else url_for(".judge_focus_areas", user_id=user.id),
    )
    return done or render_template(
        "judging/assignments/focus_areas.html", judge=user, form=form, areas=areas, back=back
    )
