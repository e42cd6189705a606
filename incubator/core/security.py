"""Security headers sent with every response, submitted text without NUL characters, and a
session cookie that a page's background requests leave alone."""

from flask import Flask, Request, g, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    user = g.get("_login_user")  # Flask-Login's user of this request, if the request looked it up
    # `is_anonymous`, not `is_authenticated`: the latter reads the account's `active` column, which
    # a commit earlier in the request has expired, and would load the user again for one header.
    if user is not None and not user.is_anonymous and request.endpoint != "static":
        # What a signed-in person sees is theirs: no shared cache keeps it, no browser stores it.
        response.headers["Cache-Control"] = "private, no-store"
    return response


class _Parameters(ImmutableMultiDict):
    """Query and form values with any NUL character dropped: PostgreSQL cannot store one in text
    (the insert would fail with a 500), and no one types it; uploaded files are left as they are."""

    def __init__(self, mapping=None):
        items = mapping.items(multi=True) if isinstance(mapping, MultiDict) else mapping or ()
        if isinstance(items, dict):
            items = items.items()
        super().__init__([(k, v.replace("\x00", "") if isinstance(v, str) else v) for k, v in items])


class TextRequest(Request):
    parameter_storage_class = _Parameters


class SessionCookies(SecureCookieSessionInterface):
    """The signed session cookie, sent again to move its expiry on only with a page the person
    opened (or a form they sent), never with what a page's script asks in the background (a
    pitch-day poll, an autosave, an export's progress). The browser keeps whichever cookie arrives
    last: a poll that began before a Submit and ended after it would otherwise put back the session
    as it was, losing the Submit's "submitted and locked" message or the text kept for the person.
    A request that changes the session always sends it."""

    def should_set_cookie(self, app: Flask, session) -> bool:
        if session.modified:
            return True
        # Sec-Fetch-Mode is "navigate" for a page or a form; "cors" or "same-origin" for fetch().
        # A client that does not send it is treated as a page, as before.
        navigating = request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
        return navigating and session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]


def init_app(app: Flask) -> None:
    app.request_class = TextRequest
    app.session_interface = SessionCookies()
    app.after_request(_headers)
    if app.config.get("SESSION_COOKIE_SECURE"):

        @app.after_request
        def _hsts(response):
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
            return response
