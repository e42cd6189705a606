"""Sign-in, sign-out, registration, e-mail confirmation, password reset, invitations."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm

from incubator.auth import services, tokens
from incubator.auth.access import SESSION_KEY, login_required, public
from incubator.auth.forms import ChangePasswordForm, EmailForm, LoginForm, RegisterForm, SetPasswordForm
from incubator.auth.models import TokenPurpose
from incubator.core.errors import ServiceError
from incubator.core.i18n import chosen_language, current_language
from incubator.core.stash import STASH_KEY
from incubator.extensions import db, limiter
from incubator.privacy.services import record_consent

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_PER_ACCOUNT"]


def _account_key() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()


def _safe_next(target: str | None) -> str:
    """Only same-site paths, never another host (`//evil`, `https://evil`)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key)
@public
def login():
    """Sign in with e-mail and password; opens a fresh session (the old one is discarded)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    unconfirmed = False
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("The e-mail or password is not correct."), "error")
        elif not user.active:
            flash(_("This account has been deactivated. Contact the programme team."), "error")
        elif not user.email_confirmed:
            unconfirmed = True
            flash(_("Please confirm your e-mail address first: open the link we sent you."), "error")
        else:
            old_key = session.get(SESSION_KEY)
            kept_text = session.get(STASH_KEY)
            session.clear()  # a new session on every sign-in: no fixation
            services.end_session(old_key)
            key = services.start_session(user, request.user_agent.string, locale=chosen_language())
            db.session.commit()
            session[SESSION_KEY] = key
            if kept_text:
                session[STASH_KEY] = kept_text
            session.permanent = True
            login_user(user)
            return redirect(_safe_next(form.next.data))
    return render_template("auth/login.html", form=form, unconfirmed=unconfirmed, resend_form=EmailForm())


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End this session on the server and in the browser."""
    services.end_session(session.get(SESSION_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def register():
    """An applicant creates an account; a confirmation link is e-mailed."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_applicant(form.email.data, form.name.data, form.password.data, current_language())
            record_consent(user, "register", current_language())
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            return render_template("auth/check_email.html", email=services.normalise_email(form.email.data))
    return render_template("auth/register.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@public
def confirm_email(token: str):
    """The link from the confirmation e-mail: a button confirms (a GET changes nothing)."""
    try:
        tokens.peek_token(token, TokenPurpose.CONFIRM)
    except ServiceError as exc:
        return render_template("auth/token_problem.html", message=exc.message, resend_form=EmailForm()), 400
    form = FlaskForm()  # CSRF only
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.confirm_email(token)
        except ServiceError as exc:
            db.session.rollback()
            return render_template("auth/token_problem.html", message=exc.message, resend_form=EmailForm()), 400
        db.session.commit()
        flash(_("Your e-mail address is confirmed. You can sign in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/confirm.html", form=form)


@bp.route("/confirm/resend", methods=["POST"])
@limiter.limit("5 per minute", methods=["POST"])
@public
def resend_confirmation():
    """Send a new confirmation link to an unconfirmed account (says the same either way)."""
    form = EmailForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user and user.active and not user.email_confirmed and user.password_hash:
            services.send_confirmation(user)
            db.session.commit()
        flash(_("If an unconfirmed account uses this address, a new link is on its way."), "success")
    else:
        flash(_("Enter a valid e-mail address."), "error")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
@public
def request_reset():
    """Ask for a password-reset link by e-mail."""
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses this address, a link to reset the password is on its way."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Choose a new password from a single-use, expiring link."""
    return _set_password_page(
        token, TokenPurpose.RESET, services.reset_password, _("Your password has been changed. Sign in with it now.")
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    """An invited judge, mentor or director sets a password."""
    return _set_password_page(
        token,
        TokenPurpose.INVITE,
        lambda raw, password: services.accept_invitation(raw, password, chosen_language()),
        _("Welcome! Your password is set. Sign in now."),
    )


def _set_password_page(token: str, purpose: TokenPurpose, action, done_message: str):
    try:
        user = tokens.peek_token(token, purpose).user
    except ServiceError as exc:
        return render_template("auth/token_problem.html", message=exc.message, resend_form=None), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            action(token, form.password.data)
        except ServiceError as exc:
            db.session.rollback()
            form.password.errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(done_message, "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user, purpose=purpose.value)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other session of this user is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data, session.get(SESSION_KEY))
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)
