"""What the pitch-day pages read: the director's live board (a fixed number of queries, however
many judges and pitches: the sheet states in one), a judge's own pitches, the schedule and the
released results (the round's stored results, never computed here)."""

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import and_, select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.extensions import db
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, ConflictDeclaration, ScoreSheet
from incubator.judging.ranking import standings
from incubator.pitchday.models import PitchDay, PitchReminder, PitchSlot
from incubator.startups.models import Startup

STATES = ("not_started", "draft", "submitted", "conflicted")
# A board cell per state (None: not assigned): n, d, s, c, x are pitchday.css's classes.
CELLS = {
    "not_started": '<td class="n">·</td>',
    "draft": '<td class="d">✎</td>',
    "submitted": '<td class="s">✓</td>',
    "conflicted": '<td class="c">⊘</td>',
    None: '<td class="x"></td>',
}


@dataclass(frozen=True)
class Pitch:
    """A slot of the run of show with what the pages show of its startup."""

    slot_id: int
    position: int
    application_id: int
    startup: str
    startup_id: int


@dataclass(frozen=True)
class Judge:
    id: int
    name: str
    email: str
    missing: int = 0


@dataclass
class Board:
    """One row per pitch, one column per judge; `cells[(application id, judge id)]` is a state
    of STATES, absent where the judge is not assigned the pitch."""

    pitches: list[Pitch]
    judges: list[Judge]
    cells: dict[tuple[int, int], str]
    current: int | None  # the application on stage
    missing: int  # sheets of the pitches called so far that are not submitted (conflicts aside)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[Pitch, Markup]]:
        """Each pitch with its row of cells in the judges' order, as HTML: a board has thousands of
        cells, each a constant (a one-letter class and a mark), joined here rather than by a
        template loop."""
        judges = [j.id for j in self.judges]
        return [
            (p, Markup("".join(CELLS[self.cells.get((p.application_id, j))] for j in judges)))  # noqa: S704 - constants
            for p in self.pitches
        ]


def pitches(pitch_day: PitchDay) -> list[Pitch]:
    """The run of show in order, with the startups' names, in one query."""
    rows = db.session.execute(
        select(PitchSlot.id, PitchSlot.position, PitchSlot.application_id, Startup.name, Startup.id)
        .join(Application, Application.id == PitchSlot.application_id)
        .join(Startup, Startup.id == Application.startup_id)
        .where(PitchSlot.pitch_day_id == pitch_day.id)
        .order_by(PitchSlot.position)
    )
    return [Pitch(*row) for row in rows]


def sheet_states(pitch_day: PitchDay, judge_id: int | None = None):
    """(application id, judge id, sheet status or None, declared conflict or None) for every
    assignment of the pitch day's pitches (of `judge_id` alone when given): the one query of the
    stored sheet states."""
    round_id = pitch_day.round_id
    mine = [Assignment.judge_id == judge_id] if judge_id is not None else []
    return db.session.execute(
        select(Assignment.application_id, Assignment.judge_id, ScoreSheet.status, ConflictDeclaration.id)
        .join(
            PitchSlot,
            and_(PitchSlot.application_id == Assignment.application_id, PitchSlot.pitch_day_id == pitch_day.id),
        )
        .outerjoin(
            ScoreSheet,
            and_(
                ScoreSheet.round_id == round_id,
                ScoreSheet.application_id == Assignment.application_id,
                ScoreSheet.judge_id == Assignment.judge_id,
            ),
        )
        .outerjoin(
            ConflictDeclaration,
            and_(
                ConflictDeclaration.round_id == round_id,
                ConflictDeclaration.application_id == Assignment.application_id,
                ConflictDeclaration.judge_id == Assignment.judge_id,
            ),
        )
        .where(Assignment.round_id == round_id, *mine)
    ).all()


def _state(status: str | None, conflicted: bool) -> str:
    if conflicted:
        return "conflicted"
    return {"final": "submitted", "draft": "draft"}.get(status or "", "not_started")


def board(pitch_day: PitchDay) -> Board:
    """The live board: the run of show, the judges, and each assignment's state."""
    shown = pitches(pitch_day)
    rows = sheet_states(pitch_day)
    judge_ids = sorted({judge_id for _a, judge_id, _s, _c in rows})
    people = (
        db.session.execute(select(User.id, User.name, User.email).where(User.id.in_(judge_ids))).all()
        if judge_ids
        else []
    )
    entries = [conflicts.Entry(p.application_id, p.startup_id) for p in shown]
    pairs = [(judge_id, application_id) for application_id, judge_id, _s, _c in rows]
    found = conflicts.detect_entries([conflicts.Judge(i, e) for i, _n, e in people], entries, pairs) if pairs else {}
    cells = {
        (application_id, judge_id): _state(status, declared is not None or (judge_id, application_id) in found)
        for application_id, judge_id, status, declared in rows
    }
    called = {p.application_id for p in shown[: pitch_day.called]}
    missing_by_judge: dict[int, int] = {}
    for (application_id, judge_id), state in cells.items():
        if application_id in called and state in ("not_started", "draft"):
            missing_by_judge[judge_id] = missing_by_judge.get(judge_id, 0) + 1
    judges = sorted(
        (Judge(i, n, e, missing_by_judge.get(i, 0)) for i, n, e in people), key=lambda j: (j.name.casefold(), j.id)
    )
    current = pitch_day.current_slot
    counts = {state: 0 for state in STATES}
    for state in cells.values():
        counts[state] += 1
    return Board(
        shown,
        judges,
        cells,
        current.application_id if current else None,
        sum(missing_by_judge.values()),
        counts,
    )


def judge_missing(pitch_day: PitchDay, judge_id: int) -> int:
    """How many sheets of the pitches called so far `judge_id` has not submitted (conflicts aside)."""
    return next((j.missing for j in board(pitch_day).judges if j.id == judge_id), 0)


@dataclass(frozen=True)
class JudgePitch:
    pitch: Pitch
    state: str


def judge_pitches(pitch_day: PitchDay, judge: User) -> list[JudgePitch]:
    """The pitches assigned to `judge`, in the run's order, with the state of their sheet."""
    assigned = {
        application_id: (status, declared)
        for application_id, _judge, status, declared in sheet_states(pitch_day, judge.id)
    }
    shown = [p for p in pitches(pitch_day) if p.application_id in assigned]
    entries = [conflicts.Entry(p.application_id, p.startup_id) for p in shown]
    found = conflicts.detect_entries([conflicts.Judge(judge.id, judge.email)], entries) if shown else {}
    states = []
    for p in shown:
        status, declared = assigned[p.application_id]
        states.append(JudgePitch(p, _state(status, declared is not None or (judge.id, p.application_id) in found)))
    return states


def judges_pitch_day(pitch_day: PitchDay, judge_id: int) -> bool:
    """Whether the judge is assigned a pitch of the day (one EXISTS query)."""
    assigned = (
        select(Assignment.id)
        .join(
            PitchSlot,
            and_(PitchSlot.application_id == Assignment.application_id, PitchSlot.pitch_day_id == pitch_day.id),
        )
        .where(Assignment.round_id == pitch_day.round_id, Assignment.judge_id == judge_id)
    )
    return bool(db.session.scalar(select(assigned.exists())))


def is_assigned(pitch_day: PitchDay, judge_id: int, application_id: int) -> bool:
    statement = select(Assignment.id).where(
        Assignment.round_id == pitch_day.round_id,
        Assignment.judge_id == judge_id,
        Assignment.application_id == application_id,
    )
    return db.session.scalar(statement.limit(1)) is not None


def startup_name(application_id: int) -> str | None:
    return db.session.scalar(
        select(Startup.name)
        .join(Application, Application.startup_id == Startup.id)
        .where(Application.id == application_id)
    )


def reminder_for(pitch_day: PitchDay, judge_id: int) -> PitchReminder | None:
    return db.session.get(PitchReminder, (pitch_day.id, judge_id))


def results(pitch_day: PitchDay) -> list:
    """The top of the round's ranking as stored (judging.ranking.standings: RankingEntry lines)."""
    summary = standings.summary(pitch_day.round_id)
    page = standings.ranking_page(
        pitch_day.round_id,
        sort="rank",
        flag="",
        query="",
        page=1,
        per_page=pitch_day.results_top,
        total=summary.applications,
    )
    return [entry for entry in page.items if entry.rank is not None]
