"""Account writes: registration, sign-in sessions, invitations, roles (the tokens behind their
links are in `tokens`).

Services change objects, record the audit event, flush, and never commit.
"""

import secrets
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from incubator.audit.services import record, record_many
from incubator.auth.models import LOCALES, ROLE_VALUES, Role, TokenPurpose, User, UserRole, UserSession
from incubator.auth.passwords import hash_password, password_problem, verify_password
from incubator.auth.tokens import issue_token, issue_tokens, use_token
from incubator.core.database import chunks, utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.mail.outbox import queue_mail, queue_mails


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise ServiceError(problem)


def _check_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ROLE_VALUES]
    if unknown:
        raise ServiceError(
            _l("Unknown role: %(role)s. Use one of: %(roles)s.", role=", ".join(unknown), roles=", ".join(ROLE_VALUES))
        )
    return roles


class NewUser(NamedTuple):
    """An account to create (see `create_users`)."""

    email: str
    name: str
    roles: Iterable[str] = ()
    locale: str = "id"
    password: str | None = None
    confirmed: bool = False


def create_user(
    email: str,
    name: str,
    *,
    password: str | None = None,
    roles: Iterable[str] = (),
    locale: str = "id",
    confirmed: bool = False,
    actor: User | None = None,
) -> User:
    """Create an account. Refuses a duplicate e-mail, an unknown role or a weak password."""
    (user,) = create_users([NewUser(email, name, roles, locale, password, confirmed)], actor=actor)
    return user


def _checked(person: NewUser) -> NewUser:
    """The account as it is stored (e-mail lower case, name trimmed, roles once each), or a
    ServiceError saying what is wrong with it."""
    email = normalise_email(person.email)
    roles = _check_roles(person.roles)
    if not email or "@" not in email:
        raise ServiceError(_l("Enter a valid e-mail address."))
    if not person.name.strip():
        raise ServiceError(_l("Enter a name."))
    return person._replace(email=email, name=person.name.strip(), roles=roles)


def create_users(people: Sequence[NewUser], *, actor: User | None = None) -> list[User]:
    """Create these accounts (in this order) with one INSERT per table; all or none: a duplicate
    e-mail (with an account, or twice here), an unknown role or a weak password is refused."""
    people = [_checked(p) for p in people]
    emails = [p.email for p in people]
    if len(set(emails)) < len(emails) or any(
        db.session.scalar(select(User.id).where(User.email.in_(chunk)).limit(1)) for chunk in chunks(emails)
    ):
        raise ServiceError(_l("An account with this e-mail address already exists."))
    for person in people:
        if person.password is not None:
            _check_password(person.password)
    if not people:
        return []
    now = utcnow()
    rows = [
        {
            "email": p.email,
            "name": p.name,
            "password_hash": hash_password(p.password) if p.password is not None else None,
            "locale": p.locale if p.locale in LOCALES else "id",
            "email_confirmed_at": now if p.confirmed else None,
        }
        for p in people
    ]
    ids = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), rows))
    roles = [{"user_id": i, "role": r} for i, p in zip(ids, people, strict=True) for r in p.roles]
    if roles:
        db.session.execute(insert(UserRole), roles)
    users = {}
    for chunk in chunks(ids):
        users.update((u.id, u) for u in db.session.scalars(select(User).where(User.id.in_(chunk))))
    judges = [i for i, p in zip(ids, people, strict=True) if Role.JUDGE in p.roles]
    if judges:
        _judge_changed(judges)
    record_many(
        "user.created", User, [(i, {"roles": sorted(p.roles)}) for i, p in zip(ids, people, strict=True)], actor=actor
    )
    return [users[i] for i in ids]


def _link(endpoint: str, **values) -> str:
    from flask import has_request_context

    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


# --- registration and confirmation ----------------------------------------


def register_applicant(email: str, name: str, password: str, locale: str) -> User:
    """Create an applicant account and e-mail the confirmation link."""
    user = create_user(email, name, password=password, roles=[Role.APPLICANT], locale=locale)
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    raw = issue_token(user, TokenPurpose.CONFIRM)
    queue_mail(user, "confirm_email", user=user, link=_link("auth.confirm_email", token=raw))


def confirm_email(raw: str) -> User:
    user = use_token(raw, TokenPurpose.CONFIRM)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        record("user.email_confirmed", user, actor=user)
    return user


# --- sign-in sessions ------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, or None (same cost either way)."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def start_session(user: User, user_agent: str | None = None, locale: str | None = None) -> str:
    """Open a new server-side session for `user`; returns the key for the cookie."""
    key = secrets.token_urlsafe(32)
    # The browser's own words, cut to the column; a NUL in them made PostgreSQL refuse the sign-in.
    agent = (user_agent or "").replace("\x00", "")[:255]
    db.session.add(UserSession(key=key, user_id=user.id, user_agent=agent))
    user.last_login_at = utcnow()
    set_locale(user, locale)
    record("user.login", user, actor=user)
    db.session.flush()
    return key


def set_locale(user: User, locale: str | None) -> bool:
    """Remember the language `user` chose: their pages default to it and their e-mails are
    written in it. True when it changed (a code other than `id`/`en` changes nothing)."""
    if locale not in LOCALES or user.locale == locale:
        return False
    user.locale = locale
    db.session.flush()
    return True


def end_session(key: str | None) -> None:
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key == key))


def end_other_sessions(user: User, keep_key: str | None = None) -> None:
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_key:
        query = query.where(UserSession.key != keep_key)
    db.session.execute(query)


# --- passwords --------------------------------------------------------------


def change_password(user: User, current: str, new: str, keep_key: str | None) -> None:
    """Change the password and sign out every other session of the user."""
    if not verify_password(user.password_hash, current):
        raise ServiceError(_l("Your current password is not correct."))
    _check_password(new)
    user.password_hash = hash_password(new)
    end_other_sessions(user, keep_key)
    record("user.password_changed", user, actor=user)


def request_password_reset(email: str) -> None:
    """E-mail a reset link if an active account has this address; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    raw = issue_token(user, TokenPurpose.RESET)
    queue_mail(user, "reset_password", user=user, link=_link("auth.reset_password", token=raw))
    record("user.password_reset_requested", user, actor=user)


def reset_password(raw: str, new: str) -> User:
    """Set a new password from a reset link; ends every session of the user."""
    _check_password(new)
    user = use_token(raw, TokenPurpose.RESET)
    user.password_hash = hash_password(new)
    # The link reached the mailbox, so the address is confirmed too.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    end_other_sessions(user)
    record("user.password_reset", user, actor=user)
    return user


# --- invitations and user administration -----------------------------------


def invite_user(
    email: str, name: str, roles: Iterable[str], actor: User, locale: str = "id", *, mail: str = "invitation", **context
) -> User:
    """Create an account without a password and e-mail a link to set one.

    `mail` names the e-mail template (e.g. `imported_application` for founders whose
    application came from a spreadsheet); `context` is passed to it."""
    (user,) = invite_users([NewUser(email, name, roles, locale)], actor, mail=mail, contexts=[context])
    return user


def invite_users(
    people: Sequence[NewUser], actor: User, *, mail: str = "invitation", contexts: Sequence[dict]
) -> list[User]:
    """Create these accounts without a password (see `create_users`) and e-mail each a link to
    set one, with the template `mail` and their own `contexts` entry."""
    for person in people:
        if not _check_roles(person.roles):
            raise ServiceError(_l("Choose at least one role."))
    users = create_users([p._replace(password=None, confirmed=False) for p in people], actor=actor)
    send_invitations(users, actor, mail=mail, contexts=contexts)
    return users


def send_invitation(user: User, actor: User, *, mail: str = "invitation", **context) -> None:
    send_invitations([user], actor, mail=mail, contexts=[context])


def send_invitations(users: Sequence[User], actor: User, *, mail: str = "invitation", contexts: Sequence[dict]) -> None:
    """E-mail each of `users` a new invitation link (earlier ones stop working)."""
    raws = issue_tokens(users, TokenPurpose.INVITE)
    queue_mails(
        [
            (
                user,
                mail,
                {"user": user, "inviter": actor, "link": _link("auth.accept_invitation", token=raw), **context},
            )
            for user, raw, context in zip(users, raws, contexts, strict=True)
        ]
    )
    record_many("user.invited", User, [(user.id, {}) for user in users], actor=actor)


def accept_invitation(raw: str, password: str, locale: str | None = None) -> User:
    """The invited person sets a password; a language they chose on the way (`locale`) is kept."""
    _check_password(password)
    user = use_token(raw, TokenPurpose.INVITE)
    set_locale(user, locale)
    user.password_hash = hash_password(password)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    record("user.invitation_accepted", user, actor=user)
    return user


def grant_role(user: User, role: str, actor: User) -> None:
    (role,) = _check_roles([role])
    if role in user.roles:
        return
    user.role_rows.append(UserRole(role=role))
    db.session.flush()
    if role == Role.JUDGE:
        _judge_changed([user.id])
    record("user.role_granted", user, actor=actor, role=role)


def revoke_role(user: User, role: str, actor: User) -> None:
    (role,) = _check_roles([role])
    if role not in user.roles:
        return
    if role == Role.DIRECTOR and user.id == actor.id:
        raise ServiceError(_l("You cannot remove your own director role. Ask another director."))
    user.role_rows = [row for row in user.role_rows if row.role != role]
    db.session.flush()
    if role == Role.JUDGE:
        _judge_changed([user.id])
    record("user.role_revoked", user, actor=actor, role=role)


def _judge_changed(user_ids: list[int]) -> None:
    """A judge's conflicts found in the data follow who is a judge (judging.conflicts.found)."""
    from incubator.judging.conflicts import found  # judging reads accounts: imported when needed

    found.update(judge_ids=user_ids)


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (ending every session) or reactivate an account."""
    if user.active == active:
        return
    if not active and user.id == actor.id:
        raise ServiceError(_l("You cannot deactivate your own account."))
    user.active = active
    if not active:
        end_other_sessions(user)
    record("user.activated" if active else "user.deactivated", user, actor=actor)
