"""Pages of the milestones area: the cohort's per-stage checklist (directors), and a startup's
checklist where founders tick milestones with evidence and mentors or directors verify them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.errors import ServiceError
from incubator.core.labels import stage_label
from incubator.extensions import db
from incubator.mentoring.access import can_follow, can_mentor
from incubator.milestones import queries, services
from incubator.milestones.forms import MilestoneForm, TickForm
from incubator.milestones.models import MILESTONE_STAGES, Milestone, MilestoneProgress

bp = Blueprint("milestones", __name__)
director_only = roles_required(Role.DIRECTOR)


def _milestone(cohort_id: int, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.cohort_id != cohort_id:
        abort(404)
    return milestone


def _cohort_startup(cohort_startup_id: int) -> CohortStartup:
    """The startup in its cohort if this user may follow it; 404 otherwise, so ids leak nothing."""
    cohort_startup = db.session.get(CohortStartup, cohort_startup_id)
    if cohort_startup is None or not can_follow(current_user, cohort_startup):
        abort(404)
    return cohort_startup


# --- the cohort's checklist (directors) ---------------------------------------------------


def _render_cohort(cohort: Cohort, form: MilestoneForm):
    milestones = queries.cohort_milestones(cohort.id)
    return render_template(
        "milestones/cohort.html",
        cohort=cohort,
        stages=[(s, [m for m in milestones if m.stage == s]) for s in MILESTONE_STAGES],
        overview=queries.cohort_overview(cohort),
        total_by_stage={s: sum(1 for m in milestones if m.stage == s) for s in MILESTONE_STAGES},
        form=form,
        stage_label=stage_label,
    )


def _saved(cohort_: Cohort, milestone, form: MilestoneForm) -> bool:
    """Add (milestone None) or change a milestone from the form and commit; False, with the refusal
    shown on the title field, when the service refuses."""
    try:
        services.save_milestone(
            cohort_,
            milestone,
            stage=form.stage.data,
            title=form.title.data,
            description=form.description.data or "",
            position=form.position.data,
            actor=current_user,
        )
    except ServiceError as exc:
        db.session.rollback()
        form.title.errors.append(str(exc.message))
        return False
    db.session.commit()
    return True


@bp.route("/cohorts/<int:cohort_id>/milestones", methods=["GET", "POST"])
@director_only
def cohort(cohort_id: int):
    """The cohort's checklist per stage, a form to add a milestone, and each startup's progress."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    form = MilestoneForm()
    if form.validate_on_submit() and _saved(cohort_, None, form):
        flash(_("The milestone %(title)s is added.", title=form.title.data.strip()), "success")
        return redirect(url_for("milestones.cohort", cohort_id=cohort_.id))
    return _render_cohort(cohort_, form)


@bp.route("/cohorts/<int:cohort_id>/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@director_only
def edit(cohort_id: int, milestone_id: int):
    """Change a milestone's stage, title, description or order."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    milestone = _milestone(cohort_.id, milestone_id)
    form = MilestoneForm(obj=milestone)
    if form.validate_on_submit() and _saved(cohort_, milestone, form):
        flash(_("The milestone is saved."), "success")
        return redirect(url_for("milestones.cohort", cohort_id=cohort_.id))
    return render_template("milestones/edit.html", cohort=cohort_, milestone=milestone, form=form)


@bp.route("/cohorts/<int:cohort_id>/milestones/<int:milestone_id>/remove", methods=["POST"])
@director_only
def remove(cohort_id: int, milestone_id: int):
    """Remove a milestone: first a page saying how many ticks go with it, then on confirmation."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    milestone = _milestone(cohort_.id, milestone_id)
    if not FlaskForm().validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
        return redirect(url_for("milestones.cohort", cohort_id=cohort_.id))
    if request.form.get("confirm") != "1":
        ticks = db.session.query(MilestoneProgress).filter_by(milestone_id=milestone.id).count()
        return render_template(
            "milestones/remove.html", cohort=cohort_, milestone=milestone, ticks=ticks, form=FlaskForm(formdata=None)
        )
    title = milestone.title
    services.remove_milestone(milestone, current_user)
    db.session.commit()
    flash(_("The milestone %(title)s is removed.", title=title), "success")
    return redirect(url_for("milestones.cohort", cohort_id=cohort_.id))


# --- a startup's checklist ----------------------------------------------------------------


def _render_startup(cohort_startup: CohortStartup, forms: dict | None = None, status: int = 200):
    found = queries.checklist(cohort_startup)
    forms = forms or {}
    is_founder = cohort_startup.startup.is_founder(current_user)
    tick_forms = {}
    if is_founder:
        for item in found.items:
            if item.tickable and not item.verified:
                tick_forms[item.milestone.id] = forms.get(item.milestone.id) or TickForm(
                    formdata=None,
                    prefix=f"m{item.milestone.id}",
                    obj=item.progress,
                )
    tick_forms.update(forms)  # a refused tick shows its message and what was typed, whatever the milestone
    return (
        render_template(
            "milestones/startup.html",
            cohort_startup=cohort_startup,
            checklist=found,
            is_founder=is_founder,
            may_verify=can_mentor(current_user, cohort_startup),
            tick_forms=tick_forms,
            stages=MILESTONE_STAGES,
            stage_label=stage_label,
        ),
        status,
    )


@bp.route("/cohort-startups/<int:cohort_startup_id>/milestones")
@login_required
def startup(cohort_startup_id: int):
    """A startup's checklist by stage, with the founder's tick forms and the verify buttons."""
    return _render_startup(_cohort_startup(cohort_startup_id))


def _founder_target(cohort_startup_id: int, milestone_id: int) -> tuple[CohortStartup, Milestone]:
    cohort_startup = _cohort_startup(cohort_startup_id)
    milestone = _milestone(cohort_startup.cohort_id, milestone_id)
    if not cohort_startup.startup.is_founder(current_user):
        abort(403)
    return cohort_startup, milestone


def _back(cohort_startup: CohortStartup, milestone_id: int):
    return redirect(url_for("milestones.startup", cohort_startup_id=cohort_startup.id) + f"#milestone-{milestone_id}")


@bp.route("/cohort-startups/<int:cohort_startup_id>/milestones/<int:milestone_id>/tick", methods=["POST"])
@login_required
def tick(cohort_startup_id: int, milestone_id: int):
    """The founder marks a milestone done with a link and/or a note (or changes the evidence)."""
    cohort_startup, milestone = _founder_target(cohort_startup_id, milestone_id)
    form = TickForm(prefix=f"m{milestone.id}")
    if not form.validate_on_submit():
        return _render_startup(cohort_startup, {milestone.id: form})
    try:
        services.tick(cohort_startup, milestone, form.evidence_url.data, form.evidence_note.data, current_user)
    except ServiceError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc.message))
        return _render_startup(cohort_startup, {milestone.id: form})
    db.session.commit()
    flash(_("%(title)s is marked as done.", title=milestone.title), "success")
    return _back(cohort_startup, milestone.id)


def _progress(cohort_startup: CohortStartup, milestone: Milestone) -> MilestoneProgress:
    progress = services.progress_of(cohort_startup, milestone)
    if progress is None:
        abort(404)
    return progress


def _apply(cohort_startup: CohortStartup, milestone: Milestone, change, done_message: str):
    if not FlaskForm().validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
        return _back(cohort_startup, milestone.id)
    try:
        change(_progress(cohort_startup, milestone), current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return _back(cohort_startup, milestone.id)


@bp.route("/cohort-startups/<int:cohort_startup_id>/milestones/<int:milestone_id>/untick", methods=["POST"])
@login_required
def untick(cohort_startup_id: int, milestone_id: int):
    """The founder takes a tick back, while it is not verified."""
    cohort_startup, milestone = _founder_target(cohort_startup_id, milestone_id)
    return _apply(
        cohort_startup, milestone, services.untick, _("%(title)s is no longer marked as done.", title=milestone.title)
    )


def _verifier_target(cohort_startup_id: int, milestone_id: int) -> tuple[CohortStartup, Milestone]:
    cohort_startup = _cohort_startup(cohort_startup_id)
    milestone = _milestone(cohort_startup.cohort_id, milestone_id)
    if not can_mentor(current_user, cohort_startup):
        abort(403)
    return cohort_startup, milestone


@bp.route("/cohort-startups/<int:cohort_startup_id>/milestones/<int:milestone_id>/verify", methods=["POST"])
@login_required
def verify(cohort_startup_id: int, milestone_id: int):
    """An assigned mentor or a director confirms a ticked milestone."""
    cohort_startup, milestone = _verifier_target(cohort_startup_id, milestone_id)
    return _apply(cohort_startup, milestone, services.verify, _("%(title)s is verified.", title=milestone.title))


@bp.route("/cohort-startups/<int:cohort_startup_id>/milestones/<int:milestone_id>/unverify", methods=["POST"])
@login_required
def unverify(cohort_startup_id: int, milestone_id: int):
    """Withdraw a verification."""
    cohort_startup, milestone = _verifier_target(cohort_startup_id, milestone_id)
    return _apply(
        cohort_startup,
        milestone,
        services.unverify,
        _("The verification of %(title)s is withdrawn.", title=milestone.title),
    )
