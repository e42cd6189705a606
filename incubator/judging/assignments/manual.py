"""Assigning judges by hand (`assign`, `unassign`) and the focus areas a judge knows
(`set_judge_focus_areas`, which the automatic assignment prefers to match). Services flush,
record an audit event and never commit.

A judge's place is removed only while they have written nothing for it. A submitted sheet, or a
draft holding any score or comment, is the judge's work: it would stay in the ranking without the
assignment that explains it. The director marks a conflict of interest instead (the sheet then
stops counting). An empty draft goes with the place.
"""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import Role, User
from incubator.cohorts.models import FocusArea
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.assignments import tallies
from incubator.judging.assignments.checks import (
    check_changeable,
    check_decides,
    check_judge,
    find_assignment,
    hold_round,
)
from incubator.judging.conflicts.detection import conflict_reason
from incubator.judging.models import Assignment, Round, ScoreSheet, judge_focus_areas


def assign(round_: Round, application: Application, judge: User, actor: User) -> Assignment:
    """Ask `judge` to score `application` in `round_`. Refused for a conflict of interest
    (declared, marked or found in the data), a non-judge, or a judge already assigned."""
    hold_round(round_)
    check_changeable(round_)
    check_decides(round_, application)
    check_judge(judge)
    names = {"judge": judge.name, "startup": application.startup.name}
    if find_assignment(round_.id, application.id, judge.id) is not None:
        raise ServiceError(_l("%(judge)s is already assigned to %(startup)s.", **names))
    reason = conflict_reason(round_, application, judge)
    if reason:
        raise ServiceError(
            _l("%(judge)s has a conflict of interest with %(startup)s: %(reason)s", reason=reason, **names)
        )
    assignment = Assignment(
        round_id=round_.id, application_id=application.id, judge_id=judge.id, created_by_id=actor.id
    )
    savepoint = db.session.begin_nested()
    db.session.add(assignment)
    try:
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        raise ServiceError(_l("%(judge)s is already assigned to %(startup)s.", **names)) from None
    tallies.recount(round_.id)
    record("assignment.created", assignment, actor=actor, application_id=application.id, judge_id=judge.id)
    return assignment


def _has_work(sheet: ScoreSheet) -> bool:
    return bool(
        sheet.status == "final"
        or sheet.overall_comment
        or sheet.recommendation
        or any(s.value is not None or s.comment for s in sheet.scores)
    )


def unassign(round_: Round, assignment: Assignment, actor: User) -> None:
    """Take a judge off an application. Refused once the judge has written anything for it
    (see above); an empty draft sheet is removed with the place."""
    hold_round(round_)
    check_changeable(round_)
    sheet = db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.round_id == round_.id,
            ScoreSheet.application_id == assignment.application_id,
            ScoreSheet.judge_id == assignment.judge_id,
        )
    )
    if sheet is not None and _has_work(sheet):
        raise ServiceError(
            _l(
                "This judge has already scored or commented on this application, so the place is kept. "
                "Mark a conflict of interest instead if their sheet must not count."
            )
        )
    record(
        "assignment.deleted",
        assignment,
        actor=actor,
        application_id=assignment.application_id,
        judge_id=assignment.judge_id,
        empty_sheet_removed=sheet is not None or None,
    )
    if sheet is not None:
        db.session.delete(sheet)
    db.session.delete(assignment)
    tallies.recount(round_.id)


# --- what judges know --------------------------------------------------------------------


def judge_area_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(select(judge_focus_areas.c.focus_area_id).where(judge_focus_areas.c.user_id == user.id))
    )


def set_judge_focus_areas(user: User, areas: Iterable[FocusArea], actor: User) -> None:
    """The focus areas `user` knows well; the automatic assignment prefers matching them."""
    if not user.has_role(Role.JUDGE):
        raise ServiceError(_l("%(name)s is not a judge.", name=user.name))
    wanted = sorted({a.id for a in areas})
    before = sorted(judge_area_ids(user))
    db.session.execute(delete(judge_focus_areas).where(judge_focus_areas.c.user_id == user.id))
    if wanted:
        db.session.execute(insert(judge_focus_areas), [{"user_id": user.id, "focus_area_id": a} for a in wanted])
    db.session.flush()
    record("judge.focus_areas_set", user, actor=actor, before=before, after=wanted)
