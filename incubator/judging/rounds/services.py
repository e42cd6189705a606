"""Writes for rounds and rubrics: phases, settings, criteria, templates and copies."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from incubator.audit.services import record
from incubator.auth.models import User
from incubator.cohorts.models import Cohort
from incubator.cohorts.pipeline import DECIDABLE
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.i18n import format_wib
from incubator.extensions import db
from incubator.judging.models import PHASE_MOVES, PHASES, RANKING_BASES, Criterion, CriterionLevel, Round, Rubric
from incubator.judging.ranking import results
from incubator.judging.ranking.members import count_round_applications
from incubator.judging.rounds.rubric import Scale, levels, rubric_problems, scale_problem
from incubator.judging.sheets.services import lock_round

SCALE_MESSAGES = {
    "order": _l("The lowest score must be below the highest."),
    "step": _l("The step must be greater than zero."),
    "divides": _l("The step must divide the range from the lowest to the highest score."),
    "levels": _l("A scale can have at most 21 levels; use a larger step or a smaller range."),
}

RUBRIC_MESSAGES = {
    "empty": _l("The rubric has no criteria yet."),
    "weight": _l("Every criterion needs a weight greater than zero."),
    "scale": _l("A criterion has an invalid scale."),
}


# --- rounds -----------------------------------------------------------------


def save_round(
    round_: Round | None,
    cohort: Cohort,
    *,
    name: str,
    decides_stage: str,
    scoring_opens_at: datetime | None,
    scoring_closes_at: datetime | None,
    judges_per_application: int,
    ranking_basis: str,
    judges_see_scores_after_close: bool,
    disagreement_threshold: Decimal,
    actor: User,
) -> Round:
    """Create a round (with an empty rubric of its own) or change its settings."""
    if decides_stage not in DECIDABLE:
        raise ServiceError(_l("Choose which stage step the round decides."))
    if ranking_basis not in RANKING_BASES:
        raise ServiceError(_l("Choose raw or normalised scores for the ranking."))
    if judges_per_application < 1:
        raise ServiceError(_l("A round needs at least one judge per application."))
    if disagreement_threshold < 0:
        raise ServiceError(_l("The disagreement threshold cannot be negative."))
    if scoring_opens_at and scoring_closes_at and scoring_closes_at <= scoring_opens_at:
        raise ServiceError(_l("The scoring window must close after it opens."))
    created = round_ is None
    if created:
        position = db.session.scalar(select(func.count(Round.id)).where(Round.cohort_id == cohort.id)) or 0
        round_ = Round(cohort_id=cohort.id, position=position, phase="draft")
        round_.rubric = Rubric(name=name.strip())
        db.session.add(round_)
    elif round_.phase in ("closed", "decided") and (
        round_.judges_per_application != judges_per_application or round_.decides_stage != decides_stage
    ):
        raise ServiceError(_l("Judges per application and the stage step are fixed once the round has closed."))
    round_.name = name.strip()
    round_.decides_stage = decides_stage
    round_.scoring_opens_at, round_.scoring_closes_at = scoring_opens_at, scoring_closes_at
    round_.judges_per_application = judges_per_application
    round_.ranking_basis = ranking_basis
    round_.judges_see_scores_after_close = judges_see_scores_after_close
    round_.disagreement_threshold = disagreement_threshold
    db.session.flush()
    results.refresh(round_)  # the basis, the threshold and the judges expected move its figures
    record("round.created" if created else "round.updated", round_, actor=actor, name=round_.name)
    return round_


def rubric_problem_messages(rubric: Rubric | None) -> list[str]:
    """Why this rubric cannot be used for scoring, translated; empty when it can."""
    criteria = [(Decimal(c.weight), c.scale) for c in (rubric.criteria if rubric else [])]
    return [str(RUBRIC_MESSAGES[code]) for code in rubric_problems(criteria)]


def opening_warnings(round_: Round, now: datetime | None = None) -> list[str]:
    """Why opening `round_` for scoring now is probably a mistake (translated), for the director
    to confirm: its cohort still takes applications (they would arrive after judges are
    assigned), or the round has no application to score. Empty when there is nothing to say."""
    if rubric_problem_messages(round_.rubric):
        return []  # `set_phase` refuses to open, with its own reasons: nothing to confirm
    now = now or utcnow()
    warnings = []
    cohort = round_.cohort
    if cohort.closes_at > now:
        warnings.append(
            str(
                _l(
                    "The cohort %(cohort)s still takes applications until %(closes)s: "
                    "applications sent later will not be in this round's judging yet.",
                    cohort=cohort.name,
                    closes=format_wib(cohort.closes_at),
                )
            )
        )
    if count_round_applications(round_) == 0:
        warnings.append(str(_l("The round has no application to score yet.")))
    return warnings


def set_phase(round_: Round, to_phase: str, actor: User) -> None:
    """Move a round to another phase. Opening needs a usable rubric."""
    lock_round(round_.id, exclusive=True)  # drafts and submits being saved finish first, then see the move
    if to_phase not in PHASES or to_phase not in PHASE_MOVES[round_.phase]:
        raise ServiceError(
            _l("A round in phase %(from)s cannot move to %(to)s.", **{"from": round_.phase, "to": to_phase})
        )
    if to_phase == "open":
        problems = rubric_problem_messages(round_.rubric)
        if problems:
            raise ServiceError(_l("The round cannot open: %(reasons)s", reasons=" ".join(problems)))
    from_phase = round_.phase
    # Before the move: a round's results are frozen once it is decided, as they were when it was.
    results.refresh(round_)
    round_.phase = to_phase
    db.session.flush()
    record("round.phase_changed", round_, actor=actor, from_phase=from_phase, to_phase=to_phase)


def reopen_decided(round_: Round, actor: User) -> None:
    """The director's choice to re-decide a decided round: back to closed, its stored figures
    computed again from the data as it is now (a conflict of interest found after the decision
    counts from now on). The decisions already made stay as they were made; the round is decided
    again from the new figures. Never done without the director asking."""
    lock_round(round_.id, exclusive=True)
    if round_.phase != "decided":
        raise ServiceError(_l("Only a decided round can be re-decided."))
    round_.phase = "closed"
    db.session.flush()
    results.refresh(round_)
    record("round.phase_changed", round_, actor=actor, from_phase="decided", to_phase="closed")


def copy_round(source: Round, cohort: Cohort, actor: User) -> Round:
    """A draft copy of `source` in `cohort`, with a copy of its rubric and no scoring window."""
    round_ = save_round(
        None,
        cohort,
        name=source.name,
        decides_stage=source.decides_stage,
        scoring_opens_at=None,
        scoring_closes_at=None,
        judges_per_application=source.judges_per_application,
        ranking_basis=source.ranking_basis,
        judges_see_scores_after_close=source.judges_see_scores_after_close,
        disagreement_threshold=Decimal(source.disagreement_threshold),
        actor=actor,
    )
    if source.rubric:
        _copy_criteria(source.rubric, round_.rubric)
        round_.rubric.name = source.rubric.name
        round_.rubric.description = source.rubric.description
    db.session.flush()
    return round_


# --- rubrics -------------------------------------------------------------


def _editable(rubric: Rubric) -> None:
    if rubric.frozen:
        raise ServiceError(
            _l("This rubric is frozen: its round has opened for scoring, so scores may already depend on it.")
        )


def save_template(rubric: Rubric | None, *, name: str, description: str, actor: User) -> Rubric:
    """Create or rename a rubric template (a rubric kept for copying into rounds)."""
    created = rubric is None
    if created:
        rubric = Rubric()
        db.session.add(rubric)
    else:
        _editable(rubric)
    rubric.name, rubric.description = name.strip(), description.strip()
    db.session.flush()
    record("rubric.created" if created else "rubric.updated", rubric, actor=actor, name=rubric.name)
    return rubric


def _copy_criteria(source: Rubric, target: Rubric) -> None:
    target.criteria = [
        Criterion(
            position=i,
            name=c.name,
            description=c.description,
            weight=c.weight,
            scale_min=c.scale_min,
            scale_max=c.scale_max,
            scale_step=c.scale_step,
            levels=[CriterionLevel(value=lv.value, descriptor=lv.descriptor) for lv in c.levels],
        )
        for i, c in enumerate(source.criteria)
    ]


def copy_template_into_round(template: Rubric, round_: Round, actor: User) -> None:
    """Replace the round's criteria by a copy of the template's."""
    if not template.is_template:
        raise ServiceError(_l("Only a template can be copied into a round."))
    _editable(round_.rubric)
    _copy_criteria(template, round_.rubric)
    round_.rubric.description = template.description
    db.session.flush()
    record("rubric.copied", round_.rubric, actor=actor, template_id=template.id)


def save_as_template(rubric: Rubric, name: str, actor: User) -> Rubric:
    """Keep a copy of any rubric as a new template."""
    template = save_template(None, name=name, description=rubric.description, actor=actor)
    _copy_criteria(rubric, template)
    db.session.flush()
    return template


def check_scale(scale: Scale) -> None:
    problem = scale_problem(scale)
    if problem:
        raise ServiceError(SCALE_MESSAGES[problem])


def save_criterion(
    rubric: Rubric,
    criterion: Criterion | None,
    *,
    name: str,
    description: str,
    weight: Decimal,
    scale: Scale,
    descriptors: Mapping[Decimal, str],
    actor: User,
) -> Criterion:
    """Add or change a criterion. Level descriptors are kept for values still on the scale."""
    _editable(rubric)
    if weight <= 0:
        raise ServiceError(_l("The weight must be greater than zero."))
    check_scale(scale)
    created = criterion is None
    if created:
        criterion = Criterion(position=len(rubric.criteria))
        rubric.criteria.append(criterion)
    elif criterion.rubric_id != rubric.id:
        raise ServiceError(_l("This criterion belongs to another rubric."))
    before = None if created else _meaning(criterion)
    criterion.name, criterion.description, criterion.weight = name.strip(), description.strip(), weight
    criterion.scale_min, criterion.scale_max, criterion.scale_step = scale.minimum, scale.maximum, scale.step
    on_scale = set(levels(scale))
    texts = {Decimal(k): v.strip() for k, v in descriptors.items() if Decimal(k) in on_scale and v.strip()}
    existing = {Decimal(lv.value): lv for lv in criterion.levels}
    criterion.levels = [existing.get(v) or CriterionLevel(value=v) for v in sorted(texts)]
    for level in criterion.levels:
        level.descriptor = texts[Decimal(level.value)][:300]
    db.session.flush()
    record("criterion.created" if created else "criterion.updated", criterion, actor=actor, rubric_id=rubric.id)
    linked = criterion.same_as_id is not None and criterion.link_broken_at is None
    if before is not None and linked and _meaning(criterion) != before:
        # Scores on a criterion that now means something else no longer compare across gates.
        criterion.link_broken_at = utcnow()
        db.session.flush()
        record("criterion.unlinked", criterion, actor=actor, rubric_id=rubric.id, same_as_id=criterion.same_as_id)
    return criterion


def _meaning(criterion: Criterion) -> tuple:
    """What a score on the criterion means: its name, description, scale and level descriptors (not its
    weight, which changes how much it counts in the total, not what a score on it says)."""
    return (
        criterion.name,
        criterion.description,
        Decimal(criterion.scale_min),
        Decimal(criterion.scale_max),
        Decimal(criterion.scale_step),
        tuple((Decimal(lv.value), lv.descriptor) for lv in criterion.levels),
    )


def share_rubric(source: Round, round_: Round, actor: User) -> None:
    """Make `round_`'s rubric "the same rubric" as the earlier round `source`'s: its criteria are
    replaced by ones linked to `source`'s (same name, scale, levels and weight), so that scores on
    them compare across the two gates. Only from a round of the same cohort that has opened for
    scoring (its rubric is frozen), into a round still in draft."""
    _editable(round_.rubric)
    if source.id == round_.id or source.cohort_id != round_.cohort_id:
        raise ServiceError(_l("Choose another round of the same cohort."))
    if not source.rubric_frozen or source.rubric is None or not source.rubric.criteria:
        raise ServiceError(_l("Only the rubric of a round that has opened for scoring can be shared."))
    _copy_criteria(source.rubric, round_.rubric)
    for copy, original in zip(round_.rubric.criteria, source.rubric.criteria, strict=True):
        copy.same_as_id = original.line_id
    round_.rubric.description = source.rubric.description
    db.session.flush()
    record("rubric.shared", round_.rubric, actor=actor, source_round_id=source.id)


def move_criterion(rubric: Rubric, criterion: Criterion, direction: int, actor: User) -> None:
    """Move a criterion one place up (-1) or down (+1)."""
    _editable(rubric)
    order = list(rubric.criteria)
    index = order.index(criterion)
    target = index + direction
    if direction not in (-1, 1) or not 0 <= target < len(order):
        return
    order[index], order[target] = order[target], order[index]
    for position, item in enumerate(order):
        item.position = position
    rubric.criteria = order  # the same rows, in their new order for the rest of this request
    db.session.flush()
    record("criterion.moved", criterion, actor=actor, rubric_id=rubric.id, position=target)


def delete_criterion(rubric: Rubric, criterion: Criterion, actor: User) -> None:
    _editable(rubric)
    rubric.criteria.remove(criterion)
    for position, item in enumerate(rubric.criteria):
        item.position = position
    db.session.flush()
    record("criterion.deleted", rubric, actor=actor, criterion=criterion.name)
