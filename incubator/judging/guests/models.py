"""A guest judge's pass: one round, one guest account, one single-use sign-in link (its hash)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db
from incubator.judging.models import Round

STATES = ("unused", "signed_in", "revoked")


class GuestPass(db.Model):
    """The guest's way into one round. The link's token is shown once, to the director who issues
    it; only its SHA-256 is kept. `used_at` is set by the first sign-in (a second one is refused),
    `revoked_at` by the director; either a revocation or the round leaving `open` ends the pass."""

    __tablename__ = "guest_passes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    # A guest account belongs to one round only: it is the round's, not a person's for ever.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    round: Mapped[Round] = relationship()

    @property
    def state(self) -> str:
        """unused, signed_in or revoked (see STATES)."""
        if self.revoked_at is not None:
            return "revoked"
        return "signed_in" if self.used_at is not None else "unused"
