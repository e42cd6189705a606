"""A startup's entry into a cohort: the pitch, its deck, and its draft or submitted state."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db
from incubator.startups.models import Startup

STATUSES = ("draft", "submitted")
# Length limits of the pitch's text fields, shared by the form, the import and the database.
TEXT_LIMITS = {
    "problem": 2000,
    "solution": 2000,
    "target_market": 1500,
    "business_model": 1500,
    "traction": 1500,
    "why_programme": 1500,
}


class Application(db.Model):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    problem: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    target_market: Mapped[str] = mapped_column(Text, default="")
    business_model: Mapped[str] = mapped_column(Text, default="")
    traction: Mapped[str] = mapped_column(Text, default="")
    why_programme: Mapped[str] = mapped_column(Text, default="")
    funding_need: Mapped[int | None] = mapped_column(BigInteger)  # whole Rupiah
    video_url: Mapped[str] = mapped_column(String(500), default="")
    # A link to a deck kept elsewhere (e.g. Google Drive, from an imported form); shown, never fetched.
    deck_link: Mapped[str] = mapped_column(String(500), default="")
    deck_path: Mapped[str | None] = mapped_column(String(100))  # server-generated name under UPLOAD_FOLDER
    deck_filename: Mapped[str | None] = mapped_column(String(200))  # the uploader's name, sanitised
    deck_size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Raised by every write: a save names the version its page showed, so two tabs or devices
    # cannot overwrite each other's text (as a judge's score sheet).
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    startup: Mapped[Startup] = relationship(lazy="joined")
    cohort: Mapped[Cohort] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()
    # The startup's place in the cohort (its stage), once the application is submitted.
    membership: Mapped[CohortStartup | None] = relationship(
        primaryjoin="and_(foreign(Application.startup_id) == CohortStartup.startup_id, "
        "foreign(Application.cohort_id) == CohortStartup.cohort_id)",
        viewonly=True,
        lazy="joined",
        uselist=False,
    )

    __table_args__ = (
        UniqueConstraint("startup_id", "cohort_id"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
        CheckConstraint("funding_need IS NULL OR funding_need >= 0", name="funding_need"),
        CheckConstraint("status = 'draft' OR submitted_at IS NOT NULL", name="submitted_at"),
        CheckConstraint("version >= 1", name="version"),
        # The director's list, newest submission first (drafts last): a page is read in this order,
        # not sorted. SQLite puts NULLs last in a descending scan by itself (and cannot say "NULLS
        # LAST" in an index); PostgreSQL reads that order only from an index that says it.
        Index("ix_applications_cohort_id_submitted_at", "cohort_id", "submitted_at", "id"),
        Index(
            "ix_applications_cohort_id_submitted_at_desc",
            "cohort_id",
            text("submitted_at DESC NULLS LAST"),
            text("id DESC"),
        ).ddl_if(dialect="postgresql"),
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @classmethod
    def joins_round(cls, round_id):
        """SQL: the application is not one the round leaves out for entering after it had closed
        (applications.late_entries)."""
        from incubator.applications.late_entries import late_for  # it builds on judging's rounds

        return cls.id.not_in(late_for(round_id))

    def can_view(self, user) -> bool:
        """The startup's founder and directors; a mentor assigned to the startup in this cohort; a judge
        when it is assigned to them in a round that is open or closed (not while the round is a draft,
        nor once it is decided)."""
        if not user.is_authenticated:
            return False
        if self.startup.is_founder(user) or user.is_director:
            return True
        if self.id is not None and self.startup.is_mentored_by(user, self.cohort_id):
            return True
        from incubator.judging.permissions import can_see_application  # judging builds on applications

        return can_see_application(user, self)

    def can_edit(self, user) -> bool:
        return self.is_draft and self.startup.can_edit(user)

    def can_withdraw(self, user) -> bool:
        return self.status == "submitted" and self.startup.can_edit(user)
