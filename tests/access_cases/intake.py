"""Access cases for startup profiles, teams and applications.

The world's startup and application belong to the `founder`; the `applicant` owns the second
startup {other_startup_id} and its application {other_application_id}, which the `mentor` mentors.
A startup is seen by its founder, its mentors and directors, and changed by its founder only; an
application and its pitch deck are seen by them too, and by a judge it is assigned to in an open or
closed round (the assigned judge, through {open_round_id}). Everyone else gets 404: another applicant's
startup, application, deck or team member is out of reach, as is a member of one startup named under
another."""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

NOT_YOURS = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}
NOT_YOURS_POST = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 404}
APPLICANTS = {"anonymous": LOGIN, "applicant": 200, "judge": 403, "mentor": 403, "director": 403}
FOUNDERS_OWN = {**NOT_YOURS_POST, "founder": 200}  # the world's startup, changed by its founder only
SECOND_OWN = {**NOT_YOURS_POST, "founder": 404, "applicant": 200}  # the same on the second startup
# The world's submitted application: its edit page sends everyone who may see it to the read-only view.
SUBMITTED_EDIT = {**NOT_YOURS, "founder": 302, "assigned_judge": 302, "director": 302}


def build_world(ids: dict) -> dict:
    """A stored pitch deck on both applications (the world's and the second applicant's)."""
    from io import BytesIO

    from incubator.applications.models import Application
    from incubator.applications.uploads import store_deck
    from incubator.extensions import db

    for key in ("application_id", "other_application_id"):
        application = db.session.get(Application, ids[key])
        application.deck_path = store_deck(BytesIO(b"%PDF-1.4\n%%EOF\n"))
        application.deck_filename = "deck.pdf"
    return {}


CASES = [
    ("GET", "/startups", APPLICANTS),
    ("GET", "/startups/new", APPLICANTS),
    ("POST", "/startups/new", APPLICANTS),
    ("GET", "/startups/{startup_id}", {**NOT_YOURS, "founder": 200}),
    ("GET", "/startups/{other_startup_id}", {**NOT_YOURS, "founder": 404, "applicant": 200, "mentor": 200}),
    ("GET", "/startups/999999", NOT_YOURS_POST),
    ("GET", "/startups/{startup_id}/edit", FOUNDERS_OWN),
    ("POST", "/startups/{startup_id}/edit", FOUNDERS_OWN),
    ("GET", "/startups/{other_startup_id}/edit", SECOND_OWN),
    ("POST", "/startups/{other_startup_id}/edit", SECOND_OWN),
    ("GET", "/startups/{startup_id}/team/new", FOUNDERS_OWN),
    ("POST", "/startups/{startup_id}/team/new", FOUNDERS_OWN),
    ("GET", "/startups/{other_startup_id}/team/new", SECOND_OWN),
    ("GET", "/startups/{startup_id}/team/{member_id}/edit", FOUNDERS_OWN),
    # A bare POST keeps the member's saved values: it saves and goes back to the profile.
    ("POST", "/startups/{startup_id}/team/{member_id}/edit", {**FOUNDERS_OWN, "founder": 302}),
    ("GET", "/startups/{other_startup_id}/team/{other_member_id}/edit", SECOND_OWN),
    ("POST", "/startups/{other_startup_id}/team/{other_member_id}/edit", {**SECOND_OWN, "applicant": 302}),
    # A member of the other startup, under one's own startup's URL.
    ("GET", "/startups/{startup_id}/team/{other_member_id}/edit", NOT_YOURS_POST),
    ("POST", "/startups/{startup_id}/team/{other_member_id}/edit", NOT_YOURS_POST),
    ("GET", "/startups/{other_startup_id}/team/{member_id}/edit", NOT_YOURS_POST),
    ("POST", "/startups/{startup_id}/team/{member_id}/delete", {**FOUNDERS_OWN, "founder": 302}),
    ("POST", "/startups/{other_startup_id}/team/{other_member_id}/delete", {**SECOND_OWN, "applicant": 302}),
    ("POST", "/startups/{startup_id}/team/{other_member_id}/delete", NOT_YOURS_POST),
    ("GET", "/calls/{cohort_id}/apply", APPLICANTS),
    ("POST", "/calls/{cohort_id}/apply", APPLICANTS),
    ("GET", "/calls/999999/apply", {**APPLICANTS, "applicant": 404}),
    ("GET", "/applications", APPLICANTS),
    ("GET", "/applications/{application_id}", {**NOT_YOURS, "founder": 200, "assigned_judge": 200}),
    ("GET", "/applications/{other_application_id}", {**NOT_YOURS, "founder": 404, "applicant": 200, "mentor": 200}),
    ("GET", "/applications/999999", NOT_YOURS_POST),
    ("GET", "/applications/{application_id}/edit", SUBMITTED_EDIT),
    ("POST", "/applications/{application_id}/edit", SUBMITTED_EDIT),
    (
        "GET",
        "/applications/{other_application_id}/edit",
        {**NOT_YOURS, "founder": 404, "applicant": 302, "mentor": 302, "director": 302},
    ),
    ("GET", "/applications/{application_id}/deck", {**NOT_YOURS, "founder": 200, "assigned_judge": 200}),
    (
        "GET",
        "/applications/{other_application_id}/deck",
        {**NOT_YOURS, "founder": 404, "applicant": 200, "mentor": 200},
    ),
    ("GET", "/applications/999999/deck", NOT_YOURS_POST),
    ("POST", "/applications/{application_id}/withdraw", {**NOT_YOURS_POST, "founder": 302}),
    ("POST", "/applications/{other_application_id}/withdraw", {**NOT_YOURS_POST, "founder": 404, "applicant": 302}),
    ("POST", "/applications/{application_id}/reopen", director_only(302)),
    ("GET", "/cohorts/{cohort_id}/applications", director_only()),
    ("GET", "/cohorts/999999/applications", director_only(404)),
]
