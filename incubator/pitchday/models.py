"""A round's pitch day, its slots in order, and the director's reminders to its judges."""

from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db
from incubator.judging.models import Round

STATES = ("ready", "live", "paused", "finished")
LANGUAGES = ("id", "en")


class PitchDay(db.Model):
    """The live mode of one open round: where and when it runs, how long each slot is, and
    which pitch is on stage now (`current_position`, its slot's countdown from `slot_started_at`,
    frozen at `paused_at`)."""

    __tablename__ = "pitch_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), unique=True)
    room: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    pitch_minutes: Mapped[int] = mapped_column(default=5)
    questions_minutes: Mapped[int] = mapped_column(default=3)
    # The room's language: the projector's results screen and the printed pages are in it.
    language: Mapped[str] = mapped_column(String(5), default="id")
    results_top: Mapped[int] = mapped_column(default=10)
    state: Mapped[str] = mapped_column(String(10), default="ready")
    current_position: Mapped[int | None]
    slot_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship(lazy="joined")
    slots: Mapped[list["PitchSlot"]] = relationship(
        order_by="PitchSlot.position", cascade="all, delete-orphan", lazy="selectin", back_populates="pitch_day"
    )

    __table_args__ = (
        CheckConstraint("state IN ('ready', 'live', 'paused', 'finished')", name="state"),
        CheckConstraint("language IN ('id', 'en')", name="language"),
        CheckConstraint("pitch_minutes >= 1 AND pitch_minutes <= 120", name="pitch_minutes"),
        CheckConstraint("questions_minutes >= 0 AND questions_minutes <= 120", name="questions_minutes"),
        CheckConstraint("results_top >= 1", name="results_top"),
        CheckConstraint("current_position IS NULL OR current_position >= 0", name="current_position"),
    )

    @property
    def slot_minutes(self) -> int:
        return self.pitch_minutes + self.questions_minutes

    def slot_start(self, position: int) -> datetime:
        """When the slot at `position` is planned to start."""
        return self.starts_at + timedelta(minutes=self.slot_minutes * position)

    @property
    def current_slot(self) -> "PitchSlot | None":
        if self.current_position is None or self.state in ("ready", "finished"):
            return None
        return next((s for s in self.slots if s.position == self.current_position), None)

    @property
    def called(self) -> int:
        """How many pitches have been called on stage so far (their sheets are expected)."""
        if self.state == "finished":
            return len(self.slots)
        return 0 if self.current_position is None else self.current_position + 1

    def can_run(self, user) -> bool:
        """Directors, and only they, set up and run a pitch day and show its results."""
        return bool(user.is_authenticated and user.is_director)


class PitchSlot(db.Model):
    """One pitch of the day, at its place in the order (0 first)."""

    __tablename__ = "pitch_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    pitch_day_id: Mapped[int] = mapped_column(ForeignKey("pitch_days.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]

    pitch_day: Mapped[PitchDay] = relationship(back_populates="slots")

    __table_args__ = (
        UniqueConstraint("pitch_day_id", "application_id"),
        UniqueConstraint("pitch_day_id", "position"),
    )

    @property
    def starts_at(self) -> datetime:
        return self.pitch_day.slot_start(self.position)


class PitchReminder(db.Model):
    """The director's last reminder to a judge of a pitch day: shown on the judge's page while
    sheets are missing, and e-mailed once per press."""

    __tablename__ = "pitch_reminders"

    pitch_day_id: Mapped[int] = mapped_column(ForeignKey("pitch_days.id", ondelete="CASCADE"), primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    missing: Mapped[int] = mapped_column(default=0)
    times: Mapped[int] = mapped_column(default=1)


_OF_ROUND = select(PitchDay.id).where(PitchDay.round_id == bindparam("round_id"))  # built once: the queue asks it


def pitch_day_id(round_id: int) -> int | None:
    """The id of the round's pitch day, if it has one."""
    return db.session.scalar(_OF_ROUND, {"round_id": round_id})
