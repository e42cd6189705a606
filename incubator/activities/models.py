"""Activities of a cohort (trainings, classes, coaching clinics, competition events) and who attended."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.models import Cohort, CohortStartup, Space
from incubator.core.database import UTCDateTime, utcnow
from incubator.core.themes import THEMES
from incubator.extensions import db

KINDS = ("training", "class", "coaching_clinic", "competition")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Activity(db.Model):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="SET NULL"), index=True)
    capacity: Mapped[int | None] = mapped_column()  # startups; empty means no limit
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship(lazy="joined")
    space: Mapped[Space | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("theme", THEMES), name="theme"),
        CheckConstraint("ends_at > starts_at", name="times"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
    )


class Attendance(db.Model):
    """A startup of the activity's cohort checked in at it (once)."""

    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    cohort_startup_id: Mapped[int] = mapped_column(ForeignKey("cohort_startups.id", ondelete="CASCADE"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    activity: Mapped[Activity] = relationship()
    cohort_startup: Mapped[CohortStartup] = relationship(lazy="joined")
    checked_in_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("activity_id", "cohort_startup_id"),)
