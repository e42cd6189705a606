"""A guest's signed-in session lasts only as long as their pass: checked each time the user is
loaded (every request), so a revoked pass or a round that is no longer open signs the guest out
on their next request, wherever they are.

The guest's session carries its pass's id (`GUEST_KEY`, set by the sign-in route). The check
costs one small query, and only for a guest's session; it also tells the permissions which round
the guest is in (`user.guest_round_id`, see judging.permissions.can_judge_in_round).
"""

from flask import Flask, flash, session
from flask_babel import gettext as _
from sqlalchemy import select

from incubator.auth.access import SESSION_KEY, add_session_check
from incubator.auth.models import User
from incubator.auth.services import end_session
from incubator.extensions import db
from incubator.judging.guests.models import GuestPass
from incubator.judging.models import Round

GUEST_KEY = "guest_pass"


def guest_session_holds(user: User) -> bool:
    """True for any session but a guest's whose pass has ended; that one is ended here."""
    pass_id = session.get(GUEST_KEY)
    if pass_id is None:
        return True
    row = db.session.execute(
        select(GuestPass.user_id, GuestPass.round_id, GuestPass.revoked_at, Round.phase)
        .join(Round, Round.id == GuestPass.round_id)
        .where(GuestPass.id == pass_id)
    ).one_or_none()
    if row is not None and row.user_id == user.id and row.revoked_at is None and row.phase == "open":
        user.guest_round_id = row.round_id
        return True
    end_session(session.get(SESSION_KEY))
    db.session.commit()
    session.clear()
    flash(_("Your guest judging pass has ended: the round is closed or the programme team withdrew it."), "info")
    return False


def init_app(app: Flask) -> None:
    add_session_check(app, guest_session_holds)
