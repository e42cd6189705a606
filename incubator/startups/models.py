"""A startup's profile and its team."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.models import FocusArea
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db

BUSINESS_STAGES = ("idea", "mvp", "early_revenue", "growth")
LEGAL_STATUSES = ("unincorporated", "cv", "pt", "cooperative")


class Startup(db.Model):
    __tablename__ = "startups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)  # lists of startups by name read it in order
    city: Mapped[str] = mapped_column(String(80), default="")
    focus_area_id: Mapped[int | None] = mapped_column(ForeignKey("focus_areas.id", ondelete="SET NULL"), index=True)
    business_stage: Mapped[str] = mapped_column(String(20), default="idea")
    legal_status: Mapped[str] = mapped_column(String(20), default="unincorporated")
    nib: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    social_link: Mapped[str] = mapped_column(String(300), default="")
    # From a spreadsheet import that only says "is there a woman in the team?".
    declared_women_in_team: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    focus_area: Mapped[FocusArea | None] = relationship(lazy="joined")
    owner: Mapped[User | None] = relationship()
    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="startup",
        order_by="(TeamMember.position, TeamMember.id)",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    __table_args__ = (
        CheckConstraint(f"business_stage IN {BUSINESS_STAGES!r}", name="business_stage"),
        CheckConstraint(f"legal_status IN {LEGAL_STATUSES!r}", name="legal_status"),
        # The pages that list startups by name, case left aside, walk it (see `by_name_walk_pays`).
        Index("ix_startups_lower_name", func.lower(name), "id"),
    )

    def is_founder(self, user) -> bool:
        """Whether `user` speaks for this startup: its owner account."""
        return bool(user.is_authenticated and self.owner_id == user.id)

    def can_view(self, user) -> bool:
        """Its founder, directors, and mentors assigned to it in a cohort (judges see the pitch only)."""
        if not user.is_authenticated:
            return False
        return self.is_founder(user) or user.is_director or self.is_mentored_by(user)

    def is_mentored_by(self, user, cohort_id: int | None = None) -> bool:
        """Whether `user` is a mentor assigned to this startup (in `cohort_id`, or in any cohort)."""
        if not (user.is_authenticated and user.has_role("mentor")) or self.id is None:
            return False
        from incubator.cohorts.models import CohortStartup
        from incubator.mentoring.models import MentorAssignment  # mentoring builds on startups

        query = (
            db.select(MentorAssignment.id)
            .join(CohortStartup, CohortStartup.id == MentorAssignment.cohort_startup_id)
            .where(CohortStartup.startup_id == self.id, MentorAssignment.mentor_id == user.id)
        )
        if cohort_id is not None:
            query = query.where(CohortStartup.cohort_id == cohort_id)
        return db.session.scalar(query.limit(1)) is not None

    def can_edit(self, user) -> bool:
        return self.is_founder(user)

    @property
    def women_led(self) -> bool:
        return self.declared_women_in_team or any(m.is_woman for m in self.members)

    @property
    def youth_led(self) -> bool:
        return any(m.under_30 and m.is_founder for m in self.members)


class TeamMember(db.Model):
    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(80), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    is_founder: Mapped[bool] = mapped_column(Boolean, default=False)
    under_30: Mapped[bool] = mapped_column(Boolean, default=False)
    is_woman: Mapped[bool] = mapped_column(Boolean, default=False)

    startup: Mapped[Startup] = relationship(back_populates="members")

    # Conflicts found in the data look a judge's address up among team members, in any case.
    __table_args__ = (Index("ix_team_members_lower_email", func.lower(email)),)


def by_name_walk_pays(members: int) -> bool:
    """Whether a page of `members` startups (a round's, a cohort's) in name order is best read by
    walking the startups' name index and keeping the members, stopping after the page, rather
    than by sorting all the members first. The walk visits at most every startup, so it pays when
    the members are at least a quarter of the startups ever made (the largest id counts them with
    no scan); a small round in a long history of cohorts is sorted."""
    made = db.session.scalar(_LARGEST_ID) or 0
    return members * 4 >= made


_LARGEST_ID = select(func.max(Startup.id))  # built once: list pages ask it on every view
