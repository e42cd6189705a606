"""Re-deciding a decided round: what the director sees before choosing to.

A decided round's stored figures are the record of its decision (judging.ranking.results leaves
them alone). When a conflict of interest is found after the decision, the ranking says so and the
director may choose to re-decide: the preview lists the sheets found after the decision and every
application whose rank or scores would change, beside the decision made on it; confirming calls
judging.rounds.services.reopen_decided. Nothing here writes.
"""

from dataclasses import dataclass

from sqlalchemy import select

from incubator.core.figures import rounded
from incubator.extensions import db
from incubator.judging.models import Round, StoredResult
from incubator.judging.ranking import results
from incubator.judging.ranking.compute import round_ranking

Figures = tuple[int | None, float | None, float | None]  # rank, raw, normalised


@dataclass(frozen=True)
class Late:
    """A sheet that counted in the decision, of a judge with a conflict found since."""

    judge: str
    startup: str
    reason: str


@dataclass(frozen=True)
class Change:
    """An application whose figures would change, with the decision made on it (or None)."""

    startup: str
    outcome: str | None
    before: Figures
    after: Figures


@dataclass(frozen=True)
class Redecision:
    late: list[Late]
    changes: list[Change]


def _shown(figures: Figures) -> tuple:
    """The figures as people see them (2 decimals): a change below that is no change."""
    rank, raw, normalized = figures
    return rank, rounded(raw), rounded(normalized)


def preview(round_: Round) -> Redecision:
    """The sheets found after the decision and the applications whose figures would change."""
    ranking = round_ranking(round_)
    late = [
        Late(
            ranking.judges[ranking.sheets[sheet_id].judge_id].name,
            ranking.startup_names.get(ranking.sheets[sheet_id].application_id, ""),
            reason,
        )
        for sheet_id, reason in sorted(ranking.found_after.items())
    ]
    stored = {
        row.application_id: (row.rank, row.raw, row.normalized)
        for row in db.session.execute(
            select(StoredResult.application_id, StoredResult.rank, StoredResult.raw, StoredResult.normalized).where(
                StoredResult.round_id == round_.id
            )
        )
    }
    now = {a.application_id: (a.rank, a.raw, a.normalized) for a in results.compute_now(round_).applications}
    changes = [
        Change(ranking.startup_names.get(application_id, ""), ranking.decisions.get(application_id), before, after)
        for application_id, after in now.items()
        if _shown(before := stored.get(application_id, (None, None, None))) != _shown(after)
    ]
    changes.sort(key=lambda c: (c.after[0] is None, c.after[0] or 0, c.startup))
    return Redecision(late, changes)
