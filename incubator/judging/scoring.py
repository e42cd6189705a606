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

import numpy as np

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
    sd = sqrt(sum((v - m) * (v - m) for v in values) / len(values))  # d * d: what numpy does too
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
    """`compute_round` from the counted sheets' stored totals (any (sheet id, judge id, application
    id, T) rows), without the criterion means (they need the scores) nor each application's sheets
    (nothing reads them from stored totals). A big round has tens of thousands of sheets: this path
    makes no object per sheet, it sums columns with numpy, and every sum adds the same values in the
    same order as `compute_round` (numpy's bincount adds in order), so each figure is the same
    float, bit for bit (tests/test_scoring_fast.py checks it on random rounds)."""
    sheets = totals if isinstance(totals, list | tuple) else list(totals)
    per_application = {app_id: index for index, app_id in enumerate(application_ids)}
    flags = {"judges_per_application": judges_per_application, "threshold": threshold, "basis": basis}
    if not sheets:
        return RoundResult(_ranked(per_application, [], [], [], [], **flags), {}, None, None, {})
    _, judge_column, application_column, total_column = zip(*sheets, strict=True)
    all_totals = list(total_column)
    round_mean, round_sd = mean(all_totals), pstdev(all_totals)
    total = np.array(all_totals, dtype=np.float64)

    judge_index: dict[int, int] = {}
    of_judge = np.array([judge_index.setdefault(j, len(judge_index)) for j in judge_column], dtype=np.intp)
    count, sums, spread = _grouped(of_judge, total, len(judge_index))
    judges = {}
    steps, judge_means, judge_sds = [], [], []
    for judge_id, sheets_of, judge_sum, judge_spread in zip(judge_index, count, sums, spread, strict=True):
        judge_mean = judge_sum / sheets_of
        stats = JudgeStats(judge_id, sheets_of, judge_mean, judge_spread if round(judge_spread, TIE_DECIMALS) else 0.0)
        stats.difference = judge_mean - round_mean
        if sheets_of < MIN_SHEETS_TO_NORMALISE:
            stats.step = STEP_TOO_FEW
        elif stats.spread > 0:
            stats.step = STEP_Z
        else:
            stats.step = STEP_FLAT
        judges[judge_id] = stats
        steps.append(stats.step)
        judge_means.append(judge_mean)
        judge_sds.append(stats.spread if stats.step == STEP_Z else 1.0)
    # `normalised` for every sheet at once: the same operations in the same order.
    step = np.array(steps)[of_judge]
    z = round_mean + round_sd * (total - np.array(judge_means)[of_judge]) / np.array(judge_sds)[of_judge]
    normalized = np.where(step == STEP_Z, z, np.where(step == STEP_TOO_FEW, total, round_mean))

    of_application = np.array(
        [per_application.setdefault(a, len(per_application)) for a in application_column], dtype=np.intp
    )
    count, sums, spread = _grouped(of_application, total, len(per_application))
    normalized_sums = np.bincount(of_application, weights=normalized, minlength=len(per_application)).tolist()
    applications = _ranked(per_application, count, sums, normalized_sums, spread, **flags)
    return RoundResult(applications, judges, round_mean, round_sd, {})


def _grouped(group: np.ndarray, values: np.ndarray, groups: int) -> tuple[list[int], list[float], list[float]]:
    """Per group: the number of values, their sum and their `pstdev` (unrounded), as Python numbers."""
    count = np.bincount(group, minlength=groups)
    sums = np.bincount(group, weights=values, minlength=groups)
    with np.errstate(divide="ignore", invalid="ignore"):  # a group without values: nan, never read
        means = sums / count
        deviation = values - means[group]
        spread = np.sqrt(np.bincount(group, weights=deviation * deviation, minlength=groups) / count)
    return count.tolist(), sums.tolist(), spread.tolist()


def _ranked(
    per_application: Mapping[int, int],
    count: Sequence[int],
    sums: Sequence[float],
    normalized_sums: Sequence[float],
    spread: Sequence[float],
    *,
    judges_per_application: int,
    threshold: float,
    basis: str,
) -> list[ApplicationResult]:
    """`compute_totals`'s applications (by index) from their sheets' count, sums and spread, flagged
    and ranked as `_compute` and `_rank` do: in rank order, unranked last."""
    scored, unscored = [], []
    normalized_basis = basis == "normalized"
    near = 10.0**-TIE_DECIMALS  # a value this far from a boundary rounds to the same side of it
    for index, application_id in enumerate(per_application):
        counted = count[index] if index < len(count) else 0
        if not counted:
            unscored.append(ApplicationResult(application_id, incomplete=judges_per_application > 0))
            continue
        raw, normalized, sd = sums[index] / counted, normalized_sums[index] / counted, spread[index]
        # `pstdev`'s noise rule and the disagreement flag, rounding only where rounding can decide.
        if sd < near and not round(sd, TIE_DECIMALS):
            sd = 0.0
        if abs(sd - threshold) > near:
            disagreement = counted >= 2 and sd > threshold
        else:
            disagreement = counted >= 2 and round(sd, TIE_DECIMALS) >= threshold
        result = ApplicationResult(
            application_id, [], raw, normalized, sd, counted, disagreement, counted < judges_per_application
        )
        scored.append((-round(normalized if normalized_basis else raw, TIE_DECIMALS), application_id, result))
    scored.sort()  # by value, highest first, then by id: the ids differ, so results are never compared
    previous, previous_rank = None, 0
    for position, (key, _, result) in enumerate(scored, start=1):
        result.rank = previous_rank if key == previous else position
        previous, previous_rank = key, result.rank
    unscored.sort(key=lambda r: r.application_id)
    return [entry[2] for entry in scored] + unscored


def _compute(
    criteria: Sequence[Criterion],
    results: Sequence[SheetResult],
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
