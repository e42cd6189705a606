"""Director pages for rubrics, on the `judging` blueprint: rubric templates, the rubric builder
(criteria in order, how their weights split 100 points, the judge's form) and the criterion form."""

from decimal import Decimal

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from incubator.core.actions import button_action, form_action
from incubator.extensions import db
from incubator.judging.blueprints import judging as bp
from incubator.judging.fields import level_key, plain_number
from incubator.judging.models import Criterion, Rubric
from incubator.judging.permissions import director_only
from incubator.judging.rounds import services
from incubator.judging.rounds.forms import CopyTemplateForm, MoveForm, RubricForm, SaveAsTemplateForm, criterion_form
from incubator.judging.rounds.rubric import Scale, criterion_rows, levels, weight_shares

# --- rubric templates ---------------------------------------------------------------


def _builder(rubric: Rubric, anchor: str | None = None) -> str:
    return url_for("judging.rubric", rubric_id=rubric.id, _anchor=anchor)


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
    saved = form_action(
        form,
        lambda: services.save_template(
            None, name=form.name.data, description=form.description.data or "", actor=current_user
        ),
        done=_("The template has been created. Now add its criteria."),
        then=_builder,
    )
    return saved or render_template("judging/rubric_form.html", form=form, rubric=None)


@bp.route("/rubrics/<int:rubric_id>/edit", methods=["GET", "POST"])
@director_only
def edit_rubric(rubric_id: int):
    """Rename a rubric (template or a round's) and change its description."""
    rubric = db.get_or_404(Rubric, rubric_id)
    form = RubricForm(obj=rubric if request.method == "GET" else None)
    saved = form_action(
        form,
        lambda: services.save_template(
            rubric, name=form.name.data, description=form.description.data or "", actor=current_user
        ),
        done=_("The rubric has been saved."),
        then=_builder(rubric),
    )
    return saved or render_template("judging/rubric_form.html", form=form, rubric=rubric)


# --- the rubric builder ------------------------------------------------------------

BAR_COLOURS = ("#0b5c4a", "#1f5fbf", "#8a4b00", "#a3201a", "#5b3f8c", "#24687d", "#6a5a00", "#8a3b6e")


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
    rows = criterion_rows(list(rubric.criteria))
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


@bp.route("/rubrics/<int:rubric_id>/criteria/<int:criterion_id>/move", methods=["POST"])
@director_only
def move_criterion(rubric_id: int, criterion_id: int):
    """Move a criterion one place up or down."""
    rubric = db.get_or_404(Rubric, rubric_id)
    criterion = _get_criterion(rubric, criterion_id)
    form = MoveForm()
    return button_action(
        lambda: services.move_criterion(rubric, criterion, -1 if form.direction.data == "up" else 1, current_user),
        done=_("The criterion has been moved."),
        then=_builder(rubric, f"criterion-{criterion.id}"),
        form=form,
    )


@bp.route("/rubrics/<int:rubric_id>/criteria/<int:criterion_id>/delete", methods=["POST"])
@director_only
def delete_criterion(rubric_id: int, criterion_id: int):
    """Remove a criterion from the rubric."""
    rubric = db.get_or_404(Rubric, rubric_id)
    criterion = _get_criterion(rubric, criterion_id)
    return button_action(
        lambda: services.delete_criterion(rubric, criterion, current_user),
        done=_("The criterion “%(name)s” has been removed.", name=criterion.name),
        then=_builder(rubric),
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
    return button_action(
        lambda: services.copy_template_into_round(template, rubric.round, current_user),
        done=_("The criteria of the template “%(name)s” have been copied.", name=template.name),
        then=_builder(rubric),
        form=form,
    )


@bp.route("/rubrics/<int:rubric_id>/save-as-template", methods=["POST"])
@director_only
def save_as_template(rubric_id: int):
    """Keep a copy of this rubric as a new template."""
    rubric = db.get_or_404(Rubric, rubric_id)
    form = SaveAsTemplateForm()
    if not form.validate_on_submit():
        return _render_builder(rubric, save_form=form)
    return button_action(
        lambda: services.save_as_template(rubric, form.name.data, current_user),
        done=_("Saved as the template “%(name)s”. It is listed under Rubric templates.", name=form.name.data.strip()),
        then=_builder(rubric),
        form=form,
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


def _save_criterion(rubric: Rubric, criterion: Criterion | None, form) -> Criterion:
    """The criterion form's values through the one service (a new criterion's levels come later)."""
    return services.save_criterion(
        rubric,
        criterion,
        name=form.name.data,
        description=form.description.data or "",
        weight=form.weight.data,
        scale=_criterion_scale(form),
        descriptors=form.descriptors() if criterion is not None else {},
        actor=current_user,
    )


@bp.route("/rubrics/<int:rubric_id>/criteria/new", methods=["GET", "POST"])
@director_only
def new_criterion(rubric_id: int):
    """Add a criterion; its levels are described on its edit page, once its scale is saved."""
    rubric = db.get_or_404(Rubric, rubric_id)
    form = criterion_form([])
    saved = form_action(
        form,
        lambda: _save_criterion(rubric, None, form),
        done=_("The criterion has been added. Now describe what each level of its scale means."),
        then=lambda criterion: url_for("judging.edit_criterion", rubric_id=rubric.id, criterion_id=criterion.id),
    )
    return saved or _render_criterion_form(rubric, None, form)


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


def _rescale(rubric: Rubric, criterion: Criterion, form) -> bool:
    """Save the edited criterion; True when its scale changed (its new levels are then to describe)."""
    saved_scale = criterion.scale
    _save_criterion(rubric, criterion, form)
    return _criterion_scale(form) != saved_scale


@bp.route("/rubrics/<int:rubric_id>/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@director_only
def edit_criterion(rubric_id: int, criterion_id: int):
    """Change a criterion and describe its levels. A changed scale comes back here to describe the new levels."""
    rubric = db.get_or_404(Rubric, rubric_id)
    criterion = _get_criterion(rubric, criterion_id)
    form = criterion_form(levels(criterion.scale), data=_criterion_data(criterion) if request.method == "GET" else None)
    here = url_for("judging.edit_criterion", rubric_id=rubric.id, criterion_id=criterion.id)
    saved = form_action(
        form,
        lambda: _rescale(rubric, criterion, form),
        done=lambda rescaled: (
            _("The scale has changed. Describe its levels below.") if rescaled else _("The criterion has been saved.")
        ),
        then=lambda rescaled: here if rescaled else _builder(rubric, f"criterion-{criterion.id}"),
    )
    return saved or _render_criterion_form(rubric, criterion, form)
