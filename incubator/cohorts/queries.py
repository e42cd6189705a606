"""What several pages read about the programme's set-up."""

from sqlalchemy import func, select

from incubator.cohorts import pipeline
from incubator.cohorts.models import CohortStartup, FocusArea
from incubator.core.pagination import window
from incubator.extensions import db
from incubator.startups.models import Startup, by_name_walk_pays


def focus_area_names() -> dict[int, str]:
    """Every focus area's name in the page's language, by id, in code order: pages that show
    thousands of kept plain rows name their focus areas from this one small query."""
    return dict(db.session.execute(select(FocusArea.id, FocusArea.name_column()).order_by(FocusArea.code)).all())


def funnel(cohort_id: int) -> list[tuple[str, int]]:
    """How many of the cohort's startups are at each stage, in the pipeline's order (zeros
    included): one grouped count."""
    by_stage = dict(
        db.session.execute(
            select(CohortStartup.stage, func.count(CohortStartup.id))
            .where(CohortStartup.cohort_id == cohort_id)
            .group_by(CohortStartup.stage)
        ).all()
    )
    return [(stage, by_stage.get(stage, 0)) for stage in pipeline.STAGES]


def startup_page(cohort_id: int, page: int, per_page: int, total: int) -> list:
    """One page of the cohort's `total` startups by name, as plain rows of what the dashboard shows:
    id (the cohort startup's), stage, stage_changed_at, name, city and focus_area (its name in the
    current language, or None). The page's startups are picked first: in a cohort that holds many
    of the startups, by walking the startups' name index and keeping the cohort's, which stops
    after the page (see by_name_walk_pays); else by sorting the cohort's. Only the page's rows are
    then joined to what they show."""
    by_name = (Startup.name, Startup.id)
    if by_name_walk_pays(total):
        member = select(CohortStartup.id).where(
            CohortStartup.cohort_id == cohort_id, CohortStartup.startup_id == Startup.id
        )
        picked = select(Startup.id).where(member.exists())
    else:
        picked = select(Startup.id).join(CohortStartup, CohortStartup.startup_id == Startup.id)
        picked = picked.where(CohortStartup.cohort_id == cohort_id)
    startups = window(picked.order_by(*by_name), page, per_page)
    return db.session.execute(
        select(
            CohortStartup.id,
            CohortStartup.stage,
            CohortStartup.stage_changed_at,
            Startup.name,
            Startup.city,
            FocusArea.name_column().label("focus_area"),
        )
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .outerjoin(FocusArea, FocusArea.id == Startup.focus_area_id)
        .where(CohortStartup.cohort_id == cohort_id, CohortStartup.startup_id.in_(startups))
        .order_by(*by_name)
    ).all()
