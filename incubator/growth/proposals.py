"""Writes for proposed action items: made when a round's feedback is released, then accepted (an
ordinary action item with an owner and a due date), edited or dismissed with a reason by a mentor.

Each service checks its rule, changes the objects, records the audit event and flushes; the route
commits. Nothing is created without an audit event saying who did it.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.growth import (
    labels,  # noqa: F401 - registers the audit labels
    maths,
)
from incubator.growth.models import ActionProposal
from incubator.judging.decisions.feedback import judge_letter, released_items
from incubator.judging.models import Decision, Round, Score, ScoreSheet
from incubator.judging.ranking.compute import round_ranking
from incubator.mentoring.models import ActionItem
from incubator.mentoring.queries import today_wib
from incubator.mentoring.services import owner_choices

MAX_TITLE = 300
MAX_REASON = 500


def propose_for_round(round_: Round, actor: User) -> list[ActionProposal]:
    """For each startup the round advanced, propose its weakest criteria (`growth.maths.weakest`, among
    the criteria whose scores are released) to its mentors, each quoting the judges' released comments
    on it (judges anonymised as on the founder's feedback). Proposals made before are kept as they are:
    releasing again adds only what is missing. The new proposals, in order."""
    advanced = list(
        db.session.scalars(
            select(Decision.application_id).where(Decision.round_id == round_.id, Decision.outcome == "advance")
        )
    )
    items = released_items(round_)
    # Mentors see what founders see: only criteria whose scores are released can be weighed.
    criteria = [
        c for c in (round_.rubric.criteria if round_.rubric else []) if c.id in items and items[c.id].show_scores
    ]
    if not advanced or not criteria:
        return []
    ranking = round_ranking(round_)
    results = ranking.result.by_application()
    existing = {
        (application_id, criterion_id)
        for application_id, criterion_id in db.session.execute(
            select(ActionProposal.application_id, ActionProposal.criterion_id).where(
                ActionProposal.round_id == round_.id
            )
        )
    }
    memberships = _memberships(advanced)
    made = []
    for application_id in sorted(advanced):
        result = results.get(application_id)
        if result is None or not result.criterion_means or application_id not in memberships:
            continue
        standings = [
            maths.Standing(
                c.id,
                c.position,
                result.criterion_means[c.id],
                maths.on_scale(result.criterion_means[c.id], float(c.scale_min), float(c.scale_max)),
                maths.on_scale(ranking.result.criterion_means[c.id], float(c.scale_min), float(c.scale_max)),
            )
            for c in criteria
        ]
        counted = sorted(r.sheet.id for r in result.sheets if r.counted)
        by_id = {c.id: c for c in criteria}
        for position, standing in enumerate(maths.weakest(standings), start=1):
            if (application_id, standing.criterion_id) in existing:
                continue
            criterion = by_id[standing.criterion_id]
            quote = _quote(counted, criterion.id) if items[criterion.id].show_comments else ""
            proposal = ActionProposal(
                round_id=round_.id,
                application_id=application_id,
                cohort_startup_id=memberships[application_id],
                criterion_id=criterion.id,
                position=position,
                title=str(_l("Work on “%(criterion)s”", criterion=criterion.name))[:MAX_TITLE],
                quote=quote,
                score=standing.score,
                round_mean=standing.round_mean,
            )
            db.session.add(proposal)
            db.session.flush()
            record(
                "proposal.created",
                proposal,
                actor=actor,
                round_id=round_.id,
                application_id=application_id,
                criterion_id=criterion.id,
            )
            made.append(proposal)
    return made


def _memberships(application_ids: list[int]) -> dict[int, int]:
    """Application id -> its startup's place in the cohort (cohort_startups.id)."""
    rows = db.session.execute(
        select(Application.id, CohortStartup.id)
        .join(
            CohortStartup,
            (CohortStartup.startup_id == Application.startup_id) & (CohortStartup.cohort_id == Application.cohort_id),
        )
        .where(Application.id.in_(application_ids))
    )
    return {application_id: cs_id for application_id, cs_id in rows}


def _quote(counted_sheet_ids: list[int], criterion_id: int) -> str:
    """The counted sheets' comments on the criterion, one line each, as "Judge A: ...": the letters
    follow the order of the sheets, as on the founder's feedback."""
    if not counted_sheet_ids:
        return ""
    comments = dict(
        db.session.execute(
            select(ScoreSheet.id, Score.comment)
            .join(Score, Score.sheet_id == ScoreSheet.id)
            .where(ScoreSheet.id.in_(counted_sheet_ids), Score.criterion_id == criterion_id)
        ).all()
    )
    lines = []
    for index, sheet_id in enumerate(counted_sheet_ids):
        text = " ".join((comments.get(sheet_id) or "").split())
        if text:
            lines.append(f"{_l('Judge %(letter)s', letter=judge_letter(index))}: {text}")
    return "\n".join(lines)


def _open(proposal: ActionProposal) -> None:
    if proposal.status != "proposed":
        raise ServiceError(_l("This proposal has already been accepted or dismissed."))


def _title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError(_l("Write what is to be done."))
    if len(title) > MAX_TITLE:
        raise ServiceError(_l("Keep it to %(max)d characters.", max=MAX_TITLE))
    return title


def accept(
    proposal: ActionProposal, actor: User, *, title: str, owner_id: int | None, due_on: date | None
) -> ActionItem:
    """Accept a proposal: it becomes an ordinary action item of the startup (owner and due date; the
    owner may be the team), with the proposal's wording or the one given here."""
    _open(proposal)
    title = _title(title)
    if due_on is None:
        raise ServiceError(_l("Choose a due date."))
    if due_on < today_wib():
        raise ServiceError(_l("The due date cannot be in the past."))
    cohort_startup = proposal.cohort_startup
    if owner_id is not None and owner_id not in {u.id for u in owner_choices(cohort_startup, actor)}:
        raise ServiceError(_l("Choose the founder, a mentor of the startup or the team as the owner."))
    item = ActionItem(
        cohort_startup_id=cohort_startup.id, title=title, owner_id=owner_id, due_on=due_on, created_by_id=actor.id
    )
    db.session.add(item)
    db.session.flush()
    record("action_item.created", item, actor=actor, status=item.status, proposal_id=proposal.id)
    before = proposal.title
    proposal.title, proposal.status, proposal.action_item_id = title, "accepted", item.id
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    db.session.flush()
    reworded = {"title": title} if title != before else {}
    record(
        "proposal.accepted",
        proposal,
        actor=actor,
        action_item_id=item.id,
        owner_id=owner_id,
        due_on=due_on.isoformat(),
        **reworded,
    )
    return item


def edit(proposal: ActionProposal, actor: User, *, title: str) -> ActionProposal:
    """Reword a proposal before accepting it."""
    _open(proposal)
    title = _title(title)
    before = proposal.title
    if title != before:
        proposal.title = title
        db.session.flush()
        record("proposal.edited", proposal, actor=actor, before=before, after=title)
    return proposal


def dismiss(proposal: ActionProposal, actor: User, *, reason: str) -> ActionProposal:
    """Dismiss a proposal, saying why (the judges' point is already in hand, or not for now...)."""
    _open(proposal)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_l("Say why the proposal is dismissed."))
    if len(reason) > MAX_REASON:
        raise ServiceError(_l("Keep the reason to %(max)d characters.", max=MAX_REASON))
    proposal.status, proposal.reason = "dismissed", reason
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    db.session.flush()
    record("proposal.dismissed", proposal, actor=actor, reason=reason)
    return proposal
