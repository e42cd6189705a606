"""Retention: the personal data of applications that were not selected is kept for
RETENTION_MONTHS months (24 by default) after the outcome, then erased by `flask purge-expired`.

An application has expired when its startup left the cohort as not selected or withdrawn more
than that many months ago, or when it stayed a draft in a cohort whose window closed that long
ago. A startup whose every application has expired (and that is in no cohort's programme) loses
its profile and team contacts too; the founder's account stays until they ask for deletion."""

from collections import Counter
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, exists, or_, select

from incubator.applications.models import Application
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.extensions import db
from incubator.privacy.erasure import erase_application, erase_startup, still_held, sweep
from incubator.privacy.models import Erasure
from incubator.startups.models import Startup

ENDED = ("not_selected", "withdrawn")
DEFAULT_MONTHS = 24


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)  # pragma: no cover - day 28 exists in every month


class Expired(NamedTuple):
    application_id: int
    startup_id: int
    startup: str
    cohort: str
    ended: str  # the stage code, or "draft"


def expired_applications(cutoff: datetime) -> list[Expired]:
    """Applications whose data is past its retention period and not yet erased, oldest cohort first."""
    erased = exists().where(Erasure.application_id == Application.id)
    membership = and_(
        CohortStartup.startup_id == Application.startup_id, CohortStartup.cohort_id == Application.cohort_id
    )
    query = (
        select(
            Application.id, Application.startup_id, Startup.name, Cohort.name, CohortStartup.stage, Application.status
        )
        .join(Startup, Startup.id == Application.startup_id)
        .join(Cohort, Cohort.id == Application.cohort_id)
        .outerjoin(CohortStartup, membership)
        .where(
            ~erased,
            or_(
                and_(CohortStartup.stage.in_(ENDED), CohortStartup.stage_changed_at < cutoff),
                and_(Application.status == "draft", CohortStartup.id.is_(None), Cohort.closes_at < cutoff),
            ),
        )
        .order_by(Cohort.closes_at, Application.id)
    )
    return [
        Expired(app_id, startup_id, startup, cohort, stage or status)
        for app_id, startup_id, startup, cohort, stage, status in db.session.execute(query)
    ]


def startups_to_erase(startup_ids: set[int], expiring: set[int]) -> list[Startup]:
    """Of these startups, those with nothing left to keep: every application erased or expiring, and
    no cohort where they are still in the running or in the programme."""
    found = []
    for startup in db.session.scalars(select(Startup).where(Startup.id.in_(startup_ids)).order_by(Startup.id)):
        applications = db.session.scalars(select(Application.id).where(Application.startup_id == startup.id)).all()
        erased = set(db.session.scalars(select(Erasure.application_id).where(Erasure.application_id.in_(applications))))
        live = db.session.scalar(
            select(CohortStartup.id).where(CohortStartup.startup_id == startup.id, CohortStartup.stage.not_in(ENDED))
        )
        if live is None and set(applications) <= erased | expiring:
            found.append(startup)
    return found


def purge(cutoff: datetime) -> tuple[list[Expired], list[Startup], Counter]:
    """Erase every expired application, then the startups left with nothing to keep."""
    expired = expired_applications(cutoff)
    counts: Counter = Counter()
    expiring = {e.application_id for e in expired}
    startups = startups_to_erase({e.startup_id for e in expired}, expiring)
    for entry in expired:
        erase_application(db.session.get(Application, entry.application_id), "retention", counts)
    db.session.flush()
    team: set[str] = set()
    for startup in startups:
        team |= erase_startup(startup, "retention", counts)
    db.session.flush()
    # The founder keeps their account (its name and address), and a teammate on another startup
    # keeps their place there: only what no one holds any more is masked elsewhere.
    counts["masked"] += sweep(team - still_held(team))
    return expired, startups, counts
