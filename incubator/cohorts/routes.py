"""Director pages for spaces, focus areas and cohorts; the public call pages."""

from datetime import datetime
from functools import cache

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, lazyload

from incubator.auth.access import public, roles_required
from incubator.auth.models import Role
from incubator.cohorts import pipeline, queries, services
from incubator.cohorts.forms import CohortForm, CopyCohortForm, FocusAreaForm, SpaceForm, StageChangeForm
from incubator.cohorts.models import Cohort, CohortStartup, FocusArea, Space, StageChange
from incubator.core.charts import funnel_svg
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.i18n import utc_to_wib, wib_to_utc
from incubator.core.labels import stage_label
from incubator.core.pagination import ListPage, requested_page
from incubator.extensions import db
from incubator.judging.models import Round

bp = Blueprint("cohorts", __name__)
director_only = roles_required(Role.DIRECTOR)


def _prefill(obj):
    """Pre-fill a form from the object on GET only: a POST is judged on what it sends, nothing else."""
    return obj if request.method == "GET" else None


def _saved(form, action):
    """Run one service; commit and return its result, or roll back and put its refusal on the form."""
    try:
        result = action()
    except ServiceError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc.message))
        return None
    db.session.commit()
    return result


def public_calls(now: datetime | None = None) -> list[Cohort]:
    """Cohorts whose call page is public, the soonest deadline first."""
    now = now or utcnow()
    # The SQL narrows the rows; Cohort.call_is_public stays the one rule.
    cohorts = db.session.scalars(
        select(Cohort).where(Cohort.published.is_(True), Cohort.closes_at > now).order_by(Cohort.closes_at, Cohort.id)
    ).all()
    return [c for c in cohorts if c.call_is_public(now)]


# --- focus areas ------------------------------------------------------------


@bp.route("/focus-areas")
@director_only
def focus_areas():
    """Every focus area, by code."""
    areas = db.session.scalars(select(FocusArea).order_by(FocusArea.code)).all()
    return render_template("cohorts/focus_areas.html", areas=areas)


@bp.route("/focus-areas/new", methods=["GET", "POST"])
@director_only
def new_focus_area():
    """Add a focus area."""
    return _focus_area_page(None)


@bp.route("/focus-areas/<int:focus_area_id>/edit", methods=["GET", "POST"])
@director_only
def edit_focus_area(focus_area_id: int):
    """Change a focus area's code or names."""
    return _focus_area_page(db.get_or_404(FocusArea, focus_area_id))


def _focus_area_page(area: FocusArea | None):
    form = FocusAreaForm(obj=_prefill(area))
    if form.validate_on_submit() and _saved(
        form,
        lambda: services.save_focus_area(area, form.code.data, form.name_id.data, form.name_en.data, current_user),
    ):
        flash(_("The focus area has been saved."), "success")
        return redirect(url_for("cohorts.focus_areas"))
    return render_template("cohorts/focus_area_form.html", form=form, area=area)


# --- spaces -----------------------------------------------------------------


@bp.route("/spaces")
@director_only
def spaces():
    """Every Hetero Space site with its focus areas."""
    rows = db.session.scalars(select(Space).order_by(Space.name)).all()
    return render_template("cohorts/spaces.html", spaces=rows)


@bp.route("/spaces/new", methods=["GET", "POST"])
@director_only
def new_space():
    """Add a Hetero Space site."""
    return _space_page(None)


@bp.route("/spaces/<int:space_id>/edit", methods=["GET", "POST"])
@director_only
def edit_space(space_id: int):
    """Change a space's name, city, description or focus areas."""
    return _space_page(db.get_or_404(Space, space_id))


def _space_page(space: Space | None):
    prefill = _prefill(space)
    form = SpaceForm(
        data={
            "name": prefill.name,
            "city": prefill.city,
            "description": prefill.description,
            "focus_areas": [a.id for a in prefill.focus_areas],
        }
        if prefill
        else None
    )
    if form.validate_on_submit() and _saved(
        form,
        lambda: services.save_space(
            space,
            name=form.name.data,
            city=form.city.data,
            description=form.description.data or "",
            focus_areas=form.selected_focus_areas(),
            actor=current_user,
        ),
    ):
        flash(_("The space has been saved."), "success")
        return redirect(url_for("cohorts.spaces"))
    return render_template("cohorts/space_form.html", form=form, space=space)


# --- cohorts ----------------------------------------------------------------


@bp.route("/cohorts")
@director_only
def cohort_list():
    """Every cohort with its space, window, publication and number of startups."""
    counts = (
        select(CohortStartup.cohort_id, func.count(CohortStartup.id).label("n"))
        .group_by(CohortStartup.cohort_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Cohort, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .order_by(Cohort.opens_at.desc(), Cohort.id.desc())
    ).all()
    return render_template("cohorts/cohorts.html", rows=rows)


@bp.route("/cohorts/new", methods=["GET", "POST"])
@director_only
def new_cohort():
    """Create a cohort: host space, call text, application window in WIB, attendance rule."""
    return _cohort_page(None)


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@director_only
def edit_cohort(cohort_id: int):
    """Change a cohort's settings."""
    return _cohort_page(db.get_or_404(Cohort, cohort_id))


def _cohort_page(cohort: Cohort | None):
    # Explicit data, not obj=: WTForms prefers an object's attribute over any override,
    # and the form shows the window in WIB and focus areas as ids.
    prefill = _prefill(cohort)
    form = CohortForm(
        data={
            "name": prefill.name,
            "space_id": prefill.space_id,
            "description": prefill.description,
            "opens_at": utc_to_wib(prefill.opens_at),
            "closes_at": utc_to_wib(prefill.closes_at),
            "required_attendance": prefill.required_attendance,
            "focus_areas": [a.id for a in prefill.focus_areas],
            "published": prefill.published,
        }
        if prefill
        else {"required_attendance": 0}
    )
    if form.validate_on_submit():
        saved = _saved(
            form,
            lambda: services.save_cohort(
                cohort,
                name=form.name.data,
                space=form.selected_space(),
                description=form.description.data or "",
                opens_at=wib_to_utc(form.opens_at.data),
                closes_at=wib_to_utc(form.closes_at.data),
                required_attendance=form.required_attendance.data,
                focus_areas=form.selected_focus_areas(),
                published=form.published.data,
                actor=current_user,
            ),
        )
        if saved:
            flash(_("The cohort has been saved."), "success")
            return redirect(url_for("cohorts.dashboard", cohort_id=saved.id))
    return render_template("cohorts/cohort_form.html", form=form, cohort=cohort)


@bp.route("/cohorts/<int:cohort_id>/copy", methods=["GET", "POST"])
@director_only
def copy_cohort(cohort_id: int):
    """Start a new cohort from this one's set-up (space, focus areas, rounds and rubrics)."""
    source = db.get_or_404(Cohort, cohort_id)
    form = CopyCohortForm()
    if form.validate_on_submit():
        copy = _saved(
            form,
            lambda: services.copy_cohort_setup(
                source,
                name=form.name.data,
                opens_at=wib_to_utc(form.opens_at.data),
                closes_at=wib_to_utc(form.closes_at.data),
                actor=current_user,
            ),
        )
        if copy:
            flash(_("The set-up has been copied. The new cohort is not published yet."), "success")
            return redirect(url_for("cohorts.dashboard", cohort_id=copy.id))
    return render_template("cohorts/copy.html", form=form, source=source)


@cache
def _dashboard_cohort() -> Select:
    """The cohort with its space and focus areas (in the same query), not the space's own. Built
    once, as the rounds' statement: building them cost more than running them."""
    return (
        select(Cohort)
        .where(Cohort.id == bindparam("cohort_id"))
        .options(joinedload(Cohort.space).lazyload(Space.focus_areas), joinedload(Cohort.focus_areas))
    )


@cache
def _dashboard_rounds() -> Select:
    return (
        select(Round)
        .where(Round.cohort_id == bindparam("cohort_id"))
        .order_by(Round.position, Round.id)
        .options(lazyload(Round.cohort), lazyload(Round.rubric))  # the cohort is loaded; rubrics are not shown
    )


@bp.route("/cohorts/<int:cohort_id>")
@director_only
def dashboard(cohort_id: int):
    """A cohort at a glance: funnel by stage, rounds, coming deadlines and its startups (paginated).

    The number of queries does not depend on the number of startups.
    """
    cohort = db.session.execute(_dashboard_cohort(), {"cohort_id": cohort_id}).unique().scalar_one_or_none()
    if cohort is None:
        abort(404)
    funnel = queries.funnel(cohort.id)
    stage_names = {stage: stage_label(stage) for stage in pipeline.STAGES}  # translated once for the page
    # 320 px wide: on a phone it shrinks little, so the labels stay readable.
    chart = funnel_svg([(stage_names[s], n) for s, n in funnel], _("Startups by stage"), width=320)
    rounds = db.session.scalars(_dashboard_rounds(), {"cohort_id": cohort.id}).all()
    now = utcnow()
    deadlines = [(cohort.closes_at, None)] if cohort.closes_at > now else []
    deadlines += [(r.scoring_closes_at, r) for r in rounds if r.scoring_closes_at and r.scoring_closes_at > now]
    deadlines.sort(key=lambda d: d[0])
    total = sum(n for _stage, n in funnel)  # every startup of the cohort has one stage
    page, per_page = requested_page(), current_app.config["PER_PAGE"]

    startups = ListPage(queries.startup_page(cohort.id, page, per_page, total), page, per_page, total)
    return render_template(
        "cohorts/dashboard.html",
        cohort=cohort,
        funnel=funnel,
        stage_names=stage_names,
        chart=chart,
        rounds=rounds,
        deadlines=deadlines,
        startups=startups,
    )


# --- a startup's stage ------------------------------------------------------


def _membership(cohort_id: int, cohort_startup_id: int) -> tuple[Cohort, CohortStartup]:
    cohort = db.get_or_404(Cohort, cohort_id)
    membership = db.session.scalar(
        select(CohortStartup).where(CohortStartup.id == cohort_startup_id, CohortStartup.cohort_id == cohort.id)
    )
    if membership is None:
        abort(404)
    return cohort, membership


def _timeline_page(cohort: Cohort, membership: CohortStartup, form: StageChangeForm):
    history = db.session.scalars(
        select(StageChange).where(StageChange.cohort_startup_id == membership.id).order_by(StageChange.id)
    ).all()
    return render_template("cohorts/timeline.html", cohort=cohort, membership=membership, history=history, form=form)


@bp.route("/cohorts/<int:cohort_id>/startups/<int:cohort_startup_id>")
@director_only
def timeline(cohort_id: int, cohort_startup_id: int):
    """A startup's stage history in the cohort, and the form that moves it."""
    cohort, membership = _membership(cohort_id, cohort_startup_id)
    return _timeline_page(cohort, membership, StageChangeForm(membership.stage))


@bp.route("/cohorts/<int:cohort_id>/startups/<int:cohort_startup_id>/stage", methods=["POST"])
@director_only
def change_stage(cohort_id: int, cohort_startup_id: int):
    """Move a startup to another stage; a refused move is shown with everything typed kept."""
    cohort, membership = _membership(cohort_id, cohort_startup_id)
    form = StageChangeForm(membership.stage)
    if form.validate_on_submit() and _saved(
        form,
        lambda: services.change_stage(membership.startup, cohort, form.to_stage.data, current_user, form.reason.data),
    ):
        flash(_("The stage is now: %(stage)s.", stage=stage_label(form.to_stage.data)), "success")
        return redirect(url_for("cohorts.timeline", cohort_id=cohort.id, cohort_startup_id=membership.id))
    return _timeline_page(cohort, membership, form)


# --- public call pages ------------------------------------------------------


@bp.route("/calls")
@public
def calls():
    """Every open call, the soonest deadline first."""
    return render_template("calls/list.html", calls=public_calls())


@bp.route("/calls/<int:cohort_id>")
@public
def call(cohort_id: int):
    """One cohort's call: what it offers, where, for which focus areas, until when."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not cohort.call_is_public():
        abort(404)
    return render_template("calls/call.html", cohort=cohort)
