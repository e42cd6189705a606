"""The automatic assignment: a preview first (`auto_assign(apply=False)`), and the same computation
applied on confirm only if it is still what the director saw (its fingerprint). The maths is in
allocation.py (pure); this module reads the board and writes the places."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.core.errors import ServiceError
from incubator.judging.assignments import allocation
from incubator.judging.assignments.board import Board, Judge, Pair, load_board
from incubator.judging.assignments.checks import add_places, check_changeable, hold_round
from incubator.judging.models import Round
from incubator.judging.ranking.compute import applications_by_id

UNFILLED_REASONS = {
    allocation.TOO_FEW_JUDGES: _l("There are not enough judges in the programme."),
    allocation.CONFLICTS: _l("Not enough judges without a conflict of interest."),
    allocation.CAP: _l("The judges without a conflict of interest have reached the cap."),
}


@dataclass
class PlannedRow:
    """One application of the preview: the judges it gets, and whether each knows its focus area."""

    application: Application
    judges: list[tuple[Judge, bool]]


@dataclass
class Shortfall:
    application: Application
    missing: int
    reason: str  # translated

    @property
    def missing_text(self) -> str:
        return ngettext("%(num)d judge missing", "%(num)d judges missing", self.missing)


@dataclass
class LoadRow:
    judge: Judge
    before: int
    after: int


@dataclass
class Preview:
    """What the automatic assignment adds (or added); `fingerprint` names exactly that."""

    round: Round
    cap: int | None
    k: int
    rows: list[PlannedRow]
    unfilled: list[Shortfall]
    conflicted: list[tuple[Application, User, str]]  # existing places now conflicted: kept
    loads: list[LoadRow]
    fingerprint: str
    added: int
    applications: int  # how many applications the round decides
    applied: bool = False
    changed: bool = False  # the confirmed preview no longer matched: nothing was written
    matches: int = field(default=0)  # added places whose judge knows the focus area


def _fingerprint(cap: int | None, pairs: Sequence[Pair]) -> str:
    text = f"{cap}|" + ";".join(f"{j}:{a}" for j, a in pairs)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def auto_assign(round_: Round, actor: User, cap: int | None, apply: bool, expected: str | None = None) -> Preview:
    """Compute the automatic assignment (allocation.allocate) and, with `apply`, make it.

    With `apply` False nothing is written. With `expected` (the fingerprint of the preview the
    director confirmed), a result that differs from it is returned with `changed` set and not
    applied, so the director sees the new preview first."""
    if cap is not None and cap < 1:
        raise ServiceError(_l("The cap must be at least 1."))
    if apply:
        hold_round(round_)
    check_changeable(round_)
    board = load_board(round_)
    candidates = board.candidates
    pool = board.pool
    forbidden = set(board.declared) | set(board.detected)
    result = allocation.allocate(
        {a.id: a.focus_area_id for a in candidates},
        {j.id: j.areas for j in pool},
        [(x.judge_id, x.application_id) for x in board.assignments],
        forbidden,
        round_.judges_per_application,
        cap,
    )
    preview = _preview(board, result, cap)
    if not apply:
        return preview
    if expected is not None and expected != preview.fingerprint:
        preview.changed = True
        return preview
    add_places(round_, result.add, actor)
    record("assignments.auto", round_, actor=actor, cap=cap, added=len(result.add), pairs=[list(p) for p in result.add])
    preview.applied = True
    return preview


def _preview(board: Board, result: allocation.Allocation, cap: int | None) -> Preview:
    judges = board.judges
    entries = {a.id: a for a in board.candidates}
    shown = (
        {a for _j, a in result.add} | {u.application_id for u in result.unfilled} | {a for _j, a in result.conflicted}
    )
    by_id = applications_by_id(shown)
    grouped: dict[int, list[tuple[Judge, bool]]] = {}
    matches = 0
    for judge_id, application_id in result.add:
        focus = entries[application_id].focus_area_id
        match = focus is not None and focus in judges[judge_id].areas
        matches += match
        grouped.setdefault(application_id, []).append((judges[judge_id], match))
    order = {a.id: i for i, a in enumerate(board.applications)}  # by startup name
    rows = [
        PlannedRow(by_id[a], sorted(grouped[a], key=lambda jm: (jm[0].name, jm[0].id)))
        for a in sorted(grouped, key=order.__getitem__)
    ]
    unfilled = [
        Shortfall(by_id[u.application_id], u.missing, str(UNFILLED_REASONS[u.reason]))
        for u in sorted(result.unfilled, key=lambda u: order[u.application_id])
    ]
    conflicted = [
        (by_id[a], judges[j], board.conflict(j, a) or "")
        for j, a in sorted(result.conflicted, key=lambda p: (order[p[1]], judges[p[0]].name, p[0]))
    ]
    gained: dict[int, int] = {}
    for judge_id, _a in result.add:
        gained[judge_id] = gained.get(judge_id, 0) + 1
    loads = [LoadRow(u, result.loads[u.id] - gained.get(u.id, 0), result.loads[u.id]) for u in board.pool]
    return Preview(
        round=board.round,
        cap=cap,
        k=board.round.judges_per_application,
        rows=rows,
        unfilled=unfilled,
        conflicted=conflicted,
        loads=loads,
        fingerprint=_fingerprint(cap, result.add),
        added=len(result.add),
        applications=len(entries),
        matches=matches,
    )
