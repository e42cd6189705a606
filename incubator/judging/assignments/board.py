"""A round's assignment board: its judges, applications, assignments, sheets and conflicts, read
once per request in a fixed number of queries (`load_board`), for the overview, the conflicts page
and the automatic assignment."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, or_, select

from incubator.auth.models import Role, User, UserRole
from incubator.extensions import db
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, ConflictDeclaration, Round, ScoreSheet, judge_focus_areas
from incubator.judging.ranking.members import RoundEntry, round_entries

Pair = tuple[int, int]  # (judge id, application id)
TALLIES = ("assigned", "conflicts", "drafts", "submitted")


class Placed(NamedTuple):
    """An assignment as plain data."""

    id: int
    judge_id: int
    application_id: int


class Declared(NamedTuple):
    """A declared or marked conflict of interest as plain data."""

    id: int
    source: str  # judge | director
    reason: str


class Judge(NamedTuple):
    """A judge of the board as plain data: anyone with the judge role, or assigned or declared
    in the round (a role can be taken away after the fact)."""

    id: int
    name: str
    email: str
    active: bool
    is_judge: bool  # holds the judge role now
    areas: frozenset[int]  # the focus areas they know well


@dataclass(frozen=True)
class Facts:
    """What a board reads of the round's thousands of rows, as plain data, read once per request."""

    judges: dict[int, Judge]  # by name
    applications: tuple[RoundEntry, ...]  # every application of the round, by startup name
    decided: frozenset[int]  # the ids of those the round decides (see checks.decides)
    assignments: tuple[Placed, ...]
    sheets: dict[Pair, str]  # (judge, application) -> draft | final
    declared: dict[Pair, Declared]
    detected: dict[Pair, str]  # translated reasons
    derived: dict[str, object] = field(default_factory=dict)  # see Board.derived


@dataclass
class Board:
    """A round's judges, applications, assignments, sheets and conflicts: the round as an
    object of this request, the rest as plain facts."""

    round: Round
    facts: Facts

    @property
    def judges(self) -> dict[int, Judge]:
        """Every judge, and anyone assigned or declared in the round, by name."""
        return self.facts.judges

    @property
    def applications(self) -> tuple[RoundEntry, ...]:
        return self.facts.applications

    @property
    def assignments(self) -> tuple[Placed, ...]:
        return self.facts.assignments

    @property
    def sheets(self) -> dict[Pair, str]:
        return self.facts.sheets

    @property
    def declared(self) -> dict[Pair, Declared]:
        return self.facts.declared

    @property
    def detected(self) -> dict[Pair, str]:
        return self.facts.detected

    def conflict(self, judge_id: int, application_id: int) -> str | None:
        """Why this judge may not judge this application (declared first), or None."""
        key = (judge_id, application_id)
        if key in self.facts.declared:
            return self.facts.declared[key].reason
        return self.facts.detected.get(key)

    def decides(self, application_id: int) -> bool:
        return application_id in self.facts.decided

    @property
    def pool(self) -> list[Judge]:
        """The judges who may get new places: active accounts with the judge role, by name."""
        return self.derived("pool", lambda: [j for j in self.facts.judges.values() if j.active and j.is_judge])

    @property
    def candidates(self) -> list[RoundEntry]:
        """The applications that still need judges: those the round decides."""
        return self.derived("candidates", lambda: [a for a in self.facts.applications if a.id in self.facts.decided])

    def derived(self, name: str, make):
        """`make()`, worked out once per request: for values worked out from them alone."""
        if name not in self.facts.derived:
            self.facts.derived[name] = make()
        return self.facts.derived[name]

    def placed(self, application_id: int) -> list[Placed]:
        """The application's assignments."""
        return self.derived("by_application", self._by_application).get(application_id, [])

    def _by_application(self) -> dict[int, list[Placed]]:
        index: dict[int, list[Placed]] = {}
        for x in self.facts.assignments:
            index.setdefault(x.application_id, []).append(x)
        return index

    def tally(self, judge_id: int) -> dict[str, int]:
        """The judge's places: assigned, and of them conflicts, drafts and submitted sheets."""
        return self.derived("tallies", self._tallies).get(judge_id, dict.fromkeys(TALLIES, 0))

    def _tallies(self) -> dict[int, dict[str, int]]:
        tallies: dict[int, dict[str, int]] = {}
        for x in self.facts.assignments:
            counts = tallies.setdefault(x.judge_id, dict.fromkeys(TALLIES, 0))
            counts["assigned"] += 1
            status = self.facts.sheets.get((x.judge_id, x.application_id))
            if self.conflict(x.judge_id, x.application_id):
                counts["conflicts"] += 1
            elif status == "draft":
                counts["drafts"] += 1
            elif status == "final":
                counts["submitted"] += 1
        return tallies

    def full(self) -> int:
        """How many of the applications the round decides have all their judges (conflicts left out)."""
        k = self.round.judges_per_application  # a round setting: a change to it makes new facts
        return self.derived("full", lambda: sum(1 for a in self.candidates if self.counted(a.id) >= k))

    def counted(self, application_id: int) -> int:
        """The application's judges whose sheets count (no conflict)."""
        return sum(1 for x in self.placed(application_id) if not self.conflict(x.judge_id, x.application_id))


@cache
def _involved(placed_known: bool) -> Select:
    """The statement of `involved_judges`, built once: with the ids of the judges with places given
    (`placed`), or looked up."""
    is_judge = select(UserRole.user_id).where(UserRole.role == Role.JUDGE.value)
    round_id = bindparam("round_id")
    if placed_known:
        placed = User.id.in_(bindparam("placed", expanding=True))
    else:
        placed = User.id.in_(select(Assignment.judge_id).where(Assignment.round_id == round_id))
    declared = User.id.in_(select(ConflictDeclaration.judge_id).where(ConflictDeclaration.round_id == round_id))
    return (
        select(User.id, User.name, User.email, User.active, User.id.in_(is_judge))
        .where(or_(User.id.in_(is_judge), placed, declared))
        .order_by(User.name, User.id)
    )


@cache
def _areas() -> Select:
    return select(judge_focus_areas.c.user_id, judge_focus_areas.c.focus_area_id).where(
        judge_focus_areas.c.user_id.in_(bindparam("user_ids", expanding=True))
    )


def involved_judges(round_: Round, placed: Iterable[int] | None = None) -> dict[int, Judge]:
    """Everyone with the judge role, and anyone assigned (the judges `placed`, when the caller
    knows them) or declared in the round, by name."""
    params: dict[str, object] = {"round_id": round_.id}
    if placed is not None:
        params["placed"] = sorted(placed)
    rows = db.session.execute(_involved(placed is not None), params).all()
    areas: dict[int, set[int]] = {}
    if rows:
        for user_id, area_id in db.session.execute(_areas(), {"user_ids": [row.id for row in rows]}):
            areas.setdefault(user_id, set()).add(area_id)
    return {
        id_: Judge(id_, name, email, bool(active), bool(judge), frozenset(areas.get(id_, ())))
        for id_, name, email, active, judge in rows
    }


def load_board(round_: Round) -> Board:
    """Everything about the round's assignments, in a fixed number of queries, read for this request."""
    return Board(round=round_, facts=_facts(round_))


def _facts(round_: Round) -> Facts:
    judges = involved_judges(round_)
    applications = sorted(round_entries(round_), key=lambda a: (a.name.lower(), a.id))
    assignments = tuple(
        Placed(*row)
        for row in db.session.execute(
            select(Assignment.id, Assignment.judge_id, Assignment.application_id)
            .where(Assignment.round_id == round_.id)
            .order_by(Assignment.id)
        )
    )
    sheets = {
        (judge_id, application_id): status
        for judge_id, application_id, status in db.session.execute(
            select(ScoreSheet.judge_id, ScoreSheet.application_id, ScoreSheet.status).where(
                ScoreSheet.round_id == round_.id
            )
        )
    }
    entries = [conflicts.Entry(a.id, a.startup_id) for a in applications]
    return Facts(
        judges=judges,
        applications=tuple(applications),
        decided=frozenset(a.id for a in applications if a.stage == round_.decides_stage),
        assignments=assignments,
        sheets=sheets,
        declared={key: Declared(c.id, c.source, c.reason) for key, c in conflicts.declared(round_.id).items()},
        detected=conflicts.detect_entries(judges.values(), entries),
    )
