"""Access cases for the privacy area: the notice (public), consent (any signed-in user), an
applicant's data page, download and deletion request (applicants, on their own data only), and the
directors' review of deletion requests (404 to everyone else signed in, so that it leaks nothing).

Both applicants of the world accepted the current notice (so applying stays open to them); the
second `applicant` has a pending deletion request {deletion_request_id}."""

from tests.access_cases import ALL_200, LOGIN, SIGNED_IN_200

PUBLIC = {"privacy.notice_page"}

APPLICANTS = {"anonymous": LOGIN, "applicant": 200, "judge": 403, "mentor": 403, "director": 403}
DIRECTOR_OR_404 = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}


def build_world(ids: dict) -> dict:
    from incubator.auth.models import User
    from incubator.extensions import db
    from incubator.privacy.services import record_consent, request_deletion

    founder = db.session.query(User).filter_by(email="founder@example.org").one()
    second = db.session.query(User).filter_by(email="second@example.org").one()
    for user in (founder, second):
        record_consent(user, "register", "id")
    deletion = request_deletion(second, "")
    return {"deletion_request_id": deletion.id}


CASES = [
    ("GET", "/privacy", ALL_200),
    ("GET", "/privacy/consent", SIGNED_IN_200),
    ("POST", "/privacy/consent", SIGNED_IN_200),  # nothing ticked: the page again, with the message
    ("GET", "/account/privacy", APPLICANTS),
    ("GET", "/account/privacy/data.zip", APPLICANTS),
    ("POST", "/account/privacy/deletion", {**APPLICANTS, "applicant": 400}),  # not confirmed
    (
        "POST",
        "/account/privacy/deletion/{deletion_request_id}/cancel",
        {**APPLICANTS, "founder": 404, "applicant": 302},
    ),
    ("POST", "/account/privacy/deletion/999999/cancel", {**APPLICANTS, "applicant": 404}),
    ("GET", "/privacy/requests", DIRECTOR_OR_404),
    ("GET", "/privacy/requests/{deletion_request_id}", DIRECTOR_OR_404),
    ("POST", "/privacy/requests/{deletion_request_id}", DIRECTOR_OR_404),  # no reason to refuse: the page again
    ("GET", "/privacy/requests/999999", {**DIRECTOR_OR_404, "director": 404}),
]
