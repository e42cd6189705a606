"""Access cases for milestones: the cohort's checklist (directors only), a startup's checklist
(its founder, assigned mentors, directors: on the world's startup the `applicant` and `mentor` are
neither, on the second startup the `founder` is neither, so 404; judges 404), ticks (the founder
only: a director or mentor who follows the startup gets 403) and verification (assigned mentors and
directors: the founder, who follows the startup, gets 403; the director's POST with no evidence
change goes back to the page, 302). A bare tick POST answers the form again (200)."""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

FOLLOWERS = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}
FOUNDER_ONLY = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 403}
VERIFIERS = {"anonymous": LOGIN, "founder": 403, "applicant": 404, "judge": 404, "mentor": 404, "director": 302}
NOT_FOUND = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 404}


def build_world(ids: dict) -> dict:
    """The world's startup in pre-incubation, a milestone it ticked, and one it did not."""
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.cohorts.services import change_stage
    from incubator.extensions import db
    from incubator.milestones import services

    cohort = db.session.get(Cohort, ids["cohort_id"])
    cohort_startup = db.session.get(CohortStartup, ids["cohort_startup_id"])
    if cohort_startup.stage == "applied":
        change_stage(cohort_startup.startup, cohort, "pre_incubation", None, system=True)
    fields = {"description": "", "position": None, "actor": None}
    ticked = services.save_milestone(cohort, None, stage="pre_incubation", title="NIB terdaftar", **fields)
    open_ = services.save_milestone(cohort, None, stage="pre_incubation", title="MVP diluncurkan", **fields)
    founder = db.session.get(User, cohort_startup.startup.owner_id)
    progress = services.tick(cohort_startup, ticked, "https://oss.go.id/nib", "", founder)
    return {"milestone_id": ticked.id, "open_milestone_id": open_.id, "milestone_progress_id": progress.id}


BASE = "/cohort-startups/{cohort_startup_id}/milestones"
OTHER = "/cohort-startups/{other_cohort_startup_id}/milestones"

CASES = [
    ("GET", "/cohorts/{cohort_id}/milestones", director_only()),
    ("POST", "/cohorts/{cohort_id}/milestones", director_only()),
    ("GET", "/cohorts/999999/milestones", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/milestones/{milestone_id}/edit", director_only()),
    ("POST", "/cohorts/{cohort_id}/milestones/{milestone_id}/edit", director_only(302)),  # keeps the saved values
    ("GET", "/cohorts/{cohort_id}/milestones/999999/edit", director_only(404)),
    ("POST", "/cohorts/{cohort_id}/milestones/{milestone_id}/remove", director_only()),
    ("POST", "/cohorts/{cohort_id}/milestones/999999/remove", director_only(404)),
    ("GET", BASE, {**FOLLOWERS, "founder": 200}),
    ("GET", OTHER, {**FOLLOWERS, "founder": 404, "applicant": 200, "mentor": 200}),
    ("GET", "/cohort-startups/999999/milestones", NOT_FOUND),
    ("POST", BASE + "/{open_milestone_id}/tick", {**FOUNDER_ONLY, "founder": 200}),
    ("POST", OTHER + "/{open_milestone_id}/tick", {**FOUNDER_ONLY, "founder": 404, "applicant": 200, "mentor": 403}),
    ("POST", BASE + "/999999/tick", NOT_FOUND),
    ("POST", BASE + "/{milestone_id}/untick", {**FOUNDER_ONLY, "founder": 302}),
    ("POST", BASE + "/{milestone_id}/verify", VERIFIERS),
    ("POST", BASE + "/{open_milestone_id}/verify", {**NOT_FOUND, "founder": 403}),
    ("POST", BASE + "/{milestone_id}/unverify", VERIFIERS),
]
