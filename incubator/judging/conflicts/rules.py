"""The rule for conflicts found in the data, over plain values (no Flask, no database).

A judge has a conflict with a startup when the judge's account owns it, the judge is on its team
(same e-mail address), the judge mentors it (in any cohort), or the judge shares a non-public
e-mail domain with someone on its team or its owner. One kind per (judge, startup), the first
that holds in that order.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

KINDS = ("owner", "team", "mentor", "domain")

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

# Reserved for documentation and testing (RFC 2606, RFC 6761): they identify no organisation.
RESERVED_DOMAINS = frozenset(["example.org", "example.com", "example.net"])
RESERVED_SUFFIXES = (".test", ".example", ".invalid", ".localhost")


class Found(NamedTuple):
    """Why a judge may not judge a startup: the kind, and the shared domain for `domain`."""

    kind: str
    domain: str | None = None


def domain_of(email: str | None) -> str:
    """The part after the last `@`, in lower case ('' without one)."""
    return email.rsplit("@", 1)[-1].lower() if email and "@" in email else ""


def identifying(domain: str) -> bool:
    """Whether sharing this e-mail domain suggests a relation between two people."""
    return (
        bool(domain)
        and domain not in PUBLIC_DOMAINS
        and domain not in RESERVED_DOMAINS
        and not domain.endswith(RESERVED_SUFFIXES)
    )


def find(
    judges: Mapping[int, str],
    owners: Mapping[int, int | None],
    people: Mapping[int, Iterable[str]],
    mentored: Iterable[tuple[int, int]],
) -> dict[tuple[int, int], Found]:
    """{(judge id, startup id): Found} for `judges` ({id: e-mail}) and the startups of `owners`
    ({startup id: owner's user id}), whose team and owner addresses are in `people` ({startup id:
    addresses}); `mentored` holds (mentor id, startup id) pairs."""
    by_email: dict[str, set[int]] = defaultdict(set)
    by_domain: dict[str, set[int]] = defaultdict(set)
    for startup_id, emails in people.items():
        for email in emails:
            if email:
                by_email[email.lower()].add(startup_id)
                by_domain[domain_of(email)].add(startup_id)
    found: dict[tuple[int, int], Found] = {}
    for startup_id, owner_id in owners.items():
        if owner_id in judges:
            found[(owner_id, startup_id)] = Found("owner")
    for judge_id, email in judges.items():
        for startup_id in by_email.get((email or "").lower(), ()):
            found.setdefault((judge_id, startup_id), Found("team"))
    for judge_id, startup_id in mentored:
        if judge_id in judges and startup_id in owners:
            found.setdefault((judge_id, startup_id), Found("mentor"))
    for judge_id, email in judges.items():
        domain = domain_of(email)
        if identifying(domain):
            for startup_id in by_domain.get(domain, ()):
                found.setdefault((judge_id, startup_id), Found("domain", domain))
    return found
