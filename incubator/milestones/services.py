"""The writes of the milestones area: the cohort's per-stage checklist, founders' ticks with
evidence, and the verification by an assigned mentor or a director."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from incubator.audit.services import record
from incubator.auth.models import User
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.cohorts.pipeline import FORWARD
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.milestones import labels  # noqa: F401 - registers the audit labels
from incubator.milestones.evidence import link_problem
from incubator.milestones.models import MILESTONE_STAGES, Milestone, MilestoneProgress


def may_tick_stage(cohort_startup: CohortStartup, stage: str) -> bool:
    """A milestone of the startup's current stage or an earlier one (a graduated startup keeps both)."""
    if cohort_startup.stage not in FORWARD or stage not in FORWARD:
        return False
    return FORWARD.index(stage) <= FORWARD.index(cohort_startup.stage)


def save_milestone(
    cohort: Cohort,
    milestone: Milestone | None,
    *,
    stage: str,
    title: str,
    description: str,
    position: int | None,
    actor: User | None,
) -> Milestone:
    """Add a checklist item to the cohort (placed last unless `position` is given) or change one."""
    title = (title or "").strip()
    if stage not in MILESTONE_STAGES:
        raise ServiceError(_l("Milestones belong to pre-incubation or incubation."))
    if not title:
        raise ServiceError(_l("Give the milestone a title."))
    clash = db.session.scalar(
        select(Milestone.id).where(
            Milestone.cohort_id == cohort.id,
            Milestone.stage == stage,
            func.lower(Milestone.title) == title.lower(),
            Milestone.id != (milestone.id if milestone else -1),
        )
    )
    if clash:
        raise ServiceError(_l("This stage already has a milestone with that title."))
    if position is None:
        if milestone is not None:
            position = milestone.position
        else:
            last = db.session.scalar(
                select(func.max(Milestone.position)).where(Milestone.cohort_id == cohort.id, Milestone.stage == stage)
            )
            position = (last or 0) + 1
    action = "milestone.changed" if milestone else "milestone.added"
    if milestone is None:
        milestone = Milestone(cohort_id=cohort.id)
        db.session.add(milestone)
    milestone.stage, milestone.title = stage, title
    milestone.description = (description or "").strip()
    milestone.position = position
    db.session.flush()
    record(action, milestone, actor=actor, cohort_id=cohort.id, stage=stage, title=title)
    db.session.flush()
    return milestone


def remove_milestone(milestone: Milestone, actor: User | None) -> None:
    """Remove a checklist item, and the ticks startups made on it."""
    ticks = db.session.scalar(
        select(func.count(MilestoneProgress.id)).where(MilestoneProgress.milestone_id == milestone.id)
    )
    record(
        "milestone.removed",
        milestone,
        actor=actor,
        cohort_id=milestone.cohort_id,
        title=milestone.title,
        ticks_deleted=ticks or 0,
    )
    db.session.delete(milestone)
    db.session.flush()


def progress_of(cohort_startup: CohortStartup, milestone: Milestone) -> MilestoneProgress | None:
    return db.session.scalar(
        select(MilestoneProgress).where(
            MilestoneProgress.milestone_id == milestone.id, MilestoneProgress.cohort_startup_id == cohort_startup.id
        )
    )


def tick(
    cohort_startup: CohortStartup, milestone: Milestone, evidence_url: str, evidence_note: str, actor: User | None
) -> MilestoneProgress:
    """A founder marks a milestone done with evidence (an http(s) link and/or a short note).
    Ticking again changes the evidence, until the milestone is verified."""
    url, note = (evidence_url or "").strip(), (evidence_note or "").strip()
    if milestone.cohort_id != cohort_startup.cohort_id:
        raise ServiceError(_l("This milestone belongs to another cohort."))
    if not may_tick_stage(cohort_startup, milestone.stage):
        raise ServiceError(_l("This milestone belongs to a later stage than your startup's."))
    if link_problem(url):
        raise ServiceError(_l("Only http:// and https:// links are accepted."))
    if not url and not note:
        raise ServiceError(_l("Give a link or a short note as evidence."))
    progress = progress_of(cohort_startup, milestone)
    if progress is not None and progress.verified_at is not None:
        raise ServiceError(_l("This milestone is verified; its evidence can no longer change."))
    if progress is None:
        progress = MilestoneProgress(milestone_id=milestone.id, cohort_startup_id=cohort_startup.id)
        db.session.add(progress)
    progress.evidence_url, progress.evidence_note = url, note
    progress.ticked_at = utcnow()
    progress.ticked_by_id = getattr(actor, "id", None)
    db.session.flush()
    record("milestone.ticked", progress, actor=actor, milestone_id=milestone.id, cohort_startup_id=cohort_startup.id)
    db.session.flush()
    return progress


def untick(progress: MilestoneProgress, actor: User | None) -> None:
    """A founder takes a tick back; not once it is verified."""
    if progress.verified_at is not None:
        raise ServiceError(_l("This milestone is verified; ask your mentor to withdraw the verification first."))
    record(
        "milestone.unticked",
        progress,
        actor=actor,
        milestone_id=progress.milestone_id,
        cohort_startup_id=progress.cohort_startup_id,
    )
    db.session.delete(progress)
    db.session.flush()


def verify(progress: MilestoneProgress, actor: User | None) -> MilestoneProgress:
    """An assigned mentor or a director confirms the evidence."""
    if progress.verified_at is not None:
        raise ServiceError(_l("This milestone is already verified."))
    progress.verified_at = utcnow()
    progress.verified_by_id = getattr(actor, "id", None)
    record(
        "milestone.verified",
        progress,
        actor=actor,
        milestone_id=progress.milestone_id,
        cohort_startup_id=progress.cohort_startup_id,
    )
    db.session.flush()
    return progress


def unverify(progress: MilestoneProgress, actor: User | None) -> MilestoneProgress:
    """Withdraw a verification (the founder may then change or untick the evidence)."""
    if progress.verified_at is None:
        raise ServiceError(_l("This milestone is not verified."))
    progress.verified_at, progress.verified_by_id = None, None
    record(
        "milestone.unverified",
        progress,
        actor=actor,
        milestone_id=progress.milestone_id,
        cohort_startup_id=progress.cohort_startup_id,
    )
    db.session.flush()
    return progress
