"""An open round's rubric as plain data, worked out once per process.

A round's rubric is frozen once the round has opened (a round never goes back to draft), so the
scoring page and every save read its criteria and levels from here instead of loading them on
each request. This is the one value a process keeps between requests; it can never go out of
date: it is kept only for rounds past draft, under the ids and creation times of the round and its
rubric (one small query a request), so a round deleted and its id given again is another entry.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from incubator.extensions import db
from incubator.judging.models import Criterion, CriterionLevel, Round, Rubric
from incubator.judging.rounds.rubric import Scale


@dataclass(frozen=True)
class FrozenCriterion:
    """A criterion of a frozen rubric, read as models.Criterion is (id, name, weight, scale, levels)."""

    id: int
    name: str
    description: str
    weight: Decimal
    scale_min: Decimal
    scale_max: Decimal
    scale_step: Decimal
    levels: tuple[tuple[Decimal, str], ...]  # (value, descriptor), by value

    @property
    def scale(self) -> Scale:
        return Scale(self.scale_min, self.scale_max, self.scale_step)

    def descriptor(self, value: Decimal) -> str:
        for level, descriptor in self.levels:
            if level == Decimal(value):
                return descriptor
        return ""


_kept: dict[tuple[int, datetime, int, datetime], tuple[FrozenCriterion, ...]] = {}


def frozen_criteria(round_: Round) -> tuple[FrozenCriterion, ...]:
    """The criteria of a round past draft, in the rubric's order (none without a rubric); read
    from the database once per process for each such round, and on every call for a draft."""
    rubric = db.session.execute(select(Rubric.id, Rubric.created_at).where(Rubric.round_id == round_.id)).first()
    if rubric is None:
        return ()
    key = (round_.id, round_.created_at, rubric.id, rubric.created_at)
    if round_.phase != "draft" and key in _kept:
        return _kept[key]
    criteria = _read(rubric.id)
    if round_.phase != "draft":
        _kept[key] = criteria
    return criteria


def _read(rubric_id: int) -> tuple[FrozenCriterion, ...]:
    rows = db.session.execute(
        select(
            Criterion.id,
            Criterion.name,
            Criterion.description,
            Criterion.weight,
            Criterion.scale_min,
            Criterion.scale_max,
            Criterion.scale_step,
        )
        .where(Criterion.rubric_id == rubric_id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    levels: dict[int, list[tuple[Decimal, str]]] = {}
    for criterion_id, value, descriptor in db.session.execute(
        select(CriterionLevel.criterion_id, CriterionLevel.value, CriterionLevel.descriptor)
        .where(CriterionLevel.criterion_id.in_([row.id for row in rows]))
        .order_by(CriterionLevel.value)
    ):
        levels.setdefault(criterion_id, []).append((Decimal(value), descriptor))
    return tuple(
        FrozenCriterion(
            row.id,
            row.name,
            row.description or "",
            Decimal(row.weight),
            Decimal(row.scale_min),
            Decimal(row.scale_max),
            Decimal(row.scale_step),
            tuple(levels.get(row.id, ())),
        )
        for row in rows
    )
