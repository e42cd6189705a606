"""WhatsApp click-to-chat links (`https://wa.me/<digits>?text=…`) beside what is sent to founders.

No messaging API and no number kept anywhere else: a link is made when a page is shown, from the
team member's phone (E.164, stored by core.phones) and a text the director or mentor then sends
from their own WhatsApp.
"""

from functools import cache
from urllib.parse import quote

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, func, select

from incubator.auth.models import User
from incubator.extensions import db
from incubator.startups.models import Startup, TeamMember


def wa_link(phone: str | None, text: str | None = None) -> str | None:
    """`https://wa.me/<digits>` (the E.164 number without its plus) with `text` percent-encoded
    as `?text=`, or None when there is no number."""
    digits = "".join(c for c in (phone or "") if c.isdigit())
    if not digits:
        return None
    url = f"https://wa.me/{digits}"
    if text:
        url += "?text=" + quote(text, safe="")
    return url


def greeting(locale: str | None, name: str) -> str:
    """A short hello in the founder's language (Indonesian unless they chose another)."""
    with force_locale(locale or "id"):
        return _("Hello %(name)s, this is the Hetero for Startup team.", name=name)


def _best(members: list[TeamMember]) -> TeamMember | None:
    """Of a team, the contact to write to: a founder with a phone first, then anyone with one."""
    with_phone = [m for m in members if m.phone]
    with_phone.sort(key=lambda m: (not m.is_founder, m.position, m.id))
    return with_phone[0] if with_phone else None


def mail_phones(emails: set[str]) -> dict[str, str]:
    """For recipients' addresses, the founder's phone: the team member with that e-mail, or else the
    contact of the startup whose owner has that address. Addresses of no founder are left out."""
    lowered = {e.lower() for e in emails if e}
    if not lowered:
        return {}
    found: dict[str, str] = {}
    members = db.session.scalars(
        select(TeamMember)
        .where(func.lower(TeamMember.email).in_(lowered), TeamMember.phone != "")
        .order_by(TeamMember.is_founder.desc(), TeamMember.id)
    ).all()
    for m in members:
        found.setdefault(m.email.lower(), m.phone)
    rest = lowered - found.keys()
    if rest:
        owned = db.session.execute(
            select(func.lower(User.email), TeamMember)
            .join(Startup, Startup.owner_id == User.id)
            .join(TeamMember, TeamMember.startup_id == Startup.id)
            .where(func.lower(User.email).in_(rest), TeamMember.phone != "")
        ).all()
        teams: dict[str, list[TeamMember]] = {}
        for email, member in owned:
            teams.setdefault(email, []).append(member)
        for email, team in teams.items():
            if best := _best(team):
                found[email] = best.phone
    return {e: found[e.lower()] for e in emails if e and e.lower() in found}


def mail_link(message, phones: dict[str, str]) -> str | None:
    """The link for one outbox message: its own subject and body, in the language it was written in."""
    return wa_link(phones.get(message.recipient), f"{message.subject}\n\n{message.body.strip()}")


def _links(rows) -> dict[int, str]:
    """(key, team member, owner's locale) rows to one link per key: its best contact, greeted."""
    teams: dict[int, list[TeamMember]] = {}
    locales: dict[int, str | None] = {}
    for key, member, locale in rows:
        teams.setdefault(key, []).append(member)
        locales[key] = locale
    links = {}
    for key, team in teams.items():
        best = _best(team)
        links[key] = wa_link(best.phone, greeting(locales[key], best.name))
    return links


def startup_links(startup_ids: set[int]) -> dict[int, str]:
    """For startups, a link to their contact (a founder with a phone first) with a greeting in the
    owner's language. Startups without a phone are left out."""
    if not startup_ids:
        return {}
    return _links(
        db.session.execute(
            select(TeamMember.startup_id, TeamMember, User.locale)
            .join(Startup, Startup.id == TeamMember.startup_id)
            .outerjoin(User, User.id == Startup.owner_id)
            .where(TeamMember.startup_id.in_(startup_ids), TeamMember.phone != "")
        ).all()
    )


@cache
def _application_contacts() -> Select:
    """(application id, team member with a phone, owner's locale) of the applications `ids`: built
    once, as building it cost more than running it."""
    from incubator.applications.models import Application  # applications send mail: import late

    return (
        select(Application.id, TeamMember, User.locale)
        .join(TeamMember, TeamMember.startup_id == Application.startup_id)
        .join(Startup, Startup.id == Application.startup_id)
        .outerjoin(User, User.id == Startup.owner_id)
        .where(Application.id.in_(bindparam("ids", expanding=True)), TeamMember.phone != "")
    )


def application_links(application_ids: list[int]) -> dict[int, str]:
    """For applications (a page of a cohort's list), the link to their startup's contact, in one query."""
    if not application_ids:
        return {}
    return _links(db.session.execute(_application_contacts(), {"ids": application_ids}).all())


def member_link(startup: Startup, member: TeamMember) -> str | None:
    """A link to one team member with a greeting in the startup owner's language."""
    locale = startup.owner.locale if startup.owner else None
    return wa_link(member.phone, greeting(locale, member.name))
