"""Writes for spaces, focus areas, cohorts, and the one function that moves a startup's stage."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from incubator.audit.services import record, record_many
from incubator.auth.models import User
from incubator.cohorts import pipeline
from incubator.cohorts.models import Cohort, CohortStartup, FocusArea, Space, StageChange
from incubator.core.database import chunks, utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db

# --- the stage pipeline -----------------------------------------------------


class StartupRef(NamedTuple):
    """What a `system` move reads of a startup, for a writer of thousands of new startups that
    has no objects for them (the import, the synthetic scale data)."""

    id: int
    name: str


class Move(NamedTuple):
    """One move for `change_stages`. `startup` is a Startup, or a StartupRef in a `system` move."""

    startup: Any
    cohort: Cohort
    to_stage: str
    reason: str = ""
    message: dict | None = None


def change_stage(
    startup,
    cohort: Cohort,
    to_stage: str,
    actor: User | None,
    reason: str = "",
    *,
    message: dict | None = None,
    system: bool = False,
    refresh_results: bool = True,
) -> StageChange:
    """Move `startup` in `cohort` to `to_stage` (see `change_stages`, the only writer of a
    startup's stage); the history row."""
    (change_id,) = change_stages(
        [Move(startup, cohort, to_stage, reason, message)], actor, system=system, refresh_results=refresh_results
    )
    return db.session.get(StageChange, change_id)


def change_stages(
    moves: Sequence[Move], actor: User | None, *, system: bool = False, refresh_results: bool = True
) -> list[int]:
    """Move each startup in its cohort to its stage: the only writer of a startup's stage. The
    ids of the history rows, in the order of `moves`.

    Entering the cohort (to `applied`) creates its row. Directors make every other
    move; a founder of the startup may only withdraw it. `system=True` is for
    trusted callers with no person behind them (seed data, imports) and still
    obeys the transition table. Records the history row and the audit event.
    The reason is either what a person typed (`reason`) or, when the system gives it,
    a `message` from `incubator.core.messages.system_message`, shown in each reader's language.
    Every move is checked before any is written: one refused move refuses them all.

    A round ranks the applications at the stage it decides, so the cohorts' round results are
    refreshed; a caller moving many startups at once passes `refresh_results=False` and
    refreshes once (judging.ranking.results.refresh_cohort).
    """
    if not moves:
        return []
    memberships = _memberships(moves)
    keys = [(m.cohort.id, m.startup.id) for m in moves]
    from_stages = {key: membership.stage for key, membership in memberships.items()}
    for move, key in zip(moves, keys, strict=True):
        _check_move(move, from_stages.get(key), actor, system)
    now = utcnow()
    for move, key in zip(moves, keys, strict=True):
        if key in memberships:
            memberships[key].stage = move.to_stage
            memberships[key].stage_changed_at = now
    membership_ids = {key: membership.id for key, membership in memberships.items()}
    entering = [(move, key) for move, key in zip(moves, keys, strict=True) if key not in memberships]
    if entering:
        rows = [
            {"cohort_id": k[0], "startup_id": k[1], "stage": m.to_stage, "entered_at": now, "stage_changed_at": now}
            for m, k in entering
        ]
        ids = db.session.scalars(insert(CohortStartup).returning(CohortStartup.id, sort_by_parameter_order=True), rows)
        membership_ids.update((k, i) for (_m, k), i in zip(entering, ids, strict=True))
    history = [(move, membership_ids[key], from_stages.get(key)) for move, key in zip(moves, keys, strict=True)]
    change_ids = list(
        db.session.scalars(
            insert(StageChange).returning(StageChange.id, sort_by_parameter_order=True),
            [
                {
                    "cohort_startup_id": membership_id,
                    "from_stage": from_stage,
                    "to_stage": move.to_stage,
                    "actor_id": actor.id if actor else None,
                    "reason": (move.reason or "").strip()[:1000],
                    "reason_message": move.message,
                    "created_at": now,
                }
                for move, membership_id, from_stage in history
            ],
        )
    )
    record_many(
        "stage.changed",
        CohortStartup,
        [
            (
                membership_id,
                {
                    "startup": move.startup.name,
                    "cohort": move.cohort.name,
                    "from_stage": from_stage,
                    "to_stage": move.to_stage,
                },
            )
            for move, membership_id, from_stage in history
        ],
        actor=actor,
    )
    db.session.flush()
    if refresh_results:
        from incubator.judging.ranking.results import refresh_cohort  # judging builds on cohorts, not the reverse

        for cohort_id in sorted({m.cohort.id for m in moves}):
            refresh_cohort(cohort_id)
    return change_ids


def _memberships(moves: Sequence[Move]) -> dict[tuple[int, int], CohortStartup]:
    """The cohort rows the moves start from, by (cohort id, startup id): a query per cohort."""
    keys = [(m.cohort.id, m.startup.id) for m in moves]
    if len(set(keys)) < len(keys):
        raise ValueError("a startup moves once per call in a cohort")
    startups: dict[int, list[int]] = defaultdict(list)
    for cohort_id, startup_id in keys:
        startups[cohort_id].append(startup_id)
    found = {}
    for cohort_id, startup_ids in startups.items():
        for chunk in chunks(startup_ids):
            query = select(CohortStartup).where(
                CohortStartup.cohort_id == cohort_id, CohortStartup.startup_id.in_(chunk)
            )
            found.update(((m.cohort_id, m.startup_id), m) for m in db.session.scalars(query))
    return found


def _check_move(move: Move, from_stage: str | None, actor: User | None, system: bool) -> None:
    if move.reason and move.message:
        raise ValueError("a stage change has a typed reason or a system message, not both")
    if move.to_stage not in pipeline.STAGES:
        raise ServiceError(_l("Unknown stage: %(stage)s.", stage=move.to_stage))
    if not pipeline.is_allowed(from_stage, move.to_stage):
        if from_stage is None:
            raise ServiceError(_l("This startup is not in the cohort yet; it can only enter it as applied."))
        if not pipeline.allowed_targets(from_stage):
            raise ServiceError(_l("This startup's stage is final; it cannot move any more."))
        raise ServiceError(_l("A startup moves one step forward at a time, or to not selected or withdrawn."))
    if not system:
        _check_stage_permission(move.startup, from_stage, move.to_stage, actor)


def _check_stage_permission(startup, from_stage: str | None, to_stage: str, actor: User | None) -> None:
    if actor is None:
        raise ServiceError(_l("Only a director can change a startup's stage."))
    if actor.is_director:
        return
    founder = startup.is_founder(actor)
    if founder and to_stage == pipeline.WITHDRAWN:
        return
    if founder and from_stage is None and to_stage == pipeline.APPLIED:
        return  # submitting an application enters the cohort
    raise ServiceError(_l("Only a director can change a startup's stage."))


# --- focus areas and spaces -------------------------------------------------


def save_focus_area(area: FocusArea | None, code: str, name_id: str, name_en: str, actor: User) -> FocusArea:
    code = code.strip().lower()
    clash = db.session.scalar(select(FocusArea).where(FocusArea.code == code))
    if clash is not None and clash is not area:
        raise ServiceError(_l("A focus area with this code already exists."))
    if area is None:
        area = FocusArea(code=code, name_id=name_id.strip(), name_en=name_en.strip())
        db.session.add(area)
        action = "focus_area.created"
    else:
        area.code, area.name_id, area.name_en = code, name_id.strip(), name_en.strip()
        action = "focus_area.updated"
    db.session.flush()
    record(action, area, actor=actor, code=code)
    return area


def save_space(
    space: Space | None, *, name: str, city: str, description: str, focus_areas: Iterable[FocusArea], actor: User
) -> Space:
    name = name.strip()
    clash = db.session.scalar(select(Space).where(Space.name == name))
    if clash is not None and clash is not space:
        raise ServiceError(_l("A space with this name already exists."))
    created = space is None
    if created:
        space = Space()
        db.session.add(space)
    space.name, space.city, space.description = name, city.strip(), description.strip()
    space.focus_areas = list(focus_areas)
    db.session.flush()
    record("space.created" if created else "space.updated", space, actor=actor, name=name)
    return space


# --- cohorts ---------------------------------------------------------------


def save_cohort(
    cohort: Cohort | None,
    *,
    name: str,
    space: Space,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    required_attendance: int,
    focus_areas: Iterable[FocusArea],
    published: bool,
    actor: User,
) -> Cohort:
    """Create or update a cohort; the application window must close after it opens."""
    name = name.strip()
    if closes_at <= opens_at:
        raise ServiceError(_l("The application window must close after it opens."))
    if required_attendance < 0:
        raise ServiceError(_l("Required attendance cannot be negative."))
    clash = db.session.scalar(select(Cohort).where(Cohort.name == name))
    if clash is not None and clash is not cohort:
        raise ServiceError(_l("A cohort with this name already exists."))
    created = cohort is None
    if created:
        cohort = Cohort()
        db.session.add(cohort)
    cohort.name = name
    cohort.space_id = space.id
    cohort.space = space
    cohort.description = description.strip()
    cohort.opens_at, cohort.closes_at = opens_at, closes_at
    cohort.required_attendance = required_attendance
    cohort.focus_areas = list(focus_areas)
    cohort.published = published
    db.session.flush()
    record("cohort.created" if created else "cohort.updated", cohort, actor=actor, name=name)
    return cohort


def copy_cohort_setup(source: Cohort, *, name: str, opens_at: datetime, closes_at: datetime, actor: User) -> Cohort:
    """A new, unpublished cohort with the source's space, focus areas, attendance rule,
    and a draft copy of each of its rounds with its rubric (no windows, no startups)."""
    from incubator.judging.rounds.services import copy_round

    cohort = save_cohort(
        None,
        name=name,
        space=source.space,
        description=source.description,
        opens_at=opens_at,
        closes_at=closes_at,
        required_attendance=source.required_attendance,
        focus_areas=source.focus_areas,
        published=False,
        actor=actor,
    )
    from incubator.judging.models import Round

    for round_ in db.session.scalars(select(Round).where(Round.cohort_id == source.id).order_by(Round.position)):
        copy_round(round_, cohort, actor)
    record("cohort.copied", cohort, actor=actor, source_id=source.id)
    return cohort
