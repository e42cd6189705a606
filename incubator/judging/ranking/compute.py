"""Load a round's data and compute its ranking through the one scoring module.

Pages, CSV/XLSX exports and PDFs all call `round_ranking`, so they show the same figures.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import defaultload, lazyload

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.extensions import db
from incubator.judging import scoring
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import (
    Criterion,
    Decision,
    Round,
    Rubric,
    Score,
    ScoreSheet,
    StoredExclusion,
    StoredJudgeStats,
    StoredResult,
    StoredRoundFigures,
)
from incubator.judging.ranking.members import round_applications, round_entries
from incubator.startups.models import Startup


@dataclass
class SheetRow:
    """A score sheet as plain data: what the ranking, its explanation and the exports read.

    Loaded as tuples rather than ORM objects: a province-wide round holds hundreds of
    thousands of scores, and building an object per score costs far more than the maths.
    Comments are not here; the few pages that show them load those sheets themselves.
    """

    id: int
    judge_id: int
    application_id: int
    status: str
    total: float | None = None  # T as stored when the sheet was submitted (final sheets)
    values: dict[int, Decimal] = field(default_factory=dict)  # criterion id -> stored value


@dataclass(frozen=True)
class RankingCore:
    """What computing a round's ranking gives, as plain data (no ORM objects; reasons in the
    language it was read in), never changed by readers."""

    result: scoring.RoundResult
    application_ids: tuple[int, ...]  # in id order
    startup_names: dict[int, str]  # application id -> startup name
    judge_ids: frozenset[int]
    sheets: dict[int, SheetRow]  # every sheet of the round, counted or not
    exclusions: dict[int, str]  # sheet id -> translated reason it does not count
    decisions: dict[int, str]  # application id -> outcome
    # A decided round's sheets that counted in its decision with a conflict found since: sheet id ->
    # translated reason. They still count: a decided round's figures are a record.
    found_after: dict[int, str] = field(default_factory=dict)
    # Values worked out from the fields above, once per request (see RoundRanking.derived).
    derived: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


class RoundRanking:
    """A round's ranking for one request: the plain core plus the round, its judges and, on
    demand, the applications as objects of this request's session."""

    def __init__(self, round_: Round, core: RankingCore):
        self.round = round_
        self.result = core.result
        self.application_ids = core.application_ids
        self.startup_names = core.startup_names
        self.sheets = core.sheets
        self.decisions = core.decisions
        self.exclusions = core.exclusions
        self.found_after = core.found_after
        self._core = core
        self._included = self.derived("included", lambda: frozenset(core.application_ids))

    def derived(self, name: str, make: Callable[[], object]):
        """`make()`, worked out once per request: for values worked out from the plain fields only
        (never from the request's language or session), which must not be changed by readers."""
        if name not in self._core.derived:
            self._core.derived[name] = make()
        return self._core.derived[name]

    def __contains__(self, application_id: int) -> bool:
        """Whether the round ranks this application."""
        return application_id in self._included

    @cached_property
    def judges(self) -> dict[int, User]:
        """The round's judges (everyone with a sheet in it) as objects, for the pages that name them."""
        ids = self._core.judge_ids
        return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}

    @cached_property
    def applications(self) -> dict[int, Application]:
        """Every ranked application as an object: thousands in a big round, so only the
        pages that need them all (decisions, PDFs) ask for this."""
        return {a.id: a for a in round_applications(self.round) if a.id in self._included}

    def application(self, application_id: int) -> Application | None:
        """One ranked application, or None when the round does not rank it."""
        if application_id not in self:
            return None
        if "applications" in self.__dict__:
            return self.applications[application_id]
        return db.session.get(Application, application_id)


def applications_by_id(ids: Iterable[int]) -> dict[int, Application]:
    """The applications with these ids as objects (with their startup), in one query: for the
    rows a page shows of a round's thousands."""
    ids = list(ids)
    if not ids:
        return {}
    statement = (
        select(Application)
        .where(Application.id.in_(ids))
        .options(
            lazyload(Application.cohort),
            lazyload(Application.membership),
            defaultload(Application.startup).lazyload(Startup.members),
        )
    )
    return {a.id: a for a in db.session.scalars(statement).unique()}


def round_ranking(round_: Round) -> RoundRanking:
    """Every figure of the round's ranking as stored, with what the explain view needs, read for
    this request (nothing is kept between requests)."""
    return RoundRanking(round_, _compute(round_))


def _compute(round_: Round) -> RankingCore:
    from flask_babel import lazy_gettext as _l

    applications = {a.id: a for a in round_entries(round_)}
    sheets = _sheet_rows(round_.id)
    judge_ids = {s.judge_id for s in sheets.values()}
    judges = list(db.session.scalars(select(User).where(User.id.in_(judge_ids)))) if judge_ids else []
    declared = conflicts.declared(round_.id)
    detected = conflicts.detect_entries(judges, [conflicts.Entry(a.id, a.startup_id) for a in applications.values()])
    exclusions: dict[int, str] = {}
    found_after: dict[int, str] = {}
    recorded = recorded_exclusions(round_)
    plain: list[scoring.Sheet] = []
    for sheet in sheets.values():
        key = (sheet.judge_id, sheet.application_id)
        conflict = key in declared or key in detected
        if key in declared:
            exclusions[sheet.id] = str(_l("Conflict of interest: %(reason)s", reason=declared[key].reason))
        elif key in detected:
            exclusions[sheet.id] = str(_l("Conflict of interest: %(reason)s", reason=detected[key]))
        elif sheet.status != "final":
            exclusions[sheet.id] = str(_l("Not submitted (draft)."))
        if recorded is not None and sheet.status == "final" and conflict != (sheet.id in recorded):
            # A decided round's figures are as they were decided: a sheet counts as it did then.
            if conflict:
                found_after[sheet.id] = exclusions.pop(sheet.id)
            else:
                exclusions[sheet.id] = str(_l("Conflict of interest when the round was decided."))
            conflict = not conflict
        excluded = None
        if sheet.id in exclusions:
            excluded = scoring.EXCLUDED_CONFLICT if conflict else scoring.EXCLUDED_DRAFT
        plain.append(
            scoring.Sheet(
                sheet.id,
                sheet.judge_id,
                sheet.application_id,
                {criterion_id: float(value) for criterion_id, value in sheet.values.items()},
                excluded,
            )
        )
    criteria = [
        scoring.Criterion(c.id, float(c.weight), float(c.scale_min), float(c.scale_max))
        for c in db.session.scalars(
            select(Criterion)
            .join(Rubric, Rubric.id == Criterion.rubric_id)
            .where(Rubric.round_id == round_.id)
            .order_by(Criterion.position, Criterion.id)
            .options(lazyload(Criterion.levels))
        )
    ]
    totals = {s.id: s.total for s in sheets.values() if s.status == "final"}
    ranked = [s for s in plain if s.application_id in applications]
    result = _stored_result(round_, criteria, ranked, totals, applications)
    decisions = {
        application_id: outcome
        for application_id, outcome in db.session.execute(
            select(Decision.application_id, Decision.outcome).where(Decision.round_id == round_.id)
        )
    }
    return RankingCore(
        result=result,
        application_ids=tuple(applications),
        startup_names={a.id: a.name for a in applications.values()},
        judge_ids=frozenset(judge_ids),
        sheets=sheets,
        exclusions=exclusions,
        decisions=decisions,
        found_after=found_after,
    )


def recorded_exclusions(round_: Round, sheet_ids: Iterable[int] | None = None) -> set[int] | None:
    """For a decided round, the ids of the final sheets (of `sheet_ids`, if given) its stored
    figures left out for a conflict; None for a round not decided, or decided before its figures
    recorded them (no stored μ and σ: nothing tells a conflict found after its decision)."""
    if round_.phase != "decided" or db.session.get(StoredRoundFigures, round_.id) is None:
        return None
    statement = select(StoredExclusion.sheet_id).where(StoredExclusion.round_id == round_.id)
    if sheet_ids is not None:
        statement = statement.where(StoredExclusion.sheet_id.in_(list(sheet_ids)))
    return set(db.session.scalars(statement))


def _stored_result(
    round_: Round,
    criteria: list[scoring.Criterion],
    sheets: list[scoring.Sheet],
    totals: dict[int, float | None],
    application_ids: Iterable[int],
) -> scoring.RoundResult:
    """The round's figures as judging.ranking.results.refresh stored them (read, never computed again),
    with each sheet's T and T' worked out from them by judging.scoring."""
    run = db.session.execute
    stored = {
        row.application_id: scoring.ApplicationResult(
            row.application_id,
            raw=row.raw,
            normalized=row.normalized,
            spread=row.spread,
            judges_counted=row.judges_counted,
            disagreement=row.disagreement,
            incomplete=row.incomplete,
            rank=row.rank,
        )
        for row in run(select(StoredResult).where(StoredResult.round_id == round_.id)).scalars()
    }
    # An application the round ranks without a stored row yet (a decided round's figures are a
    # record: one that joined later) has no figures.
    results = [stored.get(i) or scoring.ApplicationResult(i) for i in application_ids]
    judges = {
        row.judge_id: scoring.JudgeStats(row.judge_id, row.sheets, row.mean, row.spread, row.difference, row.step)
        for row in run(select(StoredJudgeStats).where(StoredJudgeStats.round_id == round_.id)).scalars()
    }
    figures = db.session.get(StoredRoundFigures, round_.id)
    if figures is not None:
        mean, sd = figures.mean, figures.sd
    else:  # a round decided before μ and σ were stored: the same figures from its stored totals
        counted = [
            scoring.sheet_total(criteria, s.scores) if totals.get(s.id) is None else totals[s.id]
            for s in sheets
            if s.excluded is None
        ]
        mean, sd = scoring.mean(counted), scoring.pstdev(counted)
    return scoring.from_stored(criteria, sheets, totals, results, judges, mean, sd)


def _sheet_rows(round_id: int) -> dict[int, SheetRow]:
    """Every sheet of the round with its entered values, in two plain queries."""
    sheets = {
        sheet_id: SheetRow(sheet_id, judge_id, application_id, status, total)
        for sheet_id, judge_id, application_id, status, total in db.session.execute(
            select(
                ScoreSheet.id, ScoreSheet.judge_id, ScoreSheet.application_id, ScoreSheet.status, ScoreSheet.total
            ).where(ScoreSheet.round_id == round_id)
        )
    }
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for sheet_id, criterion_id, value in db.session.execute(
        select(Score.sheet_id, Score.criterion_id, Score.value)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .where(ScoreSheet.round_id == round_id, Score.value.is_not(None))
    ):
        values[sheet_id][criterion_id] = value
    for sheet_id, entered in values.items():
        sheets[sheet_id].values = entered
    return sheets
