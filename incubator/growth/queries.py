"""Reads for the growth area: proposals by startup, which rounds share a rubric, and each mentor's
proposal counts for the cohort report."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.extensions import db
from incubator.growth import maths
from incubator.growth.figures import cohort_gates, gate_time
from incubator.growth.models import ActionProposal
from incubator.judging.models import Criterion, Round, Rubric
from incubator.mentoring.models import MentorAssignment


def proposals_for(cohort_startup_ids: list[int] | None) -> list[ActionProposal]:
    """The proposals of these startups (None: of every startup), waiting ones first, newest round first."""
    statement = select(ActionProposal)
    if cohort_startup_ids is not None:
        if not cohort_startup_ids:
            return []
        statement = statement.where(ActionProposal.cohort_startup_id.in_(cohort_startup_ids))
    statement = statement.order_by(
        (ActionProposal.status != "proposed"), ActionProposal.round_id.desc(), ActionProposal.id
    )
    return list(db.session.scalars(statement).unique())


@dataclass
class CriterionLink:
    criterion: Criterion
    source: Criterion | None  # the criterion of the earlier round it is the same as (None: its own)
    source_round: Round | None
    broken: bool  # linked once, changed since: no longer compared


@dataclass
class RubricLinks:
    criteria: list[CriterionLink]
    sharing_rounds: list[Round]  # other rounds with a criterion of the same line as one here

    @property
    def linked(self) -> int:
        return sum(1 for c in self.criteria if c.source is not None and not c.broken)


def rubric_links(rubric: Rubric) -> RubricLinks | None:
    """For the rubric builder: which criteria are the same as an earlier round's, which links a change
    broke, and which other rounds share criteria with this rubric. None for a template."""
    if rubric.round is None:
        return None
    criteria = list(rubric.criteria)
    sources = {c.same_as_id for c in criteria if c.same_as_id is not None}
    found = {}
    if sources:
        for criterion, round_ in db.session.execute(
            select(Criterion, Round)
            .join(Rubric, Rubric.id == Criterion.rubric_id)
            .join(Round, Round.id == Rubric.round_id)
            .where(Criterion.id.in_(sources))
        ):
            found[criterion.id] = (criterion, round_)
    links = []
    for c in criteria:
        source, source_round = found.get(c.same_as_id, (None, None)) if c.same_as_id is not None else (None, None)
        links.append(CriterionLink(c, source, source_round, c.link_broken_at is not None))
    lines = {c.line_id for c in criteria}
    sharing = list(
        db.session.scalars(
            select(Round)
            .join(Rubric, Rubric.round_id == Round.id)
            .join(Criterion, Criterion.rubric_id == Rubric.id)
            .where(
                Round.id != rubric.round_id,
                or_(Criterion.id.in_(lines), Criterion.same_as_id.in_(lines) & Criterion.link_broken_at.is_(None)),
            )
            .distinct()
            .order_by(Round.position, Round.id)
        ).unique()
    )
    return RubricLinks(links, sharing)


@dataclass
class MentorCounts:
    mentor: User
    proposed: int = 0  # still waiting, on the startups the mentor is assigned to
    accepted: int = 0  # by this mentor
    dismissed: int = 0
    closed_before_next_gate: int = 0


def mentor_counts(cohort_id: int) -> list[MentorCounts]:
    """Per mentor of the cohort (and anyone else who decided one of its proposals): the proposals
    still waiting on their startups, those they accepted and dismissed, and how many of the accepted
    ones were done before the next gate. By name."""
    gates = cohort_gates(cohort_id)
    order = [g.id for g in gates]
    proposals = list(
        db.session.scalars(
            select(ActionProposal)
            .join(CohortStartup, CohortStartup.id == ActionProposal.cohort_startup_id)
            .where(CohortStartup.cohort_id == cohort_id)
            .order_by(ActionProposal.id)
            .options(selectinload(ActionProposal.action_item))
        ).unique()
    )
    assignments = db.session.execute(
        select(MentorAssignment.mentor_id, MentorAssignment.cohort_startup_id)
        .join(CohortStartup, CohortStartup.id == MentorAssignment.cohort_startup_id)
        .where(CohortStartup.cohort_id == cohort_id)
    ).all()
    people = {m for m, _ in assignments} | {p.decided_by_id for p in proposals if p.decided_by_id is not None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(people)))} if people else {}
    counts = {uid: MentorCounts(user) for uid, user in users.items()}
    mentors_of: dict[int, list[int]] = {}
    for mentor_id, cs_id in assignments:
        mentors_of.setdefault(cs_id, []).append(mentor_id)
    for p in proposals:
        if p.status == "proposed":
            for mentor_id in mentors_of.get(p.cohort_startup_id, []):
                counts[mentor_id].proposed += 1
            continue
        line = counts.get(p.decided_by_id)
        if line is None:
            continue
        if p.status == "dismissed":
            line.dismissed += 1
            continue
        line.accepted += 1
        index = order.index(p.round_id) if p.round_id in order else None
        next_gate = gates[index + 1] if index is not None and index + 1 < len(gates) else None
        item = p.action_item
        if next_gate is not None and item is not None and maths.closed_before(item.done_at, gate_time(next_gate)):
            line.closed_before_next_gate += 1
    return sorted(counts.values(), key=lambda c: (c.mentor.name.casefold(), c.mentor.id))


@dataclass
class ItemBeforeGate:
    """An action item proposed on a criterion at an earlier gate, as a later gate's scorecard shows it."""

    criterion: str  # the criterion's name at this gate
    proposal: ActionProposal
    closed_before: bool | None  # done before this gate opened (None: the gate has no time)


def items_before_gate(round_: Round, application_ids: list[int], *, accepted_only: bool) -> dict[int, list]:
    """For a gate's scorecards: per application, the proposals made at earlier gates of the cohort on
    the criteria this gate shares with them (only the accepted ones, which are action items, for
    founders), and whether each item was done before this gate. One query for all applications."""
    if not application_ids or round_.rubric is None:
        return {}
    lines = {c.line_id: c.name for c in round_.rubric.criteria}
    earlier = [g.id for g in cohort_gates(round_.cohort_id) if (g.position, g.id) < (round_.position, round_.id)]
    if not earlier:
        return {}
    statement = select(ActionProposal).where(
        ActionProposal.application_id.in_(application_ids), ActionProposal.round_id.in_(earlier)
    )
    if accepted_only:
        statement = statement.where(ActionProposal.status == "accepted")
    found: dict[int, list] = {}
    gate = gate_time(round_)
    for proposal in db.session.scalars(
        statement.order_by(ActionProposal.id).options(selectinload(ActionProposal.action_item))
    ).unique():
        name = lines.get(proposal.criterion.line_id)
        if name is None:
            continue
        item = proposal.action_item
        closed = maths.closed_before(item.done_at, gate) if item is not None else None
        found.setdefault(proposal.application_id, []).append(ItemBeforeGate(name, proposal, closed))
    return found
