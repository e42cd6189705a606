"""Demo data for the kpis area, loaded by `flask seed-demo` (idempotent).

Six months of reports for the Solo cohort's startups in pre-incubation: most grow, one is
flat, and one has not reported last month yet (so a reminder is due); one custom metric.
"""

from sqlalchemy import select

from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.kpis import services
from incubator.kpis.growth import add_months, last_month
from incubator.kpis.models import KpiMetric
from incubator.startups.models import Startup

COHORT = "Hetero for Startup Solo 2026"
METRIC = ("Produk terjual daring", "unit")


def seed(users: dict, director) -> None:
    """Add this area's demo data when it is missing."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
    if cohort is None:
        return
    if db.session.scalar(select(KpiMetric.id).where(KpiMetric.cohort_id == cohort.id)):
        return  # already seeded
    metric = services.add_metric(cohort, *METRIC, director)
    startups = db.session.scalars(
        select(CohortStartup)
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .where(CohortStartup.cohort_id == cohort.id, CohortStartup.stage.in_(services.REPORTING_STAGES))
        .order_by(CohortStartup.id)
    ).all()
    last = last_month(utcnow())
    months = [add_months(last, -n) for n in range(5, -1, -1)]
    for index, cs in enumerate(startups):
        founder = cs.startup.owner
        flat = index == 1
        late = index == len(startups) - 1 and len(startups) > 2
        base = 2_000_000 + 1_500_000 * index
        for step, month in enumerate(months):
            if late and month == last:
                continue
            grow = 1 if flat else 1 + 0.12 * step
            figures = services.Figures(
                revenue=int(base * grow) // 1000 * 1000,
                paying_customers=int((10 + 4 * index) * grow),
                employees_full_time=1 + index % 3 + (0 if flat else step // 3),
                employees_part_time=index % 2 + (0 if flat else step // 2),
                funding_raised=25_000_000 if (step == 3 and index == 0) else 0,
                note="",
                values={metric.id: 5 * (index + 1) + (0 if flat else 3 * step)},
            )
            services.save_report(cs, month, figures, founder)
