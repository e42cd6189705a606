"""The figures of the cohort report's first page and its "who applied" page, read in a few grouped
queries whatever the number of applications.

Women-led and youth-led are the application list's own SQL (`applications.queries.women_led` /
`youth_led`), so the report counts what the director's filters find; the funnel is
`cohorts.queries.funnel`, the cohort dashboard's.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from incubator.activities.services import PROGRAMME_STAGES
from incubator.applications.models import Application
from incubator.applications.queries import women_led, youth_led
from incubator.cohorts.models import CohortStartup, FocusArea
from incubator.core.labels import BUSINESS_STAGE_LABELS, business_stage_label
from incubator.extensions import db
from incubator.startups.models import Startup

# A printed page reads about this many groups; the rest are added up in one "other" line.
GROUP_ROWS = 8


@dataclass
class Group:
    """Startups of one focus area or city: how many applied, entered the programme, and are women-
    or youth-led."""

    label: str
    startups: int = 0
    programme: int = 0
    women_led: int = 0
    youth_led: int = 0

    def add(self, other: "Group") -> None:
        self.startups += other.startups
        self.programme += other.programme
        self.women_led += other.women_led
        self.youth_led += other.youth_led


@dataclass
class Profile:
    """Who applied: every startup of the cohort (a submitted application) by focus area, city and
    business stage."""

    total: Group
    focus_areas: list[Group] = field(default_factory=list)
    cities: list[Group] = field(default_factory=list)
    business_stages: list[Group] = field(default_factory=list)  # idea to growth, every one
    city_count: int = 0  # distinct cities, before the smaller ones were added up


@dataclass(frozen=True)
class Applications:
    received: int  # every application to the cohort, drafts included
    submitted: int


def application_counts(cohort_id: int) -> Applications:
    """The cohort's applications, started and submitted, in one query."""
    rows = dict(
        db.session.execute(
            select(Application.status, func.count(Application.id))
            .where(Application.cohort_id == cohort_id)
            .group_by(Application.status)
        ).all()
    )
    return Applications(sum(rows.values()), rows.get("submitted", 0))


def _ordered(groups: dict[str, Group]) -> list[Group]:
    return sorted(groups.values(), key=lambda g: (-g.startups, g.label.casefold()))


def _top(groups: list[Group], other) -> list[Group]:
    """The largest GROUP_ROWS - 1 groups and one line adding up the others, named `other(how many)`
    (all of them when they fit)."""
    if len(groups) <= GROUP_ROWS:
        return groups
    kept, rest = groups[: GROUP_ROWS - 1], groups[GROUP_ROWS - 1 :]
    summed = Group(other(len(rest)))
    for group in rest:
        summed.add(group)
    return [*kept, summed]


def cohort_profile(cohort_id: int) -> Profile:
    """Every startup of the cohort counted by focus area and by city (the largest first, the smaller
    ones added up past GROUP_ROWS) and by business stage, with how many are in the programme,
    women-led and youth-led: one query grouped on those six columns."""
    each = (
        select(
            FocusArea.name_column().label("area"),
            Startup.city.label("city"),
            Startup.business_stage.label("business"),
            CohortStartup.stage.in_(PROGRAMME_STAGES).label("programme"),
            women_led().label("women"),
            youth_led().label("youth"),
        )
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .outerjoin(FocusArea, FocusArea.id == Startup.focus_area_id)
        .where(CohortStartup.cohort_id == cohort_id)
        .subquery()
    )
    columns = (each.c.area, each.c.city, each.c.business, each.c.programme, each.c.women, each.c.youth)
    rows = db.session.execute(select(*columns, func.count()).group_by(*columns))
    total = Group(_("All startups"))
    areas: dict[str, Group] = {}
    cities: dict[str, Group] = {}
    stages = {code: Group(business_stage_label(code)) for code in BUSINESS_STAGE_LABELS}
    for area, city, business, programme, women, youth, count in rows:
        group = Group("", count, count if programme else 0, count if women else 0, count if youth else 0)
        total.add(group)
        area = area or _("No focus area")
        areas.setdefault(area, Group(area)).add(group)
        city = " ".join((city or "").split()) or _("No city given")
        cities.setdefault(city, Group(city)).add(group)
        stages.setdefault(business, Group(business_stage_label(business))).add(group)
    return Profile(
        total,
        focus_areas=_top(_ordered(areas), lambda n: _("Other focus areas (%(count)s)", count=n)),
        cities=_top(_ordered(cities), lambda n: _("Other cities (%(count)s)", count=n)),
        business_stages=list(stages.values()),
        city_count=len(cities),
    )
