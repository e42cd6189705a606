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
