"""Access cases for decisions, closing a round, and feedback to founders.

Directors only, except the founder's feedback page: signed-in users, 404 unless the user is the
startup's founder or a director AND the round's feedback is released (in the world it is not:
the round is a draft), so everyone gets 404 there. POSTs carry only a CSRF token: the preview and
the feedback form answer their page again (200); confirm and close go back (302).
"""

from tests.access_cases import NOT_FOUND_WHEN_SIGNED_IN, director_only

PUBLIC = set()

CASES = [
    ("GET", "/rounds/{round_id}/decisions", director_only()),
    ("GET", "/rounds/999999/decisions", director_only(404)),
    ("POST", "/rounds/{round_id}/decisions/preview", director_only()),
    ("POST", "/rounds/999999/decisions/preview", director_only(404)),
    ("POST", "/rounds/{round_id}/decisions/confirm", director_only(302)),
    ("POST", "/rounds/999999/decisions/confirm", director_only(404)),
    ("POST", "/rounds/{round_id}/close", director_only(302)),
    ("POST", "/rounds/999999/close", director_only(404)),
    # Only a decided round can be re-decided: the world's round is a draft.
    ("GET", "/rounds/{round_id}/redecide", director_only(404)),
    ("POST", "/rounds/{round_id}/redecide", director_only(404)),
    ("GET", "/rounds/999999/redecide", director_only(404)),
    ("POST", "/rounds/999999/redecide", director_only(404)),
    ("GET", "/rounds/{round_id}/feedback", director_only()),
    ("POST", "/rounds/{round_id}/feedback", director_only()),
    ("GET", "/rounds/999999/feedback", director_only(404)),
    ("POST", "/rounds/999999/feedback", director_only(404)),
    ("GET", "/applications/{application_id}/feedback/{round_id}", NOT_FOUND_WHEN_SIGNED_IN),
    ("GET", "/applications/{other_application_id}/feedback/{round_id}", NOT_FOUND_WHEN_SIGNED_IN),
    ("GET", "/applications/999999/feedback/{round_id}", NOT_FOUND_WHEN_SIGNED_IN),
    ("GET", "/applications/{application_id}/feedback/999999", NOT_FOUND_WHEN_SIGNED_IN),
]
