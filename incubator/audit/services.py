"""The one helper every state change calls to leave a trace (`record`), and its batch form
(`record_many`) for writers of many rows at once; both build the row with `_values`."""

from collections.abc import Iterable
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import insert

from incubator.audit.models import AuditEvent
from incubator.extensions import db


def _object_type(obj: Any) -> str:
    return getattr(obj, "__tablename__", type(obj).__name__.lower())


def _values(action: str, object_type: str | None, object_id: int | None, actor: Any, data: dict) -> dict:
    """An event's row: the actor defaults to the signed-in user, and empty values are left out."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    return {
        "action": action,
        "actor_id": getattr(actor, "id", None),
        "object_type": object_type,
        "object_id": object_id,
        "data": {k: v for k, v in data.items() if v is not None},
        "ip_address": request.remote_addr if has_request_context() else None,
    }


def record(action: str, obj: Any = None, *, actor: Any = None, **data: Any) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` (default: the signed-in user).

    Called inside the service that makes the change, so the event is committed in
    the same transaction as the change itself, or not at all.
    """
    object_type = _object_type(obj) if obj is not None else None
    event = AuditEvent(**_values(action, object_type, getattr(obj, "id", None), actor, data))
    db.session.add(event)
    return event


def record_many(action: str, model: Any, events: Iterable[tuple[int, dict]], *, actor: Any = None) -> None:
    """The events of `action` on many rows of `model` at once, (id, data) each: the rows `record`
    adds for each of them, in one INSERT (a writer of thousands of rows, such as the CSV import)."""
    object_type = _object_type(model)
    rows = [_values(action, object_type, object_id, actor, data) for object_id, data in events]
    if rows:
        db.session.execute(insert(AuditEvent), rows)
