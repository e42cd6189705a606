"""Who may open what: an access matrix over (identity, method, URL), and a route
inventory that fails on any endpoint that is neither public by the list below
nor protected, or that the matrix does not cover."""

import pytest
from werkzeug.routing import RequestRedirect

from tests.conftest import csrf_token

IDENTITIES = ("anonymous", "applicant", "judge", "mentor", "director")

# Endpoints anyone may open; everything else must be protected.
PUBLIC_ENDPOINTS = {
    "static",
    "main.home",
    "main.healthz",
    "auth.login",
    "auth.register",
    "auth.confirm_email",
    "auth.resend_confirmation",
    "auth.request_reset",
    "auth.reset_password",
    "auth.accept_invitation",
}

LOGIN = 302  # anonymous visitors are sent to the sign-in page
ALL_200 = dict.fromkeys(IDENTITIES, 200)
SIGNED_IN_200 = {"anonymous": LOGIN, "applicant": 200, "judge": 200, "mentor": 200, "director": 200}


def director_only(ok=200):
    return {"anonymous": LOGIN, "applicant": 403, "judge": 403, "mentor": 403, "director": ok}


# (method, url, {identity: expected status}); {user_id}, {message_id} are filled in at run time.
MATRIX = [
    ("GET", "/", ALL_200),
    ("GET", "/healthz", ALL_200),
    ("GET", "/static/css/app.css", ALL_200),
    ("GET", "/auth/login", {"anonymous": 200, **dict.fromkeys(IDENTITIES[1:], 302)}),
    ("POST", "/auth/login", {"anonymous": 200, **dict.fromkeys(IDENTITIES[1:], 302)}),
    ("GET", "/auth/register", {"anonymous": 200, **dict.fromkeys(IDENTITIES[1:], 302)}),
    ("POST", "/auth/register", {"anonymous": 200, **dict.fromkeys(IDENTITIES[1:], 302)}),
    ("GET", "/auth/confirm/not-a-token", dict.fromkeys(IDENTITIES, 400)),
    ("POST", "/auth/confirm/not-a-token", dict.fromkeys(IDENTITIES, 400)),
    ("POST", "/auth/confirm/resend", dict.fromkeys(IDENTITIES, 302)),
    ("GET", "/auth/reset", ALL_200),
    ("POST", "/auth/reset", ALL_200),
    ("GET", "/auth/reset/not-a-token", dict.fromkeys(IDENTITIES, 400)),
    ("POST", "/auth/reset/not-a-token", dict.fromkeys(IDENTITIES, 400)),
    ("GET", "/auth/invitation/not-a-token", dict.fromkeys(IDENTITIES, 400)),
    ("POST", "/auth/invitation/not-a-token", dict.fromkeys(IDENTITIES, 400)),
    ("POST", "/auth/logout", {"anonymous": LOGIN, **dict.fromkeys(IDENTITIES[1:], 302)}),
    ("GET", "/auth/password", SIGNED_IN_200),
    ("POST", "/auth/password", SIGNED_IN_200),
    ("GET", "/admin/users", director_only()),
    ("GET", "/admin/users/invite", director_only()),
    ("POST", "/admin/users/invite", director_only()),
    ("GET", "/admin/users/{user_id}", director_only()),
    ("GET", "/admin/users/999999", director_only(404)),
    ("POST", "/admin/users/{user_id}/roles/grant", director_only(302)),
    ("POST", "/admin/users/999999/roles/grant", director_only(404)),
    ("POST", "/admin/users/{user_id}/roles/revoke", director_only(302)),
    ("POST", "/admin/users/{user_id}/deactivate", director_only(302)),
    ("POST", "/admin/users/{user_id}/activate", director_only(302)),
    ("POST", "/admin/users/{user_id}/invite-again", director_only(302)),
    ("GET", "/admin/outbox", director_only()),
    ("GET", "/admin/outbox/{message_id}", director_only()),
    ("GET", "/admin/outbox/999999", director_only(404)),
    ("GET", "/admin/audit", director_only()),
]


@pytest.fixture
def world(app, create_user):
    """One other user and one outbox message to point URLs at."""
    from incubator.extensions import db
    from incubator.mail.outbox import queue_mail

    other = create_user(email="other@example.org", roles=["judge"])
    with app.test_request_context():
        message = queue_mail("other@example.org", "confirm_email", user=other, link="http://localhost/x")
        db.session.commit()
        message_id = message.id
    return {"user_id": other.id, "message_id": message_id}


def _cases():
    for method, url, expected in MATRIX:
        for identity in IDENTITIES:
            yield pytest.param(identity, method, url, expected[identity], id=f"{identity}-{method}-{url}")


@pytest.mark.parametrize(("identity", "method", "url", "status"), list(_cases()))
def test_access_matrix(client, login_as, world, identity, method, url, status):
    if identity != "anonymous":
        login_as(client, identity)
    url = url.format(**world)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/auth/reset")
        response = client.post(url, data={"csrf_token": token})
    assert response.status_code == status
    if identity == "anonymous" and status == LOGIN and url not in ("/auth/confirm/resend",):
        assert response.headers["Location"].startswith("/auth/login")


def test_every_route_is_public_by_list_or_protected(app):
    unmarked, unlisted, listed_but_protected = [], [], []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        access = getattr(view, "access", None)
        if rule.endpoint == "static":
            continue
        if access is None:
            unmarked.append(rule.endpoint)
        elif access == "public" and rule.endpoint not in PUBLIC_ENDPOINTS:
            unlisted.append(rule.endpoint)
        elif access != "public" and rule.endpoint in PUBLIC_ENDPOINTS:
            listed_but_protected.append(rule.endpoint)
    assert unmarked == []
    assert unlisted == []
    assert listed_but_protected == []


def test_every_route_is_in_the_access_matrix(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, url, _expected in MATRIX:
        try:
            endpoint, _args = adapter.match(url.format(user_id=1, message_id=1), method=method)
        except RequestRedirect:  # pragma: no cover - a matrix URL should be canonical
            pytest.fail(f"{url} redirects")
        covered.add((endpoint, method))
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert missing == []
