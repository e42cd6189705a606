"""Mentors assigned to startups in a cohort, their session notes and the action items from them."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.core.database import UTCDateTime, utcnow
from incubator.core.themes import THEMES
from incubator.extensions import db

VISIBILITIES = ("internal", "shared")
ACTION_STATUSES = ("open", "in_progress", "done")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class MentorAssignment(db.Model):
    """A mentor working with a startup in a cohort (a startup may have several, a mentor many)."""

    __tablename__ = "mentor_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_startup_id: Mapped[int] = mapped_column(ForeignKey("cohort_startups.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort_startup: Mapped[CohortStartup] = relationship(lazy="joined")
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")

    __table_args__ = (UniqueConstraint("cohort_startup_id", "mentor_id"),)


class SessionNote(db.Model):
    """One mentoring session: when, how long, the theme, and notes in Markdown."""

    __tablename__ = "session_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_startup_id: Mapped[int] = mapped_column(ForeignKey("cohort_startups.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column()
    theme: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown, rendered sanitised
    visibility: Mapped[str] = mapped_column(String(10), default="internal")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    cohort_startup: Mapped[CohortStartup] = relationship(lazy="joined")
    mentor: Mapped[User | None] = relationship(lazy="joined")
    action_items: Mapped[list["ActionItem"]] = relationship(
        back_populates="note", order_by="ActionItem.id", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 1440", name="duration"),
        CheckConstraint(_in("theme", THEMES), name="theme"),
        CheckConstraint(_in("visibility", VISIBILITIES), name="visibility"),
    )


class ActionItem(db.Model):
    """Something to do after a session: an owner (a person's account, or the startup's team when empty),
    a due date and a status; the owner or the mentor ticks it done with a short comment."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_startup_id: Mapped[int] = mapped_column(ForeignKey("cohort_startups.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("session_notes.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    done_comment: Mapped[str] = mapped_column(String(500), default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort_startup: Mapped[CohortStartup] = relationship(lazy="joined")
    note: Mapped[SessionNote | None] = relationship(back_populates="action_items")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id], lazy="joined")
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    __table_args__ = (
        CheckConstraint(_in("status", ACTION_STATUSES), name="status"),
        CheckConstraint("status != 'done' OR done_at IS NOT NULL", name="done_at"),
    )

    # Open (not done: open or in progress) and overdue, one rule for a loaded item and for SQL.
    @hybrid_property
    def is_open(self) -> bool:
        return self.status != "done"

    @hybrid_method
    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today

    @is_overdue.expression
    def is_overdue(cls, today: date):  # noqa: N805 - a hybrid's expression takes the class
        return and_(cls.is_open, cls.due_on < today)
