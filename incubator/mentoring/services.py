"""Writes for mentoring: assigning mentors, session notes with their action items, and ticking items.

Each service checks its rule, changes the objects, records the audit event and flushes; the route commits.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.audit.services import record
from incubator.auth.models import Role, User
from incubator.cohorts.models import CohortStartup
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.themes import THEMES
from incubator.extensions import db
from incubator.judging.conflicts import found as found_conflicts
from incubator.mentoring import labels  # noqa: F401 - registers the audit labels
from incubator.mentoring.models import ACTION_STATUSES, VISIBILITIES, ActionItem, MentorAssignment, SessionNote
from incubator.mentoring.queries import MENTORED_STAGES, today_wib

MAX_DURATION = 24 * 60
MAX_COMMENT = 500


# --- mentor assignments ---------------------------------------------------------------------


def assign_mentor(cohort_startup: CohortStartup, mentor: User, actor: User) -> MentorAssignment:
    """Assign a mentor to a startup in pre-incubation or incubation (once)."""
    if not (mentor.active and mentor.has_role(Role.MENTOR)):
        raise ServiceError(_l("Only an active user with the mentor role can be assigned."))
    if cohort_startup.stage not in MENTORED_STAGES:
        raise ServiceError(_l("Mentors are assigned to startups in pre-incubation or incubation only."))
    exists = db.session.scalar(
        select(MentorAssignment.id).where(
            MentorAssignment.cohort_startup_id == cohort_startup.id, MentorAssignment.mentor_id == mentor.id
        )
    )
    if exists:
        raise ServiceError(
            _l("%(mentor)s already mentors %(startup)s.", mentor=mentor.name, startup=cohort_startup.startup.name)
        )
    assignment = MentorAssignment(cohort_startup_id=cohort_startup.id, mentor_id=mentor.id, created_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    # A judge who mentors the startup has a conflict with it: their sheets for it stop counting.
    found_conflicts.update(startup_ids=[cohort_startup.startup_id])
    record("mentor.assigned", assignment, actor=actor, mentor_id=mentor.id, cohort_startup_id=cohort_startup.id)
    return assignment


def unassign_mentor(assignment: MentorAssignment, actor: User) -> None:
    """Remove a mentor from a startup; the notes they wrote stay."""
    record(
        "mentor.unassigned",
        assignment,
        actor=actor,
        mentor_id=assignment.mentor_id,
        cohort_startup_id=assignment.cohort_startup_id,
    )
    startup_id = db.session.scalar(
        select(CohortStartup.startup_id).where(CohortStartup.id == assignment.cohort_startup_id)
    )
    db.session.delete(assignment)
    db.session.flush()
    found_conflicts.update(startup_ids=[startup_id])


# --- session notes and action items ----------------------------------------------------------


def owner_choices(cohort_startup: CohortStartup, author: User | None) -> list[User]:
    """Who may own an action item: the startup's founder account, the note's mentor and the
    startup's assigned mentors (besides "the team", which is no account)."""
    people: dict[int, User] = {}
    if cohort_startup.startup.owner is not None:
        people[cohort_startup.startup.owner.id] = cohort_startup.startup.owner
    if author is not None:
        people.setdefault(author.id, author)
    for assignment in db.session.scalars(
        select(MentorAssignment).where(MentorAssignment.cohort_startup_id == cohort_startup.id)
    ).unique():
        people.setdefault(assignment.mentor_id, assignment.mentor)
    return list(people.values())


@dataclass(frozen=True)
class ItemInput:
    """One action-item row of the session form; `id` is set for an item the note already has."""

    title: str
    owner_id: int | None = None  # None: the team
    due_on: date | None = None
    status: str = "open"
    id: int | None = None


def _check_note(held_on: date, duration_minutes: int, theme: str, visibility: str, today: date) -> None:
    if held_on > today:
        raise ServiceError(_l("The session date cannot be in the future."))
    if not 1 <= duration_minutes <= MAX_DURATION:
        raise ServiceError(_l("The duration must be between 1 and 1440 minutes."))
    if theme not in THEMES:
        raise ServiceError(_l("Choose a theme."))
    if visibility not in VISIBILITIES:
        raise ServiceError(_l("Choose who may read the note."))


def save_note(
    note: SessionNote | None,
    cohort_startup: CohortStartup,
    actor: User,
    *,
    held_on: date,
    duration_minutes: int,
    theme: str,
    body: str,
    visibility: str,
    items: list[ItemInput],
    today: date | None = None,
) -> SessionNote:
    """Log a session (or change one) with its action items. Item rows with an id and no title
    remove that item; new rows with no title are ignored."""
    _check_note(held_on, duration_minutes, theme, visibility, today or today_wib())
    created = note is None
    if created:
        note = SessionNote(cohort_startup_id=cohort_startup.id, mentor_id=actor.id)
        db.session.add(note)
    note.held_on, note.duration_minutes, note.theme = held_on, duration_minutes, theme
    note.body, note.visibility = body.strip(), visibility
    db.session.flush()
    record("note.created" if created else "note.updated", note, actor=actor, visibility=visibility)
    owners = {u.id for u in owner_choices(cohort_startup, note.mentor or actor)}
    existing = {item.id: item for item in note.action_items}
    for row in items:
        _save_item(note, cohort_startup, actor, row, owners, existing)
    db.session.flush()
    db.session.expire(note, ["action_items"])
    return note


def _save_item(note, cohort_startup, actor, row: ItemInput, owners: set[int], existing: dict) -> None:
    title = row.title.strip()
    item = existing.get(row.id) if row.id else None
    if row.id and item is None:
        raise ServiceError(_l("That action item is not part of this note."))
    if not title:
        if item is not None:
            record("action_item.removed", item, actor=actor, title=item.title)
            db.session.delete(item)
        return
    if row.owner_id is not None and row.owner_id not in owners:
        raise ServiceError(_l("Choose the founder, a mentor of the startup or the team as the owner."))
    if row.status not in ACTION_STATUSES:
        raise ServiceError(_l("Choose a status: open, in progress or done."))
    created = item is None
    if created:
        item = ActionItem(cohort_startup_id=cohort_startup.id, note_id=note.id, created_by_id=actor.id)
        db.session.add(item)
    item.title, item.owner_id, item.due_on = title[:300], row.owner_id, row.due_on
    _apply_status(item, row.status, actor, item.done_comment or "")
    db.session.flush()
    record("action_item.created" if created else "action_item.updated", item, actor=actor, status=item.status)


def _apply_status(item: ActionItem, status: str, actor: User, comment: str) -> None:
    if status == "done" and item.status != "done":
        item.done_at, item.done_by_id = utcnow(), actor.id
    elif status != "done":
        item.done_at, item.done_by_id = None, None
    item.status, item.done_comment = status, comment


def set_item_status(item: ActionItem, actor: User, status: str, comment: str = "") -> ActionItem:
    """The founder or a mentor moves an item to open, in progress or done, with an optional comment."""
    if status not in ACTION_STATUSES:
        raise ServiceError(_l("Choose a status: open, in progress or done."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ServiceError(_l("Keep the comment to %(max)d characters.", max=MAX_COMMENT))
    before = item.status
    _apply_status(item, status, actor, comment)
    db.session.flush()
    record("action_item.status", item, actor=actor, before=before, after=status, comment=comment or None)
    return item
