"""Milestones: a per-stage checklist of a cohort, ticked by founders with evidence and verified."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db

MILESTONE_STAGES = ("pre_incubation", "incubation")


class Milestone(db.Model):
    """A checklist item for startups at one stage of a cohort (e.g. "NIB registered")."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship()

    __table_args__ = (
        UniqueConstraint("cohort_id", "stage", "title"),
        CheckConstraint("stage IN ('pre_incubation', 'incubation')", name="stage"),
    )


class MilestoneProgress(db.Model):
    """A startup's tick of a milestone: its evidence (a link or a short note), then a verification."""

    __tablename__ = "milestone_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"), index=True)
    cohort_startup_id: Mapped[int] = mapped_column(ForeignKey("cohort_startups.id", ondelete="CASCADE"), index=True)
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    evidence_note: Mapped[str] = mapped_column(String(1000), default="")
    ticked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ticked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    milestone: Mapped[Milestone] = relationship(lazy="joined")
    cohort_startup: Mapped[CohortStartup] = relationship()
    ticked_by: Mapped[User | None] = relationship(foreign_keys=[ticked_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    __table_args__ = (
        UniqueConstraint("milestone_id", "cohort_startup_id"),
        CheckConstraint("evidence_url != '' OR evidence_note != ''", name="evidence"),
    )
