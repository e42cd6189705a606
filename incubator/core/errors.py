"""Service errors and the translated error pages (no traceback ever reaches a user)."""

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from incubator.core.stash import stash_posted_form
from incubator.extensions import db, login_manager


class ServiceError(Exception):
    """A refused change, with a translated message meant for the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


PAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist or is not available to you.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (
        _l("File too large"),
        _l("The file you sent is larger than the limit. Please send a smaller file."),
    ),
    429: (
        _l("Too many attempts"),
        _l("You tried too often in a short time. Please wait a minute and try again."),
    ),
    500: (_l("Something went wrong"), _l("An unexpected error happened. We have been told; please try again later.")),
    503: (
        _l("Service unavailable"),
        _l("The service cannot reach its database right now. Please try again in a moment."),
    ),
}


def render_error(code: int, detail=None):
    title, message = PAGES.get(code, PAGES[500])
    if request.accept_mimetypes.best == "application/json":
        return jsonify(status="error", code=code, message=str(detail or message)), code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = exc.code or 500
        if code not in PAGES:
            return exc
        return render_error(code)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        if stash_posted_form(app):
            return render_error(
                400,
                _l(
                    "Your session had ended, so the form could not be accepted. What you typed is kept: "
                    "sign in again and open the form; it will be filled in."
                ),
            )
        return render_error(
            400, _l("This form has expired or was sent from elsewhere. Go back, reload the page and send it again.")
        )

    @app.errorhandler(OperationalError)
    def _database_down(exc: OperationalError):
        db.session.rollback()
        # The page must render without asking the database who is signed in.
        g._login_user = login_manager.anonymous_user()
        app.logger.error("database error: %s", exc)
        return render_error(503)

    @app.errorhandler(InternalServerError)
    def _server_error(exc: InternalServerError):
        db.session.rollback()
        return render_error(500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render_error(500)
