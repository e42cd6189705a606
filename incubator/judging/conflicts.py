"""Conflicts of interest: declared by judges, marked by directors, or found in the data.

A conflict found in the data is computed whenever it is needed, never stored, so it
follows the team, the accounts and the mentoring as they change: the judge owns the
startup or is on its team (same e-mail), or shares a non-public e-mail domain with
someone on its team, or is assigned to mentor it (in any cohort).
"""

from collections.abc import Iterable
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.extensions import db
from incubator.judging.models import ConflictDeclaration
from incubator.mentoring.models import MentorAssignment
from incubator.startups.models import TeamMember

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


class Entry(NamedTuple):
    """What conflict detection reads of an application."""

    id: int
    startup_id: int
    owner_id: int | None


def detect(judges: Iterable[User], applications: Iterable[Application]) -> dict[tuple[int, int], str]:
    """{(judge id, application id): translated reason} for every conflict found in the data."""
    return detect_entries(judges, [Entry(a.id, a.startup_id, a.startup.owner_id) for a in applications])


def detect_entries(judges: Iterable[User], applications: Iterable[Entry]) -> dict[tuple[int, int], str]:
    """`detect` for applications given as plain entries (no objects to load for thousands)."""
    judges, applications = list(judges), list(applications)
    startup_ids = {a.startup_id for a in applications}
    emails: dict[int, set[str]] = {startup_id: set() for startup_id in startup_ids}
    if startup_ids:
        for startup_id, email in db.session.execute(
            select(TeamMember.startup_id, TeamMember.email).where(TeamMember.startup_id.in_(startup_ids))
        ):
            if email:
                emails[startup_id].add(email.lower())
    owner_ids = {a.owner_id for a in applications if a.owner_id}
    if owner_ids:
        owner_emails = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(owner_ids))).all())
        for application in applications:
            if application.owner_id in owner_emails:
                emails[application.startup_id].add(owner_emails[application.owner_id].lower())
    domains = {startup_id: {_domain(e) for e in found} for startup_id, found in emails.items()}
    mentored = _mentored(judges, startup_ids)
    found = {}
    for judge in judges:
        judge_email, judge_domain = judge.email.lower(), _domain(judge.email)
        identifying = _identifying(judge_domain)
        for application in applications:
            startup_id = application.startup_id
            key = (judge.id, application.id)
            if application.owner_id == judge.id:
                found[key] = str(REASONS["owner"])
            elif judge_email in emails[startup_id]:
                found[key] = str(REASONS["team"])
            elif (judge.id, startup_id) in mentored:
                found[key] = str(REASONS["mentor"])
            elif identifying and judge_domain in domains[startup_id]:
                found[key] = str(
                    _l("The judge shares the e-mail domain %(domain)s with this startup's team.", domain=judge_domain)
                )
    return found


def _mentored(judges: list[User], startup_ids: set[int]) -> set[tuple[int, int]]:
    """(judge id, startup id) for each judge assigned as a mentor to the startup, in any cohort."""
    judge_ids = {j.id for j in judges}
    if not (judge_ids and startup_ids):
        return set()
    rows = db.session.execute(
        select(MentorAssignment.mentor_id, CohortStartup.startup_id)
        .join(CohortStartup, CohortStartup.id == MentorAssignment.cohort_startup_id)
        .where(MentorAssignment.mentor_id.in_(judge_ids), CohortStartup.startup_id.in_(startup_ids))
    )
    return {(mentor_id, startup_id) for mentor_id, startup_id in rows}


def declared(round_id: int) -> dict[tuple[int, int], ConflictDeclaration]:
    rows = db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.round_id == round_id))
    return {(c.judge_id, c.application_id): c for c in rows}
