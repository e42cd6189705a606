"""The end of a route that changes something, written once: run one service, commit, tell the user,
go on. A refused change (ServiceError) rolls back and says why, keeping what was typed.

- `form_action` for a page with a form: on a valid submission it runs the service, commits,
  flashes and returns the redirect; on a refusal the message goes onto the form, and the route
  renders the page again with everything typed (it gets None back, as when nothing was sent).
- `button_action` for a button (a small POST form, CSRF at least): it always answers with a
  redirect, flashing the success or the reason for the refusal.

`done` is the success message, or a function of the service's result giving the message, or
(message, category); `then` is the address to go to (for a form, or a function of the result
giving it).
"""

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from incubator.core.errors import ServiceError
from incubator.extensions import db

Message = str | tuple[str, str]
Done = Message | Callable[[Any], Message]
Then = str | Callable[[Any], str]


def flash_done(done: Done, result: Any) -> None:
    """Flash `done` (see above) for the service's `result`."""
    message = done(result) if callable(done) else done
    text, category = message if isinstance(message, tuple) else (message, "success")
    flash(text, category)


def commit_or_refuse(action: Callable[[], Any]) -> tuple[bool, Any]:
    """Run `action()` and commit: (True, its result); on a refusal roll back: (False, the message)."""
    try:
        result = action()
    except ServiceError as exc:
        db.session.rollback()
        return False, str(exc.message)
    db.session.commit()
    return True, result


def form_action(form: FlaskForm, action: Callable[[], Any], *, done: Done, then: Then) -> Response | None:
    """For a valid submission of `form`: run `action()`, commit, flash `done` and redirect to `then`.
    None when the form was not sent or not valid, or the service refused (its message is then on
    the form): the route shows the page again, with what was typed."""
    if not form.validate_on_submit():
        return None
    ok, result = commit_or_refuse(action)
    if not ok:
        form.form_errors.append(result)
        return None
    flash_done(done, result)
    return redirect(then(result) if callable(then) else then)


def button_action(action: Callable[[], Any], *, done: Done, then: str, form: FlaskForm | None = None) -> Response:
    """For a button: check its form (CSRF at least), run `action()`, commit and flash `done`, or
    flash why it was refused; either way redirect to `then`."""
    form = form or FlaskForm()
    if not form.validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
    else:
        ok, result = commit_or_refuse(action)
        if ok:
            flash_done(done, result)
        else:
            flash(result, "error")
    return redirect(then)
