"""Read-only questions about mentoring, for pages and home cards. Each list is built in a fixed
number of queries whatever the number of startups (one query per kind of fact, grouped by startup)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import joinedload

from incubator.auth.models import Role, User, UserRole
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.database import utcnow
from incubator.core.i18n import WIB
from incubator.extensions import db
from incubator.mentoring.models import ActionItem, MentorAssignment, SessionNote
from incubator.startups.models import Startup

# The stages in which mentors are assigned and startups are followed.
MENTORED_STAGES = ("pre_incubation", "incubation")


def today_wib() -> date:
    """Today's date in Jakarta: what "overdue" and "in the future" are measured against."""
    return utcnow().astimezone(WIB).date()


def _cohort_startups_query():
    return select(CohortStartup).options(joinedload(CohortStartup.cohort)).join(Startup)


def last_sessions(cs_ids: list[int]) -> dict[int, date]:
    """{cohort startup id: the date of its latest session note}."""
    if not cs_ids:
        return {}
    rows = db.session.execute(
        select(SessionNote.cohort_startup_id, func.max(SessionNote.held_on))
        .where(SessionNote.cohort_startup_id.in_(cs_ids))
        .group_by(SessionNote.cohort_startup_id)
    )
    return dict(rows.all())


@dataclass(frozen=True)
class ItemCounts:
    open: int = 0  # not done (open or in progress)
    overdue: int = 0


def item_counts(cs_ids: list[int], today: date) -> dict[int, ItemCounts]:
    """{cohort startup id: open and overdue action items}."""
    if not cs_ids:
        return {}
    rows = db.session.execute(
        select(
            ActionItem.cohort_startup_id,
            func.count(ActionItem.id),
            func.sum(case((ActionItem.is_overdue(today), 1), else_=0)),
        )
        .where(ActionItem.cohort_startup_id.in_(cs_ids), ActionItem.is_open)
        .group_by(ActionItem.cohort_startup_id)
    )
    return {cs_id: ItemCounts(int(n or 0), int(late or 0)) for cs_id, n, late in rows}


def assignments_of(cs_ids: list[int]) -> dict[int, list[MentorAssignment]]:
    """{cohort startup id: its mentor assignments, by mentor name}."""
    result: dict[int, list[MentorAssignment]] = {cs_id: [] for cs_id in cs_ids}
    if not cs_ids:
        return result
    rows = db.session.scalars(
        select(MentorAssignment)
        .join(User, User.id == MentorAssignment.mentor_id)
        .where(MentorAssignment.cohort_startup_id.in_(cs_ids))
        .order_by(User.name, MentorAssignment.id)
    )
    for assignment in rows.unique():
        result[assignment.cohort_startup_id].append(assignment)
    return result


def mentor_choices() -> list[User]:
    """Active users holding the mentor role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.MENTOR, User.active.is_(True))
            .order_by(User.name, User.id)
        ).unique()
    )


@dataclass
class StartupRow:
    """One followed startup on a list page."""

    cohort_startup: CohortStartup
    last_session: date | None = None
    counts: ItemCounts = field(default_factory=ItemCounts)
    assignments: list[MentorAssignment] = field(default_factory=list)

    @property
    def startup(self):
        return self.cohort_startup.startup


def _rows(cohort_startups: list[CohortStartup], today: date, with_mentors: bool = False) -> list[StartupRow]:
    ids = [cs.id for cs in cohort_startups]
    sessions, counts = last_sessions(ids), item_counts(ids, today)
    mentors = assignments_of(ids) if with_mentors else {}
    return [
        StartupRow(cs, sessions.get(cs.id), counts.get(cs.id, ItemCounts()), mentors.get(cs.id, []))
        for cs in cohort_startups
    ]


@dataclass
class CohortMentoring:
    rows: list[StartupRow]
    weeks: int
    since: date

    @property
    def not_met(self) -> list[StartupRow]:
        """Startups with no session note since `since` (latest session first missing, then oldest)."""
        late = [r for r in self.rows if r.last_session is None or r.last_session < self.since]
        return sorted(late, key=lambda r: (r.last_session is not None, r.last_session or date.min, r.startup.name))


def mentored_startups(cohort: Cohort) -> list[CohortStartup]:
    """The cohort's startups in pre-incubation and incubation, by name."""
    return list(
        db.session.scalars(
            _cohort_startups_query()
            .where(CohortStartup.cohort_id == cohort.id, CohortStartup.stage.in_(MENTORED_STAGES))
            .order_by(Startup.name, CohortStartup.id)
        ).unique()
    )


def cohort_mentoring(cohort: Cohort, weeks: int, today: date | None = None) -> CohortMentoring:
    """The cohort's startups in pre-incubation and incubation with their mentors, last session and items."""
    today = today or today_wib()
    rows = _rows(mentored_startups(cohort), today, with_mentors=True)
    return CohortMentoring(rows, weeks, today - timedelta(weeks=weeks))


@cache
def _mentor_dashboard() -> Select:
    """`mentor_dashboard`'s statement, built once (building it cost more than running it)."""
    last_session = select(func.max(SessionNote.held_on)).where(SessionNote.cohort_startup_id == CohortStartup.id)
    items = select(func.count(ActionItem.id)).where(ActionItem.cohort_startup_id == CohortStartup.id)
    return (
        select(
            CohortStartup.id,
            Startup.name,
            Cohort.name.label("cohort"),
            CohortStartup.stage,
            last_session.scalar_subquery().label("last_session"),
            items.where(ActionItem.is_open).scalar_subquery().label("open"),
            items.where(ActionItem.is_overdue(bindparam("today"))).scalar_subquery().label("overdue"),
        )
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .join(Cohort, Cohort.id == CohortStartup.cohort_id)
        .join(MentorAssignment, MentorAssignment.cohort_startup_id == CohortStartup.id)
        .where(MentorAssignment.mentor_id == bindparam("mentor_id"))
        .order_by(Startup.name, CohortStartup.id)
    )


def mentor_dashboard(user: User, today: date | None = None) -> list:
    """The startups assigned to `user`, by name, in one query of plain rows: id (the cohort
    startup's), name, cohort (its name), stage, last_session (the date of its latest session note,
    or None), open (its action items not done) and overdue (those of them due before `today`)."""
    params = {"mentor_id": user.id, "today": today or today_wib()}
    return db.session.execute(_mentor_dashboard(), params).all()


def founder_may_see_item(item: ActionItem, cohort_startup: CohortStartup) -> bool:
    """A founder sees the items of shared notes, and any item owned by them or by the team
    (an internal note's item for a mentor stays among mentors)."""
    if item.note is None or item.note.visibility == "shared":
        return True
    return item.owner_id is None or item.owner_id == cohort_startup.startup.owner_id


def timeline(cohort_startup: CohortStartup, mentor_view: bool) -> list[SessionNote]:
    """The startup's session notes, newest first; only the shared ones unless `mentor_view`."""
    query = select(SessionNote).where(SessionNote.cohort_startup_id == cohort_startup.id)
    if not mentor_view:
        query = query.where(SessionNote.visibility == "shared")
    return list(db.session.scalars(query.order_by(SessionNote.held_on.desc(), SessionNote.id.desc())).unique())


def _item_order():
    # Open work first, by due date (no date last), then done items.
    return (
        case((ActionItem.is_open, 0), else_=1),
        case((ActionItem.due_on.is_(None), 1), else_=0),
        ActionItem.due_on,
        ActionItem.id,
    )


def action_items(cohort_startup: CohortStartup, mentor_view: bool) -> list[ActionItem]:
    """The startup's action items, open ones first by due date; filtered for founders."""
    items = db.session.scalars(
        select(ActionItem)
        .options(joinedload(ActionItem.note))
        .where(ActionItem.cohort_startup_id == cohort_startup.id)
        .order_by(*_item_order())
    ).unique()
    return [i for i in items if mentor_view or founder_may_see_item(i, cohort_startup)]


@dataclass
class FounderIncubation:
    """The founder's home card: incubation pages, latest shared notes, and what is asked next."""

    cohort_startups: list[CohortStartup]
    notes: list[SessionNote]
    next_items: list[ActionItem]
    today: date

    def __bool__(self) -> bool:
        return bool(self.cohort_startups)


def founder_incubation(user: User, latest: int = 3) -> FounderIncubation:
    """For a founder: their startups being followed, the latest shared notes, and open action items."""
    today = today_wib()
    startups = list(
        db.session.scalars(
            _cohort_startups_query()
            .where(Startup.owner_id == user.id, CohortStartup.stage.in_((*MENTORED_STAGES, "graduated")))
            .order_by(Startup.name, CohortStartup.id)
        ).unique()
    )
    if not startups:
        return FounderIncubation([], [], [], today)
    by_id = {cs.id: cs for cs in startups}
    notes = db.session.scalars(
        select(SessionNote)
        .where(SessionNote.cohort_startup_id.in_(by_id), SessionNote.visibility == "shared")
        .order_by(SessionNote.held_on.desc(), SessionNote.id.desc())
        .limit(latest)
    ).unique()
    items = db.session.scalars(
        select(ActionItem)
        .options(joinedload(ActionItem.note))
        .where(ActionItem.cohort_startup_id.in_(by_id), ActionItem.is_open)
        .order_by(*_item_order())
    ).unique()
    visible = [i for i in items if founder_may_see_item(i, by_id[i.cohort_startup_id])]
    return FounderIncubation(startups, list(notes), visible, today)


def overdue_by_cohort(today: date | None = None) -> list[tuple[int, str, int]]:
    """For directors: (cohort id, cohort name, overdue action items) for cohorts that have any."""
    today = today or today_wib()
    rows = db.session.execute(
        select(Cohort.id, Cohort.name, func.count(ActionItem.id))
        .join(CohortStartup, CohortStartup.cohort_id == Cohort.id)
        .join(ActionItem, ActionItem.cohort_startup_id == CohortStartup.id)
        .where(ActionItem.is_overdue(today))
        .group_by(Cohort.id, Cohort.name)
        .order_by(Cohort.name)
    )
    return [(cohort_id, name, int(n)) for cohort_id, name, n in rows]
