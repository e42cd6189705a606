"""The assignment board's stored figures (judging.assignments.tallies is their one writer)."""

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from incubator.extensions import db


class RoundTallies(db.Model):
    """The assignment board's figures for a round as judging.assignments.tallies.recount last wrote
    them: the applications the round ranks, those it decides, and of those the ones with all their
    judges (conflicts left out). Kept current in every phase."""

    __tablename__ = "round_tallies"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    members: Mapped[int]
    candidates: Mapped[int]
    filled: Mapped[int]

    __table_args__ = (CheckConstraint("filled >= 0 AND candidates >= filled AND members >= candidates", name="counts"),)
