"""The outbox keeps every e-mail; SMTP delivery is tried on a real local server."""

import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import post_form


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, collector
    controller.stop()


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_without_mail_server_messages_wait_in_the_outbox(client, outbox):
    post_form(client, "/auth/register", _registration())
    (mail,) = outbox()
    assert (mail.status, mail.attempts, mail.sent_at) == ("queued", 0, None)


def test_mail_is_sent_by_smtp_after_the_request(app, client, outbox, smtp_server):
    controller, collector = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    post_form(client, "/auth/register", _registration())
    (mail,) = outbox()
    assert (mail.status, mail.attempts, mail.last_error) == ("sent", 1, None)
    assert mail.sent_at is not None
    (delivered,) = collector.messages
    assert delivered["To"] == "tono@warung.example"
    assert _subject(delivered) == "Konfirmasi e-mail Anda untuk Hetero Incubator"
    assert "/auth/confirm/" in delivered.get_payload(decode=True).decode()


def test_smtp_down_keeps_the_message_and_a_later_retry_sends_it(app, client, outbox, smtp_server):
    controller, collector = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_TIMEOUT=2)
    response = post_form(client, "/auth/register", _registration())
    assert response.status_code == 200  # the user is not bothered by the mail server being down
    (mail,) = outbox()
    assert (mail.status, mail.attempts) == ("failed", 1)
    assert mail.last_error.startswith("ConnectionRefusedError")

    app.config["MAIL_PORT"] = controller.port
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.output == "sent 1, failed 0\n"
    assert result.exit_code == 0
    (mail,) = outbox()
    assert (mail.status, mail.attempts, mail.last_error) == ("sent", 2, None)
    assert len(collector.messages) == 1


def test_send_outbox_without_server_says_so(app):
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 1
    assert "MAIL_SERVER is not set" in result.output


def test_send_outbox_gives_up_after_max_attempts(app, client, outbox):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_TIMEOUT=2, MAIL_MAX_ATTEMPTS=2)
    post_form(client, "/auth/register", _registration())
    runner = app.test_cli_runner()
    assert runner.invoke(args=["send-outbox"]).output == "sent 0, failed 1\n"
    assert runner.invoke(args=["send-outbox"]).output == "sent 0, failed 0\n"
    (mail,) = outbox()
    assert (mail.status, mail.attempts) == ("failed", 2)


def _registration():
    return {
        "name": "Tono",
        "email": "tono@warung.example",
        "password": "Bakso-Urat-99",
        "confirm": "Bakso-Urat-99",
        "consent": "y",
    }
