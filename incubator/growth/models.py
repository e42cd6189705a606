"""A proposed action item: a criterion where an advanced startup scored furthest below the round's
mean, offered to its mentors when the round's feedback is released. A mentor accepts it (it becomes an
ordinary action item), edits its wording, or dismisses it with a reason; nothing happens unasked."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db
from incubator.judging.models import Criterion, Round
from incubator.mentoring.models import ActionItem

PROPOSAL_STATUSES = ("proposed", "accepted", "dismissed")


class ActionProposal(db.Model):
    """One weak criterion of one advanced startup in one round, proposed as an action item."""

    __tablename__ = "action_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    cohort_startup_id: Mapped[int] = mapped_column(ForeignKey("cohort_startups.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    # 1 for the weakest criterion, 2 for the next.
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(300))
    # The judges' released comments on the criterion, anonymised ("Judge A: ..."), one per line.
    quote: Mapped[str] = mapped_column(Text, default="")
    # Why it was proposed, as the round's stored figures gave it when the feedback was released:
    # the startup's and the round's mean on the criterion on the 0-100 scale.
    score: Mapped[float] = mapped_column(Float)
    round_mean: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    reason: Mapped[str] = mapped_column(String(500), default="")
    action_item_id: Mapped[int | None] = mapped_column(ForeignKey("action_items.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[Round] = relationship(lazy="joined")
    criterion: Mapped[Criterion] = relationship(lazy="joined")
    cohort_startup: Mapped[CohortStartup] = relationship(lazy="joined")
    action_item: Mapped[ActionItem | None] = relationship()
    decided_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("round_id", "application_id", "criterion_id"),
        Index("ix_action_proposals_round_id_status", "round_id", "status"),
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in PROPOSAL_STATUSES)})", name="status"),
        CheckConstraint("status = 'proposed' OR decided_at IS NOT NULL", name="decided_at"),
        CheckConstraint("status != 'dismissed' OR reason != ''", name="dismissed_reason"),
        CheckConstraint("position >= 1", name="position"),
    )

    def can_handle(self, user) -> bool:
        """Directors and the startup's assigned mentors see a proposal and accept, edit or dismiss it."""
        from incubator.mentoring.access import can_mentor

        return can_mentor(user, self.cohort_startup)
