"""The assignment overview read in SQL: each judge's load and progress (one grouped count), how many
applications have all their judges (one count), and one page of applications by startup name with
their judges, sheets and conflicts: a fixed number of queries whatever the size of the round.

(board.py reads the whole round at once, for the conflicts page and the automatic assignment.)
"""

import math
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import and_, case, func, not_, or_, select, tuple_

from incubator.core.pagination import ListPage, window
from incubator.extensions import db
from incubator.judging.assignments.board import TALLIES, Judge, Pair, involved_judges
from incubator.judging.conflict_candidates import candidate_entries, round_application_ids
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, ConflictDeclaration, Round, ScoreSheet
from incubator.judging.ranking.compute import RoundEntry, round_entries_query


class Placed(NamedTuple):
    """An assignment of the page, with its sheet's status."""

    id: int
    judge_id: int
    application_id: int
    sheet: str | None  # draft | final | None


@dataclass(frozen=True)
class Overview:
    """What the overview shows, as plain data read for this request."""

    round: Round
    judges: dict[int, Judge]  # everyone with the judge role, and anyone assigned or declared, by name
    tallies: dict[int, dict[str, int]]  # judge id -> assigned, conflicts, drafts, submitted
    candidates: int  # applications the round decides (they may get judges)
    full: int  # of them, those with all their judges (conflicts left out)
    page: ListPage  # of RoundEntry, by startup name
    places: dict[int, list[Placed]]  # application id of the page -> its assignments
    declared: dict[Pair, str]  # declared or marked conflicts of the page's applications
    detected: dict[Pair, str]  # conflicts found in the data, in the whole round

    @property
    def pool(self) -> list[Judge]:
        """The judges who may get new places: active accounts with the judge role, by name."""
        return [j for j in self.judges.values() if j.active and j.is_judge]

    def tally(self, judge_id: int) -> dict[str, int]:
        return self.tallies.get(judge_id, dict.fromkeys(TALLIES, 0))

    def conflict(self, judge_id: int, application_id: int) -> str | None:
        """Why this judge may not judge this application of the page (declared first), or None."""
        key = (judge_id, application_id)
        return self.declared.get(key) or self.detected.get(key)

    def decides(self, entry: RoundEntry) -> bool:
        return entry.stage == self.round.decides_stage


def detected_conflicts(round_: Round, judges: list[Judge]) -> dict[Pair, str]:
    """{(judge id, application id): translated reason} for each conflict found in the data between
    `judges` and the round's applications (the only place the overview asks for them)."""
    return conflicts.detect_entries(judges, candidate_entries(judges, round_application_ids(round_)))


def _same(model):
    """Join condition: `model`'s row for the assignment's round, application and judge."""
    return and_(
        model.round_id == Assignment.round_id,
        model.application_id == Assignment.application_id,
        model.judge_id == Assignment.judge_id,
    )


def _conflicted(detected: dict[Pair, str]):
    """SQL: the assignment has a declared conflict (outer-joined) or one found in the data."""
    found = tuple_(Assignment.judge_id, Assignment.application_id).in_(list(detected)) if detected else False
    return or_(ConflictDeclaration.id.is_not(None), found)


def _tallies(round_: Round, detected: dict[Pair, str]) -> dict[int, dict[str, int]]:
    conflicted = _conflicted(detected)
    rows = db.session.execute(
        select(
            Assignment.judge_id,
            func.count(),
            func.count(case((conflicted, 1))),
            func.count(case((and_(not_(conflicted), ScoreSheet.status == "draft"), 1))),
            func.count(case((and_(not_(conflicted), ScoreSheet.status == "final"), 1))),
        )
        .select_from(Assignment)
        .outerjoin(ScoreSheet, _same(ScoreSheet))
        .outerjoin(ConflictDeclaration, _same(ConflictDeclaration))
        .where(Assignment.round_id == round_.id)
        .group_by(Assignment.judge_id)
    )
    return {judge_id: dict(zip(TALLIES, counts, strict=True)) for judge_id, *counts in rows}


def _counts(round_: Round, detected: dict[Pair, str]) -> tuple[int, int, int]:
    """(applications of the round, those it decides, of them those with all their judges)."""
    entries = round_entries_query(round_).order_by(None).subquery()
    counted = (
        select(func.count())
        .select_from(Assignment)
        .outerjoin(ConflictDeclaration, _same(ConflictDeclaration))
        .where(Assignment.round_id == round_.id, Assignment.application_id == entries.c.id)
        .where(not_(_conflicted(detected)))
        .scalar_subquery()
    )
    decides = entries.c.stage == round_.decides_stage
    total, candidates, full = db.session.execute(
        select(
            func.count(),
            func.count(case((decides, 1))),
            func.count(case((and_(decides, counted >= round_.judges_per_application), 1))),
        ).select_from(entries)
    ).one()
    return total, candidates, full


def _page(round_: Round, number: int, per_page: int, total: int) -> ListPage:
    number = min(number, max(1, math.ceil(total / per_page)))
    statement = round_entries_query(round_).order_by(None)
    statement = statement.order_by(func.lower(statement.selected_columns.name), statement.selected_columns.id)
    rows = [RoundEntry(*row) for row in db.session.execute(window(statement, number, per_page))]
    return ListPage(rows, number, per_page, total)


def _places(round_: Round, ids: list[int]) -> dict[int, list[Placed]]:
    places: dict[int, list[Placed]] = {}
    if not ids:
        return places
    for row in db.session.execute(
        select(Assignment.id, Assignment.judge_id, Assignment.application_id, ScoreSheet.status)
        .outerjoin(ScoreSheet, _same(ScoreSheet))
        .where(Assignment.round_id == round_.id, Assignment.application_id.in_(ids))
        .order_by(Assignment.id)
    ):
        places.setdefault(row.application_id, []).append(Placed(*row))
    return places


def _declared(round_: Round, ids: list[int]) -> dict[Pair, str]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(ConflictDeclaration.judge_id, ConflictDeclaration.application_id, ConflictDeclaration.reason).where(
            ConflictDeclaration.round_id == round_.id, ConflictDeclaration.application_id.in_(ids)
        )
    )
    return {(judge_id, application_id): reason for judge_id, application_id, reason in rows}


def load_overview(round_: Round, number: int, per_page: int) -> Overview:
    """The overview's `number`-th page (past the end, the last), read for this request."""
    judges = involved_judges(round_)
    detected = detected_conflicts(round_, list(judges.values()))
    total, candidates, full = _counts(round_, detected)
    page = _page(round_, number, per_page, total)
    ids = [entry.id for entry in page.items]
    return Overview(
        round=round_,
        judges=judges,
        tallies=_tallies(round_, detected),
        candidates=candidates,
        full=full,
        page=page,
        places=_places(round_, ids),
        declared=_declared(round_, ids),
        detected=detected,
    )
