"""Access cases for startup profiles, teams and applications.

The `applicant` identity is NOT the founder of the world's startup: every object
page of that startup answers 404 to it, as to judges and mentors."""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

NOT_YOURS = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}
NOT_YOURS_POST = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 404}
APPLICANTS = {"anonymous": LOGIN, "applicant": 200, "judge": 403, "mentor": 403, "director": 403}

CASES = [
    ("GET", "/startups", APPLICANTS),
    ("GET", "/startups/new", APPLICANTS),
    ("POST", "/startups/new", APPLICANTS),
    ("GET", "/startups/{startup_id}", NOT_YOURS),
    ("GET", "/startups/999999", {**NOT_YOURS, "director": 404}),
    ("GET", "/startups/{startup_id}/edit", NOT_YOURS_POST),
    ("POST", "/startups/{startup_id}/edit", NOT_YOURS_POST),
    ("GET", "/startups/{startup_id}/team/new", NOT_YOURS_POST),
    ("POST", "/startups/{startup_id}/team/new", NOT_YOURS_POST),
    ("GET", "/startups/{startup_id}/team/{member_id}/edit", NOT_YOURS_POST),
    ("POST", "/startups/{startup_id}/team/{member_id}/edit", NOT_YOURS_POST),
    ("POST", "/startups/{startup_id}/team/{member_id}/delete", NOT_YOURS_POST),
    ("GET", "/calls/{cohort_id}/apply", APPLICANTS),
    ("POST", "/calls/{cohort_id}/apply", APPLICANTS),
    ("GET", "/calls/999999/apply", {**APPLICANTS, "applicant": 404}),
    ("GET", "/applications", APPLICANTS),
    ("GET", "/applications/{application_id}", NOT_YOURS),
    ("GET", "/applications/999999", {**NOT_YOURS, "director": 404}),
    # A submitted application: its edit page sends everyone who may see it to the read-only view.
    ("GET", "/applications/{application_id}/edit", {**NOT_YOURS, "director": 302}),
    ("POST", "/applications/{application_id}/edit", {**NOT_YOURS, "director": 302}),
    ("GET", "/applications/{application_id}/deck", NOT_YOURS_POST),
    ("POST", "/applications/{application_id}/withdraw", NOT_YOURS_POST),
    ("POST", "/applications/{application_id}/reopen", director_only(302)),
    ("GET", "/cohorts/{cohort_id}/applications", director_only()),
    ("GET", "/cohorts/999999/applications", director_only(404)),
]
