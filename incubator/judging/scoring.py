"""The scoring rules of DESIGN.md as plain functions over plain data (no Flask, no database).

Every page, export and PDF that shows a score gets it from `compute_round`:
sheet totals on a 0-100 scale, raw and normalised application scores, spread,
the disagreement and incomplete flags, standard competition ranks, and judge
statistics, with each step kept so the director's "explain" view can show it.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import sqrt
from typing import NamedTuple

MIN_SHEETS_TO_NORMALISE = 3
# Ranking compares unrounded values; this many decimals absorbs float noise so that
# equal scores reached by different sums still tie.
TIE_DECIMALS = 9

# Why a sheet does not count.
EXCLUDED_CONFLICT = "conflict"
EXCLUDED_DRAFT = "draft"

# How a counted sheet was normalised.
STEP_Z = "z"  # T' = μ + σ (T − μ_j) / σ_j
STEP_FLAT = "flat"  # σ_j = 0: T' = μ
STEP_TOO_FEW = "too_few"  # fewer than 3 counted sheets: T' = T


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class Sheet:
    id: int
    judge_id: int
    application_id: int
    scores: Mapping[int, float]  # criterion id -> score
    excluded: str | None = None  # None when the sheet counts


@dataclass
class SheetResult:
    sheet: Sheet
    total: float | None  # T; None for a draft with missing scores
    normalized: float | None = None  # T' (counted sheets only)
    step: str | None = None

    @property
    def counted(self) -> bool:
        return self.sheet.excluded is None


@dataclass
class JudgeStats:
    judge_id: int
    sheets: int
    mean: float | None
    spread: float | None  # population standard deviation of the judge's totals
    difference: float | None = None  # mean − the round's μ: below 0 harsher, above 0 more lenient
    step: str | None = None  # how this judge's sheets were normalised


@dataclass
class ApplicationResult:
    application_id: int
    sheets: list[SheetResult] = field(default_factory=list)
    raw: float | None = None
    normalized: float | None = None
    spread: float | None = None
    judges_counted: int = 0
    disagreement: bool = False
    incomplete: bool = True
    rank: int | None = None
    criterion_means: dict[int, float] = field(default_factory=dict)


@dataclass
class RoundResult:
    applications: list[ApplicationResult]  # in rank order, unranked last
    judges: dict[int, JudgeStats]
    mean: float | None  # μ over all counted sheets
    sd: float | None  # σ over all counted sheets
    criterion_means: dict[int, float]  # each criterion's mean score over counted sheets

    def by_application(self) -> dict[int, ApplicationResult]:
        return {a.application_id: a for a in self.applications}


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def pstdev(values: Sequence[float]) -> float | None:
    """Population standard deviation; 0 for one value, None for none."""
    if not values:
        return None
    m = sum(values) / len(values)
    sd = sqrt(sum((v - m) ** 2 for v in values) / len(values))
    # Equal totals can leave a mean one float step away from them (seven sheets of 98.33…):
    # a σ of 1e-14 is noise, and read as real it would stretch a flat judge's sheets by σ / σ_j.
    return sd if round(sd, TIE_DECIMALS) else 0.0


def sheet_total(criteria: Sequence[Criterion], scores: Mapping[int, float]) -> float | None:
    """T = 100 × Σ w·(s − min)/(max − min) / Σ w; None while a criterion has no score."""
    weights = sum(c.weight for c in criteria)
    if not criteria or weights <= 0:
        return None
    total = 0.0
    for c in criteria:
        value = scores.get(c.id)
        if value is None:
            return None
        total += c.weight * (float(value) - c.minimum) / (c.maximum - c.minimum)
    return 100.0 * total / weights


def compute_round(
    criteria: Sequence[Criterion],
    sheets: Iterable[Sheet],
    application_ids: Iterable[int],
    *,
    judges_per_application: int,
    threshold: float = 15.0,
    basis: str = "raw",
) -> RoundResult:
    """Every figure of a round's ranking, following DESIGN.md's scoring rules exactly."""
    results = []
    for sheet in sheets:
        result = SheetResult(sheet, sheet_total(criteria, sheet.scores))
        if sheet.excluded is None and result.total is None:
            raise ValueError(f"sheet {sheet.id} counts but lacks a score")
        results.append(result)
    return _compute(
        criteria,
        results,
        application_ids,
        judges_per_application=judges_per_application,
        threshold=threshold,
        basis=basis,
    )


class CountedTotal(NamedTuple):
    """A counted sheet as the stored read model keeps it: no scores, only its total T."""

    sheet_id: int
    judge_id: int
    application_id: int
    total: float


def compute_totals(
    totals: Iterable[CountedTotal],
    application_ids: Iterable[int],
    *,
    judges_per_application: int,
    threshold: float = 15.0,
    basis: str = "raw",
) -> RoundResult:
    """`compute_round` from the counted sheets' stored totals: the same figures by the same steps,
    without the criterion means (they need the scores)."""
    results = [_Counted(t) for t in totals]
    return _compute(
        (),
        results,
        application_ids,
        judges_per_application=judges_per_application,
        threshold=threshold,
        basis=basis,
    )


class _Counted:
    """A counted sheet in `compute_totals`: what the steps read and write of a SheetResult, in one
    small object (a big round has tens of thousands: this is most of refreshing its results)."""

    __slots__ = ("sheet", "total", "normalized", "step")
    counted = True

    def __init__(self, sheet: CountedTotal):
        self.sheet, self.total, self.normalized, self.step = sheet, sheet.total, None, None


def _compute(
    criteria: Sequence[Criterion],
    results: "Sequence[SheetResult | _Counted]",
    application_ids: Iterable[int],
    *,
    judges_per_application: int,
    threshold: float,
    basis: str,
) -> RoundResult:
    """Steps 2 to 5 of DESIGN.md's scoring rules, from the sheets' totals."""
    per_application = {app_id: ApplicationResult(app_id) for app_id in application_ids}
    counted: list[SheetResult] = []
    by_judge: dict[int, list[SheetResult]] = defaultdict(list)
    for result in results:
        sheet = result.sheet
        application = per_application.get(sheet.application_id)
        if application is None:
            application = per_application[sheet.application_id] = ApplicationResult(sheet.application_id)
        application.sheets.append(result)
        if result.counted:
            counted.append(result)
            by_judge[sheet.judge_id].append(result)

    all_totals = [r.total for r in counted]
    round_mean, round_sd = mean(all_totals), pstdev(all_totals)
    judges = {}
    for judge_id, results in by_judge.items():
        totals = [r.total for r in results]
        stats = JudgeStats(judge_id, len(totals), mean(totals), pstdev(totals))
        stats.difference = stats.mean - round_mean
        judges[judge_id] = stats
        if stats.sheets < MIN_SHEETS_TO_NORMALISE:
            stats.step = STEP_TOO_FEW
        elif stats.spread > 0:
            stats.step = STEP_Z
        else:
            stats.step = STEP_FLAT
        for r in results:
            r.step = stats.step
            r.normalized = normalised(r.total, stats, round_mean, round_sd)

    for result in per_application.values():
        mine = [r for r in result.sheets if r.counted]
        totals = [r.total for r in mine]
        result.judges_counted = len(mine)
        result.incomplete = len(mine) < judges_per_application
        if mine:
            result.raw = mean(totals)
            result.normalized = mean([r.normalized for r in mine])
            result.spread = pstdev(totals)
            result.disagreement = len(mine) >= 2 and round(result.spread, TIE_DECIMALS) >= threshold
            result.criterion_means = _criterion_means(criteria, mine)

    ordered = _rank(list(per_application.values()), basis)
    return RoundResult(ordered, judges, round_mean, round_sd, _criterion_means(criteria, counted))


def normalised(total: float, judge: JudgeStats, round_mean: float, round_sd: float) -> float:
    """A counted sheet's T' from its total T, its judge's statistics and the round's μ and σ."""
    if judge.step == STEP_TOO_FEW:
        return total
    if judge.step == STEP_Z:
        return round_mean + round_sd * (total - judge.mean) / judge.spread
    return round_mean


def from_stored(
    criteria: Sequence[Criterion],
    sheets: Iterable[Sheet],
    totals: Mapping[int, float | None],
    applications: Iterable[ApplicationResult],
    judges: Mapping[int, JudgeStats],
    round_mean: float | None,
    round_sd: float | None,
) -> RoundResult:
    """A round's result from its stored figures (`applications` with their rank, scores and flags,
    `judges`, μ and σ, as judging.ranking.results.refresh wrote them): each sheet's T is its stored total
    (`totals`, by sheet id; worked out from its scores when none is stored, as for a draft) and
    each counted sheet's T' follows from its judge's stored statistics. Nothing is ranked again."""
    per_application = {a.application_id: a for a in applications}
    counted: list[SheetResult] = []
    for sheet in sheets:
        application = per_application.get(sheet.application_id)
        if application is None:
            continue
        total = totals.get(sheet.id)
        result = SheetResult(sheet, sheet_total(criteria, sheet.scores) if total is None else total)
        stats = judges.get(sheet.judge_id)
        if result.counted and result.total is not None:
            counted.append(result)
            if stats is not None and round_mean is not None:
                result.step = stats.step
                result.normalized = normalised(result.total, stats, round_mean, round_sd)
        application.sheets.append(result)
    for application in per_application.values():
        application.criterion_means = _criterion_means(
            criteria, [r for r in application.sheets if r.counted and r.total is not None]
        )
    ordered = sorted(per_application.values(), key=lambda a: (a.rank is None, a.rank or 0, a.application_id))
    return RoundResult(ordered, dict(judges), round_mean, round_sd, _criterion_means(criteria, counted))


def _criterion_means(criteria: Sequence[Criterion], counted: Sequence[SheetResult]) -> dict[int, float]:
    """Each criterion's mean score over these counted sheets (none: no means)."""
    if not counted:
        return {}
    return {c.id: mean([float(r.sheet.scores[c.id]) for r in counted]) for c in criteria}


def _rank(results: list[ApplicationResult], basis: str) -> list[ApplicationResult]:
    """Highest first, standard competition ranking (1, 2, 2, 4); no counted sheet: no rank, last."""

    def value(r: ApplicationResult) -> float | None:
        return r.normalized if basis == "normalized" else r.raw

    scored = [r for r in results if value(r) is not None]
    unscored = [r for r in results if value(r) is None]
    scored.sort(key=lambda r: (-round(value(r), TIE_DECIMALS), r.application_id))
    previous, previous_rank = None, 0
    for position, r in enumerate(scored, start=1):
        key = round(value(r), TIE_DECIMALS)
        r.rank = previous_rank if key == previous else position
        previous, previous_rank = key, r.rank
    unscored.sort(key=lambda r: r.application_id)
    return scored + unscored
