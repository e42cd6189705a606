"""The assignment board's figures for a round, stored: how many applications the round ranks, how
many of them it decides (they may get judges), and of those how many have all their judges
(conflicts left out). Counting them reads every application and place of the round, so a page
reads them from `round_tallies` instead.

`recount(round_id)` is their one writer. It runs in the transaction of every change that can move
them, with the round held: a place added or removed (judging.assignments), and through
judging.ranking.results.refresh_rounds a conflict declared, marked, removed or found in the data,
a stage change, an application entering or leaving the round, and the judges a round expects.
"""

from typing import NamedTuple

from sqlalchemy import and_, case, exists, func, insert, select, update

from incubator.applications.models import Application
from incubator.cohorts.models import CohortStartup
from incubator.extensions import db
from incubator.judging.assignments.models import RoundTallies
from incubator.judging.conflicts.models import DetectedConflict
from incubator.judging.models import Assignment, ConflictDeclaration, Round
from incubator.judging.ranking.compute import round_members


class Tallies(NamedTuple):
    members: int  # the applications the round ranks
    candidates: int  # of them, those the round decides
    filled: int  # of those, the ones with all their judges (conflicts left out)


def count(round_) -> Tallies:
    """The figures from the data as it is now. `round_` needs id, cohort_id, decides_stage and
    judges_per_application."""
    members = round_members(round_).add_columns(CohortStartup.stage).order_by(None).subquery()
    total, candidates = db.session.execute(
        select(func.count(), func.count(case((members.c.stage == round_.decides_stage, 1)))).select_from(members)
    ).one()
    declared = exists().where(
        ConflictDeclaration.round_id == Assignment.round_id,
        ConflictDeclaration.application_id == Assignment.application_id,
        ConflictDeclaration.judge_id == Assignment.judge_id,
    )
    found = exists().where(
        DetectedConflict.judge_id == Assignment.judge_id, DetectedConflict.startup_id == Application.startup_id
    )
    places = (
        select(Assignment.application_id)
        .join(Application, Application.id == Assignment.application_id)
        .join(
            CohortStartup,
            and_(CohortStartup.startup_id == Application.startup_id, CohortStartup.cohort_id == Application.cohort_id),
        )
        .where(
            Assignment.round_id == round_.id,
            Application.cohort_id == round_.cohort_id,
            Application.status == "submitted",
            CohortStartup.stage == round_.decides_stage,
            ~declared,
            ~found,
        )
        .group_by(Assignment.application_id)
        .having(func.count() >= round_.judges_per_application)
        .subquery()
    )
    filled = db.session.scalar(select(func.count()).select_from(places))
    return Tallies(total, candidates, filled)


def recount(round_id: int) -> None:
    """Store the round's figures as the data has them now (the caller holds the round)."""
    db.session.flush()  # the caller's own change is what is counted
    round_ = db.session.execute(
        select(Round.id, Round.cohort_id, Round.decides_stage, Round.judges_per_application).where(Round.id == round_id)
    ).first()
    if round_ is None:
        return
    figures = count(round_)._asdict()
    table = RoundTallies.__table__
    run = db.session.connection().execute
    columns = (table.c.members, table.c.candidates, table.c.filled)
    stored = run(select(*columns).where(table.c.round_id == round_id)).first()
    if stored is None:
        run(insert(table).values(round_id=round_id, **figures))
    elif tuple(stored) != tuple(figures.values()):
        run(update(table).where(table.c.round_id == round_id).values(**figures))


def read(round_: Round) -> Tallies:
    """The round's stored figures (counted now if none are stored yet, as before an upgrade's
    `flask refresh-results`)."""
    table = RoundTallies.__table__
    stored = db.session.execute(
        select(table.c.members, table.c.candidates, table.c.filled).where(table.c.round_id == round_.id)
    ).first()
    return Tallies(*stored) if stored is not None else count(round_)
