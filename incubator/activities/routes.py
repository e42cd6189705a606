"""Pages of the activities area: a cohort's activities, the check-in at the door, and attendance.

Directors manage activities and check startups in; everyone who follows a startup
(mentoring.access.can_follow) sees its attendance against the cohort's requirement.
"""

import io
import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from incubator.activities import exports, queries, services
from incubator.activities.forms import NO_SPACE, ActivityForm, CheckInForm, CheckInSearchForm
from incubator.activities.labels import kind_label
from incubator.activities.models import Activity
from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.errors import ServiceError
from incubator.core.i18n import utc_to_wib, wib_to_utc
from incubator.core.pagination import requested_page
from incubator.core.spreadsheets import to_csv, to_xlsx
from incubator.core.themes import theme_label
from incubator.extensions import db
from incubator.mentoring.access import can_follow

bp = Blueprint("activities", __name__)
director_only = roles_required(Role.DIRECTOR)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_global("activity_kind_label")
def _kind_label(code: str) -> str:
    return kind_label(code)


@bp.app_template_global("activity_theme_label")
def _theme_label(code: str) -> str:
    return theme_label(code)


def _saved(form, action):
    """Run one service; commit and return its result, or roll back and put its refusal on the form."""
    try:
        result = action()
    except ServiceError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc.message))
        return None
    db.session.commit()
    return result


# --- activities -------------------------------------------------------------


@bp.route("/cohorts/<int:cohort_id>/activities")
@director_only
def cohort_activities(cohort_id: int):
    """The cohort's activities: upcoming ones, then past ones (paginated), each with its attendance."""
    cohort = db.get_or_404(Cohort, cohort_id)
    upcoming = queries.upcoming_activities(cohort)
    past = db.paginate(
        queries.past_activities(cohort),
        page=requested_page(),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    counts = queries.attendance_counts([a.id for a in upcoming] + [a.id for a in past.items])
    return render_template("activities/list.html", cohort=cohort, upcoming=upcoming, past=past, counts=counts)


@bp.route("/cohorts/<int:cohort_id>/activities/new", methods=["GET", "POST"])
@director_only
def new_activity(cohort_id: int):
    """Add a training, class, coaching clinic or competition event to the cohort."""
    cohort = db.get_or_404(Cohort, cohort_id)
    return _activity_page(cohort, None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@director_only
def edit_activity(activity_id: int):
    """Change an activity's details."""
    activity = db.get_or_404(Activity, activity_id)
    return _activity_page(activity.cohort, activity)


def _activity_page(cohort: Cohort, activity: Activity | None):
    if request.method == "POST":
        form = ActivityForm()
    elif activity:
        form = ActivityForm(
            data={
                "kind": activity.kind,
                "title": activity.title,
                "theme": activity.theme,
                "description": activity.description,
                "starts_at": utc_to_wib(activity.starts_at),
                "ends_at": utc_to_wib(activity.ends_at),
                "space_id": activity.space_id or NO_SPACE,
                "capacity": activity.capacity,
            }
        )
    else:
        form = ActivityForm(data={"space_id": cohort.space_id})
    if form.validate_on_submit():
        saved = _saved(
            form,
            lambda: services.save_activity(
                activity,
                cohort,
                kind=form.kind.data,
                title=form.title.data,
                theme=form.theme.data,
                description=form.description.data or "",
                starts_at=wib_to_utc(form.starts_at.data),
                ends_at=wib_to_utc(form.ends_at.data),
                space=form.selected_space(),
                capacity=form.capacity.data,
                actor=current_user,
            ),
        )
        if saved:
            flash(_("The activity has been saved."), "success")
            return redirect(url_for("activities.activity", activity_id=saved.id))
    return render_template("activities/form.html", form=form, cohort=cohort, activity=activity)


@bp.route("/activities/<int:activity_id>")
@director_only
def activity(activity_id: int):
    """One activity: when, where, and which startups attended."""
    activity = db.get_or_404(Activity, activity_id)
    attendances = queries.activity_attendances(activity)
    return render_template("activities/view.html", activity=activity, attendances=attendances)


# --- check-in at the door ---------------------------------------------------


@bp.route("/activities/<int:activity_id>/checkin", methods=["GET", "POST"])
@director_only
def checkin(activity_id: int):
    """The door list: the cohort's startups in the programme, a search box, one button each.

    A POST checks one startup in (or undoes it with `undo=1`) and comes back to the list.
    """
    activity = db.get_or_404(Activity, activity_id)
    if request.method == "POST":
        return _check_in_posted(activity)
    search = CheckInSearchForm(request.args)
    query = " ".join((search.q.data or "")[:100].split()).casefold()
    startups = queries.programme_startups(activity.cohort)
    shown = [m for m in startups if query in " ".join(m.startup.name.split()).casefold()] if query else startups
    checked = queries.checked_in(activity)
    return render_template(
        "activities/checkin.html",
        activity=activity,
        search=search,
        startups=shown,
        total=len(startups),
        checked=checked,
        form=CheckInForm(formdata=None),
    )


def _check_in_posted(activity: Activity):
    form = CheckInForm()
    typed = (form.q.data or "")[:100]
    back = url_for("activities.checkin", activity_id=activity.id, q=typed or None)
    if not form.validate_on_submit():
        flash(_("Choose a startup from the list."), "error")
        return redirect(back)
    membership = db.session.scalar(select(CohortStartup).where(CohortStartup.id == form.startup_id()))
    if membership is None:
        flash(_("This startup is not in this activity's cohort."), "error")
        return redirect(back)
    name, category = membership.startup.name, "success"
    try:
        if form.undo.data == "1":
            done = services.undo_check_in(activity, membership, current_user)
            message = _("%(startup)s is no longer checked in.", startup=name) if done else None
            message = message or _("%(startup)s was not checked in.", startup=name)
        else:
            result = services.check_in(activity, membership, current_user)
            if result.created:
                message = _("%(startup)s is checked in.", startup=name)
            else:
                message, category = _("%(startup)s is already checked in.", startup=name), "info"
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(back)
    db.session.commit()
    flash(message, category)
    # A check-in done, the search is cleared for the next startup at the door.
    return redirect(url_for("activities.checkin", activity_id=activity.id) + f"#startup-{membership.id}")


# --- attendance ---------------------------------------------------------------


@bp.route("/cohort-startups/<int:cohort_startup_id>/attendance")
@login_required
def startup_attendance(cohort_startup_id: int):
    """A startup's attendance against the cohort's requirement, and the activities it attended."""
    membership = db.get_or_404(CohortStartup, cohort_startup_id, options=[joinedload(CohortStartup.cohort)])
    if not can_follow(current_user, membership):
        abort(404)
    return render_template(
        "activities/startup_attendance.html",
        membership=membership,
        attendance=queries.attendance_summary(membership),
        attended=queries.attended_activities(membership),
    )


@bp.route("/cohorts/<int:cohort_id>/attendance")
@director_only
def cohort_attendance(cohort_id: int):
    """Every startup of the programme: attended / required, those below the requirement first marked."""
    cohort = db.get_or_404(Cohort, cohort_id)
    table = queries.cohort_attendance(cohort)
    return render_template(
        "activities/cohort_attendance.html",
        cohort=cohort,
        table=table,
        below=sum(1 for line in table if line.below),
    )


def _file_name(cohort: Cohort, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", cohort.name.lower()).strip("-")[:40] or "cohort"
    return f"cohort-{cohort.id}-{slug}-attendance.{extension}"


def _download(data: bytes, mimetype: str, name: str):
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/cohorts/<int:cohort_id>/attendance.csv")
@director_only
def attendance_csv(cohort_id: int):
    """The attendance export: one row per startup and activity attended (see README for the columns)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    data = to_csv(exports.ATTENDANCE_COLUMNS, exports.attendance_rows(cohort))
    return _download(data, CSV_TYPE, _file_name(cohort, "csv"))


@bp.route("/cohorts/<int:cohort_id>/attendance.xlsx")
@director_only
def attendance_xlsx(cohort_id: int):
    """The rows of attendance.csv as a spreadsheet."""
    cohort = db.get_or_404(Cohort, cohort_id)
    data = to_xlsx("attendance", exports.ATTENDANCE_COLUMNS, exports.attendance_rows(cohort))
    return _download(data, XLSX_TYPE, _file_name(cohort, "xlsx"))
