"""Queue e-mails in the outbox and deliver them by SMTP.

Queuing happens inside a service, in the same transaction as the change it
reports. Delivery happens after the request's commit (or from `flask send-outbox`),
so a missing or broken mail server never loses a message: it stays queued or
failed, with the error, until a later attempt succeeds.
"""

import smtplib
from collections import defaultdict
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from flask import Flask, current_app, g, render_template
from flask_babel import force_locale
from sqlalchemy import insert, select

from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.mail.models import MailStatus, OutboxMessage

if TYPE_CHECKING:
    from incubator.auth.models import User


def queue_mail(recipient: "User", kind: str, **context) -> OutboxMessage:
    """Render `templates/mail/<kind>.txt` in the recipient's language (`User.locale`, the one
    they chose) and keep it in the outbox for their address (see `queue_mails`)."""
    (message_id,) = queue_mails([(recipient, kind, context)])
    return db.session.get(OutboxMessage, message_id)


def queue_mails(mails: Sequence[tuple["User", str, dict]]) -> list[int]:
    """Queue many e-mails at once, (recipient, kind, template context) each, as `queue_mail` does
    for one; the new messages' ids, in the same order.

    Each is rendered from `templates/mail/<kind>.txt` in its recipient's language (`User.locale`);
    the template's first line is the subject, the rest the body. One INSERT for all of them."""
    rows: list[dict | None] = [None] * len(mails)
    by_locale: dict[str, list[int]] = defaultdict(list)
    for index, (recipient, _kind, _context) in enumerate(mails):
        by_locale[recipient.locale or "id"].append(index)
    for locale, indexes in by_locale.items():
        with force_locale(locale):  # once per language: switching it costs more than a render
            for index in indexes:
                recipient, kind, context = mails[index]
                text = render_template(f"mail/{kind}.txt", **context)
                subject, _, body = text.lstrip().partition("\n")
                rows[index] = {
                    "recipient": recipient.email,
                    "subject": subject.strip()[:255],
                    "body": body.strip() + "\n",
                    "kind": kind,
                }
    if not rows:
        return []
    ids = list(
        db.session.scalars(insert(OutboxMessage).returning(OutboxMessage.id, sort_by_parameter_order=True), rows)
    )
    g.setdefault("outbox_ids", []).extend(ids)
    return ids


def _smtp_send(message: OutboxMessage) -> None:
    cfg = current_app.config
    email = EmailMessage()
    email["From"] = cfg["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="hetero-incubator")
    email.set_content(message.body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"]) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def deliver(ids: list[int] | None = None) -> tuple[int, int]:
    """Try to send queued or failed messages (all of them, or `ids`); commit each result.

    Returns (sent, failed). Without MAIL_SERVER nothing is attempted. A message is
    given up after MAIL_MAX_ATTEMPTS tries; it stays in the outbox for a director.
    """
    if not current_app.config.get("MAIL_SERVER"):
        return 0, 0
    query = select(OutboxMessage).where(
        OutboxMessage.status != MailStatus.SENT.value,
        OutboxMessage.attempts < current_app.config["MAIL_MAX_ATTEMPTS"],
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    sent = failed = 0
    for message in db.session.scalars(query.order_by(OutboxMessage.id)).all():
        message.attempts += 1
        try:
            _smtp_send(message)
        except (OSError, smtplib.SMTPException) as exc:
            message.status = MailStatus.FAILED.value
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            current_app.logger.warning("mail %s to %s failed: %s", message.id, message.recipient, exc)
            failed += 1
        else:
            message.status = MailStatus.SENT.value
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        db.session.commit()
    return sent, failed


def _deliver_after_request(response):
    ids = g.pop("outbox_ids", None)
    if ids and current_app.config.get("MAIL_SERVER") and response.status_code < 400:
        try:
            deliver(ids)
        except Exception:  # delivery must never break the page the user asked for
            db.session.rollback()
            current_app.logger.exception("mail delivery after request failed")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_deliver_after_request)
