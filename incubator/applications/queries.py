"""Reads for application pages: a founder's applications, and a cohort's filtered list."""

from functools import cache

from sqlalchemy import Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import selectinload

from incubator.applications.models import Application
from incubator.cohorts.models import Cohort, CohortStartup, FocusArea, cohort_focus_areas
from incubator.cohorts.pipeline import STAGES
from incubator.core.labels import BUSINESS_STAGE_LABELS, STAGE_LABELS
from incubator.core.pagination import ListPage, window_params, windowed
from incubator.core.search import like_pattern
from incubator.extensions import db
from incubator.startups.models import Startup, TeamMember

# Each sort ends on the id, so every page has one order; "submitted" (the default) follows the
# index on (cohort_id, submitted_at, id), so its pages are read in order rather than sorted.
SORTS = {
    "submitted": (Application.submitted_at.desc().nulls_last(), Application.id.desc()),
    "name": (func.lower(Startup.name), Application.id),
    "funding": (Application.funding_need.desc().nulls_last(), Application.id),
    "city": (func.lower(Startup.city), Application.id),
}
SORTS_ON_STARTUP = ("name", "city")
# The startup's place in the cohort, as Application.membership joins it.
MEMBERSHIP = and_(CohortStartup.startup_id == Application.startup_id, CohortStartup.cohort_id == Application.cohort_id)


def founder_applications(user) -> list[Application]:
    """Every application of the user's startups, with their stage history loaded."""
    return (
        db.session.scalars(
            select(Application)
            .join(Startup, Application.startup_id == Startup.id)
            .where(Startup.owner_id == user.id)
            .options(selectinload(Application.membership).selectinload(CohortStartup.history))
            .order_by(Application.id.desc())
        )
        .unique()
        .all()
    )


def women_led():
    return or_(
        Startup.declared_women_in_team.is_(True),
        exists().where(TeamMember.startup_id == Startup.id, TeamMember.is_woman.is_(True)),
    )


def youth_led():
    return exists().where(
        TeamMember.startup_id == Startup.id, TeamMember.is_founder.is_(True), TeamMember.under_30.is_(True)
    )


def _filters_in_use(filters: dict) -> tuple[frozenset, dict]:
    """The director's filters that are in use, which choose the statement's shape (women_led and
    youth_led named with their "yes" or "no"), and the values their conditions are run with."""
    values = {}
    if (status := filters.get("status")) in ("draft", "submitted"):
        values["status"] = status
    if (name := like_pattern(filters.get("q"))) is not None:
        values["q"] = name
    if (area := filters.get("focus_area") or "").isdigit():
        values["focus_area"] = int(area)
    if (city := like_pattern(filters.get("city"))) is not None:
        values["city"] = city
    if (business := filters.get("business_stage")) in BUSINESS_STAGE_LABELS:
        values["business_stage"] = business
    if (stage := filters.get("stage")) in STAGES:
        values["stage"] = stage
    used = set(values)
    for key in ("women_led", "youth_led"):
        if filters.get(key) in ("yes", "no"):
            used.add(f"{key}={filters[key]}")
    return frozenset(used), values


def _filters(used: frozenset) -> tuple[list, set]:
    """The conditions of the filters in `used` (as `_filters_in_use` names them), their values
    bind parameters named as the filters, and the tables besides `applications` that they need."""
    conditions = []
    on_startup = []
    if "status" in used:
        conditions.append(Application.status == bindparam("status"))
    if "q" in used:
        on_startup.append(Startup.name.ilike(bindparam("q"), escape="\\"))
    if "focus_area" in used:
        on_startup.append(Startup.focus_area_id == bindparam("focus_area"))
    if "city" in used:
        on_startup.append(Startup.city.ilike(bindparam("city"), escape="\\"))
    if "business_stage" in used:
        on_startup.append(Startup.business_stage == bindparam("business_stage"))
    for key, condition in (("women_led", women_led), ("youth_led", youth_led)):
        if f"{key}=yes" in used:
            on_startup.append(condition())
        elif f"{key}=no" in used:
            on_startup.append(~condition())
    tables = {Startup} if on_startup else set()
    if "stage" in used:
        conditions.append(CohortStartup.stage == bindparam("stage"))
        tables.add(CohortStartup)
    return conditions + on_startup, tables


def _matching(query: Select, conditions: list, tables: set) -> Select:
    if Startup in tables:
        query = query.join(Startup, Application.startup_id == Startup.id)
    if CohortStartup in tables:
        query = query.join(CohortStartup, MEMBERSHIP)
    return query.where(Application.cohort_id == bindparam("cohort_id"), *conditions)


# The list's statements are built once per shape (the filters in use, the sort, the language's
# name column) and run with the request's values: building them cost more than running them.
# What was typed in a search box is only ever a value, never part of the shape.
@cache
def _counted(used: frozenset) -> Select:
    """How many of the cohort's applications match the filters in `used`. count(*), as every row has
    an id: SQLite counts the index entries without reading the ids (a third less time)."""
    return _matching(select(func.count()).select_from(Application), *_filters(used))


@cache
def _page_rows(used: frozenset, sort: str, focus_area: str) -> Select:
    """A page's rows (see cohort_applications) matching the filters in `used`, sorted by `sort`, the
    focus area named by its `focus_area` column (name_id or name_en); run with window_params."""
    order = SORTS[sort]
    conditions, tables = _filters(used)
    ids = _matching(select(Application.id), conditions, tables | ({Startup} if sort in SORTS_ON_STARTUP else set()))
    return (
        select(
            Application.id,
            Application.status,
            Application.funding_need,
            Application.submitted_at,
            Startup.name,
            Startup.city,
            CohortStartup.stage,
            getattr(FocusArea, focus_area).label("focus_area"),
            women_led().label("women_led"),
            youth_led().label("youth_led"),
        )
        .join(Startup, Application.startup_id == Startup.id)
        .outerjoin(CohortStartup, MEMBERSHIP)
        .outerjoin(FocusArea, FocusArea.id == Startup.focus_area_id)
        .where(Application.id.in_(windowed(ids.order_by(*order)).correlate(None)))
        .order_by(*order)
    )


def cohort_applications(cohort: Cohort, filters: dict, page: int, per_page: int) -> ListPage:
    """One page of the cohort's applications matching the director's filters, sorted, and how many
    match: two queries whatever the number of applications.
    The page's ids are picked by a narrow query (read in index order for the default sort), and for
    those only the columns the list shows are read, as plain rows: id, status, funding_need,
    submitted_at, name and city (the startup's), stage (None before submission), focus_area (its
    name in the current language, or None), and women_led and youth_led (the filters' own SQL)."""
    sort = filters.get("sort") if filters.get("sort") in SORTS else "submitted"
    page = max(page, 1)
    used, values = _filters_in_use(filters)
    params = {"cohort_id": cohort.id, **values}
    total = db.session.scalar(_counted(used), params)
    statement = _page_rows(used, sort, FocusArea.name_column().key)
    rows = db.session.execute(statement, {**params, **window_params(page, per_page)})
    return ListPage(rows.all(), page, per_page, total)


@cache
def _filter_areas() -> Select:
    cohorts = select(cohort_focus_areas.c.focus_area_id).where(cohort_focus_areas.c.cohort_id == bindparam("cohort_id"))
    return select(FocusArea).where(or_(FocusArea.id.in_(cohorts), ~cohorts.exists())).order_by(FocusArea.id)


def filter_areas(cohort: Cohort) -> list[FocusArea]:
    """The focus areas the list's filter offers: the cohort's, or all when it names none."""
    return db.session.scalars(_filter_areas(), {"cohort_id": cohort.id}).all()


def fill_filter_choices(form, areas: list[FocusArea]) -> None:
    """Choices of the filter form, their labels translated once for this request."""
    from flask_babel import gettext as _
    from wtforms.fields.choices import SelectChoice

    anything = SelectChoice("", _("Any"))
    form.stage.choices = [anything, *(SelectChoice(k, str(v)) for k, v in STAGE_LABELS.items())]
    form.focus_area.choices = [anything, *(SelectChoice(str(a.id), a.name) for a in areas)]
    form.business_stage.choices = [anything, *(SelectChoice(k, str(v)) for k, v in BUSINESS_STAGE_LABELS.items())]
    yes_no = [anything, SelectChoice("yes", _("Yes")), SelectChoice("no", _("No"))]
    form.women_led.choices = list(yes_no)
    form.youth_led.choices = list(yes_no)
    form.status.choices = [anything, SelectChoice("submitted", _("Submitted")), SelectChoice("draft", _("Draft"))]
    form.sort.choices = [
        SelectChoice("submitted", _("Newest submission")),
        SelectChoice("name", _("Startup name")),
        SelectChoice("funding", _("Funding need")),
        SelectChoice("city", _("City")),
    ]
