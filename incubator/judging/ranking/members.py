"""Which applications a round ranks, and the round itself, as every judging page reads them.

A round ranks the submitted applications whose startup is at the stage it decides, plus any already
judged or decided in it (they may have moved on). The statements are built once and run with the
round's values (`round_params`): building a statement with SQLAlchemy costs more than running it
(0.3 ms for the round's condition), and a page asks several.
"""

from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import defaultload, lazyload

from incubator.applications.models import Application
from incubator.cohorts.models import Cohort, CohortStartup, Space
from incubator.extensions import db
from incubator.judging.models import Assignment, Decision, Round, ScoreSheet
from incubator.startups.models import Startup


class RoundEntry(NamedTuple):
    """An application of a round as plain data: what rankings, queues and boards read of
    thousands of them (objects are loaded only for the ones a page shows)."""

    id: int
    startup_id: int
    name: str  # the startup's
    focus_area_id: int | None
    owner_id: int | None
    stage: str | None  # the startup's stage in the cohort
    city: str | None  # the startup's


# `load_round`'s statement, built once: every judging page asks it.
_ROUND_ALONE = (
    select(Round)
    .where(Round.id == bindparam("round_id"))
    .options(
        lazyload(Round.rubric),
        defaultload(Round.cohort).lazyload(Cohort.focus_areas),
        defaultload(Round.cohort).defaultload(Cohort.space).lazyload(Space.focus_areas),
    )
)


def load_round(round_id: int) -> Round | None:
    """The round alone, for the pages that read thousands of its rows as plain data: without
    the rubric, its criteria and levels, and the focus areas a round's objects load by default."""
    return db.session.scalars(_ROUND_ALONE, {"round_id": round_id}).unique().one_or_none()


# `_in_round`'s parameters, untyped: each takes the type of the column it is compared with.
ROUND_ID = bindparam("in_round_id")
ROUND_COHORT = bindparam("in_round_cohort")
ROUND_STAGE = bindparam("in_round_stage")


def round_params(round_) -> dict[str, object]:
    """The values of `_in_round`'s parameters for this round (it needs id, cohort_id and decides_stage)."""
    return {"in_round_id": round_.id, "in_round_cohort": round_.cohort_id, "in_round_stage": round_.decides_stage}


def _in_round(statement):
    """`statement` (on applications) narrowed to the submitted applications a round ranks: those
    whose startup is at the stage the round decides, plus any already judged or decided in it
    (they may have moved on). Run it with `round_params`."""
    # EXISTS, not IN: looked up only for the applications the stage does not already take.
    judged = select(Assignment.id).where(Assignment.round_id == ROUND_ID, Assignment.application_id == Application.id)
    sheeted = select(ScoreSheet.id).where(ScoreSheet.round_id == ROUND_ID, ScoreSheet.application_id == Application.id)
    decided = select(Decision.id).where(Decision.round_id == ROUND_ID, Decision.application_id == Application.id)
    return (
        statement.outerjoin(
            CohortStartup,
            and_(
                CohortStartup.startup_id == Application.startup_id,
                CohortStartup.cohort_id == Application.cohort_id,
            ),
        )
        .where(
            Application.cohort_id == ROUND_COHORT,
            Application.status == "submitted",
            or_(
                and_(CohortStartup.stage == ROUND_STAGE, Application.joins_round(ROUND_ID)),
                judged.exists(),
                sheeted.exists(),
                decided.exists(),
            ),
        )
        .order_by(Application.id)
    )


@cache
def _round_applications() -> Select:
    # Thousands of rows: skip what the ranking never reads (the cohort is the round's own, already
    # in the session; team members load only if a page asks for them).
    return _in_round(select(Application)).options(
        lazyload(Application.cohort), defaultload(Application.startup).lazyload(Startup.members)
    )


def round_applications(round_: Round) -> list[Application]:
    """The applications a round ranks (see `_in_round`), as objects."""
    return db.session.scalars(_round_applications(), round_params(round_)).unique().all()


@cache
def _count_round_applications() -> Select:
    return select(func.count()).select_from(_in_round(select(Application.id)).subquery())


def count_round_applications(round_: Round) -> int:
    """How many applications the round ranks (see `_in_round`), in one count query."""
    return db.session.scalar(_count_round_applications(), round_params(round_))


def round_entries(round_: Round) -> list[RoundEntry]:
    """The applications a round ranks (see `_in_round`), as plain rows in one query."""
    return [RoundEntry(*row) for row in db.session.execute(round_entries_query(), round_params(round_))]


@cache
def round_entries_query() -> Select:
    """The query of `round_entries`' rows, by application id (pages narrow and order it); run it
    with `round_params`."""
    statement = select(
        Application.id,
        Application.startup_id,
        Startup.name,
        Startup.focus_area_id,
        Startup.owner_id,
        CohortStartup.stage,
        Startup.city,
    ).join(Startup, Startup.id == Application.startup_id)
    return _in_round(statement)


@cache
def round_members() -> Select:
    """The query of (application id, startup id) of each application a round ranks (see `_in_round`):
    the least a round's stored results need. Run it with `round_params`."""
    return _in_round(select(Application.id, Application.startup_id))
