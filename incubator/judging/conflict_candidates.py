"""The few applications of a round that can hold a conflict found in the data for some judges.

Conflict detection (conflicts/detection.py) reads each application it is given; a round holds
thousands, and only those whose startup is related to one of the judges can conflict: the judge
owns it, is on its team, mentors it, or someone on it (the owner included) shares the judge's
identifying e-mail domain. This module finds those in one SQL query, a superset of what
detection finds, so the paged judging pages hand detection a handful of rows instead of the
round. Once detected conflicts are stored, their table replaces this module.
"""

from collections.abc import Iterable

from sqlalchemy import Select, false, func, or_, select, union

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.extensions import db
from incubator.judging.conflicts import detection
from incubator.judging.models import Round
from incubator.judging.ranking.compute import round_members
from incubator.mentoring.models import MentorAssignment
from incubator.startups.models import Startup, TeamMember


def _related_startups(judges: list) -> Select:
    """The query of the ids of the startups related to one of `judges` (each with .id and .email)."""
    ids = [j.id for j in judges]
    emails = sorted({(j.email or "").lower() for j in judges} - {""})
    domains = sorted({d for j in judges if detection._identifying(d := detection._domain(j.email))})
    team = or_(
        func.lower(TeamMember.email).in_(emails) if emails else false(),
        *(func.lower(TeamMember.email).like(f"%@{d}") for d in domains),
    )
    related = [
        select(Startup.id).where(Startup.owner_id.in_(ids)),
        select(TeamMember.startup_id).where(team),
        select(CohortStartup.startup_id)
        .join(MentorAssignment, MentorAssignment.cohort_startup_id == CohortStartup.id)
        .where(MentorAssignment.mentor_id.in_(ids)),
    ]
    if domains:
        owners = select(User.id).where(or_(*(func.lower(User.email).like(f"%@{d}") for d in domains)))
        related.append(select(Startup.id).where(Startup.owner_id.in_(owners)))
    return union(*related)


def candidate_entries(judges: Iterable, application_ids: Select) -> list[detection.Entry]:
    """The applications of `application_ids` (a query of ids) whose startup is related to one of
    `judges`, as detection's entries, in one query."""
    judges = list(judges)
    if not judges:
        return []
    statement = (
        select(Application.id, Application.startup_id, Startup.owner_id)
        .join(Startup, Startup.id == Application.startup_id)
        .where(Application.startup_id.in_(_related_startups(judges)), Application.id.in_(application_ids))
        .order_by(Application.id)
    )
    return [detection.Entry(*row) for row in db.session.execute(statement)]


def round_candidate_entries(round_: Round, judges: Iterable) -> list[detection.Entry]:
    """The applications a round ranks whose startup is related to one of `judges`, in one query."""
    judges = list(judges)
    if not judges:
        return []
    statement = round_members(round_).where(Application.startup_id.in_(_related_startups(judges)))
    return [detection.Entry(*row) for row in db.session.execute(statement)]
