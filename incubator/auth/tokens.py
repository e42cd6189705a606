"""Single-use, expiring tokens behind e-mailed links (confirmation, password reset, invitation):
only their hash is stored."""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update

from incubator.auth.models import TokenPurpose, User, UserToken
from incubator.core.database import chunks, utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db

TOKEN_HOURS = {
    TokenPurpose.CONFIRM: "CONFIRM_TOKEN_HOURS",
    TokenPurpose.RESET: "RESET_TOKEN_HOURS",
    TokenPurpose.INVITE: "INVITE_TOKEN_HOURS",
}


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose) -> str:
    """A new single-use token for `user`; earlier unused tokens of the same purpose stop working."""
    (raw,) = issue_tokens([user], purpose)
    return raw


def issue_tokens(users: Sequence[User], purpose: TokenPurpose) -> list[str]:
    """A new single-use token for each of `users` (the raw tokens, in the same order); their
    earlier unused tokens of the same purpose stop working. One DELETE and one INSERT."""
    now = utcnow()
    expires = now + timedelta(hours=current_app.config[TOKEN_HOURS[purpose]])
    user_ids = [u.id for u in users]
    for chunk in chunks(user_ids):
        # synchronize_session=False: no token objects are loaded here, and scanning the
        # session for them would make bulk invitations (the CSV import) slow down row by row.
        db.session.execute(
            delete(UserToken)
            .where(UserToken.user_id.in_(chunk), UserToken.purpose == purpose.value, UserToken.used_at.is_(None))
            .execution_options(synchronize_session=False)
        )
    raws = [secrets.token_urlsafe(32) for _ in user_ids]
    if raws:
        db.session.execute(
            insert(UserToken),
            [
                {
                    "token_hash": _hash_token(raw),
                    "purpose": purpose.value,
                    "user_id": user_id,
                    "created_at": now,
                    "expires_at": expires,
                }
                for raw, user_id in zip(raws, user_ids, strict=True)
            ],
        )
    return raws


def peek_token(raw: str, purpose: TokenPurpose) -> UserToken:
    """The valid, unused token behind `raw`, or a ServiceError saying why not."""
    token = db.session.scalar(
        select(UserToken).where(UserToken.token_hash == _hash_token(raw), UserToken.purpose == purpose.value)
    )
    if token is None:
        raise ServiceError(_l("This link is not valid. Ask for a new one."))
    if token.used_at is not None:
        raise ServiceError(_l("This link has already been used. Ask for a new one if you still need it."))
    if token.expires_at <= utcnow():
        raise ServiceError(_l("This link has expired. Ask for a new one."))
    return token


def use_token(raw: str, purpose: TokenPurpose) -> User:
    token = peek_token(raw, purpose)
    # Mark used with a guarded UPDATE so two clicks at once cannot both succeed.
    claimed = db.session.execute(
        update(UserToken)
        .where(UserToken.id == token.id, UserToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise ServiceError(_l("This link has already been used. Ask for a new one if you still need it."))
    return token.user
