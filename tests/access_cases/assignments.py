"""Access cases for assigning judges and conflicts of interest.

Directors only, except declaring a conflict: judges only, and only on an application assigned
to them in a round open or closed for scoring. The world's round {round_id} is a draft, so every
judge gets 404 there; in the open round {open_round_id} the assigned judge may declare a conflict
with the world's application (a bare POST answers the form again), not with the second applicant's.
POSTs carry only a CSRF token: buttons and the hand and bulk forms go back to the overview (302),
forms with fields answer their page again (200); an empty focus-area form is valid (it clears the areas) and redirects.
"""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()


def judges_only(status: int) -> dict:
    return {"anonymous": LOGIN, "applicant": 403, "judge": status, "mentor": 403, "director": 403}


ASSIGNED = {**judges_only(404), "assigned_judge": 200}

CASES = [
    ("GET", "/rounds/{round_id}/assignments", director_only()),
    ("GET", "/rounds/999999/assignments", director_only(404)),
    ("POST", "/rounds/{round_id}/assignments/add", director_only(302)),
    ("POST", "/rounds/999999/assignments/add", director_only(404)),
    ("POST", "/rounds/{round_id}/assignments/999999/delete", director_only(404)),
    ("POST", "/rounds/{round_id}/assignments/bulk", director_only(302)),
    ("POST", "/rounds/999999/assignments/bulk", director_only(404)),
    ("GET", "/rounds/{round_id}/assignments/auto", director_only()),
    ("POST", "/rounds/{round_id}/assignments/auto", director_only()),
    ("GET", "/rounds/999999/assignments/auto", director_only(404)),
    ("GET", "/rounds/{round_id}/conflicts", director_only()),
    ("POST", "/rounds/{round_id}/conflicts", director_only()),
    ("GET", "/rounds/999999/conflicts", director_only(404)),
    ("POST", "/rounds/{round_id}/conflicts/999999/delete", director_only(404)),
    ("GET", "/rounds/{round_id}/applications/{application_id}/conflict", judges_only(404)),
    ("POST", "/rounds/{round_id}/applications/{application_id}/conflict", judges_only(404)),
    ("GET", "/rounds/999999/applications/{application_id}/conflict", judges_only(404)),
    ("GET", "/rounds/{open_round_id}/applications/{application_id}/conflict", ASSIGNED),
    ("POST", "/rounds/{open_round_id}/applications/{application_id}/conflict", ASSIGNED),
    ("GET", "/rounds/{open_round_id}/applications/{other_application_id}/conflict", judges_only(404)),
    ("POST", "/rounds/{open_round_id}/applications/{other_application_id}/conflict", judges_only(404)),
    ("GET", "/judges/{user_id}/focus-areas", director_only()),
    ("POST", "/judges/{user_id}/focus-areas", director_only(302)),
    ("GET", "/judges/999999/focus-areas", director_only(404)),
]
