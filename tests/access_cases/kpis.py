"""Access cases for KPIs: a startup's KPI page (its founder, assigned mentors, directors; on the
world's startup the `applicant` and `mentor` are neither, on the second startup the `founder` is
neither: 404; judges 404), the founder's report form (applicants only: other roles 403, applicants
who are not the founder 404), and the cohort's KPI pages, metrics, exports and reminders (directors only)."""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

FOLLOWERS = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}
FOUNDER_FORM = {"anonymous": LOGIN, "applicant": 404, "judge": 403, "mentor": 403, "director": 403}
NOT_FOUND = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 404}


def build_world(ids: dict) -> dict:
    """The world's startup in pre-incubation, with a custom metric and last month's report."""
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.extensions import db
    from incubator.kpis import services
    from incubator.kpis.growth import last_month

    cohort = db.session.get(Cohort, ids["cohort_id"])
    cohort_startup = db.session.get(CohortStartup, ids["cohort_startup_id"])
    if cohort_startup.stage == "applied":
        change_stage(cohort_startup.startup, cohort, "pre_incubation", None, system=True)
    metric = services.add_metric(cohort, "Produk terjual daring", "unit", None)
    report = services.save_report(
        cohort_startup, last_month(utcnow()), services.Figures(1_000_000, 5, 2, 1, 0, values={metric.id: 3}), None
    )
    return {"kpi_report_id": report.id, "metric_id": metric.id}


CASES = [
    ("GET", "/cohort-startups/{cohort_startup_id}/kpis", {**FOLLOWERS, "founder": 200}),
    (
        "GET",
        "/cohort-startups/{other_cohort_startup_id}/kpis",
        {**FOLLOWERS, "founder": 404, "applicant": 200, "mentor": 200},
    ),
    ("GET", "/cohort-startups/999999/kpis", NOT_FOUND),
    ("GET", "/cohort-startups/{cohort_startup_id}/kpis/report", {**FOUNDER_FORM, "founder": 200}),
    ("POST", "/cohort-startups/{cohort_startup_id}/kpis/report", {**FOUNDER_FORM, "founder": 200}),
    (
        "GET",
        "/cohort-startups/{other_cohort_startup_id}/kpis/report",
        {**FOUNDER_FORM, "founder": 404, "applicant": 200},
    ),
    (
        "POST",
        "/cohort-startups/{other_cohort_startup_id}/kpis/report",
        {**FOUNDER_FORM, "founder": 404, "applicant": 200},
    ),
    ("GET", "/cohort-startups/999999/kpis/report", FOUNDER_FORM),
    ("GET", "/cohorts/{cohort_id}/kpis", director_only()),
    ("GET", "/cohorts/999999/kpis", director_only(404)),
    ("POST", "/cohorts/{cohort_id}/kpis/reminders", director_only(302)),
    ("POST", "/cohorts/999999/kpis/reminders", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/kpis/metrics", director_only()),
    ("POST", "/cohorts/{cohort_id}/kpis/metrics", director_only()),
    ("GET", "/cohorts/999999/kpis/metrics", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/kpis/metrics/{metric_id}/edit", director_only()),
    ("POST", "/cohorts/{cohort_id}/kpis/metrics/{metric_id}/edit", director_only(302)),  # the form keeps the saved name
    ("GET", "/cohorts/{cohort_id}/kpis/metrics/999999/edit", director_only(404)),
    ("POST", "/cohorts/{cohort_id}/kpis/metrics/{metric_id}/remove", director_only()),
    ("POST", "/cohorts/{cohort_id}/kpis/metrics/999999/remove", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/kpis.csv", director_only()),
    ("GET", "/cohorts/999999/kpis.csv", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/kpis.xlsx", director_only()),
    ("GET", "/cohorts/999999/kpis.xlsx", director_only(404)),
]
