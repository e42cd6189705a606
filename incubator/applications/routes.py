"""Applying to a cohort, the pitch form with its deck, the founder's status page, and the
director's application list."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import lazyload, raiseload

from incubator.applications import queries, services
from incubator.applications.forms import ApplicationFilterForm, ApplyForm, PitchForm, WithdrawForm
from incubator.applications.models import Application
from incubator.applications.uploads import deck_path
from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort
from incubator.cohorts.pipeline import STAGES
from incubator.core.errors import ServiceError
from incubator.core.forms import flash_errors
from incubator.core.labels import stage_label
from incubator.core.number_fields import RUPIAH_MESSAGES
from incubator.core.numbers import ValueProblem, read_rupiah
from incubator.core.pagination import requested_page
from incubator.core.stash import keeps_typing, take_stash
from incubator.extensions import db
from incubator.startups.models import Startup

bp = Blueprint("applications", __name__)

PITCH_TEXT = ("problem", "solution", "target_market", "business_model", "traction", "why_programme", "video_url")


def _application(application_id: int) -> Application:
    """The application if this user may see it; 404 otherwise."""
    application = db.session.get(Application, application_id)
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


def _parse_rupiah(text: str | None) -> int | None:
    """The funding need as typed, read as the CSV import reads it ('Rp 150.000.000', '75jt')."""
    try:
        return read_rupiah(text)
    except ValueProblem as problem:
        raise ServiceError(RUPIAH_MESSAGES[problem.code]) from None


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_typing
def edit(application_id: int):
    """The pitch form: Save draft keeps everything typed; Submit checks completeness and the window."""
    application = _application(application_id)
    if not application.can_edit(current_user):
        if request.method == "POST":
            flash(_("This application has been submitted and can no longer be changed."), "error")
        return redirect(url_for("applications.view", application_id=application.id))
    form = PitchForm(obj=application)
    if request.method == "GET":
        form.funding_need.data = "" if application.funding_need is None else str(application.funding_need)
        kept = take_stash(request.path)
        if kept:
            for name in (*PITCH_TEXT, "funding_need"):
                if name in kept:
                    form[name].data = kept[name]
            flash(_("What you typed before your session ended has been put back. Check it and save."), "info")
    elif form.validate_on_submit():
        problems = _save(application, form)
        if not problems and form.submit_application.data:
            try:
                services.submit(application, current_user)
            except ServiceError as exc:
                problems.append(str(exc.message))
            else:
                db.session.commit()
                flash(_("Your application is submitted. A confirmation e-mail is on its way."), "success")
                return redirect(url_for("applications.mine"))
        db.session.commit()  # the draft is kept even when the deck or the submission was refused
        if not problems:
            flash(_("Draft saved."), "success")
            return redirect(url_for("applications.edit", application_id=application.id))
        form.form_errors.extend(problems)
    return render_template(
        "applications/edit.html",
        form=form,
        application=application,
        missing=services.missing(application),
    )


def _save(application: Application, form: PitchForm) -> list[str]:
    """Save the text (always) and the deck (when one is sent); returns the problems to show."""
    problems = []
    fields = {name: form[name].data or "" for name in PITCH_TEXT}
    try:
        fields["funding_need"] = _parse_rupiah(form.funding_need.data)
    except ServiceError as exc:
        problems.append(str(exc.message))
        form.funding_need.errors = [str(exc.message)]
    try:
        services.save_draft(application, current_user, **fields)
    except ServiceError as exc:
        # A bad link: keep everything else, then say what to fix.
        problems.append(str(exc.message))
        form.video_url.errors = [str(exc.message)]
        services.save_draft(application, current_user, **{k: v for k, v in fields.items() if k != "video_url"})
    upload = form.deck.data
    if upload and getattr(upload, "filename", ""):
        try:
            services.attach_deck(application, upload.stream, upload.filename, current_user)
        except ServiceError as exc:
            problems.append(str(exc.message))
            form.deck.errors = [str(exc.message)]
    return problems


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


@bp.route("/cohorts/<int:cohort_id>/applications")
@roles_required(Role.DIRECTOR)
def cohort_list(cohort_id: int):
    """Every application of a cohort, filtered, searched, sorted and paginated (a page read in SQL)."""
    cohort = db.get_or_404(Cohort, cohort_id, options=[lazyload(Cohort.space), raiseload(Cohort.focus_areas)])
    form = ApplicationFilterForm(request.args, meta={"csrf": False})
    number = requested_page()
    per_page = current_app.config["PER_PAGE"]
    queries.fill_filter_choices(form, queries.filter_areas(cohort))
    page = queries.cohort_applications(cohort, form.data, number, per_page)
    stage_names = {stage: stage_label(stage) for stage in STAGES}  # translated once for the page
    listing = render_template(
        "applications/_cohort_list.html", cohort=cohort, form=form, page=page, stage_names=stage_names
    )
    return render_template("applications/cohort_list.html", cohort=cohort, listing=Markup(listing))  # noqa: S704 - written by a template
