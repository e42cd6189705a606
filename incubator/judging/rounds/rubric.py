"""Rubric arithmetic and checks as plain functions over plain numbers and criteria (no Flask, no database)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MAX_LEVELS = 21  # a descriptor per level stays usable up to a 0-20 or 0-10 by 0.5 scale


@dataclass(frozen=True)
class Scale:
    minimum: Decimal
    maximum: Decimal
    step: Decimal


def scale_problem(scale: Scale) -> str | None:
    """A code for what is wrong with a scale, or None: 'order', 'step', 'divides', 'levels'."""
    if scale.minimum >= scale.maximum:
        return "order"
    if scale.step <= 0:
        return "step"
    if (scale.maximum - scale.minimum) % scale.step != 0:
        return "divides"
    if (scale.maximum - scale.minimum) / scale.step + 1 > MAX_LEVELS:
        return "levels"
    return None


def levels(scale: Scale) -> list[Decimal]:
    """Every value a judge may give on the scale, lowest first."""
    count = int((scale.maximum - scale.minimum) / scale.step) + 1
    return [scale.minimum + i * scale.step for i in range(count)]


def is_on_scale(value: Decimal, scale: Scale) -> bool:
    return scale.minimum <= value <= scale.maximum and (value - scale.minimum) % scale.step == 0


def weight_shares(weights: Sequence[Decimal]) -> list[Decimal]:
    """Each weight's share of the 0-100 total, in points with 2 decimals (half away from zero)."""
    total = sum(weights, Decimal(0))
    if total <= 0:
        return [Decimal("0.00") for _ in weights]
    return [(Decimal(100) * w / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for w in weights]


def rubric_problems(criteria: Sequence[tuple[Decimal, Scale]]) -> list[str]:
    """Why a rubric of (weight, scale) criteria cannot be used for scoring: codes, empty when fine."""
    if not criteria:
        return ["empty"]
    found = []
    if any(weight <= 0 for weight, _ in criteria):
        found.append("weight")
    if any(scale_problem(scale) for _, scale in criteria):
        found.append("scale")
    return found


def criterion_rows(criteria) -> list[dict]:
    """Each criterion with its share of the 100 points and its levels with their descriptors
    (the builder and the judge's scoring page show the same)."""
    shares = weight_shares([Decimal(c.weight) for c in criteria])
    return [
        {"criterion": c, "share": share, "levels": [(v, c.descriptor(v)) for v in levels(c.scale)]}
        for c, share in zip(criteria, shares, strict=True)
    ]
