"""Consents to the privacy notice, deletion requests, and the record of each erasure."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db

CONSENT_SOURCES = ("register", "apply", "sign_in")
REQUEST_STATUSES = ("pending", "approved", "refused", "cancelled")
ERASURE_CAUSES = ("request", "retention")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Consent(db.Model):
    """One acceptance of the privacy notice: which version, when, where, in which language.
    Never changed; a new version adds a row, so the history is the consent trail."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(10))
    locale: Mapped[str] = mapped_column(String(5))

    __table_args__ = (CheckConstraint(_in("source", CONSENT_SOURCES), name="source"),)


class DeletionRequest(db.Model):
    """An applicant's request that their personal data be erased, and the director's answer."""

    __tablename__ = "deletion_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept after erasure: the account row stays, anonymised, so the request still has its person.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")  # as typed; emptied by the erasure
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str] = mapped_column(String(1000), default="")
    # What the erasure removed, as counts only (never the removed data).
    erased: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        CheckConstraint(_in("status", REQUEST_STATUSES), name="status"),
        CheckConstraint("status = 'pending' OR decided_at IS NOT NULL", name="decided_at"),
        Index("ix_deletion_requests_status_requested_at", "status", "requested_at"),
    )

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"


class Erasure(db.Model):
    """One application (or a startup's profile, application_id empty) whose personal data was
    erased, on request or at the end of its retention period. The retention run reads it to
    skip what is already done; it holds ids and counts only."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cause: Mapped[str] = mapped_column(String(10))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("deletion_requests.id", ondelete="SET NULL"))
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("startups.id", ondelete="SET NULL"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (CheckConstraint(_in("cause", ERASURE_CAUSES), name="cause"),)
