"""Conflicts found in the data, stored (the read model of judging.conflicts.rules.find)."""

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from incubator.extensions import db
from incubator.judging.conflicts.rules import KINDS


class DetectedConflict(db.Model):
    """A judge's conflict with a startup found in the data, as judging.conflicts.found.update last
    wrote it: kept current by the writers of what it is found in (the team, the startup's owner,
    mentoring, a judge's account), in the same transaction, and read by every page with a join."""

    __tablename__ = "detected_conflicts"

    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    domain: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (
        Index("ix_detected_conflicts_startup_id", "startup_id"),
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in KINDS)})", name="kind"),
    )
