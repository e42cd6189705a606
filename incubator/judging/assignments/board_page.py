"""The assignment overview read in SQL: each judge's load and progress (one grouped count), the
round's stored counts (tallies.py), and one page of applications by startup name with
their judges, sheets and conflicts: a fixed number of queries whatever the size of the round.

(board.py reads the whole round at once, for the conflicts page and the automatic assignment.)
"""

import math
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, func, select

from incubator.applications.models import Application
from incubator.core.pagination import ListPage, window_params, windowed
from incubator.extensions import db
from incubator.judging.assignments import tallies
from incubator.judging.assignments.board import TALLIES, Judge, Pair, involved_judges
from incubator.judging.assignments.tallies import same_place
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, ConflictDeclaration, Round, ScoreSheet
from incubator.judging.ranking.members import RoundEntry, round_entries_query, round_members, round_params
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
    detected: dict[Pair, str]  # conflicts found in the data, of the page's applications

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


# The overview's statements are built once and run with the round's values: building them with
# SQLAlchemy cost more than running them.
BY_NAME = (func.lower(Startup.name), Startup.id)  # one application per startup in a cohort


@cache
def _walked_page() -> Select:
    """A page's rows in a round that holds many of the startups: its startups are picked by walking
    their name index and keeping those with an application in the round, which stops after the page
    (sorting the whole round first was most of the page's time), and then their rows are read."""
    in_round = round_members().order_by(None).where(Application.startup_id == Startup.id).exists()
    startups = windowed(select(Startup.id).where(in_round).order_by(*BY_NAME))
    return round_entries_query().order_by(None).where(Application.startup_id.in_(startups)).order_by(*BY_NAME)


@cache
def _sorted_page() -> Select:
    """A page's rows in a small round, sorted."""
    return windowed(round_entries_query().order_by(None).order_by(*BY_NAME))


def _page(round_: Round, number: int, per_page: int, total: int) -> ListPage:
    """The page's applications by startup name, case left aside (see `by_name_walk_pays`)."""
    number = min(number, max(1, math.ceil(total / per_page)))
    statement = _walked_page() if by_name_walk_pays(total) else _sorted_page()
    params = round_params(round_) | window_params(number, per_page)
    rows = [RoundEntry(*row) for row in db.session.execute(statement, params)]
    return ListPage(rows, number, per_page, total)


@cache
def _places_of() -> Select:
    # Not ordered: an ORDER BY made SQLite walk every place of the round (the page sorts them by judge).
    return (
        select(Assignment.id, Assignment.judge_id, Assignment.application_id, ScoreSheet.status)
        .outerjoin(ScoreSheet, same_place(ScoreSheet))
        .where(
            Assignment.round_id == bindparam("round_id"),
            Assignment.application_id.in_(bindparam("ids", expanding=True)),
        )
    )


def _places(round_: Round, ids: list[int]) -> dict[int, list[Placed]]:
    places: dict[int, list[Placed]] = {}
    if not ids:
        return places
    for row in db.session.execute(_places_of(), {"round_id": round_.id, "ids": ids}):
        places.setdefault(row.application_id, []).append(Placed(*row))
    return places


@cache
def _declared_of() -> Select:
    return select(ConflictDeclaration.judge_id, ConflictDeclaration.application_id, ConflictDeclaration.reason).where(
        ConflictDeclaration.round_id == bindparam("round_id"),
        ConflictDeclaration.application_id.in_(bindparam("ids", expanding=True)),
    )


def _declared(round_: Round, ids: list[int]) -> dict[Pair, str]:
    if not ids:
        return {}
    rows = db.session.execute(_declared_of(), {"round_id": round_.id, "ids": ids})
    return {(judge_id, application_id): reason for judge_id, application_id, reason in rows}


def load_overview(round_: Round, number: int, per_page: int) -> Overview:
    """The overview's `number`-th page (past the end, the last), read for this request."""
    loads = tallies.read_judges(round_)
    judges = involved_judges(round_, placed=loads)
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
        detected=conflicts.found_for(judges, ids),
    )
