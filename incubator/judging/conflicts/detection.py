"""Conflicts of interest: declared by judges, marked by directors, or found in the data.

A conflict found in the data is computed whenever it is needed, never stored, so it
follows the team, the accounts and the mentoring as they change: the judge owns the
startup or is on its team (same e-mail), or shares a non-public e-mail domain with
someone on its team, or is assigned to mentor it (in any cohort).
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.extensions import db
from incubator.judging.models import ConflictDeclaration, Round
from incubator.mentoring.models import MentorAssignment
from incubator.startups.models import Startup, TeamMember

# Addresses anyone can get: sharing one of these domains says nothing about a relation.
PUBLIC_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.id",
        "ymail.com",
        "rocketmail.com",
        "hotmail.com",
        "outlook.com",
        "outlook.co.id",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "protonmail.com",
        "proton.me",
        "mail.com",
        "gmx.com",
        "yandex.com",
        "zoho.com",
    ]
)

REASONS = {
    "owner": _l("The judge's account owns this startup."),
    "team": _l("The judge is on this startup's team."),
    "mentor": _l("The judge mentors this startup."),
}


# Reserved for documentation and testing (RFC 2606, RFC 6761): they identify no organisation.
RESERVED_DOMAINS = frozenset(["example.org", "example.com", "example.net"])
RESERVED_SUFFIXES = (".test", ".example", ".invalid", ".localhost")


def _identifying(domain: str) -> bool:
    """Whether sharing this e-mail domain suggests a relation between two people."""
    return (
        bool(domain)
        and domain not in PUBLIC_DOMAINS
        and domain not in RESERVED_DOMAINS
        and not domain.endswith(RESERVED_SUFFIXES)
    )


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in (email or "") else ""


class Judge(NamedTuple):
    """What conflict detection reads of a judge (a User will do)."""

    id: int
    email: str


class Entry(NamedTuple):
    """What conflict detection reads of an application."""

    id: int
    startup_id: int
    owner_id: int | None


def detect(judges: Iterable[User], applications: Iterable[Application]) -> dict[tuple[int, int], str]:
    """{(judge id, application id): translated reason} for every conflict found in the data."""
    return detect_entries(judges, [Entry(a.id, a.startup_id, a.startup.owner_id) for a in applications])


def detect_entries(
    judges: Iterable[User | Judge],
    applications: Iterable[Entry],
    pairs: Iterable[tuple[int, int]] | None = None,
    *,
    startups: Select | None = None,
) -> dict[tuple[int, int], str]:
    """`detect` for applications given as plain entries (no objects to load for thousands); with
    `pairs` ((judge id, application id), e.g. a round's sheets), only for those pairs. `startups`,
    a query of startup ids that holds the applications' (a round's cohort), reads their teams and
    mentors without sending thousands of ids to the database."""
    judges, applications = list(judges), list(applications)
    wanted = startups if startups is not None else {a.startup_id for a in applications}
    emails: dict[int, set[str]] = defaultdict(set)  # only startups with someone's address
    if startups is not None or wanted:
        for startup_id, email in db.session.execute(
            select(TeamMember.startup_id, TeamMember.email)
            .where(TeamMember.startup_id.in_(wanted))
            .union_all(
                select(Startup.id, User.email).join(User, User.id == Startup.owner_id).where(Startup.id.in_(wanted))
            )
        ):
            if email:
                emails[startup_id].add(email.lower())
    domains = {startup_id: {_domain(e) for e in found} for startup_id, found in emails.items()}
    nobody: frozenset[str] = frozenset()
    mentored = _mentored(judges, wanted)
    known = {j.id: (j.email.lower(), _domain(j.email), _identifying(_domain(j.email))) for j in judges}
    if pairs is None:
        candidates = ((judge_id, application) for judge_id in known for application in applications)
    else:
        application_by_id = {a.id: a for a in applications}
        candidates = (
            (judge_id, application_by_id[application_id])
            for judge_id, application_id in pairs
            if judge_id in known and application_id in application_by_id
        )
    found = {}
    for judge_id, application in candidates:
        judge_email, judge_domain, identifying = known[judge_id]
        startup_id = application.startup_id
        key = (judge_id, application.id)
        if application.owner_id == judge_id:
            found[key] = str(REASONS["owner"])
        elif judge_email in emails.get(startup_id, nobody):
            found[key] = str(REASONS["team"])
        elif (judge_id, startup_id) in mentored:
            found[key] = str(REASONS["mentor"])
        elif identifying and judge_domain in domains.get(startup_id, nobody):
            found[key] = str(
                _l("The judge shares the e-mail domain %(domain)s with this startup's team.", domain=judge_domain)
            )
    return found


def _mentored(judges: list[User | Judge], startups: "Select | set[int]") -> set[tuple[int, int]]:
    """(judge id, startup id) for each judge assigned as a mentor to one of `startups`, in any cohort."""
    judge_ids = {j.id for j in judges}
    if not judge_ids or (isinstance(startups, set) and not startups):
        return set()
    rows = db.session.execute(
        select(MentorAssignment.mentor_id, CohortStartup.startup_id)
        .join(CohortStartup, CohortStartup.id == MentorAssignment.cohort_startup_id)
        .where(MentorAssignment.mentor_id.in_(judge_ids), CohortStartup.startup_id.in_(startups))
    )
    return {(mentor_id, startup_id) for mentor_id, startup_id in rows}


def declared(round_id: int) -> dict[tuple[int, int], ConflictDeclaration]:
    rows = db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.round_id == round_id))
    return {(c.judge_id, c.application_id): c for c in rows}


def conflict_reason(round_: Round, application: Application, judge: User) -> str | None:
    """Why `judge` may not judge `application` in `round_` (declared, marked or found), or None."""
    declaration = db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.round_id == round_.id,
            ConflictDeclaration.application_id == application.id,
            ConflictDeclaration.judge_id == judge.id,
        )
    )
    if declaration is not None:
        return declaration.reason
    return detect([judge], [application]).get((judge.id, application.id))
