"""Assigning in bulk: every chosen judge to every chosen application, pairs already made and pairs
with a conflict of interest left out (counted, not refused)."""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.assignments.checks import add_places, check_changeable, check_judge, decides, hold_round
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, Round


@dataclass(frozen=True)
class BulkResult:
    added: int
    already: int  # pairs that were assigned already
    conflicted: int  # pairs left out for a conflict of interest


def bulk_assign(round_: Round, application_ids: Iterable[int], judge_ids: Iterable[int], actor: User) -> BulkResult:
    """Assign every chosen judge to every chosen application, leaving out pairs already made
    and pairs with a conflict of interest (they are counted, not refused)."""
    hold_round(round_)
    check_changeable(round_)
    application_ids, judge_ids = sorted(set(application_ids)), sorted(set(judge_ids))
    if not application_ids or not judge_ids:
        raise ServiceError(_l("Choose at least one application and one judge."))
    applications = db.session.scalars(select(Application).where(Application.id.in_(application_ids))).all()
    if len(applications) != len(application_ids) or not all(decides(round_, a) for a in applications):
        raise ServiceError(_l("Choose applications that this round decides."))
    judges = db.session.scalars(select(User).where(User.id.in_(judge_ids))).all()
    if len(judges) != len(judge_ids):
        raise ServiceError(_l("Choose judges from the list."))
    for judge in judges:
        check_judge(judge)
    made = {
        (j, a)
        for j, a in db.session.execute(
            select(Assignment.judge_id, Assignment.application_id).where(Assignment.round_id == round_.id)
        )
    }
    forbidden = set(conflicts.declared(round_.id)) | set(conflicts.detect(judges, applications))
    added, already, conflicted = [], 0, 0
    for application in sorted(applications, key=lambda a: a.id):
        for judge in sorted(judges, key=lambda u: u.id):
            pair = (judge.id, application.id)
            if pair in made:
                already += 1
            elif pair in forbidden:
                conflicted += 1
            else:
                added.append(pair)
    add_places(round_, added, actor)
    record(
        "assignments.bulk",
        round_,
        actor=actor,
        added=len(added),
        already=already,
        conflicted=conflicted,
        pairs=[list(p) for p in added],
    )
    return BulkResult(len(added), already, conflicted)
