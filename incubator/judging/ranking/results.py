"""A round's stored results: the one writer of `round_results`, `round_judge_stats`, `round_figures`
and `round_exclusions`.

`refresh(round_)` rebuilds a round's stored figures from its counted sheets' stored totals
(`ScoreSheet.total`, written on submit) through judging.scoring, so they always equal what
`scoring.compute_round` gives on the live data. Every service that can move them calls it in
its own transaction: a sheet submitted or reopened, a conflict declared, marked or removed, a
conflict found in the data appearing or going (a mentor assigned or removed, a team member's
address), a phase change, a round's settings, a decision, and an application entering or leaving
the rounds (a stage change, an application submitted, reopened, withdrawn or imported). Draft
saves never do: a draft does not count.

It holds the round's row until the transaction ends (FOR NO KEY UPDATE on PostgreSQL), so two
refreshes of a round (two judges submitting at once) run one after the other and the second reads
what the first wrote; drafts being saved meanwhile (FOR KEY SHARE) go on, and a phase change
(FOR UPDATE) waits for both. A decided round's figures are a record of what was decided on: once a
round is decided, `refresh` leaves them as they are.
"""

import gc
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from operator import itemgetter, ne

from sqlalchemy import Table, bindparam, delete, insert, select, union, update

from incubator.applications.models import Application
from incubator.extensions import db
from incubator.judging import scoring
from incubator.judging.assignments import tallies
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Round,
    Rubric,
    Score,
    ScoreSheet,
    StoredExclusion,
    StoredJudgeStats,
    StoredResult,
    StoredRoundFigures,
)
from incubator.judging.ranking.members import round_members, round_params

RESULT_FIELDS = ("raw", "normalized", "rank", "judges_counted", "spread", "disagreement", "incomplete")
JUDGE_FIELDS = ("sheets", "mean", "spread", "difference", "step")


def scoring_criteria(criteria: Iterable[Criterion]) -> list[scoring.Criterion]:
    """A rubric's criteria as judging.scoring reads them, in the rubric's order."""
    return [scoring.Criterion(c.id, float(c.weight), float(c.scale_min), float(c.scale_max)) for c in criteria]


def sheet_total(criteria: Iterable[Criterion], sheet: ScoreSheet) -> float | None:
    """The sheet's total T (judging.scoring.sheet_total); None while a criterion has no score."""
    scores = {s.criterion_id: float(s.value) for s in sheet.scores if s.value is not None}
    return scoring.sheet_total(scoring_criteria(criteria), scores)


def refresh(round_: Round, *, places: bool = True) -> None:
    """Rebuild the round's stored results from its stored totals, unless it is decided, and its
    assignment board's figures (judging.assignments.tallies), in every phase. A sheet submitted or
    reopened moves no place nor stage: it passes `places=False`."""
    refresh_rounds([round_.id], places=places)


def refresh_rounds(round_ids: Iterable[int], *, places: bool = True) -> None:
    """`refresh` for several rounds, locked in id order (so no two writers wait on each other)."""
    for round_id in sorted(set(round_ids)):
        settings = _lock(round_id)
        if settings is None:
            continue
        if settings.phase != "decided":
            with _no_cycle_collection():
                _rebuild(settings)
        if places:
            tallies.recount(round_id)


_pauses = {"count": 0, "was_enabled": False}
_pauses_lock = threading.Lock()


@contextmanager
def _no_cycle_collection():
    """A big round's figures are tens of thousands of small objects without cycles: collecting
    cycles while they are made walks every object the process holds, again and again, which took
    most of a refresh (150 of 330 ms for 5,000 applications). Reference counting still frees them.
    The collector is one per process: it runs again once the last refresh that paused it (in any
    thread) is done, and is left off if something else had turned it off."""
    with _pauses_lock:
        if _pauses["count"] == 0:
            _pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _pauses["count"] += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses["count"] -= 1
            if _pauses["count"] == 0 and _pauses["was_enabled"]:
                gc.enable()


def refresh_cohort(cohort_id: int) -> None:
    """`refresh` for every round of the cohort (a decision moves startups into the next round)."""
    refresh_rounds(db.session.scalars(select(Round.id).where(Round.cohort_id == cohort_id)))


def lock_cohort(cohort_id: int) -> None:
    """Hold every round of the cohort, in id order, before holding one of them for a change that
    ends in `refresh_cohort`: two such changes in two rounds of a cohort then wait for each other
    instead of each holding the round the other needs."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(Round.id).where(Round.cohort_id == cohort_id).order_by(Round.id).with_for_update())


def refresh_for(*, startup_ids: Iterable[int], judge_ids: Iterable[int] | None = None) -> None:
    """`refresh` for the rounds where a conflict found in the data may have appeared or gone: those
    with a place or a final sheet on an application of these startups (by one of these judges, if
    given)."""
    startup_ids = list(startup_ids)
    if not startup_ids:
        return
    sheets = (
        select(ScoreSheet.round_id)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(Application.startup_id.in_(startup_ids), ScoreSheet.status == "final")
    )
    places = (
        select(Assignment.round_id)
        .join(Application, Application.id == Assignment.application_id)
        .where(Application.startup_id.in_(startup_ids))
    )
    if judge_ids is not None:
        sheets = sheets.where(ScoreSheet.judge_id.in_(list(judge_ids)))
        places = places.where(Assignment.judge_id.in_(list(judge_ids)))
    refresh_rounds(db.session.scalars(union(sheets, places)).all())


def rebuild_all() -> int:
    """Fill in missing totals and build every round's stored results, a decided round's only when
    it has none yet (after an upgrade); the number of rounds built. For `flask refresh-results`."""
    built = 0
    for round_id in db.session.scalars(select(Round.id).order_by(Round.id)).all():
        settings = _lock(round_id)
        stored = db.session.scalar(select(StoredResult.application_id).where(StoredResult.round_id == round_id))
        if settings.phase != "decided" or stored is None:
            _fill_totals(round_id)
            with _no_cycle_collection():
                _rebuild(settings)
            built += 1
        tallies.recount(round_id)
    return built


def _lock(round_id: int):
    """Hold the round exclusively until this transaction ends, and read what computing its results
    needs, as committed (None when the round is gone)."""
    db.session.flush()  # this transaction's own changes count
    if db.engine.dialect.name != "postgresql":
        # SQLite has one writer at a time: writing first takes that lock before anything is read.
        db.session.execute(update(Round.__table__).where(Round.id == round_id).values(phase=Round.phase))
    statement = select(
        Round.id,
        Round.cohort_id,
        Round.decides_stage,
        Round.phase,
        Round.judges_per_application,
        Round.disagreement_threshold,
        Round.ranking_basis,
    ).where(Round.id == round_id)
    if db.engine.dialect.name == "postgresql":
        # FOR NO KEY UPDATE: refreshes run one at a time; a draft's save (FOR KEY SHARE) goes on
        # beside them, and a phase change (FOR UPDATE, sheets.services.lock_round) waits for both.
        statement = statement.with_for_update(key_share=True)
    return db.session.execute(statement).first()


def compute_now(round_: Round) -> scoring.RoundResult:
    """The round's figures from the data as it is now, written nowhere: what `refresh` would store
    were the round not decided (a decided round's re-decision preview compares them with the
    record)."""
    return _compute(round_)[0]


def _compute(settings) -> tuple[scoring.RoundResult, set[int]]:
    """The round's figures, and the ids of its final sheets left out for a conflict."""
    run = db.session.connection().execute  # plain rows: no ORM work for each of thousands
    entries = run(round_members(), round_params(settings)).all()  # rows with .id and .startup_id, as conflicts.Entry
    application_ids = {entry[0]: None for entry in entries}
    final = (
        select(ScoreSheet.id, ScoreSheet.judge_id, ScoreSheet.application_id, ScoreSheet.total)
        .where(ScoreSheet.round_id == settings.id, ScoreSheet.status == "final")
        .order_by(ScoreSheet.id)
    )
    # Rows read by position and sorted in one pass, no object made per sheet: a big round has 15,000
    # (reading a row's columns by name, or a tuple per sheet per step, cost more than the maths).
    sheets = run(final).all()
    if any(sheet[3] is None for sheet in sheets):  # final sheets written before totals were stored
        _fill_totals(settings.id)
        sheets = run(final).all()
    declared = select(ConflictDeclaration.judge_id, ConflictDeclaration.application_id).where(
        ConflictDeclaration.round_id == settings.id
    )
    excluded = {(judge_id, application_id) for judge_id, application_id in run(declared)}
    if sheets:
        judges = {sheet[1] for sheet in sheets}  # a few ids: a query of them would read every sheet again
        cohort = select(Application.startup_id).where(Application.cohort_id == settings.cohort_id)
        # Every pair found, not only the sheets': a few, and only sheets' pairs are looked up.
        excluded.update(conflicts.detect_entries(judges, entries, startups=cohort))
    counted, left_out = [], set()
    for sheet in sheets:
        sheet_id, judge_id, application_id, _ = sheet
        if application_id in application_ids:
            if (judge_id, application_id) in excluded:
                left_out.add(sheet_id)
            else:
                counted.append(sheet)
    result = scoring.compute_totals(
        counted,
        application_ids,
        judges_per_application=settings.judges_per_application,
        threshold=float(settings.disagreement_threshold),
        basis=settings.ranking_basis,
    )
    return result, left_out


def _rebuild(settings) -> None:
    """Compute the round's figures and write the rows whose values changed."""
    result, left_out = _compute(settings)
    results = {
        a.application_id: (a.raw, a.normalized, a.rank, a.judges_counted, a.spread, a.disagreement, a.incomplete)
        for a in result.applications
    }
    _write(StoredResult.__table__, "application_id", RESULT_FIELDS, settings.id, results)
    judges = {j.judge_id: (j.sheets, j.mean, j.spread, j.difference, j.step) for j in result.judges.values()}
    _write(StoredJudgeStats.__table__, "judge_id", JUDGE_FIELDS, settings.id, judges)
    _write_figures(settings.id, result)
    _write(StoredExclusion.__table__, "sheet_id", (), settings.id, dict.fromkeys(left_out, ()))


def _write_figures(round_id: int, result: scoring.RoundResult) -> None:
    """Store the round's μ and σ and the ranking's counts (one row per round), unless they are
    stored already."""
    applications = result.applications
    figures = {
        "mean": result.mean,
        "sd": result.sd,
        "applications": len(applications),
        "ranked": sum(1 for a in applications if a.rank is not None),
        "disagreement": sum(1 for a in applications if a.disagreement),
        "incomplete": sum(1 for a in applications if a.incomplete),
    }
    table = StoredRoundFigures.__table__
    run = db.session.connection().execute
    stored = run(select(*(table.c[name] for name in figures)).where(table.c.round_id == round_id)).first()
    if stored is None:
        run(insert(table).values(round_id=round_id, **figures))
    elif tuple(stored) != tuple(figures.values()):
        run(update(table).where(table.c.round_id == round_id).values(**figures))


def _write(table: Table, key: str, fields: Sequence[str], round_id: int, wanted: dict) -> None:
    """Make the round's rows of `table` equal `wanted` ({key: values in `fields` order}), with one
    statement each for the rows to add, change and remove (plain statements with many parameter
    sets: the ORM's bulk path costs more per row than the database does)."""
    run = db.session.connection().execute
    statement = select(table.c[key], *(table.c[name] for name in fields)).where(table.c.round_id == round_id)
    stored = {row[0]: tuple(row[1:]) for row in run(statement).all()}
    added = [k for k in wanted if k not in stored]
    changed = [k for k, values in wanted.items() if k in stored and stored[k] != values]
    gone = [k for k in stored if k not in wanted]
    if gone:
        run(delete(table).where(table.c.round_id == round_id, table.c[key].in_(gone)))
    if added:
        run(insert(table), [{"round_id": round_id, key: k, **dict(zip(fields, wanted[k], strict=True))} for k in added])
    if changed:
        # Every normalised score moves with each submit, most often alone: rows are set in groups by
        # the columns that changed, so a row whose rank and flags stay is not written into their
        # indexes again (on SQLite that halves the cost of thousands of updates).
        groups: dict[tuple[bool, ...], list] = defaultdict(list)
        for k in changed:
            groups[tuple(map(ne, wanted[k], stored[k]))].append(k)
        for which, keys in groups.items():
            columns = [index for index, differs in enumerate(which) if differs]
            # The changed columns' values as a tuple (a slice: one column's too).
            pick = itemgetter(*columns) if len(columns) > 1 else itemgetter(slice(columns[0], columns[0] + 1))
            rows = [(k, *pick(wanted[k])) for k in keys]
            _update(table, key, [fields[index] for index in columns], round_id, rows)


def _update(table: Table, key: str, fields: Sequence[str], round_id: int, rows: list[tuple]) -> None:
    """Set `fields` of the round's rows of `table` to the values of `rows` ((key, *values)), in one
    statement (no per-row statement work of SQLAlchemy's: it cost more than the database's)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # One statement over arrays, one column each: thousands of single-row UPDATEs, even
        # pipelined, cost PostgreSQL some 200 ms.
        types = [table.c[name].type.compile(dialect=connection.dialect) for name in (key, *fields)]
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        assignments = ", ".join(f"{name} = v.{name}" for name in fields)
        connection.exec_driver_sql(
            f"UPDATE {table.name} AS t SET {assignments} FROM unnest({arrays}) AS v({key}, {', '.join(fields)}) "  # noqa: S608 - names are ours
            f"WHERE t.round_id = %s AND t.{key} = v.{key}",
            (*(list(column) for column in zip(*rows, strict=True)), round_id),
        )
    else:
        assignments = ", ".join(f"{name} = ?" for name in fields)
        connection.exec_driver_sql(
            f"UPDATE {table.name} SET {assignments} WHERE round_id = ? AND {key} = ?",  # noqa: S608 - names are ours
            [(*values, round_id, k) for k, *values in rows],
        )


def _fill_totals(round_id: int) -> None:
    """Write the total of each final sheet of the round that has none (written before totals were
    stored, or by a bulk insert)."""
    missing = db.session.scalars(
        select(ScoreSheet.id).where(
            ScoreSheet.round_id == round_id, ScoreSheet.status == "final", ScoreSheet.total.is_(None)
        )
    ).all()
    if not missing:
        return
    criteria = scoring_criteria(
        db.session.scalars(
            select(Criterion)
            .join(Rubric, Rubric.id == Criterion.rubric_id)
            .where(Rubric.round_id == round_id)
            .order_by(Criterion.position, Criterion.id)
        )
    )
    scores: dict[int, dict[int, float]] = {sheet_id: {} for sheet_id in missing}
    for sheet_id, criterion_id, value in db.session.execute(
        select(Score.sheet_id, Score.criterion_id, Score.value).where(
            Score.sheet_id.in_(missing), Score.value.is_not(None)
        )
    ):
        scores[sheet_id][criterion_id] = float(value)
    table = ScoreSheet.__table__
    db.session.execute(
        update(table).where(table.c.id == bindparam("sheet_id")).values(total=bindparam("sheet_total")),
        [
            {"sheet_id": sheet_id, "sheet_total": scoring.sheet_total(criteria, entered)}
            for sheet_id, entered in scores.items()
        ],
    )
