"""Keep what a person typed when a form cannot be accepted because their session ended.

A form posted after the session expired fails its CSRF check (or meets the sign-in
wall) before any view runs. For views marked `keeps_typing`, the posted text is
saved server-side under a random key kept in the new session, and the form page
puts it back (with a message) once the person is signed in again.
"""

import secrets
from datetime import datetime, timedelta

from flask import Flask, request, session
from sqlalchemy import JSON, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db

STASH_KEY = "stash"
KEEP_FOR = timedelta(days=7)
SKIPPED_FIELDS = {"csrf_token", "password", "confirm", "current"}


class FormStash(db.Model):
    __tablename__ = "form_stashes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def keeps_typing(view):
    """Mark a view whose posted text must survive an expired session."""
    view.keeps_typing = True
    return view


def stash_posted_form(app: Flask) -> bool:
    """Save this request's form text if its view keeps typing; True when something was kept."""
    view = app.view_functions.get(request.endpoint or "")
    if request.method != "POST" or not getattr(view, "keeps_typing", False):
        return False
    data = {k: v for k, v in request.form.items() if k not in SKIPPED_FIELDS and isinstance(v, str)}
    if not any(v.strip() for v in data.values()):
        return False
    key = secrets.token_urlsafe(24)
    try:
        db.session.execute(delete(FormStash).where(FormStash.created_at < utcnow() - KEEP_FOR))
        db.session.add(FormStash(key=key, path=request.path, data=data))
        db.session.commit()
    except Exception:  # keeping the text is a courtesy; never turn an error page into a crash
        db.session.rollback()
        return False
    session[STASH_KEY] = key
    return True


def take_stash(path: str) -> dict | None:
    """The text kept for this form page, once; None when there is none."""
    key = session.get(STASH_KEY)
    if not key:
        return None
    stash = db.session.scalar(select(FormStash).where(FormStash.key == key, FormStash.path == path))
    if stash is None:
        return None
    data = dict(stash.data)
    db.session.delete(stash)
    session.pop(STASH_KEY, None)
    return data
