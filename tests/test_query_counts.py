"""Every main list page sends a fixed number of SQL queries, whatever the number of rows, and
loads nothing lazily: each page is rendered for a world with 1 row and one with 50, and both
must send exactly the number of queries in the table below (a change shows as a failure, so
a new query is a decision, not an accident).

One world per size: a cohort whose startups are in pre-incubation, each with its own founder,
focus area and team member, a submitted application assigned to the cohort's judge in an open
round (a sheet each, every other one submitted), the cohort's mentor with a session note and an
overdue action item, KPI reports for two months; as many activities (all startups attended the
first, the first startup attended all) and export jobs of the cohort's director.
"""

import re
from contextlib import suppress
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from incubator.extensions import db as _db
from tests.conftest import LazyLoadError, count_queries, open_round_with_criterion, recorded_statements

PER_PAGE = 25  # config.Config.PER_PAGE


def build_world(app, create_user, create_cohort, size: int, tag: str) -> SimpleNamespace:
    """A cohort with `size` startups (named "<tag> Startup 00", ...) and everything the pages list."""
    from incubator.activities.models import Activity, Attendance
    from incubator.applications.models import Application
    from incubator.auth.models import User, UserRole
    from incubator.cohorts.models import Cohort, CohortStartup, FocusArea, StageChange
    from incubator.core.database import utcnow
    from incubator.jobs.models import ExportJob
    from incubator.judging.assignments import tallies
    from incubator.judging.models import Assignment, Score, ScoreSheet
    from incubator.kpis.growth import add_months, last_month
    from incubator.kpis.models import KpiMetric, KpiReport, KpiValue
    from incubator.mentoring.models import ActionItem, MentorAssignment, SessionNote
    from incubator.mentoring.queries import today_wib
    from incubator.startups.models import Startup, TeamMember

    made = create_cohort(f"Hetero for Startup {tag}", areas=((tag.lower(), tag, tag),), space=f"Hetero Space {tag}")
    judge = create_user(email=f"judge.{tag.lower()}@example.org", name=f"Juri {tag}", roles=["judge"])
    mentor = create_user(email=f"mentor.{tag.lower()}@example.org", name=f"Mentor {tag}", roles=["mentor"])
    now = utcnow()
    rows = range(size)

    def bulk(model, values):
        return _db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), values).all()

    with app.test_request_context():
        director = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        founders = bulk(
            User, [{"email": f"founder{n}.{tag.lower()}@example.org", "name": f"Founder {tag} {n}"} for n in rows]
        )
        _db.session.execute(insert(UserRole), [{"user_id": f, "role": "applicant"} for f in founders])
        # A focus area each: a lazy load of one already in the session would send no query.
        areas = bulk(FocusArea, [{"code": f"{tag.lower()}{n}", "name_id": f"B{n}", "name_en": f"A{n}"} for n in rows])
        startups = bulk(
            Startup,
            [
                {"name": f"{tag} Startup {n:02d}", "city": "Surakarta", "focus_area_id": area, "owner_id": founder}
                for n, area, founder in zip(rows, areas, founders, strict=True)
            ],
        )
        _db.session.execute(
            insert(TeamMember),
            [
                {
                    "startup_id": s,
                    "name": f"Member {n}",
                    "email": f"m{n}@{tag.lower()}.example",
                    "is_founder": True,
                    "under_30": n % 2 == 0,
                    "is_woman": n % 3 == 0,
                }
                for n, s in enumerate(startups)
            ],
        )
        applications = bulk(
            Application,
            [{"startup_id": s, "cohort_id": cohort.id, "status": "submitted", "submitted_at": now} for s in startups],
        )
        memberships = bulk(
            CohortStartup, [{"cohort_id": cohort.id, "startup_id": s, "stage": "pre_incubation"} for s in startups]
        )
        _db.session.execute(
            insert(StageChange),
            [
                {"cohort_startup_id": cs, "from_stage": old, "to_stage": new, "actor_id": director.id}
                for cs in memberships
                for old, new in ((None, "applied"), ("applied", "pre_incubation"))
            ],
        )

        round_, criterion = open_round_with_criterion(
            cohort, director, "Traksi", scoring_closes_at=now + timedelta(days=7)
        )
        _db.session.execute(
            insert(Assignment),
            [{"round_id": round_.id, "application_id": a, "judge_id": judge.id} for a in applications],
        )
        sheets = bulk(
            ScoreSheet,
            [
                {"round_id": round_.id, "application_id": a, "judge_id": judge.id}
                | ({"status": "final", "submitted_at": now} if n % 2 == 0 else {})
                for n, a in enumerate(applications)
            ],
        )
        _db.session.execute(insert(Score), [{"sheet_id": s, "criterion_id": criterion.id, "value": 3} for s in sheets])
        tallies.recount(round_.id)  # as the assignment and sheet services do

        _db.session.execute(
            insert(MentorAssignment),
            [{"cohort_startup_id": cs, "mentor_id": mentor.id, "created_by_id": director.id} for cs in memberships],
        )
        today = today_wib()
        notes = bulk(
            SessionNote,
            [
                {
                    "cohort_startup_id": cs,
                    "mentor_id": mentor.id,
                    "held_on": today - timedelta(days=3),
                    "duration_minutes": 60,
                    "theme": "finance",
                    "visibility": "shared",
                }
                for cs in memberships
            ],
        )
        _db.session.execute(
            insert(ActionItem),
            [
                {
                    "cohort_startup_id": cs,
                    "note_id": note,
                    "title": "Daftar NIB",
                    "owner_id": f,
                    "due_on": today - timedelta(days=1),
                }
                for cs, note, f in zip(memberships, notes, founders, strict=True)
            ],
        )

        metric = KpiMetric(cohort_id=cohort.id, name="Pengikut", unit="orang")
        _db.session.add(metric)
        _db.session.flush()
        month = last_month(now)
        reports = bulk(
            KpiReport,
            [
                {"cohort_startup_id": cs, "month": m, "revenue": revenue, "paying_customers": 3}
                for cs in memberships
                for m, revenue in ((add_months(month, -1), 1_000_000), (month, 1_500_000))
            ],
        )
        _db.session.execute(insert(KpiValue), [{"report_id": r, "metric_id": metric.id, "value": 10} for r in reports])

        activities = bulk(
            Activity,
            [
                {
                    "cohort_id": cohort.id,
                    "kind": "training",
                    "title": f"{tag} Kelas {n:02d}",
                    "theme": "finance",
                    "starts_at": now - timedelta(days=n + 1),
                    "ends_at": now - timedelta(days=n + 1) + timedelta(hours=2),
                    "space_id": made.space_id,
                    "created_by_id": director.id,
                }
                for n in rows
            ],
        )
        # Every startup attended the first activity, and the first startup every activity.
        attended = {(activities[0], cs) for cs in memberships} | {(a, memberships[0]) for a in activities}
        _db.session.execute(
            insert(Attendance),
            [{"activity_id": a, "cohort_startup_id": cs, "checked_in_by_id": director.id} for a, cs in attended],
        )

        _db.session.execute(
            insert(ExportJob),
            [
                {
                    "id": f"{tag.lower()}job{n:02d}",
                    "kind": "cohort_report",
                    "params": {"cohort_id": cohort.id},
                    "status": "finished" if n % 2 else "running",
                    "progress_total": 10,
                    "file_name": f"laporan-{n}.pdf" if n % 2 else None,
                    "file_path": f"exports/{n}.pdf" if n % 2 else None,
                    "created_by_id": director.id,
                    "created_at": now - timedelta(minutes=n),
                    "expires_at": now + timedelta(days=1),
                }
                for n in rows
            ],
        )
        _db.session.commit()
        return SimpleNamespace(
            cohort=cohort.id,
            round=round_.id,
            activity=activities[0],
            startup=memberships[0],
            director=made.director,
            judge=judge,
            mentor=mentor,
        )


STARTUP = r"{tag} Startup \d\d"
ACTIVITY = r"{tag} Kelas \d\d"
JOB = r'href="/jobs/({low}job\d\d)"'
# (page, url, who signs in, the exact number of queries, what a row looks like, rows shown of 50).
PAGES = [
    ("ranking", "/rounds/{round}/ranking", "director", 4, STARTUP, PER_PAGE),  # counts, μ and σ in one
    ("application list", "/cohorts/{cohort}/applications", "director", 6, STARTUP, PER_PAGE),
    # one: the round's pitch day, if any; one: as the assignment page. The page's rows come with the
    # judge's sheets, declarations and focus areas in one query.
    ("judge queue", "/rounds/{round}/queue", "judge", 7, STARTUP, PER_PAGE),
    ("score sheets", "/rounds/{round}/sheets", "director", 17, STARTUP, PER_PAGE),
    # one: how many startups were ever made, to choose how the page is read (by_name_walk_pays)
    ("assignment page", "/rounds/{round}/assignments", "director", 12, STARTUP, PER_PAGE),
    ("mentor dashboard", "/mentoring", "mentor", 2, STARTUP, 50),
    ("cohort mentors", "/cohorts/{cohort}/mentors", "director", 19, STARTUP, 50),
    ("cohort dashboard", "/cohorts/{cohort}", "director", 6, STARTUP, PER_PAGE),  # one: as the assignment page
    ("activities", "/cohorts/{cohort}/activities", "director", 9, ACTIVITY, PER_PAGE),
    ("activity", "/activities/{activity}", "director", 6, STARTUP, 50),
    ("check-in", "/activities/{activity}/checkin", "director", 7, STARTUP, 50),
    ("cohort attendance", "/cohorts/{cohort}/attendance", "director", 5, STARTUP, 50),
    ("attendance export", "/cohorts/{cohort}/attendance.csv", "director", 7, STARTUP, 50),
    ("startup attendance", "/cohort-startups/{startup}/attendance", "director", 10, ACTIVITY, 50),
    ("cohort KPIs", "/cohorts/{cohort}/kpis", "director", 11, STARTUP, 50),
    ("exports", "/jobs", "director", 2, JOB, 50),
]


def _cases() -> list:
    return [pytest.param(*case, id=name) for name, *case in PAGES]


@pytest.mark.parametrize(("url", "who", "queries", "row", "shown"), _cases())
def test_page_queries_do_not_grow_with_rows(
    app, client, login_as, create_user, create_cohort, no_lazy_loads, url, who, queries, row, shown
):
    counts = {}
    for size, tag in ((1, "Kecil"), (50, "Besar")):
        world = build_world(app, create_user, create_cohort, size, tag)
        login_as(client, getattr(world, who))
        address = url.format(**vars(world)) + "?lang=en"
        with no_lazy_loads():
            counts[size] = count_queries(app, client, address)
        page = client.get(address).get_data(as_text=True)
        rows = set(re.findall(row.format(tag=tag, low=tag.lower()), page))
        assert len(rows) == min(size, shown)
        if size > shown:
            assert "Page 1 of 2" in page
    assert counts == {1: queries, 50: queries}


def _with_conflicts(app, world, tag: str) -> None:
    """The judge mentors the first startup (a conflict found in the data) and declared a conflict
    on the second's application."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import CohortStartup
    from incubator.judging.conflicts import found
    from incubator.judging.models import ConflictDeclaration
    from incubator.mentoring.models import MentorAssignment
    from incubator.startups.models import Startup

    with app.app_context():
        first, second = _db.session.scalars(
            select(Application.id)
            .join(Startup, Startup.id == Application.startup_id)
            .where(Startup.name.in_([f"{tag} Startup 00", f"{tag} Startup 01"]))
            .order_by(Startup.name)
        ).all()
        _db.session.add(
            ConflictDeclaration(
                round_id=world.round, application_id=second, judge_id=world.judge.id, source="judge", reason="Sepupu"
            )
        )
        _db.session.add(MentorAssignment(cohort_startup_id=world.startup, mentor_id=world.judge.id))
        _db.session.flush()
        startup_id = _db.session.scalar(select(CohortStartup.startup_id).where(CohortStartup.id == world.startup))
        found.update(startup_ids=[startup_id])  # as mentoring's writer does; it counts the declaration too
        _db.session.commit()


# (page, url, who signs in, the exact number of queries, what it must say with 3 and with 50 rows).
# With a conflict found in the data, the queue asks once more: the judges' stored conflicts are read
# first, and narrowed to its applications only when there are any (the usual case has none). The
# assignment page reads them for its page's applications, whose ids it has: no more queries.
CONFLICT_PAGES = [
    (
        "judge queue",
        "/rounds/{round}/queue",
        "judge",
        8,
        {3: ["1 of 1 submitted"], 50: ["24 of 48 submitted"]},
    ),
    (
        "assignment page",
        "/rounds/{round}/assignments",
        "director",
        12,
        {
            3: ["3 assigned", "1 submitted", "0 drafts", "2 conflicts"],
            50: ["50 assigned", "24 submitted", "24 drafts", "2 conflicts"],
        },
    ),
]


@pytest.mark.parametrize(
    ("url", "who", "queries", "says"), [pytest.param(*case, id=name) for name, *case in CONFLICT_PAGES]
)
def test_page_queries_do_not_grow_with_assignments_with_conflicts(
    app, client, login_as, create_user, create_cohort, no_lazy_loads, url, who, queries, says
):
    """The judge's queue and the assignment overview with a conflict declared and one found in the
    data (the judge mentors a startup): the same number of queries with 3 assignments and with 50,
    and the conflicts left out of the progress and counted on the judge's load."""
    counts = {}
    for size, tag in ((3, "Kecil"), (50, "Besar")):
        world = build_world(app, create_user, create_cohort, size, tag)
        _with_conflicts(app, world, tag)
        login_as(client, getattr(world, who))
        address = url.format(**vars(world)) + "?lang=en"
        with no_lazy_loads():
            counts[size] = count_queries(app, client, address)
        page = " ".join(client.get(address).get_data(as_text=True).split())
        for text in says[size]:
            assert text in page
        assert "The judge mentors this startup." in page
        assert "Sepupu" in page
    assert counts == {3: queries, 50: queries}


def test_list_pages_write_their_limit_and_offset_into_the_sql(app, client, login_as, create_user, create_cohort):
    """As numbers, not parameters: PostgreSQL then plans each page once per connection
    (core.pagination.window)."""
    world = build_world(app, create_user, create_cohort, 50, "Besar")
    login_as(client, world.director)
    for address in (f"/cohorts/{world.cohort}/applications?page=2", f"/cohorts/{world.cohort}?page=2"):
        with recorded_statements(app) as statements:
            assert client.get(address).status_code == 200
        assert sum(f"LIMIT {PER_PAGE} OFFSET {PER_PAGE}" in " ".join(s.split()) for s in statements) == 1


# --- the guard itself -----------------------------------------------------------------------


def test_lazy_loads_raise_and_eager_loads_do_not(app, create_user, no_lazy_loads):
    from incubator.auth.models import User, UserSession
    from incubator.auth.services import start_session

    user = create_user(roles=["judge", "mentor"])
    with app.app_context():
        start_session(_db.session.merge(user))
        _db.session.commit()
        _db.session.expunge_all()
        with no_lazy_loads():
            eager = _db.session.scalars(select(UserSession).options(selectinload(UserSession.user))).one()
            assert eager.user.email == user.email
        _db.session.expunge_all()
        with no_lazy_loads():  # a relationship loaded "selectin" by default, as a user's roles
            assert _db.session.get(User, user.id).roles == {"judge", "mentor"}
        _db.session.expunge_all()
        with pytest.raises(LazyLoadError, match="lazy load from UserSession -> User"), no_lazy_loads():
            _db.session.scalars(select(UserSession)).one().user  # noqa: B018 - the lazy load under test
        _db.session.expunge_all()
        # An error page catches the exception; the block still fails when it ends.
        caught = pytest.raises(LazyLoadError, match="lazy loads:\nUserSession -> User")
        with caught, no_lazy_loads(), suppress(LazyLoadError):
            _db.session.scalars(select(UserSession)).one().user  # noqa: B018
