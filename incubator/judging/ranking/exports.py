"""The rows of a round's ranking and score-sheet exports, built once for the page, CSV and XLSX.

CONTRACT.md fixes the columns of ranking.csv and scores.csv. The XLSX files carry the
same rows (numbers as numbers), so both come from `ranking_rows` and `score_rows`:
a CSV and its XLSX cannot differ, and the ranking page reads the same `RankingEntry`s.
Every figure is `rounded` of a value from `ranking.round_ranking`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from incubator.core.figures import rounded
from incubator.core.spreadsheets import Cell, neutralised, plain_number
from incubator.judging import scoring
from incubator.judging.guests.addresses import shown_address
from incubator.judging.ranking.compute import RoundRanking

RANKING_COLUMNS = (
    "rank",
    "application_id",
    "startup",
    "raw_score",
    "normalized_score",
    "judges_counted",
    "spread",
    "disagreement",
    "incomplete",
    "decision",
)
SCORE_COLUMNS = (
    "application_id",
    "startup",
    "judge_email",
    "criterion",
    "weight",
    "scale_min",
    "scale_max",
    "score",
    "counted",
)
# Columns holding a figure rounded to 2 decimals: the XLSX shows them as 0.00.
TWO_DECIMALS = frozenset({"raw_score", "normalized_score", "spread"})


@dataclass(frozen=True)
class RankingEntry:
    """One application's line of the ranking, its figures rounded as shown and exported."""

    rank: int | None
    application_id: int
    startup: str
    raw: Decimal | None
    normalized: Decimal | None
    judges_counted: int
    spread: Decimal | None
    disagreement: bool
    incomplete: bool
    decision: str | None
    result: scoring.ApplicationResult | None = None  # unrounded, when read through ranking.round_ranking

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def ranking_entries(ranking: RoundRanking) -> tuple[RankingEntry, ...]:
    """Every application of the round in rank order, unranked last (built once per request)."""
    return ranking.derived("entries", lambda: tuple(_entries(ranking)))


def _entries(ranking: RoundRanking) -> list[RankingEntry]:
    entries = []
    for result in ranking.result.applications:
        entries.append(
            RankingEntry(
                rank=result.rank,
                application_id=result.application_id,
                startup=ranking.startup_names[result.application_id],
                raw=rounded(result.raw),
                normalized=rounded(result.normalized),
                judges_counted=result.judges_counted,
                spread=rounded(result.spread),
                disagreement=result.disagreement,
                incomplete=result.incomplete,
                decision=ranking.decisions.get(result.application_id),
                result=result,
            )
        )
    return entries


def ranking_rows(entries: Iterable[RankingEntry]) -> list[tuple[Cell, ...]]:
    """ranking.csv's rows (RANKING_COLUMNS): empty cells for no rank, no score or no decision."""
    return [
        (
            e.rank,
            e.application_id,
            neutralised(e.startup),
            e.raw,
            e.normalized,
            e.judges_counted,
            e.spread,
            int(e.disagreement),
            int(e.incomplete),
            e.decision,
        )
        for e in entries
    ]


def score_rows(ranking: RoundRanking) -> list[tuple[Cell, ...]]:
    """scores.csv's rows (SCORE_COLUMNS): each criterion of every final sheet of the ranked
    applications, in rank order, then by judge e-mail and criterion order; `counted` is 0 for a
    sheet excluded by a conflict (a final sheet can be excluded for no other reason)."""
    criteria = list(ranking.round.rubric.criteria) if ranking.round.rubric else []
    by_application = defaultdict(list)
    for sheet in ranking.sheets.values():
        if sheet.status == "final" and sheet.application_id in ranking:
            by_application[sheet.application_id].append(sheet)
    rows = []
    for result in ranking.result.applications:
        startup = neutralised(ranking.startup_names[result.application_id])
        sheets = sorted(by_application[result.application_id], key=lambda s: (ranking.judges[s.judge_id].email, s.id))
        for sheet in sheets:
            email = neutralised(shown_address(ranking.judges[sheet.judge_id].email))  # a guest's: empty
            values = sheet.values
            counted = 0 if sheet.id in ranking.exclusions else 1
            for c in criteria:
                rows.append(
                    (
                        result.application_id,
                        startup,
                        email,
                        neutralised(c.name),
                        plain_number(c.weight),
                        plain_number(c.scale_min),
                        plain_number(c.scale_max),
                        plain_number(values.get(c.id)),
                        counted,
                    )
                )
    return rows
