"""Assigning judges to a round's applications, and conflicts of interest.

Every change goes through here: by hand (`assign`, `unassign`), in bulk (`bulk_assign`),
automatically (`auto_assign`: a preview first, the same computation applied on confirm),
a judge's own declaration (`declare_conflict`), a director's mark (`mark_conflict`,
`remove_conflict`), and the focus areas a judge knows (`set_judge_focus_areas`). Services
flush, record an audit event and never commit. `load_board` reads what the pages and the
automatic assignment need, in a fixed number of queries.

Decisions:
- Assignments change while a round is a draft, open or closed, never once it is decided:
  its results and the decisions made from them must keep agreeing.
- New judges go only to the applications the round decides (submitted, and the startup is
  at the stage the round decides), never to a withdrawn or already moved-on startup.
- A judge's place is removed only while they have written nothing for it. A submitted
  sheet, or a draft holding any score or comment, is the judge's work: it would stay in
  the ranking without the assignment that explains it. The director marks a conflict of
  interest instead (the sheet then stops counting). An empty draft goes with the place.
- A judge declares a conflict while the round is open for scoring: judges do not see a
  draft round at all, and once scoring has closed the results are final, so a director
  marks it instead. Only a director's mark can be removed; a judge's declaration is theirs.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import Role, User, UserRole
from incubator.cohorts.models import FocusArea
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.assignments import allocation
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, ConflictDeclaration, Round, ScoreSheet, judge_focus_areas
from incubator.judging.ranking import results
from incubator.judging.ranking.compute import RoundEntry, applications_by_id, round_entries

Pair = tuple[int, int]  # (judge id, application id)
TALLIES = ("assigned", "conflicts", "drafts", "submitted")
REASON_LIMIT = 500
CHANGEABLE_PHASES = ("draft", "open", "closed")

UNFILLED_REASONS = {
    allocation.TOO_FEW_JUDGES: _l("There are not enough judges in the programme."),
    allocation.CONFLICTS: _l("Not enough judges without a conflict of interest."),
    allocation.CAP: _l("The judges without a conflict of interest have reached the cap."),
}


# --- reading a round's assignments ---------------------------------------------------


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
    decided: frozenset[int]  # the ids of those the round decides (see `decides`)
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


def decides(round_: Round, application: Application) -> bool:
    return bool(
        application.cohort_id == round_.cohort_id
        and application.status == "submitted"
        and application.membership is not None
        and application.membership.stage == round_.decides_stage
    )


def _involved_judges(round_: Round) -> dict[int, Judge]:
    """Everyone with the judge role, and anyone assigned or declared in the round, by name."""
    is_judge = select(UserRole.user_id).where(UserRole.role == Role.JUDGE.value)
    involved = or_(
        User.id.in_(is_judge),
        User.id.in_(select(Assignment.judge_id).where(Assignment.round_id == round_.id)),
        User.id.in_(select(ConflictDeclaration.judge_id).where(ConflictDeclaration.round_id == round_.id)),
    )
    rows = db.session.execute(
        select(User.id, User.name, User.email, User.active, User.id.in_(is_judge))
        .where(involved)
        .order_by(User.name, User.id)
    ).all()
    areas: dict[int, set[int]] = {}
    if rows:
        for user_id, area_id in db.session.execute(
            select(judge_focus_areas.c.user_id, judge_focus_areas.c.focus_area_id).where(
                judge_focus_areas.c.user_id.in_([row.id for row in rows])
            )
        ):
            areas.setdefault(user_id, set()).add(area_id)
    return {
        id_: Judge(id_, name, email, bool(active), bool(judge), frozenset(areas.get(id_, ())))
        for id_, name, email, active, judge in rows
    }


def load_board(round_: Round) -> Board:
    """Everything about the round's assignments, in a fixed number of queries, read for this request."""
    return Board(round=round_, facts=_facts(round_))


def _facts(round_: Round) -> Facts:
    judges = _involved_judges(round_)
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
    entries = [conflicts.Entry(a.id, a.startup_id, a.owner_id) for a in applications]
    return Facts(
        judges=judges,
        applications=tuple(applications),
        decided=frozenset(a.id for a in applications if a.stage == round_.decides_stage),
        assignments=assignments,
        sheets=sheets,
        declared={key: Declared(c.id, c.source, c.reason) for key, c in conflicts.declared(round_.id).items()},
        detected=conflicts.detect_entries(judges.values(), entries),
    )


def conflict_reason(round_: Round, application: Application, judge: User) -> str | None:
    """Why `judge` may not judge `application` in `round_` (declared, marked or found), or None."""
    declaration = db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.round_id == round_.id,
            ConflictDeclaration.application_id == application.id,
            ConflictDeclaration.judge_id == judge.id,
        )
    )
    if declaration is not None:
        return declaration.reason
    return conflicts.detect([judge], [application]).get((judge.id, application.id))


# --- checks shared by the writes ------------------------------------------------------


def _check_changeable(round_: Round) -> None:
    if round_.phase not in CHANGEABLE_PHASES:
        raise ServiceError(_l("This round is decided: its judges and conflicts can no longer change."))


def _check_judge(user: User | None) -> User:
    if user is None:
        raise ServiceError(_l("Choose judges from the list."))
    if not user.has_role(Role.JUDGE):
        raise ServiceError(_l("%(name)s is not a judge.", name=user.name))
    if not user.active:
        raise ServiceError(_l("The account of %(name)s is deactivated.", name=user.name))
    return user


def _check_decides(round_: Round, application: Application) -> None:
    if not decides(round_, application):
        raise ServiceError(
            _l("%(startup)s is not among the applications this round decides.", startup=application.startup.name)
        )


def _lock(round_: Round) -> Round:
    """Hold the round until this transaction ends, so that two directors assigning at the same
    moment do not both add the same places (and the phase read stays true)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(Round.id).where(Round.id == round_.id).with_for_update())
    else:  # SQLite: writing first takes its single writer lock
        db.session.execute(update(Round).where(Round.id == round_.id).values(phase=Round.phase))
    db.session.refresh(round_)
    return round_


def _find(round_id: int, application_id: int, judge_id: int) -> Assignment | None:
    return db.session.scalar(
        select(Assignment).where(
            Assignment.round_id == round_id,
            Assignment.application_id == application_id,
            Assignment.judge_id == judge_id,
        )
    )


# --- by hand ---------------------------------------------------------------------------


def assign(round_: Round, application: Application, judge: User, actor: User) -> Assignment:
    """Ask `judge` to score `application` in `round_`. Refused for a conflict of interest
    (declared, marked or found in the data), a non-judge, or a judge already assigned."""
    _lock(round_)
    _check_changeable(round_)
    _check_decides(round_, application)
    _check_judge(judge)
    names = {"judge": judge.name, "startup": application.startup.name}
    if _find(round_.id, application.id, judge.id) is not None:
        raise ServiceError(_l("%(judge)s is already assigned to %(startup)s.", **names))
    reason = conflict_reason(round_, application, judge)
    if reason:
        raise ServiceError(
            _l("%(judge)s has a conflict of interest with %(startup)s: %(reason)s", reason=reason, **names)
        )
    assignment = Assignment(
        round_id=round_.id, application_id=application.id, judge_id=judge.id, created_by_id=actor.id
    )
    savepoint = db.session.begin_nested()
    db.session.add(assignment)
    try:
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        raise ServiceError(_l("%(judge)s is already assigned to %(startup)s.", **names)) from None
    record("assignment.created", assignment, actor=actor, application_id=application.id, judge_id=judge.id)
    return assignment


def _has_work(sheet: ScoreSheet) -> bool:
    return bool(
        sheet.status == "final"
        or sheet.overall_comment
        or sheet.recommendation
        or any(s.value is not None or s.comment for s in sheet.scores)
    )


def unassign(round_: Round, assignment: Assignment, actor: User) -> None:
    """Take a judge off an application. Refused once the judge has written anything for it
    (see the module's decisions); an empty draft sheet is removed with the place."""
    _lock(round_)
    _check_changeable(round_)
    sheet = db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.round_id == round_.id,
            ScoreSheet.application_id == assignment.application_id,
            ScoreSheet.judge_id == assignment.judge_id,
        )
    )
    if sheet is not None and _has_work(sheet):
        raise ServiceError(
            _l(
                "This judge has already scored or commented on this application, so the place is kept. "
                "Mark a conflict of interest instead if their sheet must not count."
            )
        )
    record(
        "assignment.deleted",
        assignment,
        actor=actor,
        application_id=assignment.application_id,
        judge_id=assignment.judge_id,
        empty_sheet_removed=sheet is not None or None,
    )
    if sheet is not None:
        db.session.delete(sheet)
    db.session.delete(assignment)
    db.session.flush()


# --- in bulk ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkResult:
    added: int
    already: int  # pairs that were assigned already
    conflicted: int  # pairs left out for a conflict of interest


def bulk_assign(round_: Round, application_ids: Iterable[int], judge_ids: Iterable[int], actor: User) -> BulkResult:
    """Assign every chosen judge to every chosen application, leaving out pairs already made
    and pairs with a conflict of interest (they are counted, not refused)."""
    _lock(round_)
    _check_changeable(round_)
    application_ids, judge_ids = sorted(set(application_ids)), sorted(set(judge_ids))
    if not application_ids or not judge_ids:
        raise ServiceError(_l("Choose at least one application and one judge."))
    applications = db.session.scalars(select(Application).where(Application.id.in_(application_ids))).all()
    if len(applications) != len(application_ids) or not all(decides(round_, a) for a in applications):
        raise ServiceError(_l("Choose applications that this round decides."))
    judges = db.session.scalars(select(User).where(User.id.in_(judge_ids))).all()
    if len(judges) != len(judge_ids):
        raise ServiceError(_l("Choose judges from the list."))
    for judge in judges:
        _check_judge(judge)
    made = {
        (j, a)
        for j, a in db.session.execute(
            select(Assignment.judge_id, Assignment.application_id).where(Assignment.round_id == round_.id)
        )
    }
    forbidden = set(conflicts.declared(round_.id)) | set(conflicts.detect(judges, applications))
    added, already, conflicted = [], 0, 0
    for application in sorted(applications, key=lambda a: a.id):
        for judge in sorted(judges, key=lambda u: u.id):
            pair = (judge.id, application.id)
            if pair in made:
                already += 1
            elif pair in forbidden:
                conflicted += 1
            else:
                added.append(pair)
    _add(round_, added, actor)
    record(
        "assignments.bulk",
        round_,
        actor=actor,
        added=len(added),
        already=already,
        conflicted=conflicted,
        pairs=[list(p) for p in added],
    )
    return BulkResult(len(added), already, conflicted)


def _add(round_: Round, pairs: Sequence[Pair], actor: User) -> None:
    for judge_id, application_id in pairs:
        db.session.add(
            Assignment(round_id=round_.id, application_id=application_id, judge_id=judge_id, created_by_id=actor.id)
        )
    db.session.flush()


# --- automatically ---------------------------------------------------------------------


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
        _lock(round_)
    _check_changeable(round_)
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
    _add(round_, result.add, actor)
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


# --- conflicts of interest ---------------------------------------------------------------


def _clean_reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_l("Give the reason for the conflict of interest."))
    if len(reason) > REASON_LIMIT:
        raise ServiceError(_l("Use at most %(max)d characters.", max=REASON_LIMIT))
    return reason


def _existing_declaration(round_id: int, application_id: int, judge_id: int) -> ConflictDeclaration | None:
    return db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.round_id == round_id,
            ConflictDeclaration.application_id == application_id,
            ConflictDeclaration.judge_id == judge_id,
        )
    )


def _save_declaration(declaration: ConflictDeclaration, message) -> None:
    savepoint = db.session.begin_nested()
    db.session.add(declaration)
    try:
        savepoint.commit()
    except IntegrityError:  # the same pair declared at the same moment elsewhere
        savepoint.rollback()
        raise ServiceError(message) from None


def declare_conflict(round_: Round, application: Application, judge: User, reason: str) -> ConflictDeclaration:
    """The judge says they cannot judge `application` fairly, and why: they will not score it,
    and any sheet of theirs for it stops counting. Only for an application assigned to them,
    while the round is open for scoring."""
    _lock(round_)
    reason = _clean_reason(reason)
    if _find(round_.id, application.id, judge.id) is None:
        raise ServiceError(_l("This application is not assigned to you."))
    if round_.phase != "open":
        raise ServiceError(
            _l(
                "Scoring is not open in this round, so you cannot declare a conflict here. "
                "Tell the programme director, who can mark it."
            )
        )
    already = _l("A conflict of interest with %(startup)s is already recorded.", startup=application.startup.name)
    if _existing_declaration(round_.id, application.id, judge.id) is not None:
        raise ServiceError(already)
    declaration = ConflictDeclaration(
        round_id=round_.id,
        application_id=application.id,
        judge_id=judge.id,
        source="judge",
        reason=reason,
        created_by_id=judge.id,
    )
    _save_declaration(declaration, already)
    results.refresh(round_)  # the judge's sheet for it, if any, stops counting
    record("conflict.declared", declaration, actor=judge, application_id=application.id, judge_id=judge.id)
    return declaration


def mark_conflict(
    round_: Round, application: Application, judge: User, reason: str, actor: User
) -> ConflictDeclaration:
    """A director records a conflict of interest between a judge and an application, assigned
    or not (a marked pair is never assigned). A place already assigned is kept, and any sheet
    of that judge for it stops counting."""
    _lock(round_)
    _check_changeable(round_)
    reason = _clean_reason(reason)
    if application.cohort_id != round_.cohort_id or application.status != "submitted":
        raise ServiceError(
            _l("%(startup)s is not among the applications of this round.", startup=application.startup.name)
        )
    if not judge.has_role(Role.JUDGE):
        raise ServiceError(_l("%(name)s is not a judge.", name=judge.name))
    already = _l(
        "A conflict of interest between %(judge)s and %(startup)s is already recorded.",
        judge=judge.name,
        startup=application.startup.name,
    )
    if _existing_declaration(round_.id, application.id, judge.id) is not None:
        raise ServiceError(already)
    declaration = ConflictDeclaration(
        round_id=round_.id,
        application_id=application.id,
        judge_id=judge.id,
        source="director",
        reason=reason,
        created_by_id=actor.id,
    )
    _save_declaration(declaration, already)
    results.refresh(round_)  # the judge's sheet for it, if any, stops counting
    record("conflict.marked", declaration, actor=actor, application_id=application.id, judge_id=judge.id)
    return declaration


def remove_conflict(round_: Round, declaration: ConflictDeclaration, actor: User) -> None:
    """Remove a conflict a director marked (a judge's own declaration stays)."""
    _lock(round_)
    _check_changeable(round_)
    if declaration.source != "director":
        raise ServiceError(_l("A conflict declared by the judge cannot be removed."))
    record(
        "conflict.removed",
        declaration,
        actor=actor,
        application_id=declaration.application_id,
        judge_id=declaration.judge_id,
        reason=declaration.reason,
    )
    db.session.delete(declaration)
    db.session.flush()
    results.refresh(round_)  # the judge's sheet for it, if any, counts again


# --- what judges know --------------------------------------------------------------------


def judge_area_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(select(judge_focus_areas.c.focus_area_id).where(judge_focus_areas.c.user_id == user.id))
    )


def set_judge_focus_areas(user: User, areas: Iterable[FocusArea], actor: User) -> None:
    """The focus areas `user` knows well; the automatic assignment prefers matching them."""
    if not user.has_role(Role.JUDGE):
        raise ServiceError(_l("%(name)s is not a judge.", name=user.name))
    wanted = sorted({a.id for a in areas})
    before = sorted(judge_area_ids(user))
    db.session.execute(delete(judge_focus_areas).where(judge_focus_areas.c.user_id == user.id))
    if wanted:
        db.session.execute(insert(judge_focus_areas), [{"user_id": user.id, "focus_area_id": a} for a in wanted])
    db.session.flush()
    record("judge.focus_areas_set", user, actor=actor, before=before, after=wanted)
