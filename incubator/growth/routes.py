"""Pages of the growth area: a mentor's proposed action items (accept, reword, dismiss) and the
director's "share the rubric of an earlier round". A startup's growth shows on its incubation page
(templates/growth/_growth.html, through the `startup_growth` helper below).

A proposal outside the user's reach answers 404 (its rule is `ActionProposal.can_handle`)."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.core.actions import button_action, form_action
from incubator.core.figures import points
from incubator.extensions import db
from incubator.growth import display, proposals
from incubator.growth.figures import startup_growth as growth_of
from incubator.growth.forms import accept_form, dismiss_form, edit_form
from incubator.growth.labels import proposal_status_label
from incubator.growth.models import ActionProposal
from incubator.growth.queries import proposals_for, rubric_links
from incubator.judging.models import Round, Rubric
from incubator.mentoring.access import can_follow, can_mentor, mentored_ids
from incubator.mentoring.forms import item_owner
from incubator.mentoring.services import owner_choices

bp = Blueprint("growth", __name__)
bp.add_app_template_filter(proposal_status_label, "proposal_status_label")


@bp.app_context_processor
def _helpers():
    """Helpers the incubation page and the rubric builder call; each queries only when called."""

    def startup_growth(cohort_startup, application):
        if application is None or not can_follow(current_user, cohort_startup):
            return None
        growth = growth_of(application.id, cohort_startup.cohort_id, everything=current_user.is_director)
        return {"growth": growth, "panels": display.panels(growth), "legend": display.legend_svg()}

    def startup_proposals(cohort_startup):
        if not can_mentor(current_user, cohort_startup):
            return []
        return proposals_for([cohort_startup.id])

    def shared_rubric(rubric):
        return rubric_links(rubric) if current_user.is_authenticated and current_user.is_director else None

    def rubric_share_form(rubric):
        if rubric.round is None or rubric.frozen:
            return None
        form = share_form(rubric.round)
        return form if form.source_id.choices else None

    return {
        "startup_growth": startup_growth,
        "startup_proposals": startup_proposals,
        "shared_rubric": shared_rubric,
        "rubric_share_form": rubric_share_form,
        "growth_points": points,
    }


def _proposal(proposal_id: int) -> ActionProposal:
    """The proposal if this user may handle it; 404 otherwise, so ids leak nothing."""
    proposal = db.session.get(ActionProposal, proposal_id)
    if proposal is None or not proposal.can_handle(current_user):
        abort(404)
    return proposal


def _page(proposal: ActionProposal, accept=None, edit=None, dismiss=None):
    owners = owner_choices(proposal.cohort_startup, current_user)
    return render_template(
        "growth/proposal.html",
        proposal=proposal,
        accept_form=accept or accept_form(proposal, owners, formdata=None),
        edit_form=edit or edit_form(proposal, formdata=None),
        dismiss_form=dismiss or dismiss_form(formdata=None),
    )


def _done(proposal: ActionProposal) -> str:
    return url_for("mentoring.startup_page", cohort_startup_id=proposal.cohort_startup_id) + "#proposals"


@bp.route("/proposals")
@roles_required(Role.MENTOR, Role.DIRECTOR)
def proposal_list():
    """The proposed action items of the startups this user mentors (every startup's, for a director)."""
    ids = None if current_user.is_director else sorted(mentored_ids(current_user))
    return render_template("growth/proposals.html", proposals=proposals_for(ids))


@bp.route("/proposals/<int:proposal_id>")
@login_required
def proposal(proposal_id: int):
    """A proposal with the judges' comments it quotes, and its three answers: accept, reword, dismiss."""
    return _page(_proposal(proposal_id))


@bp.route("/proposals/<int:proposal_id>/accept", methods=["POST"])
@login_required
def accept(proposal_id: int):
    """Accept the proposal as an action item with an owner and a due date."""
    proposal = _proposal(proposal_id)
    form = accept_form(proposal, owner_choices(proposal.cohort_startup, current_user))
    saved = form_action(
        form,
        lambda: proposals.accept(
            proposal, current_user, title=form.title.data, owner_id=item_owner(form.owner.data), due_on=form.due_on.day
        ),
        done=_("The proposal is now an action item of %(startup)s.", startup=proposal.cohort_startup.startup.name),
        then=_done(proposal),
    )
    return saved or _page(proposal, accept=form)


@bp.route("/proposals/<int:proposal_id>/edit", methods=["POST"])
@login_required
def edit(proposal_id: int):
    """Reword the proposal before deciding on it."""
    proposal = _proposal(proposal_id)
    form = edit_form(proposal)
    saved = form_action(
        form,
        lambda: proposals.edit(proposal, current_user, title=form.title.data),
        done=_("The proposal's wording is saved."),
        then=url_for("growth.proposal", proposal_id=proposal.id),
    )
    return saved or _page(proposal, edit=form)


@bp.route("/proposals/<int:proposal_id>/dismiss", methods=["POST"])
@login_required
def dismiss(proposal_id: int):
    """Dismiss the proposal with a reason."""
    proposal = _proposal(proposal_id)
    form = dismiss_form()
    saved = form_action(
        form,
        lambda: proposals.dismiss(proposal, current_user, reason=form.reason.data),
        done=_("The proposal is dismissed."),
        then=_done(proposal),
    )
    return saved or _page(proposal, dismiss=form)


@bp.route("/rubrics/<int:rubric_id>/share", methods=["POST"])
@roles_required(Role.DIRECTOR)
def share_rubric(rubric_id: int):
    """Make a draft round's rubric the same rubric as an earlier round's, so its scores compare."""
    from incubator.judging.rounds import services

    rubric = db.get_or_404(Rubric, rubric_id)
    if rubric.round is None:
        abort(404)
    form = share_form(rubric.round)
    source = db.session.get(Round, form.source_id.data) if form.validate_on_submit() else None
    return button_action(
        lambda: services.share_rubric(source, rubric.round, current_user),
        done=_("This round now shares the rubric of “%(round)s”.", round=source.name if source else ""),
        then=url_for("judging.rubric", rubric_id=rubric.id),
        form=form,
    )


def share_form(round_: Round) -> FlaskForm:
    """The rounds of the same cohort whose rubric this round may share."""
    from incubator.growth.forms import ShareForm

    form = ShareForm()
    rounds = db.session.execute(
        select(Round.id, Round.name)
        .where(Round.cohort_id == round_.cohort_id, Round.id != round_.id, Round.phase != "draft")
        .order_by(Round.position, Round.id)
    ).all()
    form.source_id.choices = [SelectChoice(r.id, r.name) for r in rounds]
    return form
