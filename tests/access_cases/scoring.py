"""Access cases for the judge's queue and scoring page, the director's sheet list, reopening and reminders.

The world's round is a DRAFT and its `judge` identity is assigned to nothing: judges get 404
(a draft round is not theirs to see), other roles 403 on the judge pages. The round has no
sheet, so reopening answers 404 to the director; reminders on a draft round are refused
with a message (302 back to the round page)."""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

JUDGES_ONLY_404 = {"anonymous": LOGIN, "applicant": 403, "judge": 404, "mentor": 403, "director": 403}

CASES = [
    ("GET", "/rounds/{round_id}/queue", JUDGES_ONLY_404),
    ("GET", "/rounds/999999/queue", JUDGES_ONLY_404),
    ("GET", "/rounds/{round_id}/applications/{application_id}/score", JUDGES_ONLY_404),
    ("POST", "/rounds/{round_id}/applications/{application_id}/score", JUDGES_ONLY_404),
    ("GET", "/rounds/999999/applications/{application_id}/score", JUDGES_ONLY_404),
    ("GET", "/rounds/{round_id}/applications/999999/score", JUDGES_ONLY_404),
    ("GET", "/rounds/{round_id}/sheets", director_only()),
    ("GET", "/rounds/999999/sheets", director_only(404)),
    ("POST", "/rounds/{round_id}/sheets/999999/reopen", director_only(404)),
    ("POST", "/rounds/999999/sheets/999999/reopen", director_only(404)),
    ("POST", "/rounds/{round_id}/remind", director_only(302)),
    ("POST", "/rounds/999999/remind", director_only(404)),
]
