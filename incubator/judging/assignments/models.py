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


class JudgeTallies(db.Model):
    """A judge's places in a round as judging.assignments.tallies last wrote them, for the board's
    loads table: assigned, and of them those with a conflict of interest, and the draft and
    submitted sheets of the others. One row per judge with a place or a sheet in the round; written
    with the round's row (RoundTallies), and for one judge when a sheet of theirs starts, is
    submitted or reopened."""

    __tablename__ = "judge_tallies"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    assigned: Mapped[int]
    conflicts: Mapped[int]
    drafts: Mapped[int]
    submitted: Mapped[int]
