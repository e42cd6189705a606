"""A startup's profile (the intake issue adds the team and the full profile pages)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.models import FocusArea
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db

BUSINESS_STAGES = ("idea", "mvp", "early_revenue", "growth")
LEGAL_STATUSES = ("unincorporated", "cv", "pt", "cooperative")


class Startup(db.Model):
    __tablename__ = "startups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    city: Mapped[str] = mapped_column(String(80), default="")
    focus_area_id: Mapped[int | None] = mapped_column(ForeignKey("focus_areas.id", ondelete="SET NULL"), index=True)
    business_stage: Mapped[str] = mapped_column(String(20), default="idea")
    legal_status: Mapped[str] = mapped_column(String(20), default="unincorporated")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    focus_area: Mapped[FocusArea | None] = relationship(lazy="joined")
    owner: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint(f"business_stage IN {BUSINESS_STAGES!r}", name="business_stage"),
        CheckConstraint(f"legal_status IN {LEGAL_STATUSES!r}", name="legal_status"),
    )

    def is_founder(self, user) -> bool:
        """Whether `user` speaks for this startup (its owner; the intake issue adds team members)."""
        return bool(user.is_authenticated and self.owner_id == user.id)
