"""The assignment overview read in SQL: each judge's load and progress (one grouped count), the
round's stored counts (tallies.py), and one page of applications by startup name with
their judges, sheets and conflicts: a fixed number of queries whatever the size of the round.

(board.py reads the whole round at once, for the conflicts page and the automatic assignment.)
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import func, or_, select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.core.pagination import ListPage, window
from incubator.extensions import db
from incubator.judging.assignments import tallies
from incubator.judging.assignments.board import TALLIES, Judge, Pair, involved_judges
from incubator.judging.assignments.tallies import same_place
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, ConflictDeclaration, Round, ScoreSheet
from incubator.judging.ranking.compute import RoundEntry, round_entries_query, round_members
from incubator.startups.models import Startup, by_name_walk_pays


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
    members = round_members(round_).subquery()
    return conflicts.found_among([j.id for j in judges], select(members.c.id))


def _page(round_: Round, number: int, per_page: int, total: int) -> ListPage:
    """The page's applications by startup name, case left aside. In a round that holds many of the
    startups, the page's startups are picked by walking their name index and keeping those with an
    application in the round, which stops after the page (sorting the whole round first was most of
    the page's time), and then their rows are read; a small round is sorted."""
    number = min(number, max(1, math.ceil(total / per_page)))
    by_name = (func.lower(Startup.name), Startup.id)  # one application per startup in a cohort
    statement = round_entries_query(round_).order_by(None)
    if by_name_walk_pays(total):
        in_round = round_members(round_).order_by(None).where(Application.startup_id == Startup.id).exists()
        startups = window(select(Startup.id).where(in_round).order_by(*by_name), number, per_page)
        statement = statement.where(Application.startup_id.in_(startups)).order_by(*by_name)
    else:
        statement = window(statement.order_by(*by_name), number, per_page)
    rows = [RoundEntry(*row) for row in db.session.execute(statement)]
    return ListPage(rows, number, per_page, total)


def _places(round_: Round, ids: list[int]) -> dict[int, list[Placed]]:
    places: dict[int, list[Placed]] = {}
    if not ids:
        return places
    for row in db.session.execute(
        select(Assignment.id, Assignment.judge_id, Assignment.application_id, ScoreSheet.status)
        .outerjoin(ScoreSheet, same_place(ScoreSheet))
        .where(Assignment.round_id == round_.id, Assignment.application_id.in_(ids))
    ):  # not ordered: an ORDER BY made SQLite walk every place of the round (the page sorts them by judge)
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


def _judges(round_: Round, loaded: Iterable[int]) -> dict[int, Judge]:
    """Everyone with the judge role, and anyone with places (`loaded`) or declared in the round."""
    declared = select(ConflictDeclaration.judge_id).where(ConflictDeclaration.round_id == round_.id)
    return involved_judges(round_, or_(User.id.in_(sorted(loaded)), User.id.in_(declared)))


def load_overview(round_: Round, number: int, per_page: int) -> Overview:
    """The overview's `number`-th page (past the end, the last), read for this request."""
    loads = tallies.read_judges(round_)
    judges = _judges(round_, loads)
    detected = detected_conflicts(round_, list(judges.values()))
    counts = tallies.read(round_)
    page = _page(round_, number, per_page, counts.members)
    ids = [entry.id for entry in page.items]
    return Overview(
        round=round_,
        judges=judges,
        tallies=loads,
        candidates=counts.candidates,
        full=counts.filled,
        page=page,
        places=_places(round_, ids),
        declared=_declared(round_, ids),
        detected=detected,
    )
