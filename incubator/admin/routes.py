"""Director pages: users and roles, invitations, the outbox and the audit trail."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select

from incubator.admin.forms import InviteForm, RoleForm, UserSearchForm
from incubator.audit.models import AuditEvent
from incubator.auth import services
from incubator.auth.access import roles_required
from incubator.auth.models import Role, User, UserRole
from incubator.core.errors import ServiceError
from incubator.core.pagination import requested_page
from incubator.core.search import contains, search_words
from incubator.extensions import db
from incubator.judging.guests.addresses import receives_mail
from incubator.mail.models import OutboxMessage
from incubator.mail.whatsapp import mail_link, mail_phones

bp = Blueprint("admin", __name__)
director_only = roles_required(Role.DIRECTOR)


def _get_user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/users")
@director_only
def users():
    """All accounts, searchable by name or e-mail and filterable by role."""
    form = UserSearchForm(request.args)
    query = select(User).order_by(User.name, User.id)
    if search_words(form.q.data):
        query = query.where(or_(contains(User.email, form.q.data), contains(User.name, form.q.data)))
    if form.role.data:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == form.role.data)))
    page = db.paginate(query, page=requested_page(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("admin/users.html", page=page, form=form)


@bp.route("/users/invite", methods=["GET", "POST"])
@director_only
def invite():
    """Invite a judge, mentor or director: the e-mailed link lets them set a password."""
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = services.invite_user(
                form.email.data, form.name.data, form.roles.data, actor=current_user, locale=form.locale.data or "id"
            )
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/invite.html", form=form)


@bp.route("/users/<int:user_id>")
@director_only
def user_detail(user_id: int):
    """One account: roles, status and its recent audit events."""
    user = _get_user(user_id)
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "users", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.id.desc())
        .limit(20)
    ).all()
    return render_template("admin/user.html", user=user, events=events, role_form=RoleForm())


def _user_action(user_id: int, action, done_message: str, form_class=FlaskForm):
    """Load the user, check the form (CSRF at least), run one service, commit, go back."""
    user = _get_user(user_id)
    form = form_class()
    if not form.validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    try:
        action(user, form)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/roles/grant", methods=["POST"])
@director_only
def grant_role(user_id: int):
    """Give a user one more role."""
    return _user_action(
        user_id,
        lambda u, f: services.grant_role(u, f.role.data, current_user),
        _("The role has been granted."),
        RoleForm,
    )


@bp.route("/users/<int:user_id>/roles/revoke", methods=["POST"])
@director_only
def revoke_role(user_id: int):
    """Take a role away from a user."""
    return _user_action(
        user_id,
        lambda u, f: services.revoke_role(u, f.role.data, current_user),
        _("The role has been removed."),
        RoleForm,
    )


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@director_only
def deactivate(user_id: int):
    """Deactivate an account and sign it out everywhere."""
    return _user_action(
        user_id, lambda u, f: services.set_active(u, False, current_user), _("The account has been deactivated.")
    )


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
@director_only
def activate(user_id: int):
    """Reactivate an account."""
    return _user_action(
        user_id, lambda u, f: services.set_active(u, True, current_user), _("The account has been reactivated.")
    )


@bp.route("/users/<int:user_id>/invite-again", methods=["POST"])
@director_only
def invite_again(user_id: int):
    """Send a fresh invitation link to someone who has not set a password yet."""

    def action(user, form):
        if user.password_hash:
            raise ServiceError(_("This person has already set a password."))
        if not receives_mail(user.email):
            raise ServiceError(_("This guest judge has no e-mail address to send an invitation to."))
        services.send_invitation(user, current_user)

    return _user_action(user_id, action, _("A new invitation has been sent."))


@bp.route("/outbox")
@director_only
def outbox():
    """Every e-mail the system has queued, with its delivery status."""
    status = request.args.get("status", "")
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in ("queued", "sent", "failed"):
        query = query.where(OutboxMessage.status == status)
    page = db.paginate(query, page=requested_page(), per_page=current_app.config["PER_PAGE"], error_out=False)
    phones = mail_phones({m.recipient for m in page.items})
    whatsapp = {m.id: mail_link(m, phones) for m in page.items}
    return render_template("admin/outbox.html", page=page, status=status, whatsapp=whatsapp)


@bp.route("/outbox/<int:message_id>")
@director_only
def outbox_message(message_id: int):
    """One e-mail in full."""
    message = db.get_or_404(OutboxMessage, message_id)
    whatsapp = mail_link(message, mail_phones({message.recipient}))
    return render_template("admin/outbox_message.html", message=message, whatsapp=whatsapp)


@bp.route("/audit")
@director_only
def audit():
    """The audit trail, newest first."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    page = db.paginate(query, page=requested_page(), per_page=50, error_out=False)
    if page.items:
        # One query for every actor on the page instead of one per row.
        ids = {e.actor_id for e in page.items if e.actor_id}
        db.session.scalars(select(User).where(User.id.in_(ids))).all()
    return render_template("admin/audit.html", page=page)
