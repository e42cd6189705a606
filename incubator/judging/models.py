"""Judging rounds, their rubric and its criteria with level descriptors."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.cohorts.models import Cohort
from incubator.cohorts.pipeline import DECIDABLE, next_stage
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db
from incubator.judging.rounds.rubric import Scale

PHASES = ("draft", "open", "closed", "decided")
RANKING_BASES = ("raw", "normalized")
# The forward moves of a round; each one goes through judging.rounds.services.set_phase.
PHASE_MOVES = {"draft": ("open",), "open": ("closed",), "closed": ("open", "decided"), "decided": ()}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Round(db.Model):
    """A judging gate of a cohort that decides one stage step."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    decides_stage: Mapped[str] = mapped_column(String(20))
    phase: Mapped[str] = mapped_column(String(10), default="draft")
    scoring_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    scoring_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    judges_per_application: Mapped[int] = mapped_column(default=3)
    ranking_basis: Mapped[str] = mapped_column(String(12), default="raw")
    judges_see_scores_after_close: Mapped[bool] = mapped_column(Boolean, default=False)
    disagreement_threshold: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("15.00"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Feedback to founders: released when set; overall comments only if chosen.
    feedback_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    feedback_overall_comments: Mapped[bool] = mapped_column(Boolean, default=False)

    cohort: Mapped[Cohort] = relationship(lazy="joined")
    rubric: Mapped["Rubric | None"] = relationship(back_populates="round", uselist=False, lazy="selectin")

    __table_args__ = (
        CheckConstraint(_in("phase", PHASES), name="phase"),
        CheckConstraint(_in("ranking_basis", RANKING_BASES), name="ranking_basis"),
        CheckConstraint(_in("decides_stage", DECIDABLE), name="decides_stage"),
        CheckConstraint("judges_per_application >= 1", name="judges_per_application"),
        CheckConstraint("disagreement_threshold >= 0", name="disagreement_threshold"),
        CheckConstraint(
            "scoring_opens_at IS NULL OR scoring_closes_at IS NULL OR scoring_closes_at > scoring_opens_at",
            name="scoring_window",
        ),
    )

    @property
    def leads_to(self) -> str:
        return next_stage(self.decides_stage)

    @property
    def rubric_frozen(self) -> bool:
        """Scores can exist only once a round has opened, so its rubric is frozen from then on."""
        return self.phase != "draft"


class Rubric(db.Model):
    """Weighted criteria. A template has no round; a round's rubric is a copy it owns."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[Round | None] = relationship(back_populates="rubric")
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="rubric",
        order_by="(Criterion.position, Criterion.id)",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def is_template(self) -> bool:
        return self.round_id is None

    @property
    def frozen(self) -> bool:
        return self.round is not None and self.round.rubric_frozen


class Criterion(db.Model):
    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    scale_min: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))
    scale_max: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(5))
    scale_step: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))
    # "The same rubric" across gates: the id of the first criterion of this one's line (in an earlier
    # round), so scores on it compare across gates; a change to it here breaks the link (link_broken_at).
    # A plain number, not a foreign key: the line is an identity that outlives the round that began it.
    same_as_id: Mapped[int | None] = mapped_column(index=True)
    link_broken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")
    levels: Mapped[list["CriterionLevel"]] = relationship(
        order_by="CriterionLevel.value", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("weight > 0", name="weight"),
        CheckConstraint("scale_min < scale_max", name="scale_order"),
        CheckConstraint("scale_step > 0", name="scale_step"),
        # Portable on SQLite and PostgreSQL: compare in hundredths, as integers.
        CheckConstraint(
            "CAST(ROUND((scale_max - scale_min) * 100) AS INTEGER) % CAST(ROUND(scale_step * 100) AS INTEGER) = 0",
            name="scale_divides",
        ),
    )

    @property
    def scale(self) -> Scale:
        return Scale(Decimal(self.scale_min), Decimal(self.scale_max), Decimal(self.scale_step))

    @property
    def line_id(self) -> int:
        """Which criterion this one is the same as across gates (itself when not linked)."""
        return self.same_as_id if self.same_as_id is not None and self.link_broken_at is None else self.id

    def descriptor(self, value: Decimal) -> str:
        for level in self.levels:
            if Decimal(level.value) == Decimal(value):
                return level.descriptor
        return ""


class CriterionLevel(db.Model):
    """What a given score on a criterion means (e.g. 1 = "no evidence", 5 = "proven with customers")."""

    __tablename__ = "criterion_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    descriptor: Mapped[str] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("criterion_id", "value"),)


# --- assignments, conflicts, score sheets, decisions, feedback -------------------------

SHEET_STATUSES = ("draft", "final")
RECOMMENDATIONS = ("advance", "maybe", "decline")
OUTCOMES = ("advance", "not_selected")
CONFLICT_SOURCES = ("judge", "director")


judge_focus_areas = Table(
    "judge_focus_areas",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("focus_area_id", ForeignKey("focus_areas.id", ondelete="CASCADE"), primary_key=True),
)
"""The fields a judge knows well, used to match judges to applications when assigning."""


class Assignment(db.Model):
    """A judge is asked to score an application in a round."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("round_id", "application_id", "judge_id"),
        # A judge's queue: their assignments in a round, counted and paged from the index.
        Index("ix_assignments_round_id_judge_id", "round_id", "judge_id", "application_id"),
    )


class ConflictDeclaration(db.Model):
    """A conflict of interest declared by the judge or marked by a director, with its reason.

    Conflicts found in the data (the judge mentors the startup, is on its team, or shares
    a non-public e-mail domain with a team member) are stored apart, by judging.conflicts.found."""

    __tablename__ = "conflict_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("round_id", "application_id", "judge_id"),
        CheckConstraint(_in("source", CONFLICT_SOURCES), name="source"),
    )


class ScoreSheet(db.Model):
    """One judge's scores for one application in one round; `version` guards against stale saves."""

    __tablename__ = "score_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str | None] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # T on the 0-100 scale (judging.scoring.sheet_total), written on submit and cleared on reopen:
    # the round's stored results are computed from these without reading a score.
    total: Mapped[float | None] = mapped_column(Float)

    scores: Mapped[list["Score"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (
        UniqueConstraint("round_id", "application_id", "judge_id"),
        # A judge's submitted sheets in a round, counted from the index (queue, assignment overview).
        Index("ix_score_sheets_round_id_judge_id", "round_id", "judge_id", "status"),
        CheckConstraint(_in("status", SHEET_STATUSES), name="status"),
        CheckConstraint(f"recommendation IS NULL OR {_in('recommendation', RECOMMENDATIONS)}", name="recommendation"),
        CheckConstraint("version >= 1", name="version"),
    )

    __mapper_args__ = {"version_id_col": version}


class Score(db.Model):
    """One criterion's score and comment on a sheet; at most one per (sheet, criterion)."""

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    comment: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id"),)


class Decision(db.Model):
    """The director's call on an application after a round."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(15))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("round_id", "application_id"),
        CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),
    )


class JudgeReminder(db.Model):
    """When a judge was last reminded of a round: one reminder per round per interval
    (`JUDGE_REMINDER_INTERVAL_HOURS`), however many presses and scheduled runs ask for one."""

    __tablename__ = "judge_reminders"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FeedbackItem(db.Model):
    """What founders may see of a round: a criterion's scores and/or comments."""

    __tablename__ = "feedback_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    show_scores: Mapped[bool] = mapped_column(Boolean, default=True)
    show_comments: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("round_id", "criterion_id"),)


class StoredResult(db.Model):
    """An application's figures in a round as judging.ranking.results.refresh last wrote them (the
    read model of judging.scoring.ApplicationResult). Frozen once the round is decided."""

    __tablename__ = "round_results"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    raw: Mapped[float | None] = mapped_column(Float)
    normalized: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None]
    judges_counted: Mapped[int]
    spread: Mapped[float | None] = mapped_column(Float)
    disagreement: Mapped[bool] = mapped_column(Boolean)
    incomplete: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        # A ranking page reads its rows in rank order, a page at a time.
        Index("ix_round_results_round_id_rank", "round_id", "rank", "application_id"),
        # The ranking's counts (ranked, disagreement, incomplete) from the index alone.
        Index("ix_round_results_round_id_flags", "round_id", "disagreement", "incomplete", "rank"),
        Index("ix_round_results_application_id", "application_id"),
        CheckConstraint("judges_counted >= 0", name="judges_counted"),
        CheckConstraint("rank IS NULL OR rank >= 1", name="rank"),
    )


class StoredJudgeStats(db.Model):
    """A judge's statistics in a round for calibration as judging.ranking.results.refresh last wrote them
    (the read model of judging.scoring.JudgeStats): only judges with a counted sheet have a row."""

    __tablename__ = "round_judge_stats"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    sheets: Mapped[int]
    mean: Mapped[float] = mapped_column(Float)
    spread: Mapped[float] = mapped_column(Float)
    difference: Mapped[float] = mapped_column(Float)
    step: Mapped[str] = mapped_column(String(10))

    __table_args__ = (CheckConstraint("sheets >= 1", name="sheets"),)


class StoredRoundFigures(db.Model):
    """A round's own figures as judging.ranking.results.refresh last wrote them: the mean μ and population
    standard deviation σ of all its counted sheets' totals, which normalisation reads (the read model
    of judging.scoring.RoundResult.mean and .sd), and the ranking's counts. Frozen once the round is
    decided."""

    __tablename__ = "round_figures"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    mean: Mapped[float | None] = mapped_column(Float)
    sd: Mapped[float | None] = mapped_column(Float)
    # The ranking's counts of the same rows: applications, ranked, with a disagreement, incomplete
    # (None in a row written before they were stored).
    applications: Mapped[int | None]
    ranked: Mapped[int | None]
    disagreement: Mapped[int | None]
    incomplete: Mapped[int | None]


class StoredExclusion(db.Model):
    """A final sheet of the round that did not count (a conflict of interest) when
    judging.ranking.results.refresh last wrote the round's figures. Frozen with them once the round is
    decided: a conflict found later is then told apart ("found after the decision")."""

    __tablename__ = "round_exclusions"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_round_exclusions_sheet_id", "sheet_id"),)
