"""Applying to a cohort, the pitch form with its deck, the founder's status page, and the
director's application list."""

from functools import cache, partial

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import defaultload, lazyload, raiseload

from incubator.applications import queries, services
from incubator.applications.forms import ApplicationFilterForm, ApplyForm, PitchForm, WithdrawForm
from incubator.applications.models import Application
from incubator.applications.uploads import CappedFormParser, deck_path
from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort
from incubator.cohorts.pipeline import STAGES
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError, render_error
from incubator.core.forms import flash_errors
from incubator.core.labels import stage_label
from incubator.core.pagination import requested_page
from incubator.core.stash import keeps_typing, take_stash
from incubator.extensions import db
from incubator.mail.whatsapp import application_links
from incubator.startups.models import Startup

bp = Blueprint("applications", __name__)


# The pitch form reads the application, its startup's name and owner and its cohort's window:
# an autosave every few seconds from every founder must not load teams and focus areas too.
_FORM_ONLY = [
    defaultload(Application.startup).lazyload(Startup.members),
    defaultload(Application.startup).lazyload(Startup.focus_area),
    defaultload(Application.cohort).lazyload(Cohort.space),
    defaultload(Application.cohort).lazyload(Cohort.focus_areas),
    lazyload(Application.membership),
]


def _application(application_id: int, options=()) -> Application:
    """The application if this user may see it; 404 otherwise."""
    application = db.session.get(Application, application_id, options=options)
    if application is None or not application.can_view(current_user):
        abort(404)
    return application


@bp.route("/calls/<int:cohort_id>/apply", methods=["GET", "POST"])
@roles_required(Role.APPLICANT)
def apply(cohort_id: int):
    """Choose which of your startups applies; starts (or reopens) its draft."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not cohort.call_is_public():
        abort(404)
    startups = db.session.scalars(select(Startup).where(Startup.owner_id == current_user.id).order_by(Startup.id)).all()
    form = ApplyForm(startups=startups)
    if startups and form.validate_on_submit():
        startup = next(s for s in startups if s.id == form.startup_id.data)
        try:
            application = services.start_application(startup, cohort, current_user)
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            return redirect(url_for("applications.edit", application_id=application.id))
    return render_template("applications/apply.html", cohort=cohort, form=form, startups=startups)


# --- the pitch form ---------------------------------------------------------------


def _fetch() -> bool:
    """An autosave sent by static/js/application.js; it is answered with JSON."""
    return request.headers.get("X-Requested-With") == "fetch"


def _limit_mb() -> int:
    return current_app.config["MAX_DECK_BYTES"] // (1024 * 1024)


# How many times the request limit the pitch form reads before giving up (a deck that large is
# refused by the page's script before it is sent; without the script the typed text is still read).
DRAFT_REQUEST_FACTOR = 5


@bp.url_value_preprocessor
def _received(endpoint: str | None, values: dict | None) -> None:
    """Note when the request arrived, before anything reads its body (the CSRF check reads the
    form, deck included): a submission that starts before the deadline is on time even if its
    upload ends after it. The pitch form may carry a deck over the limit: its body is read up to
    a ceiling, the deck kept only up to the limit, so that the text sent with it is still saved."""
    g.received_at = utcnow()
    if endpoint == "applications.edit" and request.method == "POST":
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        request.max_content_length = limit * DRAFT_REQUEST_FACTOR if limit else None
        request.form_data_parser_class = partial(CappedFormParser, cap=current_app.config["MAX_DECK_BYTES"] + 1)


@bp.errorhandler(413)
def _too_large(exc):
    """A request over even the pitch form's ceiling: what was saved before stays, and the message
    names the limit."""
    message = _("The deck is larger than %(mb)d MB. Please upload a smaller PDF.", mb=_limit_mb())
    if request.endpoint != "applications.edit":
        return render_error(413, message)
    if _fetch():
        return jsonify(status="refused", message=message), 413
    # Raised before the view (while the CSRF check read the form): the usual checks happen here.
    application = db.session.get(Application, (request.view_args or {}).get("application_id", 0))
    if application is None or not application.can_view(current_user) or not application.can_edit(current_user):
        return render_error(413, message)
    form = _draft_form(application)
    form.deck.errors = [message]
    form.form_errors.append(message)
    form.form_errors.append(_("Your last saved draft is shown; check the text and save again."))
    return _render_edit(application, form), 413


def _draft_form(application: Application) -> PitchForm:
    form = PitchForm(formdata=None, obj=application, max_mb=_limit_mb())
    form.version.data = str(application.version)
    return form


def _render_edit(application: Application, form: PitchForm):
    return render_template(
        "applications/edit.html",
        form=form,
        application=application,
        missing=services.missing(application),
        window_open=services.window_open(application),
        limit_mb=_limit_mb(),
        limit_bytes=current_app.config["MAX_DECK_BYTES"],
    )


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_typing
def edit(application_id: int):
    """The pitch form. Every change saves itself (static/js/application.js) and Save draft does the
    same without JavaScript: the valid fields are stored, the others shown back with their message.
    Submit checks completeness and the window (the time the request arrived)."""
    application = _application(application_id, options=_FORM_ONLY)
    if not application.can_edit(current_user):
        message = _("This application has been submitted and can no longer be changed.")
        if _fetch():
            return jsonify(status="refused", message=message), 409
        if request.method == "POST":
            flash(message, "error")
        return redirect(url_for("applications.view", application_id=application.id))
    if request.method == "POST":
        return _post_draft(application)
    form = _draft_form(application)
    kept = take_stash(request.path)
    if kept:
        for name in services.DRAFT_FIELDS:
            if name in kept:
                form[name].data = kept[name]
                form[name].raw_data = [kept[name]]
        flash(_("What you typed before your session ended has been put back. Check it and save."), "info")
    return _render_edit(application, form)


def _post_draft(application: Application):
    """Save what was posted. A fetch autosave gets JSON {status, version, message, errors}; a page
    gets a redirect, or the page again with every refused field's message and everything typed."""
    fetch = _fetch()
    form = PitchForm(max_mb=_limit_mb())
    form.validate()  # each field's own errors; the CSRF token was checked before the view
    # Only the fields sent are saved: a field the post leaves out keeps its stored value.
    sent = [name for name in services.DRAFT_FIELDS if name in request.form]
    fields = {name: form[name].data for name in sent if not form[name].errors}
    try:
        refused = services.save_draft(application, current_user, fields, expected_version=form.expected_version())
    except ServiceError as exc:  # stale: another tab or device saved since this page was opened
        db.session.rollback()
        if fetch:
            return jsonify(status="refused", version=form.expected_version(), message=str(exc.message)), 409
        form.form_errors.append(str(exc.message))
        return _render_edit(application, form)
    for name, message in refused.items():
        form[name].errors = [message]
    errors = {name: str(form[name].errors[0]) for name in services.DRAFT_FIELDS if form[name].errors}
    if fetch:
        version = application.version  # read before the commit expires it
        db.session.commit()
        return jsonify(status="saved", version=version, message=_saved_at(), errors=errors)
    upload = form.deck.data
    if upload and getattr(upload, "filename", ""):
        try:
            services.attach_deck(application, upload.stream, upload.filename, current_user)
        except ServiceError as exc:
            form.deck.errors = [str(exc.message)]
            errors["deck"] = str(exc.message)
    if form.submit_application.data and not errors:
        try:
            services.submit(application, current_user, now=g.received_at)
        except ServiceError as exc:
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Your application is submitted. A confirmation e-mail is on its way."), "success")
            return redirect(url_for("applications.mine"))
    db.session.commit()  # the valid fields are kept even when others, the deck or the submission were refused
    if not errors and not form.form_errors:
        flash(_saved_at(), "success")
        return redirect(url_for("applications.edit", application_id=application.id))
    if errors:
        form.form_errors.append(_("The other fields are saved; correct the fields marked below."))
    form.version.data = str(application.version)
    return _render_edit(application, form)


def _saved_at() -> str:
    return _("Saved at %(time)s", time=format_datetime(utcnow(), "HH.mm"))


@bp.route("/applications/<int:application_id>")
@login_required
def view(application_id: int):
    """The application in full, read-only, with its stage and timeline."""
    application = _application(application_id)
    return render_template(
        "applications/view.html",
        application=application,
        withdraw_form=WithdrawForm(),
        reopen_form=FlaskForm(),
    )


@bp.route("/applications/<int:application_id>/deck")
@login_required
def deck(application_id: int):
    """The pitch deck, as a download with a safe name."""
    application = _application(application_id)
    if not application.deck_path:
        abort(404)
    try:
        path = deck_path(application.deck_path)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(
        path, mimetype="application/pdf", as_attachment=True, download_name=application.deck_filename or "deck.pdf"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@login_required
def withdraw(application_id: int):
    """The founder withdraws the startup from the cohort."""
    application = _application(application_id)
    if not application.can_withdraw(current_user):
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw(application, current_user, form.reason.data or "")
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Your startup has been withdrawn from the cohort."), "success")
    else:
        flash_errors(form)
    return redirect(url_for("applications.view", application_id=application.id))


@bp.route("/applications/<int:application_id>/reopen", methods=["POST"])
@roles_required(Role.DIRECTOR)
def reopen(application_id: int):
    """A director makes a submitted application editable again."""
    application = _application(application_id)
    if FlaskForm().validate_on_submit():
        try:
            services.reopen(application, current_user)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The application is open for changes again."), "success")
    return redirect(url_for("applications.view", application_id=application.id))


@bp.route("/applications")
@roles_required(Role.APPLICANT)
def mine():
    """The founder's status page: every application, its stage, timeline and what happens next."""
    rows = queries.founder_applications(current_user)
    return render_template("applications/mine.html", rows=rows)


@cache
def _list_cohort() -> Select:
    """The cohort alone (the list shows its name): built once, as building it with its loader
    options cost more than running it."""
    return (
        select(Cohort)
        .where(Cohort.id == bindparam("cohort_id"))
        .options(lazyload(Cohort.space), raiseload(Cohort.focus_areas))
    )


@bp.route("/cohorts/<int:cohort_id>/applications")
@roles_required(Role.DIRECTOR)
def cohort_list(cohort_id: int):
    """Every application of a cohort, filtered, searched, sorted and paginated (a page read in SQL)."""
    cohort = db.session.scalar(_list_cohort(), {"cohort_id": cohort_id})
    if cohort is None:
        abort(404)
    form = ApplicationFilterForm(request.args, meta={"csrf": False})
    number = requested_page()
    per_page = current_app.config["PER_PAGE"]
    queries.fill_filter_choices(form, queries.filter_areas(cohort))
    page = queries.cohort_applications(cohort, form.data, number, per_page)
    stage_names = {stage: stage_label(stage) for stage in STAGES}  # translated once for the page
    whatsapp = application_links([a.id for a in page.items])
    listing = render_template(
        "applications/_cohort_list.html",
        cohort=cohort,
        form=form,
        page=page,
        stage_names=stage_names,
        whatsapp=whatsapp,
    )
    return render_template("applications/cohort_list.html", cohort=cohort, listing=Markup(listing))  # noqa: S704 - written by a template
