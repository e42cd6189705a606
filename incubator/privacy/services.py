"""The writes of the privacy area: consents and deletion requests. They record the audit event,
flush, and never commit (the route does)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.audit.services import record
from incubator.auth.models import Role, User
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.privacy import notice
from incubator.privacy.models import Consent, DeletionRequest

REASON_MAX = 1000


def latest_consent(user: User) -> Consent | None:
    """The user's most recent acceptance of the notice, or None."""
    return db.session.scalar(
        select(Consent).where(Consent.user_id == user.id).order_by(Consent.accepted_at.desc(), Consent.id.desc())
    )


def has_current_consent(user: User) -> bool:
    consent = latest_consent(user)
    return consent is not None and consent.version == notice.VERSION


def consent_history(user: User) -> list[Consent]:
    return list(db.session.scalars(select(Consent).where(Consent.user_id == user.id).order_by(Consent.id)))


def record_consent(user: User, source: str, locale: str) -> Consent:
    """Store that `user` accepted the current version of the notice now (from `source`)."""
    consent = Consent(user_id=user.id, version=notice.VERSION, source=source, locale=locale, accepted_at=utcnow())
    db.session.add(consent)
    db.session.flush()
    record("privacy.consent_given", consent, actor=user, version=notice.VERSION)
    return consent


# --- deletion requests -----------------------------------------------------------------------


def pending_request(user: User) -> DeletionRequest | None:
    return db.session.scalar(
        select(DeletionRequest).where(DeletionRequest.user_id == user.id, DeletionRequest.status == "pending")
    )


def user_requests(user: User) -> list[DeletionRequest]:
    return list(
        db.session.scalars(
            select(DeletionRequest).where(DeletionRequest.user_id == user.id).order_by(DeletionRequest.id.desc())
        )
    )


def can_request_deletion(user: User) -> bool:
    """Applicants only: staff accounts (judges, mentors, directors) are closed by the programme team,
    since their sheets and notes are part of other people's records."""
    return user.has_role(Role.APPLICANT) and not user.has_role(Role.JUDGE, Role.MENTOR, Role.DIRECTOR)


def request_deletion(user: User, reason: str) -> DeletionRequest:
    """An applicant asks that their personal data be erased; a director answers."""
    if not can_request_deletion(user):
        raise ServiceError(_l("Accounts with a judge, mentor or director role are closed by the programme team."))
    if pending_request(user) is not None:
        raise ServiceError(_l("You have already asked for deletion; a director will answer soon."))
    request = DeletionRequest(user_id=user.id, reason=reason.strip()[:REASON_MAX], requested_at=utcnow())
    db.session.add(request)
    db.session.flush()
    record("privacy.deletion_requested", request, actor=user)
    return request


def cancel_request(request: DeletionRequest, user: User) -> None:
    """The applicant withdraws their own pending request."""
    if not request.is_pending:
        raise ServiceError(_l("This request has already been answered."))
    request.status = "cancelled"
    request.decided_at = utcnow()
    db.session.flush()
    record("privacy.deletion_cancelled", request, actor=user)


def refuse_request(request: DeletionRequest, reason: str, actor: User) -> None:
    """A director refuses, with a reason the applicant reads on their data page."""
    if not request.is_pending:
        raise ServiceError(_l("This request has already been answered."))
    if not reason.strip():
        raise ServiceError(_l("Give the reason for refusing; the applicant will read it."))
    request.status = "refused"
    request.decided_at = utcnow()
    request.decided_by_id = actor.id
    request.decision_reason = reason.strip()[:REASON_MAX]
    db.session.flush()
    record("privacy.deletion_refused", request, actor=actor)


def approve_request(request: DeletionRequest, reason: str, actor: User) -> dict[str, int]:
    """A director approves: the person's data is erased now (privacy.erasure). Returns the counts."""
    from incubator.privacy.erasure import erase_person

    if not request.is_pending:
        raise ServiceError(_l("This request has already been answered."))
    if request.user is None or not can_request_deletion(request.user):
        raise ServiceError(_l("Accounts with a judge, mentor or director role are closed by the programme team."))
    request.status = "approved"
    request.decided_at = utcnow()
    request.decided_by_id = actor.id
    request.decision_reason = reason.strip()[:REASON_MAX]  # before the sweep, which masks a name in it
    db.session.flush()
    counts = erase_person(request.user, request)
    request.erased = counts
    db.session.flush()
    record(
        "privacy.erased",
        request,
        actor=actor,
        applications=counts.get("applications", 0),
        startups=counts.get("startups", 0),
        decks=counts.get("decks", 0),
    )
    return counts
