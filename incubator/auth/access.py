"""Who may open a view: every view is marked public, signed-in, or role-restricted.

The route-inventory test reads the marks, so an endpoint nobody thought about
fails the suite instead of being open by accident.
"""

from collections.abc import Callable
from functools import cache, wraps

from flask import Flask, abort, current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from incubator.auth.models import User, UserSession
from incubator.extensions import db, login_manager

SESSION_KEY = "sid"


def public(view):
    """Open to everyone, anonymous visitors included."""
    view.access = "public"
    return view


def _sign_in_first():
    """Send an anonymous visitor to sign in, keeping any form text a marked view was sent."""
    from flask import current_app

    from incubator.core.stash import stash_posted_form

    stash_posted_form(current_app)
    return login_manager.unauthorized()


def login_required(view):
    """Any signed-in user; anonymous visitors are sent to the sign-in page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return _sign_in_first()
        return view(*args, **kwargs)

    wrapped.access = "login"
    return wrapped


def roles_required(*roles: str):
    """Signed-in users holding at least one of `roles`; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return _sign_in_first()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = ("roles", roles)
        return wrapped

    return decorator


def add_session_check(app: Flask, check: Callable[[User], bool]) -> None:
    """Another area's condition on a signed-in session (e.g. a guest judge's pass still holds),
    asked each time the user is loaded; a check that answers False has ended the session."""
    checks = app.extensions.setdefault("session_checks", [])
    if check not in checks:
        checks.append(check)


def load_user(user_id: str) -> User | None:
    """The user of this browser's session, if that session still exists, the user is active and
    every session check (`add_session_check`) holds."""
    key = session.get(SESSION_KEY)
    if not key or not user_id.isdigit():
        return None
    user = db.session.scalars(_session_user(), {"key": key, "user_id": int(user_id)}).unique().one_or_none()
    if user is None or not all(check(user) for check in current_app.extensions.get("session_checks", ())):
        return None
    return user


@cache
def _session_user():
    """Every request asks it, so it is built once: the user of a session key, roles included."""
    return (
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.key == bindparam("key"), User.id == bindparam("user_id"), User.active.is_(True))
        .options(joinedload(User.role_rows))
    )


def _remember_chosen_language() -> None:
    """A signed-in user who switches language with `?lang=` keeps the choice on their account, so
    their e-mails (written in `User.locale`) and their other devices follow it. One small write,
    committed here: the pages it happens on are otherwise read-only."""
    from incubator.auth.services import set_locale
    from incubator.core.i18n import requested_language

    lang = requested_language()
    if lang and current_user.is_authenticated and set_locale(current_user, lang):
        db.session.commit()


def init_app(app: Flask) -> None:
    app.before_request(_remember_chosen_language)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open that page.")
    login_manager.login_message_category = "info"
    # Sessions are rows in user_sessions (see services.start_session); Flask-Login's
    # own fingerprinting would only sign people out when their mobile IP changes.
    login_manager.session_protection = None

    @app.context_processor
    def _roles():
        return {"user_roles": current_user.roles if current_user.is_authenticated else set()}
