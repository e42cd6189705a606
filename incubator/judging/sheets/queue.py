"""A judge's work in a round: the queue and its progress (reminders.py e-mails the judges who
still have applications to score). The queue page reads its progress and one page of its items
in SQL (`queue_page`); the home page and the reminders read every item (`round_work`).

"Unfinished work" is an assigned application without a submitted sheet and without a
conflict of interest (declared, or found in the data): a conflicted judge cannot score it.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

from sqlalchemy import Select, and_, bindparam, select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.cohorts.models import FocusArea
from incubator.core.pagination import ListPage, window_params, windowed
from incubator.extensions import db
from incubator.judging.assignments import tallies
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, ConflictDeclaration, Round, ScoreSheet
from incubator.judging.permissions import JUDGE_PHASES
from incubator.startups.models import Startup, by_name_walk_pays


@dataclass(frozen=True)
class QueueItem:
    """One assigned application as plain data (a big round gives a judge hundreds of them:
    the page loads the objects of the ones it shows)."""

    application_id: int
    startup: str
    city: str
    focus_area_id: int | None
    focus_area: str | None  # its name in the page's language, when the queue page reads it
    status: str  # not_started | draft | final | conflict
    conflict: str | None = None  # why the judge may not score it (translated)
    declared: bool = False  # the judge (or a director) declared it, rather than it being found in the data


@dataclass
class Work:
    """One judge's assignments in one round."""

    round: Round
    judge: User
    items: tuple[QueueItem, ...] = ()

    # Counted once per page: a big round's queue holds hundreds of items.
    @cached_property
    def total(self) -> int:
        """Applications the judge is expected to score (conflicts left out)."""
        return sum(1 for item in self.items if item.status != "conflict")

    @cached_property
    def submitted(self) -> int:
        return sum(1 for item in self.items if item.status == "final")

    @property
    def left(self) -> int:
        return self.total - self.submitted

    @cached_property
    def conflicts(self) -> int:
        return sum(1 for item in self.items if item.status == "conflict")


def round_work(rounds: Iterable[Round], judge: User | None = None) -> dict[tuple[int, int], Work]:
    """{(round id, judge id): Work} for every assignment in `rounds` (only `judge`'s when given).

    A fixed number of queries whatever the number of assignments, and plain rows throughout."""
    rounds = {r.id: r for r in rounds}
    if not rounds:
        return {}
    query = (
        select(
            Assignment.round_id,
            Assignment.judge_id,
            Application.id,
            Startup.id,
            Startup.name,
            Startup.city,
            Startup.focus_area_id,
        )
        .join(Application, Application.id == Assignment.application_id)
        .join(Startup, Startup.id == Application.startup_id)
        .where(Assignment.round_id.in_(rounds))
        .order_by(Startup.name, Application.id)
    )
    sheets_query = select(ScoreSheet.round_id, ScoreSheet.judge_id, ScoreSheet.application_id, ScoreSheet.status).where(
        ScoreSheet.round_id.in_(rounds)
    )
    if judge is not None:
        query = query.where(Assignment.judge_id == judge.id)
        sheets_query = sheets_query.where(ScoreSheet.judge_id == judge.id)
    rows = db.session.execute(query).all()
    if not rows:
        return {}
    if judge is not None:
        judges = {judge.id: judge}
    else:
        judge_ids = {row[1] for row in rows}
        judges = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(judge_ids)))}
    statuses = {(r, j, a): status for r, j, a, status in db.session.execute(sheets_query)}
    declared = {}
    for round_id in rounds:
        for (judge_id, application_id), declaration in conflicts.declared(round_id).items():
            declared[(round_id, judge_id, application_id)] = declaration.reason
    entries = {row[2]: conflicts.Entry(row[2], row[3]) for row in rows}
    detected = conflicts.detect_entries(judges.values(), entries.values())
    items: dict[tuple[int, int], list[QueueItem]] = {}
    for round_id, judge_id, application_id, _startup_id, name, city, area_id in rows:
        key = (round_id, judge_id, application_id)
        startup = (application_id, name, city or "", area_id, None)
        if key in declared:
            item = QueueItem(*startup, "conflict", declared[key], declared=True)
        elif (judge_id, application_id) in detected:
            item = QueueItem(*startup, "conflict", detected[(judge_id, application_id)])
        else:
            item = QueueItem(*startup, statuses.get(key, "not_started"))
        items.setdefault((round_id, judge_id), []).append(item)
    return {
        (round_id, judge_id): Work(rounds[round_id], judges[judge_id], tuple(found))
        for (round_id, judge_id), found in items.items()
    }


def judge_work(round_: Round, judge: User) -> Work:
    """The judge's queue in `round_` (empty when nothing is assigned), read for this request."""
    work = round_work([round_], judge).get((round_.id, judge.id))
    return Work(round_, judge, work.items if work else ())


def judging_rounds(judge: User) -> list[Work]:
    """The rounds open or closed in which `judge` has assignments, soonest deadline first."""
    rounds = db.session.scalars(
        select(Round)
        .where(
            Round.phase.in_(JUDGE_PHASES),
            Round.id.in_(select(Assignment.round_id).where(Assignment.judge_id == judge.id)),
        )
        .order_by(Round.phase.desc(), Round.scoring_closes_at, Round.id)  # open before closed
    ).all()
    found = round_work(rounds, judge)
    return [found[(r.id, judge.id)] for r in rounds if (r.id, judge.id) in found]


# --- the queue page: its progress and one page of its items, in SQL ----------------------------


@dataclass(frozen=True)
class Progress:
    """A judge's assignments in a round, counted: all of them, those with a conflict, those submitted."""

    assigned: int
    conflicts: int
    submitted: int

    @property
    def total(self) -> int:
        """Applications the judge is expected to score (conflicts left out)."""
        return self.assigned - self.conflicts

    @property
    def left(self) -> int:
        return self.total - self.submitted


# The queue's statements are built once and run with the round's and the judge's ids
# (`_mine`): building them with SQLAlchemy cost more than running them.
ROUND_ID, JUDGE_ID = bindparam("round_id"), bindparam("judge_id")


def _mine(round_: Round, judge: User) -> dict[str, int]:
    return {"round_id": round_.id, "judge_id": judge.id}


@cache
def _assigned() -> Select:
    return select(Assignment.application_id).where(Assignment.round_id == ROUND_ID, Assignment.judge_id == JUDGE_ID)


def detected_conflicts(round_: Round, judge: User) -> dict[int, str]:
    """{application id: translated reason} for each of the judge's assignments in the round with a
    conflict found in the data (the only place the queue page asks for them)."""
    found = conflicts.found_among([judge.id], _assigned(), _mine(round_, judge))
    return {application_id: reason for (_judge_id, application_id), reason in found.items()}


def _progress(round_: Round, judge: User) -> Progress:
    """The judge's stored places in the round (judging.assignments.tallies): assigned, with a
    conflict, and submitted (conflicts left out), as the assignment board shows them."""
    figures = tallies.read_judge(round_.id, judge.id)
    return Progress(figures["assigned"], figures["conflicts"], figures["submitted"])


BY_NAME = (Startup.name, Startup.id)  # one application per startup in a round


def _page_columns(statement: Select) -> Select:
    """A page's rows as the queue shows them: (application id, name, city, focus area id, focus area
    name, the judge's sheet status, the reason they declared a conflict), read in one query."""

    def of_mine(model):
        return and_(model.round_id == ROUND_ID, model.application_id == Application.id, model.judge_id == JUDGE_ID)

    return (
        statement.outerjoin(FocusArea, FocusArea.id == Startup.focus_area_id)
        .outerjoin(ScoreSheet, of_mine(ScoreSheet))
        .outerjoin(ConflictDeclaration, of_mine(ConflictDeclaration))
        .order_by(*BY_NAME)
    )


def _columns(focus_area: str) -> tuple:
    return (
        Application.id,
        Startup.name,
        Startup.city,
        Startup.focus_area_id,
        getattr(FocusArea, focus_area),
        ScoreSheet.status,
        ConflictDeclaration.reason,
    )


@cache
def _sorted_page(focus_area: str) -> Select:
    """A page of a judge given a few of the startups: their assignments, sorted (`focus_area`: the
    language's name column, name_id or name_en)."""
    statement = select(*_columns(focus_area)).join(Startup, Startup.id == Application.startup_id)
    return windowed(_page_columns(statement.where(Application.id.in_(_assigned()))))


@cache
def _walked_page(focus_area: str) -> Select:
    """A page of a judge given many of the startups: the page's startups are picked by walking the
    startups' name index, stopping after the page (by_name_walk_pays)."""
    placed = select(Assignment.id).where(
        Assignment.round_id == ROUND_ID, Assignment.application_id == Application.id, Assignment.judge_id == JUDGE_ID
    )
    of_startup = select(Application.id).where(Application.startup_id == Startup.id, placed.exists())
    startups = windowed(select(Startup.id).where(of_startup.exists()).order_by(*BY_NAME))
    statement = (
        select(*_columns(focus_area)).select_from(Startup).join(Application, Application.startup_id == Startup.id)
    )
    return _page_columns(statement.where(Startup.id.in_(startups), placed.exists()))


def _page_rows(round_: Round, judge: User, number: int, per_page: int, assigned: int) -> list:
    """The page's rows (see `_page_columns`), by startup name."""
    focus_area = FocusArea.name_column().key
    statement = _walked_page(focus_area) if by_name_walk_pays(assigned) else _sorted_page(focus_area)
    return db.session.execute(statement, _mine(round_, judge) | window_params(number, per_page)).all()


def queue_page(round_: Round, judge: User, number: int, per_page: int) -> tuple[Progress, ListPage]:
    """The judge's progress in the round and the `number`-th page of their queue (by startup
    name; past the end, the last page): a fixed number of indexed queries whatever the number
    of assignments."""
    detected = detected_conflicts(round_, judge)
    progress = _progress(round_, judge)
    number = min(number, max(1, math.ceil(progress.assigned / per_page)))
    items = []
    for application_id, name, city, area_id, area, status, declared in _page_rows(
        round_, judge, number, per_page, progress.assigned
    ):
        startup = (application_id, name, city or "", area_id, area)
        if declared is not None:
            items.append(QueueItem(*startup, "conflict", declared, declared=True))
        elif application_id in detected:
            items.append(QueueItem(*startup, "conflict", detected[application_id]))
        else:
            items.append(QueueItem(*startup, status or "not_started"))
    return progress, ListPage(items, number, per_page, progress.assigned)
