"""Access cases for guest judges (after scoring.py, whose open round {open_round_id} they use).

A guest pass {guest_pass_id} is issued in the open round. The director's guest pages are the
director's alone; a pass asked for through another round answers 404. The sign-in link is public:
a token of no pass answers 404 to everyone (tests/test_guests.py signs a guest in for real and
proves where a guest may go)."""

from tests.access_cases import IDENTITIES, director_only

PUBLIC = {"guests.sign_in"}


def build_world(ids: dict) -> dict:
    from incubator.auth.models import User
    from incubator.extensions import db
    from incubator.judging.guests import services
    from incubator.judging.models import Round

    director = db.session.query(User).filter_by(email="boss@example.org").one()
    issued = services.add_guest(db.session.get(Round, ids["open_round_id"]), "Pak Joko", None, director)
    return {"guest_pass_id": issued.guest_pass.id}


CASES = [
    ("GET", "/rounds/{round_id}/guests", director_only()),
    ("GET", "/rounds/{open_round_id}/guests", director_only()),
    ("POST", "/rounds/{open_round_id}/guests", director_only()),  # an empty form: shown again
    ("GET", "/rounds/999999/guests", director_only(404)),
    ("POST", "/rounds/999999/guests", director_only(404)),
    ("GET", "/rounds/{open_round_id}/guests/{guest_pass_id}/card", director_only()),
    ("GET", "/rounds/{round_id}/guests/{guest_pass_id}/card", director_only(404)),
    ("GET", "/rounds/{open_round_id}/guests/999999/card", director_only(404)),
    ("POST", "/rounds/{open_round_id}/guests/{guest_pass_id}/link", director_only(302)),
    ("POST", "/rounds/{round_id}/guests/{guest_pass_id}/link", director_only(404)),
    ("POST", "/rounds/{open_round_id}/guests/{guest_pass_id}/revoke", director_only(302)),
    ("POST", "/rounds/{open_round_id}/guests/999999/revoke", director_only(404)),
    ("GET", "/guest/not-a-token", dict.fromkeys(IDENTITIES, 404)),
    ("POST", "/guest/not-a-token", dict.fromkeys(IDENTITIES, 404)),
]
