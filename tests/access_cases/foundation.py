"""Access cases for the foundation: home, health, sign-in, accounts, director administration."""

from tests.access_cases import ALL_200, IDENTITIES, LOGIN, SIGNED_IN_200, director_only

PUBLIC = {
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

# (method, url, {identity: expected status}); {user_id}, {message_id} are filled in at run time.
CASES = [
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
