"""What several pages read about the programme's set-up."""

from sqlalchemy import func, select

from incubator.cohorts import pipeline
from incubator.cohorts.models import CohortStartup, FocusArea
from incubator.extensions import db


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
