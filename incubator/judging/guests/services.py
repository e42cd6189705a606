"""Guest judges' writes: adding a guest to an open round, signing in from the link, revoking the
pass and issuing a new link. Services flush, record the audit event and never commit.

Decisions:
- A guest is a User with the judge role and no password (no one can sign in as them with one),
  with their e-mail if given, else a reserved `guests.invalid` address (addresses.py).
- The guest is assigned to every application the round decides, through the bulk assignment
  service, so a conflict found in the data is skipped exactly as for any judge.
- The link's token is random (32 bytes), shown once, stored as its SHA-256. Its first use signs the
  guest in; a second use, a revoked pass or a round no longer open is refused, and every one of
  those is in the audit trail (`guest.pass_refused` with the reason).
"""

import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from incubator.audit.services import record
from incubator.auth.models import Role, User, UserSession
from incubator.auth.services import create_user, normalise_email
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.assignments.bulk import bulk_assign
from incubator.judging.assignments.checks import decides, hold_round
from incubator.judging.guests.addresses import placeholder_address
from incubator.judging.guests.models import GuestPass
from incubator.judging.models import Round
from incubator.judging.ranking.members import round_applications

NAME_LIMIT = 120

# Why a link was refused: the reason stored in the audit trail, and the page's message.
REFUSALS = {
    "unknown": _l("This sign-in link is not valid. Ask the programme team for a new one."),
    "used": _l(
        "This sign-in link has already been used: it works once. If you are the guest it was made for, "
        "ask the programme team for a new link."
    ),
    "revoked": _l("This sign-in link has been withdrawn by the programme team."),
    "closed": _l("Judging in this round is over, so this sign-in link no longer works."),
}


class PassRefused(ServiceError):
    """A sign-in link that cannot be used; `reason` is one of REFUSALS."""

    def __init__(self, reason: str):
        super().__init__(REFUSALS[reason])
        self.reason = reason


@dataclass(frozen=True)
class Issued:
    """A pass and its link's token (shown once; only the hash is kept)."""

    guest_pass: GuestPass
    token: str


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def _check_open(round_: Round) -> None:
    if round_.phase != "open":
        raise ServiceError(_l("Guest judges can be added and given links only while the round is open for scoring."))


def round_guests(round_: Round) -> list[GuestPass]:
    """The round's guest passes, in the order they were added."""
    return list(db.session.scalars(select(GuestPass).where(GuestPass.round_id == round_.id).order_by(GuestPass.id)))


def add_guest(round_: Round, name: str, email: str | None, actor: User) -> Issued:
    """Add a guest judge to an open round: a judge account with no password, assigned to every
    application the round decides (pairs with a conflict found in the data left out), and a
    single-use sign-in link."""
    hold_round(round_)
    _check_open(round_)
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_l("Enter the guest's name."))
    if len(name) > NAME_LIMIT:
        raise ServiceError(_l("Use at most %(max)d characters.", max=NAME_LIMIT))
    email = normalise_email(email or "") or placeholder_address()
    user = create_user(email, name, roles=[Role.JUDGE], actor=actor)
    user.email_confirmed_at = None  # never confirmed: the account signs in only by its link
    raw, digest = _new_token()
    guest_pass = GuestPass(round_id=round_.id, user_id=user.id, token_hash=digest, created_by_id=actor.id)
    db.session.add(guest_pass)
    db.session.flush()
    application_ids = [a.id for a in round_applications(round_) if decides(round_, a)]
    if application_ids:
        bulk_assign(round_, application_ids, [user.id], actor)
    record("guest.pass_issued", guest_pass, actor=actor, round_id=round_.id, judge_id=user.id, name=name)
    return Issued(guest_pass, raw)


def new_link(round_: Round, guest_pass: GuestPass, actor: User) -> Issued:
    """A fresh single-use link for a guest (a lost card, a phone that changed): the old link stops
    working, and the guest may sign in once more with the new one."""
    hold_round(round_)
    _check_open(round_)
    if guest_pass.revoked_at is not None:
        raise ServiceError(_l("This guest's pass is revoked; add the guest again if they should judge."))
    raw, digest = _new_token()
    guest_pass.token_hash = digest
    guest_pass.used_at = None
    _end_sessions(guest_pass.user_id)
    db.session.flush()
    record("guest.pass_issued", guest_pass, actor=actor, round_id=round_.id, judge_id=guest_pass.user_id)
    return Issued(guest_pass, raw)


def revoke(round_: Round, guest_pass: GuestPass, actor: User) -> GuestPass:
    """End a guest's pass: the link stops working, and the guest's session ends on their next
    request (judging.guests.session, which tells them why)."""
    hold_round(round_)
    if guest_pass.revoked_at is not None:
        raise ServiceError(_l("This guest's pass is already revoked."))
    guest_pass.revoked_at = utcnow()
    db.session.flush()
    record("guest.pass_revoked", guest_pass, actor=actor, round_id=round_.id, judge_id=guest_pass.user_id)
    return guest_pass


def _end_sessions(user_id: int) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def find_pass(raw: str) -> GuestPass | None:
    return db.session.scalar(select(GuestPass).where(GuestPass.token_hash == hash_token(raw or "")))


def refusal(guest_pass: GuestPass | None) -> str | None:
    """Why this pass's link cannot sign anyone in now (a REFUSALS key), or None."""
    if guest_pass is None:
        return "unknown"
    if guest_pass.revoked_at is not None:
        return "revoked"
    if guest_pass.round.phase != "open":
        return "closed"
    if guest_pass.used_at is not None:
        return "used"
    return None


def refuse(guest_pass: GuestPass | None, reason: str) -> PassRefused:
    """Record a refused use of a known pass (an unknown link names nothing to record) and return
    the error to raise."""
    if guest_pass is not None:
        record(
            "guest.pass_refused",
            guest_pass,
            round_id=guest_pass.round_id,
            judge_id=guest_pass.user_id,
            refusal=reason,
        )
    return PassRefused(reason)


def use_link(raw: str) -> GuestPass:
    """The first use of a guest's link: marks it used and returns the pass, whose guest the route
    then signs in. Refused (PassRefused) for an unknown, used or revoked link or a round
    no longer open; two uses at the same moment cannot both succeed (a guarded UPDATE)."""
    guest_pass = find_pass(raw)
    if guest_pass is not None:
        hold_round(guest_pass.round)  # the phase read below stays true until the commit
    reason = refusal(guest_pass)
    if reason is None:
        claimed = db.session.execute(
            update(GuestPass)
            .where(GuestPass.id == guest_pass.id, GuestPass.used_at.is_(None), GuestPass.revoked_at.is_(None))
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        reason = None if claimed == 1 else "used"
    if reason is not None:
        raise PassRefused(reason)  # the route records it with `refuse` once this transaction is rolled back
    db.session.refresh(guest_pass)
    record("guest.signed_in", guest_pass, actor=guest_pass.user, round_id=guest_pass.round_id)
    return guest_pass
