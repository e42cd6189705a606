"""Conflicts of interest recorded by people: a judge's own declaration (`declare_conflict`), a
director's mark (`mark_conflict`, `remove_conflict`). Each refreshes the round's stored results in
the same transaction, since a conflicted judge's sheet does not count. (Conflicts found in the
data are in detection.py.)

A judge declares a conflict while the round is open for scoring: judges do not see a draft round
at all, and once scoring has closed the results are final, so a director marks it instead. Only a
director's mark can be removed; a judge's declaration is theirs.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import Role, User
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.assignments.checks import check_changeable, find_assignment, hold_round
from incubator.judging.models import ConflictDeclaration, Round
from incubator.judging.ranking import results

REASON_LIMIT = 500


def _clean_reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_l("Give the reason for the conflict of interest."))
    if len(reason) > REASON_LIMIT:
        raise ServiceError(_l("Use at most %(max)d characters.", max=REASON_LIMIT))
    return reason


def _existing_declaration(round_id: int, application_id: int, judge_id: int) -> ConflictDeclaration | None:
    return db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.round_id == round_id,
            ConflictDeclaration.application_id == application_id,
            ConflictDeclaration.judge_id == judge_id,
        )
    )


def _save_declaration(declaration: ConflictDeclaration, message) -> None:
    savepoint = db.session.begin_nested()
    db.session.add(declaration)
    try:
        savepoint.commit()
    except IntegrityError:  # the same pair declared at the same moment elsewhere
        savepoint.rollback()
        raise ServiceError(message) from None


def declare_conflict(round_: Round, application: Application, judge: User, reason: str) -> ConflictDeclaration:
    """The judge says they cannot judge `application` fairly, and why: they will not score it,
    and any sheet of theirs for it stops counting. Only for an application assigned to them,
    while the round is open for scoring."""
    hold_round(round_)
    reason = _clean_reason(reason)
    if find_assignment(round_.id, application.id, judge.id) is None:
        raise ServiceError(_l("This application is not assigned to you."))
    if round_.phase != "open":
        raise ServiceError(
            _l(
                "Scoring is not open in this round, so you cannot declare a conflict here. "
                "Tell the programme director, who can mark it."
            )
        )
    already = _l("A conflict of interest with %(startup)s is already recorded.", startup=application.startup.name)
    if _existing_declaration(round_.id, application.id, judge.id) is not None:
        raise ServiceError(already)
    declaration = ConflictDeclaration(
        round_id=round_.id,
        application_id=application.id,
        judge_id=judge.id,
        source="judge",
        reason=reason,
        created_by_id=judge.id,
    )
    _save_declaration(declaration, already)
    results.refresh(round_)  # the judge's sheet for it, if any, stops counting
    record("conflict.declared", declaration, actor=judge, application_id=application.id, judge_id=judge.id)
    return declaration


def mark_conflict(
    round_: Round, application: Application, judge: User, reason: str, actor: User
) -> ConflictDeclaration:
    """A director records a conflict of interest between a judge and an application, assigned
    or not (a marked pair is never assigned). A place already assigned is kept, and any sheet
    of that judge for it stops counting."""
    hold_round(round_)
    check_changeable(round_)
    reason = _clean_reason(reason)
    if application.cohort_id != round_.cohort_id or application.status != "submitted":
        raise ServiceError(
            _l("%(startup)s is not among the applications of this round.", startup=application.startup.name)
        )
    if not judge.has_role(Role.JUDGE):
        raise ServiceError(_l("%(name)s is not a judge.", name=judge.name))
    already = _l(
        "A conflict of interest between %(judge)s and %(startup)s is already recorded.",
        judge=judge.name,
        startup=application.startup.name,
    )
    if _existing_declaration(round_.id, application.id, judge.id) is not None:
        raise ServiceError(already)
    declaration = ConflictDeclaration(
        round_id=round_.id,
        application_id=application.id,
        judge_id=judge.id,
        source="director",
        reason=reason,
        created_by_id=actor.id,
    )
    _save_declaration(declaration, already)
    results.refresh(round_)  # the judge's sheet for it, if any, stops counting
    record("conflict.marked", declaration, actor=actor, application_id=application.id, judge_id=judge.id)
    return declaration


def remove_conflict(round_: Round, declaration: ConflictDeclaration, actor: User) -> None:
    """Remove a conflict a director marked (a judge's own declaration stays)."""
    hold_round(round_)
    check_changeable(round_)
    if declaration.source != "director":
        raise ServiceError(_l("A conflict declared by the judge cannot be removed."))
    record(
        "conflict.removed",
        declaration,
        actor=actor,
        application_id=declaration.application_id,
        judge_id=declaration.judge_id,
        reason=declaration.reason,
    )
    db.session.delete(declaration)
    db.session.flush()
    results.refresh(round_)  # the judge's sheet for it, if any, counts again
