"""Demo data for the growth area, loaded by `flask seed-demo` (idempotent): on the first advanced startup
with two proposals from the pitch selection, its mentor accepts the first (done a week after that gate)
and dismisses the second, so the demo shows both answers and the growth view's "closed before"."""

from datetime import timedelta

from sqlalchemy import select

from incubator.cohorts.models import Cohort, CohortStartup
from incubator.extensions import db
from incubator.growth import proposals
from incubator.growth.models import ActionProposal
from incubator.mentoring.models import MentorAssignment
from incubator.mentoring.queries import today_wib
from incubator.mentoring.services import set_item_status

COHORT = "Hetero for Startup Solo 2026"
REASON = "Sudah dibahas di sesi mentoring; fokus dulu pada legalitas."


def seed(users: dict, director) -> None:
    """Answer the proposals of the first startup that has two, once (nothing when any proposal of the
    cohort is answered already)."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
    if cohort is None:
        return
    made = list(
        db.session.scalars(
            select(ActionProposal)
            .join(CohortStartup, CohortStartup.id == ActionProposal.cohort_startup_id)
            .where(CohortStartup.cohort_id == cohort.id)
            .order_by(ActionProposal.cohort_startup_id, ActionProposal.position, ActionProposal.id)
        ).unique()
    )
    if any(p.status != "proposed" for p in made):
        return
    by_startup: dict[int, list[ActionProposal]] = {}
    for proposal in made:
        by_startup.setdefault(proposal.cohort_startup_id, []).append(proposal)
    pair = next((found for found in by_startup.values() if len(found) >= 2), None)
    if pair is None:
        return
    first, second = pair[:2]
    mentor_id = db.session.scalar(
        select(MentorAssignment.mentor_id)
        .where(MentorAssignment.cohort_startup_id == first.cohort_startup_id)
        .order_by(MentorAssignment.id)
        .limit(1)
    )
    mentor = next((u for u in users.values() if u.id == mentor_id), None)
    if mentor is None:
        return
    owner = first.cohort_startup.startup.owner
    item = proposals.accept(
        first, mentor, title=first.title, owner_id=owner.id if owner else None, due_on=today_wib() + timedelta(days=7)
    )
    set_item_status(item, owner or mentor, "done", "Sudah kami kerjakan bersama mentor.")
    # The demo's story: accepted the day after the pitch selection closed, done a week later, well
    # before Demo day opened.
    closed = first.round.scoring_closes_at
    item.created_at = first.decided_at = closed + timedelta(days=1)
    item.done_at = closed + timedelta(days=7)
    proposals.dismiss(second, mentor, reason=REASON)
    db.session.flush()
