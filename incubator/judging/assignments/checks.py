"""The checks every write of assignments (and of conflicts) shares, and the round's lock.

Decisions:
- Assignments change while a round is a draft, open or closed, never once it is decided:
  its results and the decisions made from them must keep agreeing.
- New judges go only to the applications the round decides (submitted, and the startup is
  at the stage the round decides), never to a withdrawn or already moved-on startup.
"""

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from incubator.applications.models import Application
from incubator.auth.models import Role, User
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.assignments import tallies
from incubator.judging.assignments.board import Pair
from incubator.judging.models import Assignment, Round

CHANGEABLE_PHASES = ("draft", "open", "closed")


def decides(round_: Round, application: Application) -> bool:
    """The round decides this application: submitted to its cohort, the startup at the stage it decides."""
    return bool(
        application.cohort_id == round_.cohort_id
        and application.status == "submitted"
        and application.membership is not None
        and application.membership.stage == round_.decides_stage
    )


def check_changeable(round_: Round) -> None:
    """Refuse any change of judges or conflicts once the round is decided."""
    if round_.phase not in CHANGEABLE_PHASES:
        raise ServiceError(_l("This round is decided: its judges and conflicts can no longer change."))


def check_judge(user: User | None) -> User:
    """The user, if they may get new places: an active account with the judge role."""
    if user is None:
        raise ServiceError(_l("Choose judges from the list."))
    if not user.has_role(Role.JUDGE):
        raise ServiceError(_l("%(name)s is not a judge.", name=user.name))
    if not user.active:
        raise ServiceError(_l("The account of %(name)s is deactivated.", name=user.name))
    return user


def check_decides(round_: Round, application: Application) -> None:
    """Refuse new judges for an application the round does not decide (see `decides`)."""
    if not decides(round_, application):
        raise ServiceError(
            _l("%(startup)s is not among the applications this round decides.", startup=application.startup.name)
        )


def hold_round(round_: Round) -> Round:
    """Hold the round until this transaction ends, so that two directors assigning at the same
    moment do not both add the same places (and the phase read stays true)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(Round.id).where(Round.id == round_.id).with_for_update())
    else:  # SQLite: writing first takes its single writer lock
        db.session.execute(update(Round).where(Round.id == round_.id).values(phase=Round.phase))
    db.session.refresh(round_)
    return round_


def find_assignment(round_id: int, application_id: int, judge_id: int) -> Assignment | None:
    """The judge's place on the application in the round, if any."""
    return db.session.scalar(
        select(Assignment).where(
            Assignment.round_id == round_id,
            Assignment.application_id == application_id,
            Assignment.judge_id == judge_id,
        )
    )


def add_places(round_: Round, pairs: Sequence[Pair], actor: User) -> None:
    """Add the (judge, application) places, already checked by the caller."""
    for judge_id, application_id in pairs:
        db.session.add(
            Assignment(round_id=round_.id, application_id=application_id, judge_id=judge_id, created_by_id=actor.id)
        )
    tallies.recount(round_.id)
