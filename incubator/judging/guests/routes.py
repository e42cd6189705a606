"""Guest judges' pages, on the `guests` blueprint: the director's list of a round's guests (adding
one, revoking a pass, a new link), the printable card with the QR code, and the public sign-in
page the link opens.

The link's token is stored only as its hash, so the card can be shown only by the browser of the
director who issued it: the token waits in that director's session (`LINKS_KEY`, the last few),
and a new link can always be issued instead.
"""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm

from incubator.auth.access import SESSION_KEY, public
from incubator.auth.services import end_session, start_session
from incubator.core.actions import button_action, commit_or_refuse, form_action
from incubator.core.i18n import chosen_language
from incubator.extensions import db, limiter
from incubator.judging import permissions
from incubator.judging.blueprints import guests as bp
from incubator.judging.guests import services
from incubator.judging.guests.addresses import shown_address
from incubator.judging.guests.forms import GuestForm
from incubator.judging.guests.models import GuestPass
from incubator.judging.guests.qr import qr_svg
from incubator.judging.guests.session import GUEST_KEY
from incubator.judging.models import Round
from incubator.judging.permissions import director_only

LINKS_KEY = "guest_links"
LINKS_KEPT = 20


def _keep_link(issued: services.Issued) -> int:
    """Keep the new link's token in this director's session for the card page; returns the pass id."""
    links = dict(session.get(LINKS_KEY, {}))
    links.pop(str(issued.guest_pass.id), None)
    links[str(issued.guest_pass.id)] = issued.token
    session[LINKS_KEY] = dict(list(links.items())[-LINKS_KEPT:])
    return issued.guest_pass.id


def _pass_or_404(round_: Round, pass_id: int) -> GuestPass:
    guest_pass = db.session.get(GuestPass, pass_id)
    if guest_pass is None or guest_pass.round_id != round_.id:
        permissions.not_found()
    return guest_pass


def _card_url(round_id: int):
    return lambda pass_id: url_for("guests.card", round_id=round_id, pass_id=pass_id)


@bp.route("/rounds/<int:round_id>/guests", methods=["GET", "POST"])
@director_only
def guest_list(round_id: int):
    """The round's guest judges with the state of each pass; adding one makes their card."""
    round_ = db.get_or_404(Round, round_id)
    form = GuestForm()
    added = form_action(
        form,
        lambda: _keep_link(services.add_guest(round_, form.name.data, form.email.data, current_user)),
        done=_("The guest judge is added. Print the card or show the QR code to the guest."),
        then=_card_url(round_.id),
    )
    if added:
        return added
    return render_template(
        "judging/guests/list.html", round=round_, form=form, passes=services.round_guests(round_), button=FlaskForm()
    )


@bp.route("/rounds/<int:round_id>/guests/<int:pass_id>/card")
@director_only
def card(round_id: int, pass_id: int):
    """The guest's printable card: name, round, the sign-in link's QR code and the link itself
    (only in the browser that issued the link; elsewhere a new link can be issued)."""
    round_ = db.get_or_404(Round, round_id)
    guest_pass = _pass_or_404(round_, pass_id)
    token = session.get(LINKS_KEY, {}).get(str(guest_pass.id)) if guest_pass.state == "unused" else None
    link = url_for("guests.sign_in", token=token, _external=True) if token else None
    qr = qr_svg(link, _("QR code of the sign-in link for %(name)s", name=guest_pass.user.name)) if link else None
    short = link.split("://", 1)[-1] if link else None
    return render_template(
        "judging/guests/card.html", round=round_, guest=guest_pass, link=link, short=short, qr=qr, button=FlaskForm()
    )


@bp.route("/rounds/<int:round_id>/guests/<int:pass_id>/link", methods=["POST"])
@director_only
def new_link(round_id: int, pass_id: int):
    """Issue a new sign-in link (the old one stops working) and show the new card."""
    round_ = db.get_or_404(Round, round_id)
    guest_pass = _pass_or_404(round_, pass_id)
    return button_action(
        lambda: _keep_link(services.new_link(round_, guest_pass, current_user)),
        done=_("A new sign-in link is made; the old one no longer works."),
        then=url_for("guests.card", round_id=round_.id, pass_id=guest_pass.id),
    )


@bp.route("/rounds/<int:round_id>/guests/<int:pass_id>/revoke", methods=["POST"])
@director_only
def revoke(round_id: int, pass_id: int):
    """Revoke a guest's pass: the link stops working and the guest is signed out."""
    round_ = db.get_or_404(Round, round_id)
    guest_pass = _pass_or_404(round_, pass_id)
    return button_action(
        lambda: services.revoke(round_, guest_pass, current_user),
        done=_("The guest's pass is revoked; they are signed out."),
        then=url_for("guests.guest_list", round_id=round_.id),
    )


def _sign_in_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/guest/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def sign_in(token: str):
    """The guest's link: a page with one button (so a link preview cannot use it up); pressing it
    signs the guest in, once, into their round. A used, revoked or closed link is refused."""
    guest_pass = services.find_pass(token)
    if guest_pass is not None and session.get(GUEST_KEY) == guest_pass.id and current_user.is_authenticated:
        return redirect(url_for("scoring.queue", round_id=guest_pass.round_id))  # already in: the queue again
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        ok, result = commit_or_refuse(lambda: services.use_link(token))
        return _start_guest_session(result) if ok else _refused(guest_pass, token)
    reason = services.refusal(guest_pass)
    if reason is not None:
        return _refused(guest_pass, token, reason)
    return render_template("judging/guests/sign_in.html", guest=guest_pass, form=form)


def _refused(guest_pass: GuestPass | None, token: str, reason: str | None = None):
    """The refusal page; a refused use of a known pass is recorded (and committed) on the way."""
    guest_pass = services.find_pass(token) if guest_pass is not None else None
    reason = reason or services.refusal(guest_pass) or "used"
    services.refuse(guest_pass, reason)
    db.session.commit()
    code = 404 if guest_pass is None else 410
    return render_template("judging/guests/refused.html", message=services.REFUSALS[reason]), code


def _start_guest_session(guest_pass: GuestPass):
    """A fresh session for the guest (any earlier one in this browser ends), marked with the pass."""
    old_key = session.get(SESSION_KEY)
    session.clear()
    end_session(old_key)
    key = start_session(guest_pass.user, request.user_agent.string, locale=chosen_language())
    db.session.commit()
    session[SESSION_KEY] = key
    session[GUEST_KEY] = guest_pass.id
    session.permanent = True
    login_user(guest_pass.user)
    flash(
        _(
            "Welcome, %(name)s. You are a guest judge in %(round)s. If you cannot judge a startup fairly, "
            "declare the conflict of interest below before scoring.",
            name=guest_pass.user.name,
            round=guest_pass.round.name,
        ),
        "success",
    )
    return redirect(url_for("scoring.queue", round_id=guest_pass.round_id))


@bp.app_template_filter("shown_address")
def _shown_address(email: str | None) -> str:
    """An account's e-mail as people see it: empty for a guest without one (addresses.py)."""
    return shown_address(email)
