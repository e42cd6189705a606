"""A startup's growth across the gates of its cohort, read from the rounds' stored results.

Every figure comes from `judging.ranking.compute.round_ranking` (the stored per-round results and the
per-criterion means judging.scoring works out from them) and is put on the 0-100 scale by
`growth.maths`; nothing is computed twice or kept between requests.

Who sees what: directors every gate past its draft and every criterion; a startup's founder and its
mentors only the gates whose feedback is released, and there only the criteria whose scores are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from incubator.extensions import db
from incubator.growth import maths
from incubator.growth.models import ActionProposal
from incubator.judging.models import Criterion, FeedbackItem, Round, Rubric
from incubator.judging.ranking.compute import round_ranking


def cohort_gates(cohort_id: int) -> list[Round]:
    """The cohort's rounds past their draft, in the cohort's order: its gates."""
    return list(
        db.session.scalars(
            select(Round).where(Round.cohort_id == cohort_id, Round.phase != "draft").order_by(Round.position, Round.id)
        )
    )


def gate_time(round_: Round) -> datetime | None:
    """When a gate is passed, for "closed before the gate": its scoring opens."""
    return round_.scoring_opens_at


@dataclass
class GateCriterion:
    id: int
    line_id: int
    name: str
    position: int
    minimum: float
    maximum: float


@dataclass
class GateFigures:
    """One gate's criteria and the per-criterion means of its ranking (raw, on each criterion's scale)."""

    round: Round
    criteria: dict[int, GateCriterion]  # by line id
    application_means: dict[int, dict[int, float]]  # application id -> criterion id -> mean
    round_means: dict[int, float]  # criterion id -> the round's mean

    def point(self, line_id: int, application_id: int) -> "GatePoint":
        criterion = self.criteria.get(line_id)
        if criterion is None:
            return GatePoint(self.round, None, None, None)
        raw = self.application_means.get(application_id, {}).get(criterion.id)
        mean = self.round_means.get(criterion.id)
        return GatePoint(
            self.round,
            raw,
            maths.on_scale(raw, criterion.minimum, criterion.maximum),
            maths.on_scale(mean, criterion.minimum, criterion.maximum),
        )


def gate_criteria(round_ids: list[int]) -> dict[int, dict[int, GateCriterion]]:
    """Each round's criteria by line id, in one query."""
    found: dict[int, dict[int, GateCriterion]] = {round_id: {} for round_id in round_ids}
    if not round_ids:
        return found
    rows = db.session.execute(
        select(Rubric.round_id, Criterion)
        .join(Rubric, Rubric.id == Criterion.rubric_id)
        .where(Rubric.round_id.in_(round_ids))
        .order_by(Criterion.position, Criterion.id)
    )
    for round_id, c in rows:
        found[round_id][c.line_id] = GateCriterion(
            c.id, c.line_id, c.name, c.position, float(c.scale_min), float(c.scale_max)
        )
    return found


def shared_lines(criteria: dict[int, dict[int, GateCriterion]]) -> set[int]:
    """The criteria (by line) that at least two gates share."""
    counts: dict[int, int] = defaultdict(int)
    for by_line in criteria.values():
        for line_id in by_line:
            counts[line_id] += 1
    return {line_id for line_id, n in counts.items() if n >= 2}


def gate_figures(round_: Round, criteria: dict[int, GateCriterion]) -> GateFigures:
    """The gate's per-criterion means, from its stored results through the one scoring module."""
    result = round_ranking(round_).result
    return GateFigures(
        round_,
        criteria,
        {a.application_id: a.criterion_means for a in result.applications},
        dict(result.criterion_means),
    )


@dataclass
class GatePoint:
    round: Round
    raw: float | None  # the startup's mean on the criterion's own scale
    score: float | None  # the same on 0-100
    mean: float | None  # the round's mean on 0-100
    released: bool = True  # False: the founder and mentors do not see this gate's figure


@dataclass
class ItemAtGate:
    """A proposal made on the criterion at a gate, and what became of it by the next gate."""

    proposal: ActionProposal
    next_gate: Round | None
    closed_before_next: bool | None  # None: no next gate with a time yet, or not accepted


@dataclass
class CriterionGrowth:
    line_id: int
    name: str
    points: list[GatePoint]  # one per gate
    changes: list[float | None]  # gate to gate, in points of the 0-100 scale
    items: list[ItemAtGate] = field(default_factory=list)


@dataclass
class StartupGrowth:
    gates: list[Round]
    criteria: list[CriterionGrowth]

    @property
    def shown(self) -> bool:
        return any(p.score is not None for c in self.criteria for p in c.points)


def _released(gates: list[Round]) -> dict[int, set[int]]:
    """Per released gate, the criterion ids whose scores founders see."""
    released = [g.id for g in gates if g.feedback_released_at is not None]
    found: dict[int, set[int]] = {round_id: set() for round_id in released}
    if released:
        for round_id, criterion_id in db.session.execute(
            select(FeedbackItem.round_id, FeedbackItem.criterion_id).where(
                FeedbackItem.round_id.in_(released), FeedbackItem.show_scores.is_(True)
            )
        ):
            found[round_id].add(criterion_id)
    return found


def startup_growth(application_id: int, cohort_id: int, *, everything: bool) -> StartupGrowth:
    """The application's growth on each criterion its cohort's gates share; `everything` for directors,
    otherwise only what was released to founders (mentors see the same)."""
    gates = cohort_gates(cohort_id)
    criteria = gate_criteria([g.id for g in gates])
    lines = shared_lines(criteria)
    if not lines:
        return StartupGrowth(gates, [])
    released = None if everything else _released(gates)
    figures = [gate_figures(g, criteria[g.id]) for g in gates]
    rows = []
    names: dict[int, str] = {}
    for by_line in criteria.values():
        for line_id, c in by_line.items():
            names[line_id] = c.name  # the latest gate's wording
    order = _line_order(criteria, lines)
    for line_id in order:
        points = []
        for gate in figures:
            point = gate.point(line_id, application_id)
            criterion = gate.criteria.get(line_id)
            if released is not None and (criterion is None or criterion.id not in released.get(gate.round.id, ())):
                point = GatePoint(gate.round, None, None, None, released=False)
            points.append(point)
        if not any(p.released for p in points):
            continue
        rows.append(CriterionGrowth(line_id, names[line_id], points, maths.changes([p.score for p in points])))
    _attach_items(rows, gates, application_id, founders_view=not everything)
    return StartupGrowth(gates, rows)


def _line_order(criteria: dict[int, dict[int, GateCriterion]], lines: set[int]) -> list[int]:
    """Shared lines in the first gate's rubric order."""
    seen: list[int] = []
    for by_line in criteria.values():
        for line_id, _c in sorted(by_line.items(), key=lambda kv: (kv[1].position, kv[1].id)):
            if line_id in lines and line_id not in seen:
                seen.append(line_id)
    return seen


def _attach_items(rows: list[CriterionGrowth], gates: list[Round], application_id: int, *, founders_view: bool):
    """Each criterion's proposals (for founders and mentors: only the accepted ones, which are action
    items), with whether their item was closed before the next gate."""
    if not rows:
        return
    statement = select(ActionProposal).where(ActionProposal.application_id == application_id)
    if founders_view:
        statement = statement.where(ActionProposal.status == "accepted")
    by_line = {row.line_id: row for row in rows}
    order = [g.id for g in gates]
    for proposal in db.session.scalars(
        statement.order_by(ActionProposal.id).options(selectinload(ActionProposal.action_item))
    ).unique():
        row = by_line.get(proposal.criterion.line_id)
        if row is None:
            continue
        index = order.index(proposal.round_id) if proposal.round_id in order else None
        next_gate = gates[index + 1] if index is not None and index + 1 < len(gates) else None
        closed = None
        item = proposal.action_item
        if proposal.status == "accepted" and item is not None and next_gate is not None:
            closed = maths.closed_before(item.done_at, gate_time(next_gate))
        row.items.append(ItemAtGate(proposal, next_gate, closed))
