"""Director pages for rounds and rubrics: round settings and phases, the rubric builder, templates."""

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from incubator.auth.access import roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort
from incubator.core.errors import ServiceError
from incubator.core.i18n import utc_to_wib, wib_to_utc
from incubator.core.labels import RECOMMENDATION_LABELS, phase_label
from incubator.extensions import db
from incubator.judging.models import PHASE_MOVES, Criterion, Round, Rubric
from incubator.judging.rounds import services
from incubator.judging.rounds.forms import (
    CopyTemplateForm,
    MoveForm,
    PhaseForm,
    RoundForm,
    RubricForm,
    SaveAsTemplateForm,
    criterion_form,
    level_key,
    level_label,
    plain_number,
)
from incubator.judging.rounds.rubric import Scale, levels, weight_shares

bp = Blueprint("judging", __name__)
director_only = roles_required(Role.DIRECTOR)


@bp.context_processor
def _helpers():
    return {
        "level_key": level_key,
        "level_label": level_label,
        "plain_number": plain_number,
        "recommendation_labels": RECOMMENDATION_LABELS,
    }


def _form_error(form, exc: ServiceError) -> None:
    db.session.rollback()
    form.form_errors.append(str(exc.message))


# --- rounds -------------------------------------------------------------------


def _round_values(form: RoundForm) -> dict:
    return {
        "name": form.name.data,
        "decides_stage": form.decides_stage.data,
        "scoring_opens_at": wib_to_utc(form.scoring_opens_at.data),
        "scoring_closes_at": wib_to_utc(form.scoring_closes_at.data),
        "judges_per_application": form.judges_per_application.data,
        "ranking_basis": form.ranking_basis.data,
        "judges_see_scores_after_close": form.judges_see_scores_after_close.data,
        "disagreement_threshold": form.disagreement_threshold.data,
    }


@bp.route("/cohorts/<int:cohort_id>/rounds/new", methods=["GET", "POST"])
@director_only
def new_round(cohort_id: int):
    """Add a judging round to a cohort; it starts as a draft with an empty rubric."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = RoundForm()
    if form.validate_on_submit():
        try:
            round_ = services.save_round(None, cohort, **_round_values(form), actor=current_user)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("The round has been created. Now build its rubric."), "success")
            return redirect(url_for("judging.round_detail", round_id=round_.id))
    return render_template("judging/round_form.html", form=form, cohort=cohort, round=None)


@bp.route("/rounds/<int:round_id>")
@director_only
def round_detail(round_id: int):
    """A round's settings, its phase and the moves it allows, and why it cannot open yet."""
    round_ = db.get_or_404(Round, round_id)
    problems = services.rubric_problem_messages(round_.rubric) if round_.phase == "draft" else []
    return render_template(
        "judging/round.html",
        round=round_,
        moves=PHASE_MOVES[round_.phase],
        problems=problems,
        phase_form=PhaseForm(),
    )


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@director_only
def edit_round(round_id: int):
    """Change a round's settings (times typed in WIB)."""
    round_ = db.get_or_404(Round, round_id)
    # Saved values pre-fill the page only: a submission must carry every field itself.
    form = RoundForm(data=_round_data(round_) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.save_round(round_, round_.cohort, **_round_values(form), actor=current_user)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("The round has been saved."), "success")
            return redirect(url_for("judging.round_detail", round_id=round_.id))
    return render_template("judging/round_form.html", form=form, cohort=round_.cohort, round=round_)


def _round_data(round_: Round) -> dict:
    return {
        "name": round_.name,
        "decides_stage": round_.decides_stage,
        "scoring_opens_at": utc_to_wib(round_.scoring_opens_at),
        "scoring_closes_at": utc_to_wib(round_.scoring_closes_at),
        "judges_per_application": round_.judges_per_application,
        "ranking_basis": round_.ranking_basis,
        "judges_see_scores_after_close": round_.judges_see_scores_after_close,
        "disagreement_threshold": plain_number(round_.disagreement_threshold),
    }


@bp.route("/rounds/<int:round_id>/phase", methods=["POST"])
@director_only
def set_phase(round_id: int):
    """Open, close, reopen or mark a round decided; opening is refused while the rubric is unusable."""
    round_ = db.get_or_404(Round, round_id)
    form = PhaseForm()
    if not form.validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
    else:
        try:
            services.set_phase(round_, form.phase.data, current_user)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The round is now in the phase: %(phase)s.", phase=phase_label(round_.phase)), "success")
    return redirect(url_for("judging.round_detail", round_id=round_.id))


# --- rubric templates ---------------------------------------------------------------


@bp.route("/rubrics")
@director_only
def rubric_templates():
    """Every rubric template, with its number of criteria."""
    rows = db.session.execute(
        select(Rubric.id, Rubric.name, Rubric.description, func.count(Criterion.id).label("criteria"))
        .outerjoin(Criterion, Criterion.rubric_id == Rubric.id)
        .where(Rubric.round_id.is_(None))
        .group_by(Rubric.id, Rubric.name, Rubric.description)
        .order_by(Rubric.name, Rubric.id)
    ).all()
    return render_template("judging/templates.html", templates=rows)


@bp.route("/rubrics/new", methods=["GET", "POST"])
@director_only
def new_template():
    """Start a rubric template to copy into rounds later."""
    form = RubricForm()
    if form.validate_on_submit():
        try:
            rubric = services.save_template(
                None, name=form.name.data, description=form.description.data or "", actor=current_user
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("The template has been created. Now add its criteria."), "success")
            return redirect(url_for("judging.rubric", rubric_id=rubric.id))
    return render_template("judging/rubric_form.html", form=form, rubric=None)


@bp.route("/rubrics/<int:rubric_id>/edit", methods=["GET", "POST"])
@director_only
def edit_rubric(rubric_id: int):
    """Rename a rubric (template or a round's) and change its description."""
    rubric = db.get_or_404(Rubric, rubric_id)
    form = RubricForm(obj=rubric if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.save_template(
                rubric, name=form.name.data, description=form.description.data or "", actor=current_user
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("The rubric has been saved."), "success")
            return redirect(url_for("judging.rubric", rubric_id=rubric.id))
    return render_template("judging/rubric_form.html", form=form, rubric=rubric)


# --- the rubric builder ------------------------------------------------------------

BAR_COLOURS = ("#0b5c4a", "#1f5fbf", "#8a4b00", "#a3201a", "#5b3f8c", "#24687d", "#6a5a00", "#8a3b6e")


def _criterion_rows(criteria) -> list[dict]:
    """Each criterion with its share of the 100 points and its levels with their descriptors."""
    shares = weight_shares([Decimal(c.weight) for c in criteria])
    return [
        {"criterion": c, "share": share, "levels": [(v, c.descriptor(v)) for v in levels(c.scale)]}
        for c, share in zip(criteria, shares, strict=True)
    ]


def _weight_bar(rows) -> list[dict]:
    """One segment per criterion for the SVG bar: x and width in percent of the 100 points."""
    segments, x = [], Decimal(0)
    for index, row in enumerate(rows):
        width = min(row["share"], Decimal(100) - x)
        segments.append(
            {
                "criterion": row["criterion"],
                "number": index + 1,
                "share": row["share"],
                "x": x,
                "width": width,
                "middle": x + width / 2,
                "colour": BAR_COLOURS[index % len(BAR_COLOURS)],
            }
        )
        x += width
    return segments


def _template_choices():
    return db.session.execute(
        select(Rubric.id, Rubric.name).where(Rubric.round_id.is_(None)).order_by(Rubric.name, Rubric.id)
    ).all()


def _render_builder(rubric: Rubric, copy_form=None, save_form=None, status: int = 200):
    rows = _criterion_rows(list(rubric.criteria))
    templates = _template_choices() if not rubric.is_template and not rubric.frozen else []
    copy_form = copy_form or CopyTemplateForm(templates, formdata=None)
    save_form = save_form or SaveAsTemplateForm(formdata=None, data={"name": rubric.name})
    page = render_template(
        "judging/rubric.html",
        rubric=rubric,
        round=rubric.round,
        rows=rows,
        segments=_weight_bar(rows),
        problems=services.rubric_problem_messages(rubric),
        templates=templates,
        copy_form=copy_form,
        save_form=save_form,
    )
    return page, status


@bp.route("/rubrics/<int:rubric_id>")
@director_only
def rubric(rubric_id: int):
    """The rubric builder: criteria in order, how the weights split 100 points, and the judge's form."""
    return _render_builder(db.get_or_404(Rubric, rubric_id))


def _get_criterion(rubric: Rubric, criterion_id: int) -> Criterion:
    criterion = db.get_or_404(Criterion, criterion_id)
    if criterion.rubric_id != rubric.id:
        abort(404)
    return criterion


def _builder_action(rubric: Rubric, action, done_message: str, form=None, anchor: str | None = None):
    """Check the form (CSRF at least), run one service, commit, and go back to the builder."""
    form = form or FlaskForm()
    if not form.validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
    else:
        try:
            action(form)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(done_message, "success")
    return redirect(url_for("judging.rubric", rubric_id=rubric.id, _anchor=anchor))


@bp.route("/rubrics/<int:rubric_id>/criteria/<int:criterion_id>/move", methods=["POST"])
@director_only
def move_criterion(rubric_id: int, criterion_id: int):
    """Move a criterion one place up or down."""
    rubric = db.get_or_404(Rubric, rubric_id)
    criterion = _get_criterion(rubric, criterion_id)
    return _builder_action(
        rubric,
        lambda f: services.move_criterion(rubric, criterion, -1 if f.direction.data == "up" else 1, current_user),
        _("The criterion has been moved."),
        MoveForm(),
        anchor=f"criterion-{criterion.id}",
    )


@bp.route("/rubrics/<int:rubric_id>/criteria/<int:criterion_id>/delete", methods=["POST"])
@director_only
def delete_criterion(rubric_id: int, criterion_id: int):
    """Remove a criterion from the rubric."""
    rubric = db.get_or_404(Rubric, rubric_id)
    criterion = _get_criterion(rubric, criterion_id)
    return _builder_action(
        rubric,
        lambda f: services.delete_criterion(rubric, criterion, current_user),
        _("The criterion “%(name)s” has been removed.", name=criterion.name),
    )


@bp.route("/rubrics/<int:rubric_id>/copy-template", methods=["POST"])
@director_only
def copy_template(rubric_id: int):
    """Replace a round's criteria with a copy of a template's."""
    rubric = db.get_or_404(Rubric, rubric_id)
    if rubric.is_template:
        abort(404)
    form = CopyTemplateForm(_template_choices())
    if not form.validate_on_submit():
        return _render_builder(rubric, copy_form=form)
    template = db.get_or_404(Rubric, form.template_id.data)
    return _builder_action(
        rubric,
        lambda f: services.copy_template_into_round(template, rubric.round, current_user),
        _("The criteria of the template “%(name)s” have been copied.", name=template.name),
        form,
    )


@bp.route("/rubrics/<int:rubric_id>/save-as-template", methods=["POST"])
@director_only
def save_as_template(rubric_id: int):
    """Keep a copy of this rubric as a new template."""
    rubric = db.get_or_404(Rubric, rubric_id)
    form = SaveAsTemplateForm()
    if not form.validate_on_submit():
        return _render_builder(rubric, save_form=form)
    return _builder_action(
        rubric,
        lambda f: services.save_as_template(rubric, f.name.data, current_user),
        _("Saved as the template “%(name)s”. It is listed under Rubric templates.", name=form.name.data.strip()),
        form,
    )


# --- criteria --------------------------------------------------------------------------


def _criterion_scale(form) -> Scale:
    return Scale(form.scale_min.data, form.scale_max.data, form.scale_step.data)


def _render_criterion_form(rubric: Rubric, criterion: Criterion | None, form):
    others = [Decimal(c.weight) for c in rubric.criteria if criterion is None or c.id != criterion.id]
    weight = form.weight.data if not form.weight.errors and form.weight.data else None
    if weight is None and criterion is not None:
        weight = Decimal(criterion.weight)
    share = weight_shares([weight, *others])[0] if weight and weight > 0 else None
    return render_template(
        "judging/criterion_form.html",
        rubric=rubric,
        round=rubric.round,
        criterion=criterion,
        form=form,
        other_weights=[plain_number(w) for w in others],
        share=share,
    )


@bp.route("/rubrics/<int:rubric_id>/criteria/new", methods=["GET", "POST"])
@director_only
def new_criterion(rubric_id: int):
    """Add a criterion; its levels are described on its edit page, once its scale is saved."""
    rubric = db.get_or_404(Rubric, rubric_id)
    form = criterion_form([])
    if form.validate_on_submit():
        try:
            criterion = services.save_criterion(
                rubric,
                None,
                name=form.name.data,
                description=form.description.data or "",
                weight=form.weight.data,
                scale=_criterion_scale(form),
                descriptors={},
                actor=current_user,
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("The criterion has been added. Now describe what each level of its scale means."), "success")
            return redirect(url_for("judging.edit_criterion", rubric_id=rubric.id, criterion_id=criterion.id))
    return _render_criterion_form(rubric, None, form)


def _criterion_data(criterion: Criterion) -> dict:
    data = {
        "name": criterion.name,
        "description": criterion.description,
        "weight": plain_number(criterion.weight),
        "scale_min": plain_number(criterion.scale_min),
        "scale_max": plain_number(criterion.scale_max),
        "scale_step": plain_number(criterion.scale_step),
    }
    for level in criterion.levels:
        data[f"level-{level_key(level.value)}"] = level.descriptor
    return data


@bp.route("/rubrics/<int:rubric_id>/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@director_only
def edit_criterion(rubric_id: int, criterion_id: int):
    """Change a criterion and describe its levels. A changed scale comes back here to describe the new levels."""
    rubric = db.get_or_404(Rubric, rubric_id)
    criterion = _get_criterion(rubric, criterion_id)
    saved_scale = criterion.scale
    form = criterion_form(levels(saved_scale), data=_criterion_data(criterion) if request.method == "GET" else None)
    if form.validate_on_submit():
        scale = _criterion_scale(form)
        try:
            services.save_criterion(
                rubric,
                criterion,
                name=form.name.data,
                description=form.description.data or "",
                weight=form.weight.data,
                scale=scale,
                descriptors=form.descriptors(),
                actor=current_user,
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            if scale != saved_scale:
                flash(_("The scale has changed. Describe its levels below."), "success")
                return redirect(url_for("judging.edit_criterion", rubric_id=rubric.id, criterion_id=criterion.id))
            flash(_("The criterion has been saved."), "success")
            return redirect(url_for("judging.rubric", rubric_id=rubric.id, _anchor=f"criterion-{criterion.id}"))
    return _render_criterion_form(rubric, criterion, form)
