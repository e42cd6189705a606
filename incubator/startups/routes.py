"""A founder's startups: profile and team."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from incubator.applications import services
from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import FocusArea
from incubator.core.errors import ServiceError
from incubator.core.stash import keeps_typing, take_stash
from incubator.extensions import db
from incubator.mail.whatsapp import member_link
from incubator.startups.forms import MemberForm, StartupForm
from incubator.startups.models import Startup, TeamMember

bp = Blueprint("startups", __name__)


def _startup(startup_id: int, edit: bool = False) -> Startup:
    """The startup if this user may see (or edit) it; 404 otherwise, so ids leak nothing."""
    startup = db.session.get(Startup, startup_id)
    if startup is None or not (startup.can_edit(current_user) if edit else startup.can_view(current_user)):
        abort(404)
    return startup


def _member(startup: Startup, member_id: int) -> TeamMember:
    member = db.session.get(TeamMember, member_id)
    if member is None or member.startup_id != startup.id:
        abort(404)
    return member


def _focus_areas():
    return db.session.scalars(select(FocusArea).order_by(FocusArea.id)).all()


@bp.route("/startups")
@roles_required(Role.APPLICANT)
def mine():
    """The founder's startups and their applications."""
    startups = db.session.scalars(select(Startup).where(Startup.owner_id == current_user.id).order_by(Startup.id))
    return render_template("startups/mine.html", startups=startups.all())


def _profile_form(startup: Startup | None):
    form = StartupForm(obj=startup, focus_areas=_focus_areas())
    if request.method == "GET":
        kept = take_stash(request.path)
        if kept:
            form.process(data={**{f.name: f.data for f in form}, **kept})
            flash(_("What you typed before your session ended has been put back. Check it and save."), "info")
        if startup is None:
            form.focus_area_id.data = form.focus_area_id.data or 0
    return form


def _save_profile(startup: Startup | None, form: StartupForm):
    try:
        startup = services.save_startup(
            startup,
            current_user,
            name=form.name.data,
            city=form.city.data,
            focus_area_id=form.focus_area_id.data,
            business_stage=form.business_stage.data,
            legal_status=form.legal_status.data,
            nib=form.nib.data or "",
            description=form.description.data or "",
            website=form.website.data or "",
            social_link=form.social_link.data or "",
        )
    except ServiceError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc.message))
        return None
    db.session.commit()
    return startup


@bp.route("/startups/new", methods=["GET", "POST"])
@roles_required(Role.APPLICANT)
@keeps_typing
def new():
    """Create a startup profile."""
    form = _profile_form(None)
    if form.validate_on_submit() and (startup := _save_profile(None, form)):
        flash(_("Profile saved. Now add your team."), "success")
        return redirect(url_for("startups.view", startup_id=startup.id))
    return render_template("startups/edit.html", form=form, startup=None)


@bp.route("/startups/<int:startup_id>")
@login_required
def view(startup_id: int):
    """The profile and the team."""
    startup = _startup(startup_id)
    from incubator.applications.models import Application

    applications = db.session.scalars(
        select(Application).where(Application.startup_id == startup.id).order_by(Application.id)
    ).all()
    return render_template(
        "startups/view.html",
        startup=startup,
        applications=applications,
        delete_form=FlaskForm(),
        whatsapp_member=member_link,
    )


@bp.route("/startups/<int:startup_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_typing
def edit(startup_id: int):
    """Change the profile."""
    startup = _startup(startup_id, edit=True)
    form = _profile_form(startup)
    if form.validate_on_submit() and _save_profile(startup, form):
        flash(_("Profile saved."), "success")
        return redirect(url_for("startups.view", startup_id=startup.id))
    return render_template("startups/edit.html", form=form, startup=startup)


def _member_page(startup: Startup, member: TeamMember | None):
    form = MemberForm(obj=member)
    if form.validate_on_submit():
        try:
            services.save_member(
                startup,
                member,
                current_user,
                name=form.name.data,
                role=form.role.data,
                email=(form.email.data or "").lower(),
                phone=form.phone.data or "",
                is_founder=form.is_founder.data,
                under_30=form.under_30.data,
                is_woman=form.is_woman.data,
            )
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Team member saved."), "success")
            return redirect(url_for("startups.view", startup_id=startup.id) + "#team")
    return render_template("startups/member.html", form=form, startup=startup, member=member)


@bp.route("/startups/<int:startup_id>/team/new", methods=["GET", "POST"])
@login_required
def new_member(startup_id: int):
    """Add a team member."""
    return _member_page(_startup(startup_id, edit=True), None)


@bp.route("/startups/<int:startup_id>/team/<int:member_id>/edit", methods=["GET", "POST"])
@login_required
def edit_member(startup_id: int, member_id: int):
    """Change a team member."""
    startup = _startup(startup_id, edit=True)
    return _member_page(startup, _member(startup, member_id))


@bp.route("/startups/<int:startup_id>/team/<int:member_id>/delete", methods=["POST"])
@login_required
def delete_member(startup_id: int, member_id: int):
    """Remove a team member."""
    startup = _startup(startup_id, edit=True)
    member = _member(startup, member_id)
    if FlaskForm().validate_on_submit():
        services.remove_member(startup, member, current_user)
        db.session.commit()
        flash(_("Team member removed."), "success")
    return redirect(url_for("startups.view", startup_id=startup.id) + "#team")
