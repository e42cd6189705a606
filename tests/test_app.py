"""Health check, security headers, error pages and languages."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from config import TestConfig
from incubator import create_app
from incubator.core.i18n import format_rupiah, format_wib


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_503_when_database_does_not_answer():
    class Unreachable(TestConfig):
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2"

    app = create_app(Unreachable)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable", "detail": "OperationalError"}


def test_pages_show_a_translated_error_when_database_is_down():
    class Unreachable(TestConfig):
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2"

    client = create_app(Unreachable).test_client()
    client.set_cookie("session", "not-a-valid-session")
    with client.session_transaction() as sess:
        sess["_user_id"] = "1"
        sess["sid"] = "x"
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Layanan tidak tersedia" in page
    assert "Traceback" not in page


def test_security_headers_on_every_page(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_flags(client, create_user):
    from tests.conftest import post_form

    create_user(email="flags@example.org")
    response = post_form(client, "/auth/login", {"email": "flags@example.org", "password": "Kopi-Tubruk-2026"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 32)
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_indonesian_is_the_default_language(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "<h1>Masuk</h1>" in page


def test_lang_switch_is_remembered(client):
    page = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert "<h1>Sign in</h1>" in page
    again = client.get("/auth/register").get_data(as_text=True)
    assert '<html lang="en">' in again
    assert "<h1>Create an account</h1>" in again
    back = client.get("/auth/register?lang=id").get_data(as_text=True)
    assert '<html lang="id">' in back


def test_unknown_language_is_ignored(client):
    assert '<html lang="id">' in client.get("/auth/login?lang=xx").get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "title"),
    [("id", "Halaman tidak ditemukan"), ("en", "Page not found")],
)
def test_404_page_is_translated(client, lang, title):
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in response.get_data(as_text=True)


def test_500_page_shows_no_traceback():
    app = create_app(TestConfig)

    @app.route("/_boom")
    def _boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/_boom?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in page
    assert "secret internals" not in page
    assert "Traceback" not in page


def test_413_page_is_translated(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10
    response = client.post("/auth/login", data={"email": "x" * 100})
    assert response.status_code == 413
    assert "<h1>File too large</h1>" in client.post("/auth/login?lang=en", data={"email": "x" * 100}).get_data(
        as_text=True
    )


def test_format_wib_shows_jakarta_time(app):
    moment = datetime(2026, 11, 23, 11, 4, tzinfo=UTC)
    with app.test_request_context("/?lang=id"):
        assert format_wib(moment) == "23 Nov 2026 18.04 WIB"
    with app.test_request_context("/?lang=en"):
        assert format_wib(moment) == "23 Nov 2026 18.04 WIB"


def test_format_rupiah(app):
    with app.test_request_context("/?lang=id"):
        assert format_rupiah(1_500_000) == "Rp 1.500.000"
        assert format_rupiah(Decimal("150000000.4")) == "Rp 150.000.000"
        assert format_rupiah(-2500) == "-Rp 2.500"
        assert format_rupiah(0) == "Rp 0"
        assert format_rupiah(None) == ""
    with app.test_request_context("/?lang=en"):
        assert format_rupiah(1_500_000) == "Rp 1,500,000"


@pytest.mark.parametrize(("hops", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_client_address_behind_a_trusted_proxy(hops, seen):
    """Behind nginx (TRUSTED_PROXIES=1) rate limits and the audit trail see the client, not the proxy;
    without it, a forged X-Forwarded-For changes nothing."""
    from flask import request

    class Proxied(TestConfig):
        TRUSTED_PROXIES = hops

    app = create_app(Proxied)

    @app.get("/whoami-test")
    def whoami():
        return f"{request.remote_addr} {request.scheme}"

    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    response = app.test_client().get("/whoami-test", headers=headers)
    assert response.get_data(as_text=True) == f"{seen} {'https' if hops else 'http'}"


def test_the_wsgi_app_and_its_objects_are_frozen_for_the_garbage_collector(tmp_path):
    """`gunicorn wsgi:app`: the app's own long-lived objects are left out of every collection."""
    import subprocess
    import sys
    from pathlib import Path

    script = "import gc, wsgi; print(any(o is wsgi.app for o in gc.get_objects()), gc.get_freeze_count() > 100_000)"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}", "SECRET_KEY": "test"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.split() == ["False", "True"], done.stderr


def _gunicorn_config(monkeypatch, *args):
    """gunicorn's settings for `gunicorn *args wsgi:app` started in the project's folder, after the
    hook gunicorn runs before it starts its workers."""
    from pathlib import Path
    from types import SimpleNamespace

    from gunicorn.app.wsgiapp import WSGIApplication

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    monkeypatch.setattr("sys.argv", ["gunicorn", *args, "wsgi:app"])
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    cfg = WSGIApplication().cfg
    cfg.on_starting(SimpleNamespace(cfg=cfg))
    return cfg


def test_gunicorn_workers_take_a_connection_only_with_a_thread_free(monkeypatch):
    """gunicorn.conf.py: a threaded worker holds at most one connection per thread, one request
    each, so connections go to the worker with a thread free (docs/deploy.md)."""
    cfg = _gunicorn_config(monkeypatch, "-w", "2", "--threads", "4")
    assert (cfg.worker_class.__name__, cfg.worker_connections, cfg.keepalive) == ("ThreadWorker", 4, 0)
    cfg = _gunicorn_config(monkeypatch, "-w", "4", "--threads", "2")
    assert (cfg.worker_connections, cfg.keepalive) == (2, 0)
    cfg = _gunicorn_config(monkeypatch, "--threads", "4", "--worker-connections", "50")
    assert cfg.worker_connections == 50  # said on the command line: kept
    cfg = _gunicorn_config(monkeypatch, "-w", "2")
    assert (cfg.worker_class.__name__, cfg.worker_connections) == ("SyncWorker", 1000)  # not threaded: unused


def test_gunicorn_answers_one_request_per_connection(tmp_path):
    """The real server: each answer closes its connection, and the next request gets a new one."""
    import http.client
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
        "SECRET_KEY": "test",
        "REDIS_URL": "",
        "MAIL_SERVER": "",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "-w", "1", "--threads", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        deadline = time.monotonic() + 60
        while True:
            try:
                connection.request("GET", "/healthz")
                break
            except OSError:
                connection.close()
                assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
                time.sleep(0.2)
        answers = []
        for _ in range(2):
            response = connection.getresponse()
            answers.append((response.status, response.getheader("Connection"), response.read()))
            if len(answers) < 2:
                connection.request("GET", "/healthz")  # http.client connects again
        assert answers == [(200, "close", b'{"status":"ok"}\n')] * 2
    finally:
        server.terminate()
        server.wait(30)
