"""Feedback released to founders: which criteria's scores and comments they see, with judges anonymised.

The director chooses per criterion whether founders see the judges' scores, their
comments, or both, and whether the overall comments go too. Founders then see only
counted sheets (final, no conflict), each judge as "Judge A", "Judge B", ... in the
order of their sheets, with their own mean and the round's mean per criterion taken
from the ranking (never computed here).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.models import Criterion, FeedbackItem, Round, ScoreSheet
from incubator.judging.ranking.compute import round_ranking


def released_items(round_: Round) -> dict[int, FeedbackItem]:
    """{criterion id: item} of what the director chose for this round (released or not)."""
    return {
        i.criterion_id: i for i in db.session.scalars(select(FeedbackItem).where(FeedbackItem.round_id == round_.id))
    }


def release_feedback(round_: Round, items: Mapping[int, tuple[bool, bool]], overall_comments: bool, actor: User) -> int:
    """Release the round's feedback to founders: for each criterion id, (show scores, show comments);
    criteria left out show nothing. Only once scoring is closed, and something must be shown.
    Each advanced startup's weakest released criteria are then proposed to its mentors as action
    items (growth.proposals); the number of new proposals."""
    if round_.phase not in ("closed", "decided"):
        raise ServiceError(_l("Feedback can be released only once scoring is closed."))
    criteria = {c.id for c in (round_.rubric.criteria if round_.rubric else [])}
    wanted = {cid: (bool(s), bool(c)) for cid, (s, c) in items.items() if cid in criteria and (s or c)}
    if not wanted and not overall_comments:
        raise ServiceError(_l("Choose at least one criterion's scores or comments, or the overall comments."))
    saved = released_items(round_)
    for criterion_id, item in saved.items():
        if criterion_id not in wanted:
            db.session.delete(item)
    for criterion_id, (show_scores, show_comments) in wanted.items():
        item = saved.get(criterion_id)
        if item is None:
            item = FeedbackItem(round_id=round_.id, criterion_id=criterion_id)
            db.session.add(item)
        item.show_scores, item.show_comments = show_scores, show_comments
    round_.feedback_overall_comments = bool(overall_comments)
    round_.feedback_released_at = utcnow()
    db.session.flush()
    record(
        "feedback.released",
        round_,
        actor=actor,
        scores=sorted(cid for cid, (s, _c) in wanted.items() if s),
        comments=sorted(cid for cid, (_s, c) in wanted.items() if c),
        overall_comments=bool(overall_comments),
    )
    from incubator.growth.proposals import propose_for_round  # growth builds on judging

    return len(propose_for_round(round_, actor))


def withdraw_feedback(round_: Round, actor: User) -> None:
    """Founders no longer see the round's feedback; the choices are kept for a later release."""
    if round_.feedback_released_at is None:
        raise ServiceError(_l("This round's feedback is not released."))
    round_.feedback_released_at = None
    db.session.flush()
    record("feedback.withdrawn", round_, actor=actor)


# --- what founders see ---------------------------------------------------------------------


def judge_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: enough letters for any panel."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class JudgeEntry:
    judge: str  # "Judge A"
    score: Decimal | None = None  # None when scores are not released
    comment: str = ""


@dataclass
class CriterionFeedback:
    criterion: Criterion
    show_scores: bool
    show_comments: bool
    entries: list[JudgeEntry] = field(default_factory=list)
    application_mean: float | None = None
    round_mean: float | None = None


@dataclass
class FounderFeedback:
    round: Round
    application: Application
    judges: list[str]  # the labels, in order
    criteria: list[CriterionFeedback]
    overall: list[JudgeEntry]  # released overall comments


def founder_feedback(round_: Round, application: Application) -> FounderFeedback | None:
    """What the founders of `application` may see of `round_`, or None when the application
    is not part of the round. Only counted sheets appear; judges are labelled by the order
    of their sheet ids, so a judge keeps one letter throughout this application's feedback."""
    ranking = round_ranking(round_)
    if application.id not in ranking:
        return None
    result = ranking.result.by_application().get(application.id)
    counted = sorted(r.sheet.id for r in result.sheets if r.counted) if result else []
    # The ranking holds plain values; feedback shows comments too, so it loads these few sheets whole.
    sheets = list(db.session.scalars(select(ScoreSheet).where(ScoreSheet.id.in_(counted)).order_by(ScoreSheet.id)))
    labels = {sheet.id: str(_l("Judge %(letter)s", letter=judge_letter(i))) for i, sheet in enumerate(sheets)}
    items = released_items(round_)
    criteria = []
    for criterion in round_.rubric.criteria if round_.rubric else []:
        item = items.get(criterion.id)
        if item is None or not (item.show_scores or item.show_comments):
            continue
        row = CriterionFeedback(criterion, item.show_scores, item.show_comments)
        for sheet in sheets:
            score = next((s for s in sheet.scores if s.criterion_id == criterion.id), None)
            comment = (score.comment or "").strip() if score and item.show_comments else ""
            value = score.value if score is not None and item.show_scores else None
            if value is not None or comment:
                row.entries.append(JudgeEntry(labels[sheet.id], value, comment))
        if item.show_scores:
            row.application_mean = result.criterion_means.get(criterion.id) if result else None
            row.round_mean = ranking.result.criterion_means.get(criterion.id)
        criteria.append(row)
    overall = []
    if round_.feedback_overall_comments:
        overall = [
            JudgeEntry(labels[s.id], comment=s.overall_comment.strip()) for s in sheets if s.overall_comment.strip()
        ]
    return FounderFeedback(round_, application, [labels[s.id] for s in sheets], criteria, overall)


def rounds_with_feedback(application: Application) -> list[Round]:
    """Rounds of the application's cohort whose feedback is released and that hold a submitted sheet for it."""
    return list(
        db.session.scalars(
            select(Round)
            .where(
                Round.cohort_id == application.cohort_id,
                Round.feedback_released_at.is_not(None),
                exists().where(
                    ScoreSheet.round_id == Round.id,
                    ScoreSheet.application_id == application.id,
                    ScoreSheet.status == "final",
                ),
            )
            .order_by(Round.position, Round.id)
        )
    )
