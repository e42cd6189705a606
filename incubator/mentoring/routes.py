"""Pages of the mentoring area: the director's mentor assignments, the mentor's dashboard, a startup's
incubation page, session notes with their action items, and ticking an item.

Anything outside the user's reach answers 404 (the rule is `mentoring.access`)."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from incubator.activities.queries import attendance_summary
from incubator.applications.models import Application
from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role, User
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.errors import ServiceError
from incubator.core.stash import keeps_typing, take_stash
from incubator.core.themes import theme_label
from incubator.extensions import db
from incubator.kpis.queries import kpi_summary
from incubator.mentoring import queries, services
from incubator.mentoring.access import can_follow, can_mentor
from incubator.mentoring.forms import AssignForm, WeeksForm, item_owner, note_form, status_form
from incubator.mentoring.labels import action_status_label, visibility_label
from incubator.mentoring.markdown import render_markdown
from incubator.mentoring.models import ActionItem, MentorAssignment, SessionNote
from incubator.milestones.queries import milestone_summary

bp = Blueprint("mentoring", __name__)
director_only = roles_required(Role.DIRECTOR)


@bp.app_template_filter("markdown")
def markdown_filter(text: str | None) -> Markup:
    """Session notes: Markdown rendered and sanitised (see mentoring.markdown)."""
    return Markup(render_markdown(text))  # noqa: S704 - sanitised by nh3 just above


bp.add_app_template_filter(theme_label, "theme_label")
bp.add_app_template_filter(visibility_label, "visibility_label")
bp.add_app_template_filter(action_status_label, "action_status_label")


@bp.app_context_processor
def _home_helpers():
    """Home-card helpers; each queries only when a template calls it."""

    def your_mentoring():
        if not (current_user.is_authenticated and current_user.has_role(Role.MENTOR)):
            return []
        return queries.mentor_dashboard(current_user)

    def your_incubation():
        if not (current_user.is_authenticated and current_user.has_role(Role.APPLICANT)):
            return queries.FounderIncubation([], [], [], queries.today_wib())
        return queries.founder_incubation(current_user)

    def overdue_by_cohort():
        if not (current_user.is_authenticated and current_user.is_director):
            return []
        return queries.overdue_by_cohort()

    return {
        "your_mentoring": your_mentoring,
        "your_incubation": your_incubation,
        "overdue_by_cohort": overdue_by_cohort,
        "item_status_form": lambda item: status_form(item, formdata=None),
    }


def _followed(cohort_startup_id: int) -> CohortStartup:
    """The startup in its cohort if this user may follow it; 404 otherwise."""
    cohort_startup = db.session.get(CohortStartup, cohort_startup_id)
    if cohort_startup is None or not can_follow(current_user, cohort_startup):
        abort(404)
    return cohort_startup


def _mentored(cohort_startup: CohortStartup) -> CohortStartup:
    if not can_mentor(current_user, cohort_startup):
        abort(404)
    return cohort_startup


def _safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths, never another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return fallback


# --- the director's mentor assignments ------------------------------------------------------


def _weeks() -> int:
    weeks = request.args.get("weeks", 4, type=int)
    return weeks if weeks and 1 <= weeks <= 104 else 4


def _render_mentors(cohort: Cohort, form: AssignForm, status: int = 200):
    mentoring = queries.cohort_mentoring(cohort, _weeks())
    return render_template(
        "mentoring/cohort_mentors.html",
        cohort=cohort,
        mentoring=mentoring,
        form=form,
        weeks_form=WeeksForm(request.args, weeks=mentoring.weeks),
        remove_form=FlaskForm(),
    ), status


def _assign_form(cohort: Cohort) -> AssignForm:
    form = AssignForm()
    form.cohort_startup_id.choices = [SelectChoice(cs.id, cs.startup.name) for cs in queries.mentored_startups(cohort)]
    form.mentor_id.choices = [SelectChoice(u.id, f"{u.name} ({u.email})") for u in queries.mentor_choices()]
    return form


@bp.route("/cohorts/<int:cohort_id>/mentors", methods=["GET", "POST"])
@director_only
def cohort_mentors(cohort_id: int):
    """Assign mentors to the cohort's startups in pre-incubation and incubation; see who has not met one lately."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = _assign_form(cohort)
    if form.validate_on_submit():
        cohort_startup = db.session.get(CohortStartup, form.cohort_startup_id.data)
        mentor = db.session.get(User, form.mentor_id.data)
        try:
            services.assign_mentor(cohort_startup, mentor, current_user)
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
            return _render_mentors(cohort, form)
        db.session.commit()
        startup = cohort_startup.startup.name
        flash(_("%(mentor)s now mentors %(startup)s.", mentor=mentor.name, startup=startup), "success")
        return redirect(url_for("mentoring.cohort_mentors", cohort_id=cohort.id))
    return _render_mentors(cohort, form)


@bp.route("/cohorts/<int:cohort_id>/mentors/<int:assignment_id>/remove", methods=["POST"])
@director_only
def remove_mentor(cohort_id: int, assignment_id: int):
    """Take a mentor off a startup (their notes stay)."""
    assignment = db.session.get(MentorAssignment, assignment_id)
    if assignment is None or assignment.cohort_startup.cohort_id != cohort_id:
        abort(404)
    if FlaskForm().validate_on_submit():
        name, startup = assignment.mentor.name, assignment.cohort_startup.startup.name
        services.unassign_mentor(assignment, current_user)
        db.session.commit()
        flash(_("%(mentor)s no longer mentors %(startup)s.", mentor=name, startup=startup), "success")
    return redirect(url_for("mentoring.cohort_mentors", cohort_id=cohort_id))


# --- mentors and the startup's incubation page ------------------------------------------------


@bp.route("/mentoring")
@roles_required(Role.MENTOR)
def dashboard():
    """The mentor's startups: stage, last session, open and overdue action items."""
    today = queries.today_wib()
    return render_template("mentoring/dashboard.html", rows=queries.mentor_dashboard(current_user, today), today=today)


@bp.route("/cohort-startups/<int:cohort_startup_id>")
@login_required
def startup_page(cohort_startup_id: int):
    """A startup's incubation page: profile, pitch, mentors, attendance, KPIs, milestones, notes, action items."""
    cohort_startup = _followed(cohort_startup_id)
    mentor_view = can_mentor(current_user, cohort_startup)
    application = db.session.scalar(
        db.select(Application).where(
            Application.startup_id == cohort_startup.startup_id, Application.cohort_id == cohort_startup.cohort_id
        )
    )
    return render_template(
        "mentoring/startup.html",
        cs=cohort_startup,
        cohort_startup=cohort_startup,
        startup=cohort_startup.startup,
        application=application,
        mentor_view=mentor_view,
        mentors=queries.assignments_of([cohort_startup.id])[cohort_startup.id],
        notes=queries.timeline(cohort_startup, mentor_view),
        items=queries.action_items(cohort_startup, mentor_view),
        today=queries.today_wib(),
        attendance=attendance_summary(cohort_startup),
        kpi=kpi_summary(cohort_startup),
        milestones=milestone_summary(cohort_startup),
    )


# --- session notes ----------------------------------------------------------------------------


def _note_page(cohort_startup: CohortStartup, note: SessionNote | None):
    author = note.mentor if note is not None and note.mentor is not None else current_user
    owners = services.owner_choices(cohort_startup, author)
    formdata = request.form if request.method == "POST" else None
    kept = take_stash(request.path) if request.method == "GET" else None
    if kept:  # typed before the session ended: put it back for the mentor to check and save
        formdata = MultiDict(kept)
        flash(_("What you typed before your session ended has been put back. Check it and save."), "info")
    form = note_form(owners, note, formdata=formdata)
    if request.method == "POST" and form.validate_on_submit():
        rows = [
            services.ItemInput(
                title=row.form.title.data or "",
                owner_id=item_owner(row.form.owner.data),
                due_on=row.form.due_on.day,
                status=row.form.status.data or "open",
                id=int(row.form.item_id.data) if (row.form.item_id.data or "").isdigit() else None,
            )
            for row in form.items
        ]
        try:
            note = services.save_note(
                note,
                cohort_startup,
                current_user,
                held_on=form.held_on.day,
                duration_minutes=form.duration_minutes.data,
                theme=form.theme.data,
                body=form.body.data or "",
                visibility=form.visibility.data,
                items=rows,
            )
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("The session is saved."), "success")
            return redirect(url_for("mentoring.startup_page", cohort_startup_id=cohort_startup.id) + "#notes")
    return render_template("mentoring/note_form.html", form=form, cs=cohort_startup, note=note)


@bp.route("/cohort-startups/<int:cohort_startup_id>/notes/new", methods=["GET", "POST"])
@login_required
@keeps_typing
def new_note(cohort_startup_id: int):
    """Log a session: date, duration, theme, notes, who may read them, and action items."""
    return _note_page(_mentored(_followed(cohort_startup_id)), None)


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_typing
def edit_note(note_id: int):
    """Change a session note and its action items."""
    note = db.session.get(SessionNote, note_id)
    if note is None:
        abort(404)
    return _note_page(_mentored(_followed(note.cohort_startup_id)), note)


# --- action items -----------------------------------------------------------------------------


@bp.route("/action-items/<int:item_id>/status", methods=["GET", "POST"])
@login_required
def item_status(item_id: int):
    """The founder or a mentor moves an item to open, in progress or done, with a short comment."""
    item = db.session.get(ActionItem, item_id)
    if item is None:
        abort(404)
    cohort_startup = _followed(item.cohort_startup_id)
    if not (can_mentor(current_user, cohort_startup) or queries.founder_may_see_item(item, cohort_startup)):
        abort(404)
    form = status_form(item if request.method == "GET" else None, formdata=request.form or None)
    back = _safe_next(
        request.values.get("next"), url_for("mentoring.startup_page", cohort_startup_id=cohort_startup.id) + "#items"
    )
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.set_item_status(item, current_user, form.status.data, form.comment.data or "")
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Action item updated: %(title)s.", title=item.title), "success")
            return redirect(back)
    return render_template("mentoring/item_status.html", form=form, item=item, cs=cohort_startup, back=back)
