"""Conflicts of interest: declared by judges, marked by directors, or found in the data.

A conflict found in the data is computed whenever it is needed, never stored, so it
follows the team, the accounts and the mentoring as they change: the judge owns the
startup or is on its team (same e-mail), or shares a non-public e-mail domain with
someone on its team. (Mentoring assignments join this list when mentoring lands.)
"""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.extensions import db
from incubator.judging.models import ConflictDeclaration
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


def detect(judges: Iterable[User], applications: Iterable[Application]) -> dict[tuple[int, int], str]:
    """{(judge id, application id): translated reason} for every conflict found in the data."""
    applications = list(applications)
    startup_ids = {a.startup_id for a in applications}
    members: dict[int, list[TeamMember]] = {}
    if startup_ids:
        for member in db.session.scalars(select(TeamMember).where(TeamMember.startup_id.in_(startup_ids))):
            members.setdefault(member.startup_id, []).append(member)
    owners = {}
    owner_ids = {a.startup.owner_id for a in applications if a.startup.owner_id}
    if owner_ids:
        owners = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(owner_ids)))}
    found = {}
    for judge in judges:
        judge_email, judge_domain = judge.email.lower(), _domain(judge.email)
        for application in applications:
            startup = application.startup
            team = members.get(startup.id, [])
            emails = {m.email.lower() for m in team if m.email}
            if startup.owner_id in owners:
                emails.add(owners[startup.owner_id].email.lower())
            key = (judge.id, application.id)
            if startup.owner_id == judge.id:
                found[key] = str(REASONS["owner"])
            elif judge_email in emails:
                found[key] = str(REASONS["team"])
            elif _identifying(judge_domain) and judge_domain in {_domain(e) for e in emails}:
                found[key] = str(
                    _l("The judge shares the e-mail domain %(domain)s with this startup's team.", domain=judge_domain)
                )
    return found


def declared(round_id: int) -> dict[tuple[int, int], ConflictDeclaration]:
    rows = db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.round_id == round_id))
    return {(c.judge_id, c.application_id): c for c in rows}
