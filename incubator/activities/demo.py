"""Demo data for the activities area, loaded by `flask seed-demo` (idempotent)."""

from datetime import timedelta

from sqlalchemy import select

from incubator.activities.models import Activity
from incubator.activities.queries import programme_startups
from incubator.activities.services import check_in, save_activity
from incubator.cohorts.models import Cohort
from incubator.core.database import utcnow
from incubator.extensions import db

COHORT = "Hetero for Startup Solo 2026"
# After the pitch selection (decided about 30 days ago), so the startups were in the programme.
# (days from now, start hour in UTC, hours, kind, theme, title, capacity, description)
ACTIVITIES = [
    (-28, 2, 3, "training", "legality_licensing", "Pelatihan legalitas: NIB, PIRT dan HKI", None, "Bawa KTP dan NPWP."),
    (-22, 7, 2, "class", "finance", "Kelas pembukuan sederhana untuk UMKM", 20, "Gunakan laptop bila ada."),
    (-15, 2, 4, "coaching_clinic", "design_branding", "Klinik branding dan foto produk kriya", 8, "Di studio foto."),
    (-9, 3, 3, "training", "going_online", "Pelatihan berjualan daring dan marketplace", None, ""),
    (-4, 8, 2, "class", "pitching", "Kelas latihan pitching menuju Demo day", 12, "Siapkan dek 5 menit."),
    (9, 2, 8, "competition", "product", "Hetero Game Jam Solo", None, "Kompetisi gim 8 jam di maker space."),
    (20, 7, 2, "coaching_clinic", "fundraising", "Klinik pendanaan: hibah dan investor awal", 10, ""),
]


def seed(users: dict, director) -> None:
    """Add this area's demo data when it is missing: activities of the Solo cohort, with attendance
    of the startups in the programme (the first attended every past activity, the others fewer)."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
    if cohort is None or db.session.scalar(select(Activity.id).where(Activity.cohort_id == cohort.id).limit(1)):
        return
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    activities = []
    for days, hour, hours, kind, theme, title, capacity, description in ACTIVITIES:
        starts = (now + timedelta(days=days)).replace(hour=hour)
        activities.append(
            save_activity(
                None,
                cohort,
                kind=kind,
                title=title,
                theme=theme,
                description=description,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                space=cohort.space,
                capacity=capacity,
                actor=director,
            )
        )
    past = [a for a in activities if a.ends_at < now]
    founder = users.get("founder1@example.org")
    startups = sorted(
        programme_startups(cohort), key=lambda m: (not (founder and m.startup.owner_id == founder.id), m.startup.name)
    )
    for position, membership in enumerate(startups):
        for activity in past[: max(len(past) - position, 1)]:
            # Arrived a few minutes after the start, one after another.
            check_in(activity, membership, director, at=activity.starts_at + timedelta(minutes=5 + 2 * position))
