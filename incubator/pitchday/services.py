"""Pitch-day writes: set-up and order of the run of show, the stage controls, reminders to
judges, and releasing the results. They flush and record the audit event; routes commit."""

import random
from datetime import datetime

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.models import Round
from incubator.judging.ranking.members import round_members, round_params
from incubator.mail.outbox import queue_mail
from incubator.pitchday.models import LANGUAGES, PitchDay, PitchReminder, PitchSlot
from incubator.startups.models import Startup

ORDERS = ("submitted", "name", "random")
ACTIONS = ("start", "next", "back", "pause")


def lock(pitch_day: PitchDay) -> PitchDay:
    """The pitch day, locked until this transaction ends: two presses of Next from two devices
    move it one after the other, each from what the other left."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(PitchDay.id).where(PitchDay.id == pitch_day.id).with_for_update()).one()
    else:  # SQLite: writing first takes its single writer lock before anything is read
        db.session.execute(update(PitchDay).where(PitchDay.id == pitch_day.id).values(state=PitchDay.state))
    db.session.refresh(pitch_day)
    return pitch_day


def set_up(
    round_: Round,
    pitch_day: PitchDay | None,
    *,
    room: str,
    starts_at: datetime,
    pitch_minutes: int,
    questions_minutes: int,
    language: str,
    results_top: int,
    actor: User,
) -> PitchDay:
    """Turn an open round into a pitch day (its applications in the order they were submitted),
    or change its settings; applications that joined the round since are added at the end."""
    if pitch_day is None and round_.phase != "open":
        raise ServiceError(_l("Only a round open for scoring can become a pitch day."))
    if language not in LANGUAGES:
        raise ServiceError(_l("Choose Bahasa Indonesia or English."))
    created = pitch_day is None
    if created:
        pitch_day = PitchDay(round_id=round_.id, created_by_id=actor.id)
        db.session.add(pitch_day)
    pitch_day.room = room.strip()[:120]
    pitch_day.starts_at = starts_at
    pitch_day.pitch_minutes = pitch_minutes
    pitch_day.questions_minutes = questions_minutes
    pitch_day.language = language
    pitch_day.results_top = results_top
    db.session.flush()
    added = _add_missing_slots(round_, pitch_day)
    record(
        "pitch_day.created" if created else "pitch_day.updated",
        pitch_day,
        actor=actor,
        round_id=round_.id,
        room=pitch_day.room,
        slots_added=added,
    )
    return pitch_day


def _add_missing_slots(round_: Round, pitch_day: PitchDay) -> int:
    members = round_members().subquery()
    rows = db.session.execute(
        select(Application.id)
        .join(members, members.c.id == Application.id)
        .order_by(Application.submitted_at, Application.id),
        round_params(round_),
    ).scalars()
    have = {slot.application_id for slot in pitch_day.slots}
    position = max((slot.position for slot in pitch_day.slots), default=-1)
    added = 0
    for application_id in rows:
        if application_id not in have:
            position += 1
            pitch_day.slots.append(PitchSlot(application_id=application_id, position=position))
            added += 1
    db.session.flush()
    return added


def _place(pitch_day: PitchDay, ordered: list[PitchSlot]) -> None:
    """Give the slots the positions 0, 1, ... in `ordered`'s order (through positions no slot
    holds, so the database's one-slot-per-position rule holds after each step)."""
    for offset, slot in enumerate(ordered):
        slot.position = -1 - offset
    db.session.flush()
    for position, slot in enumerate(ordered):
        slot.position = position
    db.session.flush()
    db.session.expire(pitch_day, ["slots"])


def order_slots(pitch_day: PitchDay, how: str, actor: User, rng: random.Random | None = None) -> None:
    """Order every pitch by application time, by the startup's name or at random; only before
    the first pitch is called."""
    pitch_day = lock(pitch_day)
    if pitch_day.state != "ready":
        raise ServiceError(_l("The pitch day has started: move single pitches that are still to come instead."))
    if how not in ORDERS:
        raise ServiceError(_l("Choose an order."))
    slots = list(pitch_day.slots)
    info = {
        row.id: (row.submitted_at, (row.name or "").casefold())
        for row in db.session.execute(
            select(Application.id, Application.submitted_at, Startup.name)
            .join(Startup, Startup.id == Application.startup_id)
            .where(Application.id.in_([s.application_id for s in slots]))
        )
    }
    if how == "random":
        (rng or random.SystemRandom()).shuffle(slots)
    elif how == "name":
        slots.sort(key=lambda s: (info[s.application_id][1], s.application_id))
    else:
        slots.sort(key=lambda s: (info[s.application_id][0] or utcnow(), s.application_id))
    _place(pitch_day, slots)
    record("pitch_day.ordered", pitch_day, actor=actor, order=how)


def move_slot(pitch_day: PitchDay, slot: PitchSlot, direction: str, actor: User) -> None:
    """Swap a pitch with the one before (`up`) or after (`down`) it; pitches already called stay."""
    pitch_day = lock(pitch_day)
    slots = list(pitch_day.slots)
    index = next((i for i, s in enumerate(slots) if s.id == slot.id), None)
    other = None if index is None else index + (-1 if direction == "up" else 1)
    if index is None or direction not in ("up", "down") or other < 0 or other >= len(slots):
        raise ServiceError(_l("This pitch cannot move that way."))
    called = pitch_day.called
    if min(index, other) < called:
        raise ServiceError(_l("A pitch already called on stage keeps its place."))
    slots[index], slots[other] = slots[other], slots[index]
    _place(pitch_day, slots)
    record("pitch_day.moved", pitch_day, actor=actor, application_id=slot.application_id, direction=direction)


def control(pitch_day: PitchDay, action: str, actor: User, now: datetime | None = None) -> str:
    """Start, Next, Back or Pause (Pause again resumes). Returns the new state."""
    now = now or utcnow()
    pitch_day = lock(pitch_day)
    if pitch_day.round.phase != "open":
        raise ServiceError(_l("The round is not open for scoring, so the pitch day cannot run."))
    count = len(pitch_day.slots)
    state, position = pitch_day.state, pitch_day.current_position
    if action == "start" and state == "ready" and count:
        _call(pitch_day, 0, now)
    elif action == "next" and state in ("live", "paused"):
        if position + 1 < count:
            _call(pitch_day, position + 1, now)
        else:
            pitch_day.state, pitch_day.current_position = "finished", None
            pitch_day.slot_started_at = pitch_day.paused_at = None
    elif action == "back" and state == "finished" and count:
        _call(pitch_day, count - 1, now)
    elif action == "back" and state in ("live", "paused") and position > 0:
        _call(pitch_day, position - 1, now)
    elif action == "pause" and state == "live":
        pitch_day.state, pitch_day.paused_at = "paused", now
    elif action == "pause" and state == "paused":
        pitch_day.slot_started_at += now - pitch_day.paused_at
        pitch_day.state, pitch_day.paused_at = "live", None
    else:
        raise ServiceError(_l("That move is not possible now."))
    db.session.flush()
    record("pitch_day.moved_on", pitch_day, actor=actor, move=action, position=pitch_day.current_position)
    return pitch_day.state


def _call(pitch_day: PitchDay, position: int, now: datetime) -> None:
    pitch_day.state, pitch_day.current_position = "live", position
    pitch_day.slot_started_at, pitch_day.paused_at = now, None


def _judge_link(round_id: int) -> str:
    if has_request_context():
        return url_for("pitchday.judge_page", round_id=round_id, _external=True)
    path = current_app.url_map.bind("localhost").build("pitchday.judge_page", {"round_id": round_id})
    return current_app.config["BASE_URL"].rstrip("/") + path


def remind(pitch_day: PitchDay, judge: User, missing: int, actor: User, now: datetime | None = None) -> PitchReminder:
    """Tell a judge, on their pitch-day page and by e-mail, that `missing` sheets of the pitches
    called so far are not submitted."""
    now = now or utcnow()
    if missing <= 0:
        raise ServiceError(_l("This judge has no missing sheet: no reminder was sent."))
    reminder = db.session.get(PitchReminder, (pitch_day.id, judge.id))
    if reminder is None:
        reminder = PitchReminder(pitch_day_id=pitch_day.id, judge_id=judge.id, sent_at=now, missing=missing, times=1)
        db.session.add(reminder)
    else:
        reminder.sent_at, reminder.missing, reminder.times = now, missing, reminder.times + 1
    queue_mail(
        judge,
        "pitch_day_reminder",
        judge=judge,
        round=pitch_day.round,
        room=pitch_day.room,
        missing=missing,
        link=_judge_link(pitch_day.round_id),
    )
    db.session.flush()
    record("pitch_day.judge_reminded", pitch_day, actor=actor, judge_id=judge.id, missing=missing)
    return reminder


def release_results(pitch_day: PitchDay, actor: User, now: datetime | None = None) -> None:
    """Let the results screen show the round's stored results; only once the round is closed."""
    if pitch_day.round.phase not in ("closed", "decided"):
        raise ServiceError(_l("Close the round first: results are released only from a closed round."))
    if pitch_day.results_released_at is None:
        pitch_day.results_released_at = now or utcnow()
        db.session.flush()
        record("pitch_day.results_released", pitch_day, actor=actor, round_id=pitch_day.round_id)


def slot_count(pitch_day_id: int) -> int:
    return db.session.scalar(select(func.count(PitchSlot.id)).where(PitchSlot.pitch_day_id == pitch_day_id))
