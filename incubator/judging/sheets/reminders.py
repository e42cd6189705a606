"""Reminders to the judges of an open round who still have applications to score: from the round
page (`remind_judges`) or a scheduler (`flask send-reminders`). The work left comes from queue.py."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app, has_request_context, url_for
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from incubator.audit.services import record
from incubator.auth.models import User
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.guests.addresses import receives_mail
from incubator.judging.models import JudgeReminder, Round
from incubator.judging.sheets.queue import round_work
from incubator.judging.sheets.services import lock_round
from incubator.mail.outbox import queue_mail


def _queue_link(round_id: int) -> str:
    if has_request_context():
        return url_for("scoring.queue", round_id=round_id, _external=True)
    path = current_app.url_map.bind("localhost").build("scoring.queue", {"round_id": round_id})
    return current_app.config["BASE_URL"].rstrip("/") + path


@dataclass(frozen=True)
class Reminded:
    """What a reminder run did: judges e-mailed, and judges with work left who were reminded of
    this round within the interval and so were not e-mailed again."""

    sent: int
    recent: int


def reminder_interval() -> timedelta:
    return timedelta(hours=current_app.config["JUDGE_REMINDER_INTERVAL_HOURS"])


def last_reminder(round_: Round) -> datetime | None:
    """When the last reminder of this round went out (to any judge), or None."""
    return db.session.scalar(select(func.max(JudgeReminder.sent_at)).where(JudgeReminder.round_id == round_.id))


def remind_judges(round_: Round, actor: User | None = None) -> Reminded:
    """Queue one e-mail, in the judge's language, to every active judge of `round_` who still has
    applications to score and was not reminded of it within the interval (`JUDGE_REMINDER_INTERVAL_HOURS`).
    Only while the round is open for scoring. Runs one at a time per round (the round's row is
    locked), so a button press and a scheduled run at the same moment cannot both e-mail a judge."""
    round_ = lock_round(round_.id, exclusive=True)
    if round_.phase != "open":
        raise ServiceError(_l("Reminders can be sent only while the round is open for scoring."))
    now = utcnow()
    if round_.scoring_closes_at and now >= round_.scoring_closes_at:
        raise ServiceError(_l("The scoring window of this round has ended; no reminder was sent."))
    last = {r.judge_id: r for r in db.session.scalars(select(JudgeReminder).where(JudgeReminder.round_id == round_.id))}
    since = now - reminder_interval()
    reminded, recent = [], []
    for (_round_id, judge_id), work in sorted(round_work([round_]).items(), key=lambda kv: kv[1].judge.email):
        judge = work.judge
        if work.left == 0 or not judge.active or not receives_mail(judge.email):
            continue  # a guest judge without e-mail is reminded in the room, not by mail
        previous = last.get(judge_id)
        if previous is not None and previous.sent_at > since:
            recent.append(judge_id)
            continue
        queue_mail(
            judge,
            "judge_reminder",
            judge=judge,
            round=round_,
            left=work.left,
            total=work.total,
            link=_queue_link(round_.id),
        )
        if previous is None:
            db.session.add(JudgeReminder(round_id=round_.id, judge_id=judge_id, sent_at=now))
        else:
            previous.sent_at = now
        reminded.append(judge_id)
    record("round.judges_reminded", round_, actor=actor, judges=len(reminded), judge_ids=reminded)
    db.session.flush()
    return Reminded(len(reminded), len(recent))


@click.command("send-reminders")
@with_appcontext
@click.option("--round", "round_id", type=int, help="Only this round (default: every round open for scoring).")
def send_reminders_command(round_id: int | None):
    """E-mail every judge who still has applications to score (for a scheduler, e.g. daily)."""
    # Mail templates and links need a request context (BASE_URL gives links their host); messages here are English.
    with current_app.test_request_context("/?lang=en", base_url=current_app.config["BASE_URL"]):
        if round_id is not None:
            round_ = db.session.get(Round, round_id)
            if round_ is None:
                raise click.ClickException(f"No round with id {round_id}.")
            rounds = [round_]
        else:
            rounds = db.session.scalars(select(Round).where(Round.phase == "open").order_by(Round.id)).all()
            rounds = [r for r in rounds if not r.scoring_closes_at or r.scoring_closes_at > utcnow()]
        for round_ in rounds:
            try:
                done = remind_judges(round_)
            except ServiceError as exc:
                db.session.rollback()
                raise click.ClickException(f"Round {round_.id} ({round_.name}): {exc.message}") from None
            db.session.commit()
            hours = current_app.config["JUDGE_REMINDER_INTERVAL_HOURS"]
            recent = f", {done.recent} already reminded in the last {hours} h" if done.recent else ""
            click.echo(f"Round {round_.id} ({round_.name}): {done.sent} judge(s) reminded{recent}")
        if not rounds:
            click.echo("No round is open for scoring.")
