"""Judge statistics of a round, for calibration: each judge's counted sheets, mean and spread
against the panel. One computation, read by the judges page and the cohort report PDF."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from incubator.core.figures import points, rounded
from incubator.judging.ranking.compute import RoundRanking


@dataclass
class JudgeRow:
    judge: object
    sheets: int
    excluded: int
    mean: float | None
    spread: float | None
    difference: Decimal | None  # μ_j − μ, rounded
    step: str | None

    @property
    def hint(self) -> str:
        if self.difference is None:
            return _("No counted sheets yet.")
        if self.difference < 0:
            return _("Harsher than the panel by %(points)s points.", points=points(-self.difference))
        if self.difference > 0:
            return _("More lenient than the panel by %(points)s points.", points=points(self.difference))
        return _("In line with the panel.")


def judge_rows(data: RoundRanking) -> list[JudgeRow]:
    """Each judge with a sheet in the round, harshest first; judges with no counted sheet last."""
    excluded: dict[int, int] = {}
    for sheet_id in data.exclusions:
        sheet = data.sheets[sheet_id]
        if sheet.application_id in data:
            excluded[sheet.judge_id] = excluded.get(sheet.judge_id, 0) + 1
    rows = []
    for judge_id, judge in data.judges.items():
        stats = data.result.judges.get(judge_id)
        rows.append(
            JudgeRow(
                judge=judge,
                sheets=stats.sheets if stats else 0,
                excluded=excluded.get(judge_id, 0),
                mean=stats.mean if stats else None,
                spread=stats.spread if stats else None,
                difference=rounded(stats.difference) if stats else None,
                step=stats.step if stats else None,
            )
        )
    return sorted(rows, key=lambda r: (r.difference is None, r.difference or 0, r.judge.name.casefold(), r.judge.id))
