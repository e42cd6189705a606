"""Reminders to the judges of an open round who still have applications to score: from the round
page (`remind_judges`) or a scheduler (`flask send-reminders`). The work left comes from queue.py."""

import click
from flask import current_app, has_request_context, url_for
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.audit.services import record
from incubator.auth.models import User
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.models import Round
from incubator.judging.sheets.queue import round_work
from incubator.mail.outbox import queue_mail


def _queue_link(round_id: int) -> str:
    if has_request_context():
        return url_for("scoring.queue", round_id=round_id, _external=True)
    path = current_app.url_map.bind("localhost").build("scoring.queue", {"round_id": round_id})
    return current_app.config["BASE_URL"].rstrip("/") + path


def remind_judges(round_: Round, actor: User | None = None) -> int:
    """Queue one e-mail, in the judge's language, to every active judge of `round_` who still has
    applications to score; returns how many were queued. Only while the round is open for scoring."""
    if round_.phase != "open":
        raise ServiceError(_l("Reminders can be sent only while the round is open for scoring."))
    if round_.scoring_closes_at and utcnow() >= round_.scoring_closes_at:
        raise ServiceError(_l("The scoring window of this round has ended; no reminder was sent."))
    reminded = []
    for (_round_id, judge_id), work in sorted(round_work([round_]).items(), key=lambda kv: kv[1].judge.email):
        judge = work.judge
        if work.left == 0 or not judge.active:
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
        reminded.append(judge_id)
    record("round.judges_reminded", round_, actor=actor, judges=len(reminded), judge_ids=reminded)
    db.session.flush()
    return len(reminded)


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
                sent = remind_judges(round_)
            except ServiceError as exc:
                db.session.rollback()
                raise click.ClickException(f"Round {round_.id} ({round_.name}): {exc.message}") from None
            db.session.commit()
            click.echo(f"Round {round_.id} ({round_.name}): {sent} judge(s) reminded")
        if not rounds:
            click.echo("No round is open for scoring.")
