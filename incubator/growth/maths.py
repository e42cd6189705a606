"""The maths of growth across gates, as plain functions over plain numbers (no Flask, no database).

Scores on different criteria (a 1-5 scale, a 0-10 scale) compare only once put on one scale:
`on_scale` puts a criterion's mean score on 0-100, as a sheet's total does. A criterion's growth
between two gates is the change of the startup's mean on it, in points of that scale.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from incubator.judging.scoring import TIE_DECIMALS, mean

WEAKEST_COUNT = 2


def on_scale(value: float | None, minimum: float, maximum: float) -> float | None:
    """A score on a criterion's own scale [minimum, maximum] put on 0-100."""
    if value is None:
        return None
    return 100.0 * (float(value) - float(minimum)) / (float(maximum) - float(minimum))


@dataclass(frozen=True)
class Standing:
    """How a startup stands on one criterion of a round: its mean score (raw, on the criterion's
    scale) and both its mean and the round's mean on the 0-100 scale."""

    criterion_id: int
    position: int  # the criterion's place in the rubric: the last tie-break
    raw: float
    score: float
    round_mean: float

    @property
    def gap(self) -> float:
        return self.score - self.round_mean


def weakest(standings: Iterable[Standing], count: int = WEAKEST_COUNT) -> list[Standing]:
    """The weakest criteria rule: the `count` criteria furthest below the round's mean on the 0-100
    scale, ties broken by the lower raw mean (then the rubric's order). A criterion at or above the
    round's mean is never weak, so fewer than `count` may come back."""
    below = [s for s in standings if round(s.gap, TIE_DECIMALS) < 0]
    below.sort(key=lambda s: (round(s.gap, TIE_DECIMALS), round(s.raw, TIE_DECIMALS), s.position, s.criterion_id))
    return below[:count]


def changes(points: Sequence[float | None]) -> list[float | None]:
    """Gate to gate changes of a series (one fewer than the points); None where either end is missing."""
    return [None if a is None or b is None else b - a for a, b in zip(points, points[1:], strict=False)]


def overall_change(points: Sequence[float | None]) -> float | None:
    """From the first gate with a score to the last one: None with fewer than two scores."""
    present = [p for p in points if p is not None]
    return present[-1] - present[0] if len(present) >= 2 else None


@dataclass(frozen=True)
class GroupChange:
    """The mean change of a group of startups, and how many it is over."""

    label: str
    startups: int
    mean_change: float | None


def group_changes(rows: Iterable[tuple[str, float]]) -> list[GroupChange]:
    """(group, a startup's change) pairs → each group's mean change, largest group first, then by name."""
    groups: dict[str, list[float]] = {}
    for label, change in rows:
        groups.setdefault(label, []).append(change)
    result = [GroupChange(label, len(values), mean(values)) for label, values in groups.items()]
    result.sort(key=lambda g: (-g.startups, g.label.casefold()))
    return result


def extremes(
    changes_by_startup: dict[str, float], count: int = 3
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The startups that grew most (largest change first) and least (smallest first), by name on ties:
    `count` each, but never more than half of them each, so no startup is in both lists (with one
    startup, it grew most and none least)."""
    ordered = sorted(changes_by_startup.items(), key=lambda kv: (-round(kv[1], TIE_DECIMALS), kv[0].casefold()))
    size = min(count, max(len(ordered) // 2, 1))
    most = ordered[:size]
    rest = ordered[len(most) :]
    least = sorted(rest, key=lambda kv: (round(kv[1], TIE_DECIMALS), kv[0].casefold()))[:size]
    return most, least


def closed_before(done_at, gate_at) -> bool | None:
    """Whether an action item was closed before a gate: None while the gate has no time yet."""
    if gate_at is None:
        return None
    return done_at is not None and done_at < gate_at
