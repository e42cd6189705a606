"""The one helper every state change calls to leave a trace."""

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from incubator.audit.models import AuditEvent
from incubator.extensions import db


def _object_type(obj: Any) -> str:
    return getattr(obj, "__tablename__", type(obj).__name__.lower())


def record(action: str, obj: Any = None, *, actor: Any = None, **data: Any) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` (default: the signed-in user).

    Called inside the service that makes the change, so the event is committed in
    the same transaction as the change itself, or not at all.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=_object_type(obj) if obj is not None else None,
        object_id=getattr(obj, "id", None),
        data={k: v for k, v in data.items() if v is not None},
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
