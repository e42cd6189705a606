"""The assignment board's figures for a round, stored: how many applications the round ranks, how
many of them it decides (they may get judges), and of those how many have all their judges
(conflicts left out); and each judge's places (assigned, conflicts, drafts, submitted). Counting
them reads every application, place and sheet of the round, so a page reads them from
`round_tallies` and `judge_tallies` instead.

`recount(round_id)` writes them all. It runs in the transaction of every change that can move
them, with the round held: a place added or removed (judging.assignments), and through
judging.ranking.results.refresh_rounds a conflict declared, marked, removed or found in the data,
a stage change, an application entering or leaving the round, and the judges a round expects.
`recount_judge(round_id, judge_id)` writes one judge's, when a sheet of theirs starts, is
submitted or is reopened (judging.sheets.services): a draft saved again moves nothing.
"""

from typing import NamedTuple

from sqlalchemy import (
    and_,
    bindparam,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    tuple_,
    union,
    union_all,
    update,
)

from incubator.applications.models import Application
from incubator.cohorts.models import CohortStartup
from incubator.extensions import db
from incubator.judging.assignments.board import TALLIES, Pair
from incubator.judging.assignments.models import JudgeTallies, RoundTallies
from incubator.judging.conflicts import detection
from incubator.judging.conflicts.models import DetectedConflict
from incubator.judging.models import Assignment, ConflictDeclaration, Round, ScoreSheet
from incubator.judging.ranking.members import round_members, round_params


class Tallies(NamedTuple):
    members: int  # the applications the round ranks
    candidates: int  # of them, those the round decides
    filled: int  # of those, the ones with all their judges (conflicts left out)


def count(round_) -> Tallies:
    """The figures from the data as it is now. `round_` needs id, cohort_id, decides_stage and
    judges_per_application."""
    members = round_members().add_columns(CohortStartup.stage).order_by(None).subquery()
    total, candidates = db.session.execute(
        select(func.count(), func.count(case((members.c.stage == round_.decides_stage, 1)))).select_from(members),
        round_params(round_),
    ).one()
    declared = exists().where(
        ConflictDeclaration.round_id == Assignment.round_id,
        ConflictDeclaration.application_id == Assignment.application_id,
        ConflictDeclaration.judge_id == Assignment.judge_id,
    )
    found = exists().where(
        DetectedConflict.judge_id == Assignment.judge_id, DetectedConflict.startup_id == Application.startup_id
    )
    places = (
        select(Assignment.application_id)
        .join(Application, Application.id == Assignment.application_id)
        .join(
            CohortStartup,
            and_(CohortStartup.startup_id == Application.startup_id, CohortStartup.cohort_id == Application.cohort_id),
        )
        .where(
            Assignment.round_id == round_.id,
            Application.cohort_id == round_.cohort_id,
            Application.status == "submitted",
            CohortStartup.stage == round_.decides_stage,
            ~declared,
            ~found,
        )
        .group_by(Assignment.application_id)
        .having(func.count() >= round_.judges_per_application)
        .subquery()
    )
    filled = db.session.scalar(select(func.count()).select_from(places))
    return Tallies(total, candidates, filled)


def recount(round_id: int) -> None:
    """Store the round's figures as the data has them now (the caller holds the round)."""
    db.session.flush()  # the caller's own change is what is counted
    round_ = db.session.execute(
        select(Round.id, Round.cohort_id, Round.decides_stage, Round.judges_per_application).where(Round.id == round_id)
    ).first()
    if round_ is None:
        return
    run = db.session.connection().execute
    judges = JudgeTallies.__table__
    # The judges' rows are taken first (a sheet that starts meanwhile waits for them, and is counted).
    run(delete(judges).where(judges.c.round_id == round_id))
    rows = [{"round_id": round_id, "judge_id": j, **figures} for j, figures in count_judges(round_id).items()]
    if rows:
        run(insert(judges), rows)
    figures = count(round_)._asdict()
    table = RoundTallies.__table__
    columns = (table.c.members, table.c.candidates, table.c.filled)
    stored = run(select(*columns).where(table.c.round_id == round_id)).first()
    if stored is None:
        run(insert(table).values(round_id=round_id, **figures))
    elif tuple(stored) != tuple(figures.values()):
        run(update(table).where(table.c.round_id == round_id).values(**figures))


def recount_judge(round_id: int, judge_id: int) -> None:
    """Store one judge's places in the round as the data has them now (a sheet of theirs started,
    was submitted or reopened). Their row is held first, so two of their saves at once are counted
    one after the other. A round with no stored figures yet is left to be counted when read."""
    db.session.flush()
    run = db.session.connection().execute
    if run(select(RoundTallies.round_id).where(RoundTallies.round_id == round_id)).first() is None:
        return
    table = JudgeTallies.__table__
    mine = and_(table.c.round_id == round_id, table.c.judge_id == judge_id)
    held = select(table.c.judge_id).where(mine)
    if db.engine.dialect.name == "postgresql":
        held = held.with_for_update()
    stored = run(held).first()
    figures = count_judges(round_id, judge_id).get(judge_id, dict.fromkeys(TALLIES, 0))
    if stored is None:
        run(insert(table).values(round_id=round_id, judge_id=judge_id, **figures))
    else:
        run(update(table).where(mine).values(**figures))


def same_place(model, other=Assignment):
    """Join condition: `model`'s row for `other`'s round, application and judge."""
    return and_(
        model.round_id == other.round_id,
        model.application_id == other.application_id,
        model.judge_id == other.judge_id,
    )


def _loads(round_id: int, judge_id: int | None) -> dict[int, dict[str, int]]:
    """{judge id: {assigned, draft, final}}: two grouped counts, each read from an index."""
    assigned = (
        select(Assignment.judge_id, literal("assigned"), func.count())
        .where(Assignment.round_id == round_id)
        .group_by(Assignment.judge_id)
    )
    sheets = (
        select(ScoreSheet.judge_id, ScoreSheet.status, func.count())
        .where(ScoreSheet.round_id == round_id)
        .group_by(ScoreSheet.judge_id, ScoreSheet.status)
    )
    if judge_id is not None:
        assigned = assigned.where(Assignment.judge_id == judge_id)
        sheets = sheets.where(ScoreSheet.judge_id == judge_id)
    loads: dict[int, dict[str, int]] = {}
    for judge, kind, number in db.session.execute(union_all(assigned, sheets)):
        loads.setdefault(judge, {})[kind] = number
    return loads


def _conflicted(round_id: int, detected: dict[Pair, str], judge_id: int | None) -> dict[Pair, str | None]:
    """{(judge id, application id): sheet status} for each place of the round with a conflict,
    declared (or marked) or found in the data: a handful of rows, in one query."""
    declared = (
        select(Assignment.judge_id, Assignment.application_id, ScoreSheet.status)
        .select_from(ConflictDeclaration)
        .join(Assignment, same_place(Assignment, ConflictDeclaration))
        .outerjoin(ScoreSheet, same_place(ScoreSheet))
        .where(ConflictDeclaration.round_id == round_id)
    )
    if judge_id is not None:
        declared = declared.where(ConflictDeclaration.judge_id == judge_id)
    found = (
        select(Assignment.judge_id, Assignment.application_id, ScoreSheet.status)
        .outerjoin(ScoreSheet, same_place(ScoreSheet))
        .where(Assignment.round_id == round_id)
        .where(tuple_(Assignment.judge_id, Assignment.application_id).in_(list(detected)) if detected else false())
    )
    return {(j, a): status for j, a, status in db.session.execute(union(declared, found))}


def count_judges(round_id: int, judge_id: int | None = None) -> dict[int, dict[str, int]]:
    """{judge id: {assigned, conflicts, drafts, submitted}} for each judge with a place or a sheet in
    the round (or for this one), from the data as it is now: conflicts are the places with one
    (declared, marked or found in the data), and drafts and submitted sheets count only the others.
    The judge's queue shows the same figures for its progress."""
    loads = _loads(round_id, judge_id)
    if not loads:
        return {}
    placed = select(Assignment.application_id).where(Assignment.round_id == round_id)
    if judge_id is not None:
        placed = placed.where(Assignment.judge_id == judge_id)
    detected = detection.found_among(list(loads), placed)
    tallies = {
        judge: dict(zip(TALLIES, (n.get("assigned", 0), 0, n.get("draft", 0), n.get("final", 0)), strict=True))
        for judge, n in loads.items()
    }
    for (judge, _application_id), status in _conflicted(round_id, detected, judge_id).items():
        counts = tallies[judge]
        counts["conflicts"] += 1
        if status in ("draft", "final"):
            counts["drafts" if status == "draft" else "submitted"] -= 1
    return tallies


# The readers' statements, built once: the board and the queue ask them on every view.
_JUDGE_ROWS = select(JudgeTallies.judge_id, *(JudgeTallies.__table__.c[name] for name in TALLIES)).where(
    JudgeTallies.round_id == bindparam("round_id")
)
_JUDGE_ROW = select(*(JudgeTallies.__table__.c[name] for name in TALLIES)).where(
    JudgeTallies.round_id == bindparam("round_id"), JudgeTallies.judge_id == bindparam("judge_id")
)
_ROUND_ROW = select(RoundTallies.members, RoundTallies.candidates, RoundTallies.filled).where(
    RoundTallies.round_id == bindparam("round_id")
)


def read_judges(round_: Round) -> dict[int, dict[str, int]]:
    """Each judge's stored places in the round (counted now if the round has no stored figures
    yet, as before an upgrade's `flask refresh-results`)."""
    rows = db.session.execute(_JUDGE_ROWS, {"round_id": round_.id}).all()
    if rows:  # written with the round's own row
        return {judge: dict(zip(TALLIES, figures, strict=True)) for judge, *figures in rows}
    stored = db.session.execute(_ROUND_ROW, {"round_id": round_.id}).first()
    return {} if stored is not None else count_judges(round_.id)


def read_judge(round_id: int, judge_id: int) -> dict[str, int]:
    """One judge's stored places in the round, for their queue's progress; counted now when they
    have no stored row (no place in the round, or places written around the product): the queue
    pages by them, and must never hide one."""
    row = db.session.execute(_JUDGE_ROW, {"round_id": round_id, "judge_id": judge_id}).first()
    if row is not None:
        return dict(zip(TALLIES, row, strict=True))
    return count_judges(round_id, judge_id).get(judge_id) or dict.fromkeys(TALLIES, 0)


def read(round_: Round) -> Tallies:
    """The round's stored figures (counted now if none are stored yet, as before an upgrade's
    `flask refresh-results`)."""
    stored = db.session.execute(_ROUND_ROW, {"round_id": round_.id}).first()
    return Tallies(*stored) if stored is not None else count(round_)
