"""Reads for application pages: a founder's applications, and a cohort's filtered list."""

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from incubator.applications.models import Application
from incubator.cohorts.models import Cohort, CohortStartup, FocusArea
from incubator.cohorts.pipeline import STAGES
from incubator.core.labels import BUSINESS_STAGE_LABELS, STAGE_LABELS
from incubator.extensions import db
from incubator.startups.models import Startup, TeamMember

SORTS = {
    "submitted": (Application.submitted_at.desc().nulls_last(), Application.id.desc()),
    "name": (func.lower(Startup.name), Application.id),
    "funding": (Application.funding_need.desc().nulls_last(), Application.id),
    "city": (func.lower(Startup.city), Application.id),
}


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


def cohort_applications(cohort: Cohort, filters: dict) -> Select:
    """The applications of a cohort matching the director's filters, sorted; one query for any page size."""
    query = (
        select(Application)
        .join(Startup, Application.startup_id == Startup.id)
        .outerjoin(
            CohortStartup,
            and_(CohortStartup.startup_id == Application.startup_id, CohortStartup.cohort_id == Application.cohort_id),
        )
        .where(Application.cohort_id == cohort.id)
    )
    if q := (filters.get("q") or "").strip():
        query = query.where(Startup.name.ilike(f"%{q}%"))
    if (stage := filters.get("stage")) in STAGES:
        query = query.where(CohortStartup.stage == stage)
    if (area := filters.get("focus_area") or "").isdigit():
        query = query.where(Startup.focus_area_id == int(area))
    if city := (filters.get("city") or "").strip():
        query = query.where(Startup.city.ilike(f"%{city}%"))
    if (business := filters.get("business_stage")) in BUSINESS_STAGE_LABELS:
        query = query.where(Startup.business_stage == business)
    for key, condition in (("women_led", women_led()), ("youth_led", youth_led())):
        if filters.get(key) == "yes":
            query = query.where(condition)
        elif filters.get(key) == "no":
            query = query.where(~condition)
    if (status := filters.get("status")) in ("draft", "submitted"):
        query = query.where(Application.status == status)
    return query.order_by(*SORTS.get(filters.get("sort") or "submitted", SORTS["submitted"]))


def fill_filter_choices(form, cohort: Cohort) -> None:
    """Choices of the filter form (the focus areas are the cohort's, or all when it names none)."""
    from flask_babel import lazy_gettext as _l
    from wtforms.fields.choices import SelectChoice

    areas = cohort.focus_areas or db.session.scalars(select(FocusArea).order_by(FocusArea.id)).all()
    anything = SelectChoice("", _l("Any"))
    form.stage.choices = [anything, *(SelectChoice(k, v) for k, v in STAGE_LABELS.items())]
    form.focus_area.choices = [anything, *(SelectChoice(str(a.id), a.name) for a in areas)]
    form.business_stage.choices = [anything, *(SelectChoice(k, v) for k, v in BUSINESS_STAGE_LABELS.items())]
    yes_no = [anything, SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
    form.women_led.choices = list(yes_no)
    form.youth_led.choices = list(yes_no)
    form.status.choices = [anything, SelectChoice("submitted", _l("Submitted")), SelectChoice("draft", _l("Draft"))]
    form.sort.choices = [
        SelectChoice("submitted", _l("Newest submission")),
        SelectChoice("name", _l("Startup name")),
        SelectChoice("funding", _l("Funding need")),
        SelectChoice("city", _l("City")),
    ]
