"""Applications that came into a cohort after one of its rounds had closed: that round leaves them out.

A round ranks the submitted applications whose startup is at the stage it decides. An application
imported once the round is closed (or decided) was never judged there: counted in, it would sit in
the round's ranking as incomplete and could be swept into a bulk decision. It waits for the next
open round of its stage instead. `Application.joins_round(round_id)` is the condition the rounds'
queries use.
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ForeignKey, Index, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db
from incubator.judging.models import Round

CLOSED_PHASES = ("closed", "decided")


class LateEntry(db.Model):
    """One application a round leaves out: it entered the cohort when the round had closed."""

    __tablename__ = "round_late_entries"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_round_late_entries_application_id", "application_id"),)


def late_for(round_id):
    """The ids of the applications the round leaves out, as a subquery."""
    return select(LateEntry.application_id).where(LateEntry.round_id == round_id)


def keep_out_of_closed_rounds(cohort_id: int, stage: str, application_ids: Iterable[int]) -> int:
    """Record that the cohort's closed and decided rounds deciding `stage` leave these applications
    out; flush. Returns how many (round, application) pairs were recorded."""
    application_ids = sorted(set(application_ids))
    round_ids = db.session.scalars(
        select(Round.id).where(
            Round.cohort_id == cohort_id, Round.decides_stage == stage, Round.phase.in_(CLOSED_PHASES)
        )
    ).all()
    rows = [{"round_id": r, "application_id": a, "created_at": utcnow()} for r in round_ids for a in application_ids]
    if rows:
        db.session.execute(insert(LateEntry), rows)
    return len(rows)
