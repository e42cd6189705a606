"""Choosing decisions in bulk: the top N of the ranking or every application at or above a score,
optionally with every other undecided one not selected. Unscored and incomplete applications are
never chosen in bulk (`bulk_choices`): a director decides them one by one."""

from dataclasses import dataclass
from decimal import Decimal

from incubator.applications.models import Application
from incubator.judging import scoring
from incubator.judging.ranking.compute import RoundRanking


def _basis_value(ranking: RoundRanking, result: scoring.ApplicationResult) -> float | None:
    return result.normalized if ranking.round.ranking_basis == "normalized" else result.raw


def top_n(ranking: RoundRanking, n: int) -> list[int]:
    """The applications ranked n or better, in rank order: ties at the cut are all in
    (with ranks 1, 2, 2, 4 the top 2 are three applications). Unranked ones never are."""
    return [r.application_id for r in ranking.result.applications if r.rank is not None and r.rank <= n]


def at_or_above(ranking: RoundRanking, score: Decimal | float) -> list[int]:
    """The applications whose score on the round's basis is at least `score`, in rank order.

    Compares the unrounded values, as the ranking does (a 69.996 shown as 70.00 is below 70),
    with the ranking's tolerance for float noise. Unranked applications never qualify."""
    cut = float(score)
    chosen = []
    for result in ranking.result.applications:
        value = _basis_value(ranking, result)
        if result.rank is not None and value is not None and round(value, scoring.TIE_DECIMALS) >= cut:
            chosen.append(result.application_id)
    return chosen


def undecided(ranking: RoundRanking) -> list[int]:
    """Applications of the round with no decision yet that are still at the stage it decides."""
    return [
        r.application_id
        for r in ranking.result.applications
        if r.application_id not in ranking.decisions
        and (m := ranking.applications[r.application_id].membership) is not None
        and m.stage == ranking.round.decides_stage
    ]


@dataclass(frozen=True)
class BulkChoice:
    """What a bulk helper chose, and the undecided applications it left out because no judge
    scored them or fewer judges than the round expects did (decided only when ticked one by one)."""

    choices: dict[int, str]
    unscored: list[Application]
    incomplete: list[Application]

    @property
    def left_out(self) -> list[Application]:
        return self.unscored + self.incomplete


def bulk_choices(ranking: RoundRanking, advance: list[int], rest_not_selected: bool) -> BulkChoice:
    """Advance `advance`; with `rest_not_selected`, every other undecided application is not selected.

    An application with fewer counted sheets than the round expects (none at all: unscored) is
    never chosen in bulk, either way: a bulk rejection must not reach applications nobody judged."""
    results_by_id = ranking.result.by_application()
    open_ids = undecided(ranking)
    unscored = [i for i in open_ids if results_by_id[i].judges_counted == 0]
    incomplete = [i for i in open_ids if results_by_id[i].incomplete and results_by_id[i].judges_counted > 0]
    left_out = set(unscored) | set(incomplete)
    choices = {app_id: "advance" for app_id in advance if app_id not in left_out}
    if rest_not_selected:
        for app_id in open_ids:
            if app_id not in left_out:
                choices.setdefault(app_id, "not_selected")
    return BulkChoice(
        choices,
        [ranking.applications[i] for i in unscored],
        [ranking.applications[i] for i in incomplete],
    )
