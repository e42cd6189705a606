"""Hetero Space sites, focus areas, cohorts, and the stage of each startup in a cohort."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.pipeline import STAGES
from incubator.core.database import UTCDateTime, utcnow
from incubator.core.i18n import current_language
from incubator.core.messages import render
from incubator.extensions import db


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


space_focus_areas = Table(
    "space_focus_areas",
    db.metadata,
    Column("space_id", ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("focus_area_id", ForeignKey("focus_areas.id", ondelete="CASCADE"), primary_key=True),
)

cohort_focus_areas = Table(
    "cohort_focus_areas",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("focus_area_id", ForeignKey("focus_areas.id", ondelete="CASCADE"), primary_key=True),
)


class FocusArea(db.Model):
    """A field a space or cohort focuses on (digital startups, crafts, games, ...), named in both languages."""

    __tablename__ = "focus_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_id

    @classmethod
    def name_column(cls):
        """The column `name` reads in the current language, for queries that select it directly."""
        return cls.name_en if _english() else cls.name_id


def _english() -> bool:
    try:
        return current_language() == "en"
    except RuntimeError:  # no app at all: the default language
        return False


class Space(db.Model):
    """A Hetero Space site."""

    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    city: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    focus_areas: Mapped[list[FocusArea]] = relationship(
        secondary=space_focus_areas, order_by=FocusArea.id, lazy="selectin"
    )


class Cohort(db.Model):
    """One intake of the programme, e.g. "Hetero for Startup Solo 2021"."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    required_attendance: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    space: Mapped[Space] = relationship(lazy="joined")
    focus_areas: Mapped[list[FocusArea]] = relationship(
        secondary=cohort_focus_areas, order_by=FocusArea.id, lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("required_attendance >= 0", name="required_attendance"),
    )

    def accepts_applications(self, now: datetime | None = None) -> bool:
        """Published and inside the application window (server time)."""
        now = now or utcnow()
        return self.published and self.opens_at <= now < self.closes_at

    def call_is_public(self, now: datetime | None = None) -> bool:
        """The public call page shows while published and not yet closed."""
        return self.published and (now or utcnow()) < self.closes_at

    def can_manage(self, user) -> bool:
        return bool(user.is_authenticated and user.is_director)


class CohortStartup(db.Model):
    """A startup in a cohort, with its current stage. Only `cohorts.services.change_stages` writes the stage."""

    __tablename__ = "cohort_startups"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    startup: Mapped["Startup"] = relationship(lazy="joined")  # noqa: F821 - incubator.startups.models
    history: Mapped[list["StageChange"]] = relationship(
        back_populates="cohort_startup", order_by="StageChange.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("cohort_id", "startup_id"),
        CheckConstraint(_in("stage", STAGES), name="stage"),
        # The dashboard's funnel counts a cohort's startups by stage from this index alone.
        Index("ix_cohort_startups_cohort_id_stage", "cohort_id", "stage"),
    )


class StageChange(db.Model):
    """One move of a startup in a cohort: who, when, from, to, why."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_startup_id: Mapped[int] = mapped_column(ForeignKey("cohort_startups.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000), default="")  # as the person typed it
    # When the system gave the reason (a decision): a message key and its values, shown in the
    # reader's language (incubator.core.messages).
    reason_message: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort_startup: Mapped[CohortStartup] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(_in("to_stage", STAGES), name="to_stage"),
        CheckConstraint(f"from_stage IS NULL OR {_in('from_stage', STAGES)}", name="from_stage"),
    )

    @property
    def reason_text(self) -> str:
        """Why, in the reader's language when the system said it, else as typed."""
        return render(self.reason_message) if self.reason_message else self.reason
