"""Access cases for activities, the check-in list, attendance pages and exports.

Directors only, except a startup's attendance page: whoever follows the startup
(mentoring.access.can_follow): on the world's startup its founder, on the second startup
the `applicant` and the `mentor`; the others get 404. POSTs carry only a CSRF token: the activity forms answer
their page again (200); the check-in goes back to its list with a message (302).
"""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

MISSING = 999999
FOLLOWERS_ONLY = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}
NOWHERE = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 404}


def build_world(ids: dict) -> dict:
    """The world's startup in pre-incubation (if another area has not moved it yet), one activity it attended."""
    from datetime import timedelta

    from sqlalchemy import select

    from incubator.activities.models import Activity
    from incubator.activities.services import check_in, save_activity
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.extensions import db

    director = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    cohort = db.session.get(Cohort, ids["cohort_id"])
    membership = db.session.get(CohortStartup, ids["cohort_startup_id"])
    if membership.stage == "applied":
        change_stage(membership.startup, cohort, "pre_incubation", director, "access world")
    starts = utcnow() - timedelta(days=1)
    activity: Activity = save_activity(
        None,
        cohort,
        kind="training",
        title="Kelas keuangan",
        theme="finance",
        description="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        space=cohort.space,
        capacity=None,
        actor=director,
    )
    check_in(activity, membership, director)
    return {"activity_id": activity.id}


CASES = [
    ("GET", "/cohorts/{cohort_id}/activities", director_only()),
    ("GET", f"/cohorts/{MISSING}/activities", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/activities/new", director_only()),
    ("POST", "/cohorts/{cohort_id}/activities/new", director_only()),
    ("GET", f"/cohorts/{MISSING}/activities/new", director_only(404)),
    ("POST", f"/cohorts/{MISSING}/activities/new", director_only(404)),
    ("GET", "/activities/{activity_id}", director_only()),
    ("GET", f"/activities/{MISSING}", director_only(404)),
    ("GET", "/activities/{activity_id}/edit", director_only()),
    ("POST", "/activities/{activity_id}/edit", director_only()),
    ("GET", f"/activities/{MISSING}/edit", director_only(404)),
    ("POST", f"/activities/{MISSING}/edit", director_only(404)),
    ("GET", "/activities/{activity_id}/checkin", director_only()),
    ("POST", "/activities/{activity_id}/checkin", director_only(302)),
    ("GET", f"/activities/{MISSING}/checkin", director_only(404)),
    ("POST", f"/activities/{MISSING}/checkin", director_only(404)),
    ("GET", "/cohort-startups/{cohort_startup_id}/attendance", {**FOLLOWERS_ONLY, "founder": 200}),
    (
        "GET",
        "/cohort-startups/{other_cohort_startup_id}/attendance",
        {**FOLLOWERS_ONLY, "founder": 404, "applicant": 200, "mentor": 200},
    ),
    ("GET", f"/cohort-startups/{MISSING}/attendance", NOWHERE),
    ("GET", "/cohorts/{cohort_id}/attendance", director_only()),
    ("GET", f"/cohorts/{MISSING}/attendance", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/attendance.csv", director_only()),
    ("GET", f"/cohorts/{MISSING}/attendance.csv", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/attendance.xlsx", director_only()),
    ("GET", f"/cohorts/{MISSING}/attendance.xlsx", director_only(404)),
]
