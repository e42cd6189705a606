"""What several pages read about the programme's set-up.

The statements are built once and run with each request's values: building a statement with
SQLAlchemy cost more than running it."""

from functools import cache

from sqlalchemy import Select, bindparam, func, select

from incubator.cohorts import pipeline
from incubator.cohorts.models import CohortStartup, FocusArea
from incubator.core.pagination import window_params, windowed
from incubator.extensions import db
from incubator.startups.models import Startup, by_name_walk_pays


@cache
def _focus_area_names(column: str) -> Select:
    """The focus areas' ids and names, `column` (name_id or name_en) naming them, in code order."""
    return select(FocusArea.id, getattr(FocusArea, column)).order_by(FocusArea.code)


def focus_area_names() -> dict[int, str]:
    """Every focus area's name in the page's language, by id, in code order: pages that show
    thousands of kept plain rows name their focus areas from this one small query."""
    return dict(db.session.execute(_focus_area_names(FocusArea.name_column().key)).all())


@cache
def _stage_counts() -> Select:
    # count(*), not count(id): the same number, and SQLite counts index entries faster so.
    return (
        select(CohortStartup.stage, func.count())
        .where(CohortStartup.cohort_id == bindparam("cohort_id"))
        .group_by(CohortStartup.stage)
    )


def funnel(cohort_id: int) -> list[tuple[str, int]]:
    """How many of the cohort's startups are at each stage, in the pipeline's order (zeros
    included): one grouped count."""
    by_stage = dict(db.session.execute(_stage_counts(), {"cohort_id": cohort_id}).all())
    return [(stage, by_stage.get(stage, 0)) for stage in pipeline.STAGES]


@cache
def _startup_page(walk: bool, focus_area: str) -> Select:
    """`startup_page`'s statement: its startups picked by walking the name index or by sorting
    (`walk`), its focus areas named by the `focus_area` column (name_id or name_en)."""
    by_name = (Startup.name, Startup.id)
    in_cohort = CohortStartup.cohort_id == bindparam("cohort_id")
    if walk:
        member = select(CohortStartup.id).where(in_cohort, CohortStartup.startup_id == Startup.id)
        picked = select(Startup.id).where(member.exists())
    else:
        picked = select(Startup.id).join(CohortStartup, CohortStartup.startup_id == Startup.id).where(in_cohort)
    startups = windowed(picked.order_by(*by_name))
    return (
        select(
            CohortStartup.id,
            CohortStartup.stage,
            CohortStartup.stage_changed_at,
            Startup.name,
            Startup.city,
            getattr(FocusArea, focus_area).label("focus_area"),
        )
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .outerjoin(FocusArea, FocusArea.id == Startup.focus_area_id)
        .where(in_cohort, CohortStartup.startup_id.in_(startups))
        .order_by(*by_name)
    )


def startup_page(cohort_id: int, page: int, per_page: int, total: int) -> list:
    """One page of the cohort's `total` startups by name, as plain rows of what the dashboard shows:
    id (the cohort startup's), stage, stage_changed_at, name, city and focus_area (its name in the
    current language, or None). The page's startups are picked first: in a cohort that holds many
    of the startups, by walking the startups' name index and keeping the cohort's, which stops
    after the page (see by_name_walk_pays); else by sorting the cohort's. Only the page's rows are
    then joined to what they show."""
    statement = _startup_page(by_name_walk_pays(total), FocusArea.name_column().key)
    return db.session.execute(statement, {"cohort_id": cohort_id} | window_params(page, per_page)).all()
