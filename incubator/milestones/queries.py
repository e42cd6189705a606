"""Read-only questions about milestones (pages, exports and reports share them).

A fixed number of queries whatever the number of milestones and startups.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from incubator.cohorts.models import Cohort, CohortStartup
from incubator.extensions import db
from incubator.milestones.models import MILESTONE_STAGES, Milestone, MilestoneProgress
from incubator.milestones.services import may_tick_stage
from incubator.startups.models import Startup


def cohort_milestones(cohort_id: int) -> list[Milestone]:
    """The cohort's checklist: pre-incubation first, then incubation, each in its order."""
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.cohort_id == cohort_id).order_by(Milestone.position, Milestone.id)
    ).all()
    return sorted(milestones, key=lambda m: MILESTONE_STAGES.index(m.stage))


@dataclass(frozen=True)
class Item:
    milestone: Milestone
    progress: MilestoneProgress | None
    tickable: bool  # the milestone is of the startup's stage or an earlier one

    @property
    def done(self) -> bool:
        return self.progress is not None

    @property
    def verified(self) -> bool:
        return self.progress is not None and self.progress.verified_at is not None


@dataclass(frozen=True)
class Checklist:
    cohort_startup: CohortStartup
    items: list[Item]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def verified(self) -> int:
        return sum(1 for i in self.items if i.verified)

    def of_stage(self, stage: str) -> list[Item]:
        return [i for i in self.items if i.milestone.stage == stage]


def checklist(cohort_startup: CohortStartup) -> Checklist:
    """Every milestone of the startup's cohort with the startup's tick, if any."""
    milestones = cohort_milestones(cohort_startup.cohort_id)
    progress = {
        p.milestone_id: p
        for p in db.session.scalars(
            select(MilestoneProgress).where(MilestoneProgress.cohort_startup_id == cohort_startup.id)
        )
    }
    return Checklist(
        cohort_startup,
        [Item(m, progress.get(m.id), may_tick_stage(cohort_startup, m.stage)) for m in milestones],
    )


@dataclass(frozen=True)
class OverviewRow:
    cohort_startup: CohortStartup
    ticked: int
    verified: int
    total: int  # milestones of its stage and earlier


def cohort_overview(cohort: Cohort) -> list[OverviewRow]:
    """Each startup in pre-incubation, incubation or graduated: ticked / verified / total."""
    milestones = cohort_milestones(cohort.id)
    startups = db.session.scalars(
        select(CohortStartup)
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .where(
            CohortStartup.cohort_id == cohort.id, CohortStartup.stage.in_(("pre_incubation", "incubation", "graduated"))
        )
        .order_by(Startup.name, CohortStartup.id)
    ).all()
    ticks = defaultdict(list)
    if startups:
        for p in db.session.scalars(
            select(MilestoneProgress).where(MilestoneProgress.cohort_startup_id.in_([cs.id for cs in startups]))
        ):
            ticks[p.cohort_startup_id].append(p)
    rows = []
    for cs in startups:
        reachable = {m.id for m in milestones if may_tick_stage(cs, m.stage)}
        mine = [p for p in ticks[cs.id] if p.milestone_id in reachable]
        rows.append(OverviewRow(cs, len(mine), sum(1 for p in mine if p.verified_at is not None), len(reachable)))
    return rows


def milestone_summary(cohort_startup):
    """The startup's milestone checklist for its incubation page (None while there is nothing to show)."""
    found = checklist(cohort_startup)
    return found if found.items else None
