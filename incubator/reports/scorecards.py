"""What a scorecard shows, built from the ranking and the feedback the pages use.

Internal scorecards (directors) show every counted judge's scores and comments, judges named or
lettered; founder scorecards show only what the director released, judges lettered, exactly as the
founder's feedback page. The figures are the ranking's (`judging.ranking.compute.round_ranking` through
`judging.ranking.exports.ranking_entries`), so a scorecard, the ranking page and ranking.csv agree.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.growth.queries import items_before_gate
from incubator.judging.decisions import feedback
from incubator.judging.models import Criterion, Round, ScoreSheet
from incubator.judging.ranking import exports
from incubator.judging.ranking.compute import RoundRanking

VERSIONS = ("internal", "founder")


@dataclass
class CriterionLine:
    criterion: Criterion
    scores: list[Decimal | None]  # one per judge column, in `Scorecard.judges` order
    mean: float | None  # this application's mean over counted sheets
    round_mean: float | None  # the round's mean over all counted sheets


@dataclass
class Comment:
    judge: str
    about: str  # a criterion's name, or "" for the overall comment
    text: str


@dataclass
class Scorecard:
    round: Round
    application: Application
    version: str
    entry: exports.RankingEntry
    ranked: int  # N in "rank r of N"
    judges: list[str]
    lines: list[CriterionLine]
    comments: list[Comment]
    recommendations: list[tuple[str, str]] = field(default_factory=list)  # (judge, code), internal only
    excluded: int = 0  # sheets that do not count, internal only
    generated_at: datetime = field(default_factory=utcnow)
    # Action items proposed on this round's criteria at an earlier gate (growth.queries.ItemBeforeGate).
    items: list = field(default_factory=list)

    @property
    def startup(self):
        return self.application.startup


def _ranked(ranking: RoundRanking) -> tuple[dict[int, exports.RankingEntry], int]:
    entries = {e.application_id: e for e in exports.ranking_entries(ranking)}
    return entries, sum(1 for e in entries.values() if e.ranked)


def internal_scorecards(
    ranking: RoundRanking, application_ids: list[int] | None = None, *, named: bool = True
) -> list[Scorecard]:
    """Directors' scorecards of the round's applications (all, in rank order, unless ids are given)."""
    entries, ranked = _ranked(ranking)
    results = ranking.result.by_application()
    wanted = (
        [e.application_id for e in exports.ranking_entries(ranking)] if application_ids is None else application_ids
    )
    counted_ids = {
        app_id: sorted(r.sheet.id for r in results[app_id].sheets if r.counted)
        for app_id in wanted
        if app_id in results
    }
    all_ids = [sheet_id for ids in counted_ids.values() for sheet_id in ids]
    sheets = {}
    for start in range(0, len(all_ids), 500):  # stay under every database's parameter limit
        chunk = all_ids[start : start + 500]
        sheets.update({s.id: s for s in db.session.scalars(select(ScoreSheet).where(ScoreSheet.id.in_(chunk)))})
    criteria = list(ranking.round.rubric.criteria) if ranking.round.rubric else []
    cards = []
    for app_id in wanted:
        result = results[app_id]
        mine = [sheets[sheet_id] for sheet_id in counted_ids[app_id]]
        if named:
            mine.sort(key=lambda s: (ranking.judges[s.judge_id].name.casefold(), s.id))
            labels = {s.id: ranking.judges[s.judge_id].name for s in mine}
        else:
            labels = {s.id: str(_l("Judge %(letter)s", letter=feedback.judge_letter(i))) for i, s in enumerate(mine)}
        lines = [
            CriterionLine(
                c,
                [ranking.sheets[s.id].values.get(c.id) for s in mine],
                result.criterion_means.get(c.id),
                ranking.result.criterion_means.get(c.id),
            )
            for c in criteria
        ]
        comments = []
        for sheet in mine:
            for score in sorted(sheet.scores, key=lambda s: [c.id for c in criteria].index(s.criterion_id)):
                if (score.comment or "").strip():
                    name = next(c.name for c in criteria if c.id == score.criterion_id)
                    comments.append(Comment(labels[sheet.id], name, score.comment.strip()))
            if (sheet.overall_comment or "").strip():
                comments.append(Comment(labels[sheet.id], "", sheet.overall_comment.strip()))
        cards.append(
            Scorecard(
                round=ranking.round,
                application=ranking.applications[app_id],
                version="internal",
                entry=entries[app_id],
                ranked=ranked,
                judges=[labels[s.id] for s in mine],
                lines=lines,
                comments=comments,
                recommendations=[(labels[s.id], s.recommendation) for s in mine if s.recommendation],
                excluded=sum(1 for r in result.sheets if not r.counted),
            )
        )
    items = items_before_gate(ranking.round, wanted, accepted_only=False)
    for card in cards:
        card.items = items.get(card.application.id, [])
    return cards


def founder_scorecard(ranking: RoundRanking, application: Application) -> Scorecard | None:
    """The founders' scorecard: only what the director released, judges lettered (None when nothing is)."""
    shown = feedback.founder_feedback(ranking.round, application)
    if shown is None or ranking.round.feedback_released_at is None:
        return None
    entries, ranked = _ranked(ranking)
    lines, comments = [], []
    for row in shown.criteria:
        by_judge = {e.judge: e for e in row.entries}
        if row.show_scores:
            lines.append(
                CriterionLine(
                    row.criterion,
                    [by_judge[j].score if j in by_judge else None for j in shown.judges],
                    row.application_mean,
                    row.round_mean,
                )
            )
        comments.extend(Comment(e.judge, row.criterion.name, e.comment) for e in row.entries if e.comment)
    comments.extend(Comment(e.judge, "", e.comment) for e in shown.overall)
    return Scorecard(
        round=ranking.round,
        application=application,
        version="founder",
        entry=entries[application.id],
        ranked=ranked,
        judges=shown.judges,
        lines=lines,
        comments=comments,
        items=items_before_gate(ranking.round, [application.id], accepted_only=True).get(application.id, []),
    )
