"""Conflicts of interest: declared by judges, marked by directors, or found in the data.

A conflict found in the data (the judge owns the startup or is on its team, shares a non-public
e-mail domain with someone on it, or mentors it in any cohort: judging.conflicts.rules) is stored
by its one writer, judging.conflicts.found, in the transaction that changes what it is found in;
these functions read the stored rows and say why, in the reader's language.
"""

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, bindparam, or_, select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.extensions import db
from incubator.judging.conflicts.models import DetectedConflict
from incubator.judging.conflicts.rules import Found
from incubator.judging.models import ConflictDeclaration, Round

REASONS = {
    "owner": _l("The judge's account owns this startup."),
    "team": _l("The judge is on this startup's team."),
    "mentor": _l("The judge mentors this startup."),
}


def reason(found: Found) -> str:
    """Why, in the reader's language."""
    if found.kind == "domain":
        return str(_l("The judge shares the e-mail domain %(domain)s with this startup's team.", domain=found.domain))
    return str(REASONS[found.kind])


class Judge(NamedTuple):
    """What conflict detection reads of a judge (a User will do)."""

    id: int
    email: str


class Entry(NamedTuple):
    """What conflict detection reads of an application: its startup's stored conflicts apply."""

    id: int
    startup_id: int


def detect(judges: Iterable[User], applications: Iterable[Application]) -> dict[tuple[int, int], str]:
    """{(judge id, application id): translated reason} for every conflict found in the data."""
    return detect_entries(judges, [Entry(a.id, a.startup_id) for a in applications])


def detect_entries(
    judges: Iterable[User | Judge | int],
    applications: Iterable[Entry],
    pairs: Iterable[tuple[int, int]] | None = None,
    *,
    startups: Select | None = None,
) -> dict[tuple[int, int], str]:
    """`detect` for applications given as plain entries (no objects to load for thousands); with
    `pairs` ((judge id, application id), e.g. a round's sheets), only for those pairs. `judges` are
    people or their ids (conflicts are stored by judge id). `startups`, a query of startup ids that
    holds the applications' (a round's cohort), narrows the stored rows read without sending
    thousands of ids to the database."""
    judge_ids = {j if isinstance(j, int) else j.id for j in judges}
    applications = list(applications)
    if not judge_ids or not applications:
        return {}
    statement = select(
        DetectedConflict.judge_id, DetectedConflict.startup_id, DetectedConflict.kind, DetectedConflict.domain
    ).where(DetectedConflict.judge_id.in_(judge_ids))
    if startups is not None:
        statement = statement.where(DetectedConflict.startup_id.in_(startups))
    else:
        startup_ids = {application.startup_id for application in applications}
        if len(startup_ids) <= 500:
            statement = statement.where(DetectedConflict.startup_id.in_(list(startup_ids)))
    rows = db.session.execute(statement).all()
    if not rows:
        return {}  # the usual case: thousands of applications, no conflict to look their startups up for
    involved = {row[1] for row in rows}
    by_startup: dict[int, list[int]] = defaultdict(list)
    for application in applications:
        if application.startup_id in involved:
            by_startup[application.startup_id].append(application.id)
    wanted = None if pairs is None else set(pairs)
    found = {}
    for judge_id, startup_id, kind, domain in rows:
        for application_id in by_startup.get(startup_id, ()):
            if wanted is None or (judge_id, application_id) in wanted:
                found[judge_id, application_id] = reason(Found(kind, domain))
    return found


@cache
def _judges_conflicts() -> Select:
    """The stored conflicts of the judges `judge_ids`, by application (built once: every judging page asks)."""
    return (
        select(DetectedConflict.judge_id, Application.id, DetectedConflict.kind, DetectedConflict.domain)
        .join(Application, Application.startup_id == DetectedConflict.startup_id)
        .where(DetectedConflict.judge_id.in_(bindparam("judge_ids", expanding=True)))
    )


def found_for(judge_ids: Iterable[int], application_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """`found_among` for a few applications given by id (a page's)."""
    judge_ids, wanted = list(judge_ids), set(application_ids)
    if not judge_ids or not wanted:
        return {}
    rows = db.session.execute(_judges_conflicts(), {"judge_ids": judge_ids})
    return {(j, a): reason(Found(kind, domain)) for j, a, kind, domain in rows if a in wanted}


def found_among(judge_ids: Iterable[int], application_ids: Select, params=None) -> dict[tuple[int, int], str]:
    """{(judge id, application id): translated reason} for the stored conflicts between these judges
    and the applications of `application_ids` (a query of ids, run with `params`: a judge's
    assignments, a round's applications), joined in SQL: a paged page reads the few there are, not
    the round."""
    judge_ids = list(judge_ids)
    if not judge_ids:
        return {}
    # The judges' stored conflicts first (a few rows, from an index); only when there are any are
    # they narrowed to `application_ids`, which may be a whole round's thousands.
    rows = db.session.execute(_judges_conflicts(), {"judge_ids": judge_ids}).all()
    if not rows:
        return {}
    ids = application_ids.subquery()
    wanted = {row[1] for row in rows}
    kept = set(db.session.scalars(select(ids.c[0]).where(ids.c[0].in_(sorted(wanted))), params))
    return {(j, a): reason(Found(kind, domain)) for j, a, kind, domain in rows if a in kept}


def declared(round_id: int) -> dict[tuple[int, int], ConflictDeclaration]:
    rows = db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.round_id == round_id))
    return {(c.judge_id, c.application_id): c for c in rows}


def _declaration(round_id: int, application_id: int, judge_id: int) -> Select:
    return select(ConflictDeclaration).where(
        ConflictDeclaration.round_id == round_id,
        ConflictDeclaration.application_id == application_id,
        ConflictDeclaration.judge_id == judge_id,
    )


def in_conflict(round_id: int, application: Application, judge_id: int) -> ColumnElement[bool]:
    """SQL, true when the judge has a conflict with the application in the round: declared, marked
    or found in the data (what `conflict_reason` gives the reason of), for a query that asks more."""
    found = select(DetectedConflict.judge_id).where(
        DetectedConflict.judge_id == judge_id, DetectedConflict.startup_id == application.startup_id
    )
    return or_(_declaration(round_id, application.id, judge_id).exists(), found.exists())


def conflict_reason(round_: Round, application: Application, judge: User) -> str | None:
    """Why `judge` may not judge `application` in `round_` (declared, marked or found), or None."""
    declaration = db.session.scalar(_declaration(round_.id, application.id, judge.id))
    if declaration is not None:
        return declaration.reason
    return detect([judge], [application]).get((judge.id, application.id))
