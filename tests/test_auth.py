"""Registration, confirmation, sign-in sessions, passwords and tokens."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from incubator.auth.models import User, UserSession, UserToken
from incubator.core.database import utcnow
from tests.conftest import DEFAULT_PASSWORD, link_in, path_of, post_form


def _register(client, email="ani@startup.example", password=DEFAULT_PASSWORD, confirm=None, name="Ani Rahma"):
    return post_form(
        client,
        "/auth/register",
        {"name": name, "email": email, "password": password, "confirm": confirm or password, "consent": "y"},
    )


def _login(client, email, password=DEFAULT_PASSWORD, **extra):
    return post_form(client, "/auth/login", {"email": email, "password": password, **extra})


def test_register_confirm_login_logout_round_trip(client, outbox, db):
    response = _register(client)
    assert response.status_code == 200
    assert "ani@startup.example" in response.get_data(as_text=True)

    (mail,) = outbox()
    assert mail.recipient == "ani@startup.example"
    assert mail.kind == "confirm_email"
    assert mail.subject == "Konfirmasi e-mail Anda untuk Hetero Incubator"
    assert mail.status == "queued"

    # Before confirming, signing in is refused with a way to get a new link.
    refused = _login(client, "ani@startup.example")
    assert refused.status_code == 200
    assert "Kirim ulang tautan konfirmasi" in refused.get_data(as_text=True)

    confirm_path = path_of(link_in(mail.body))
    assert client.get(confirm_path).status_code == 200  # GET only shows the button
    assert db.scalar(select(User.email_confirmed_at).where(User.email == "ani@startup.example")) is None
    confirmed = post_form(client, confirm_path)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/auth/login"

    signed_in = _login(client, "ani@startup.example")
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Selamat datang, Ani Rahma" in home

    out = post_form(client, "/auth/logout", page="/")
    assert out.status_code == 302
    assert client.get("/admin/users").status_code == 302  # anonymous again: sent to sign in
    assert db.scalar(select(func.count(UserSession.id))) == 0


def test_confirmation_link_is_single_use(client, outbox):
    _register(client)
    confirm_path = path_of(link_in(outbox()[0].body))
    assert post_form(client, confirm_path).status_code == 302
    again = client.get(confirm_path)
    assert again.status_code == 400
    assert "Tautan ini sudah pernah digunakan" in again.get_data(as_text=True)


def test_register_refuses_duplicate_email_and_keeps_what_was_typed(client, create_user):
    create_user(email="taken@startup.example")
    response = _register(client, email="Taken@Startup.example", name="Budi Santoso")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Akun dengan alamat e-mail ini sudah ada." in page
    assert 'value="Budi Santoso"' in page
    assert 'value="Taken@Startup.example"' in page


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "Gunakan minimal 8 karakter."),
        ("password123", "Kata sandi ini terlalu umum"),
        ("Indonesia", "Kata sandi ini terlalu umum"),
        ("aaaaaaaaaa", "Kata sandi ini terlalu umum"),
    ],
)
def test_register_refuses_weak_passwords(client, password, message, db):
    response = _register(client, password=password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(func.count(User.id))) == 0


def test_register_refuses_mismatched_confirmation(client):
    response = _register(client, confirm="Something-Else-99")
    assert "Kedua kata sandi tidak cocok." in response.get_data(as_text=True)


def test_login_wrong_password_says_so_without_revealing_which(client, create_user):
    create_user(email="judge@example.org", roles=["judge"])
    wrong = _login(client, "judge@example.org", "Not-The-Password-1")
    nobody = _login(client, "nobody@example.org", "Not-The-Password-1")
    message = "E-mail atau kata sandi salah."
    assert message in wrong.get_data(as_text=True)
    assert message in nobody.get_data(as_text=True)


def test_login_refuses_deactivated_account(client, create_user):
    create_user(email="gone@example.org", active=False)
    response = _login(client, "gone@example.org")
    assert "Akun ini telah dinonaktifkan." in response.get_data(as_text=True)


def test_login_rotates_the_session(client, create_user, app):
    create_user(email="rotate@example.org")
    client.get("/auth/login")
    with client.session_transaction() as sess:
        sess["sid"] = "planted-by-an-attacker"
        before = dict(sess)
    assert _login(client, "rotate@example.org").status_code == 302
    with client.session_transaction() as sess:
        assert sess["sid"] != before["sid"]
        assert sess.get("csrf_token") != before["csrf_token"]  # the old form secret is gone too


def test_logout_ends_the_session_even_for_a_copied_cookie(client, create_user, make_client):
    create_user(email="copy@example.org")
    _login(client, "copy@example.org")
    cookie = client.get_cookie("session").value
    post_form(client, "/auth/logout", page="/")
    thief = make_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/admin/users").status_code == 302
    assert thief.get("/").get_data(as_text=True).count("Keluar") == 0


def test_password_change_signs_out_other_sessions(create_user, make_client):
    create_user(email="two@example.org")
    phone, laptop = make_client(), make_client()
    _login(phone, "two@example.org")
    _login(laptop, "two@example.org")
    response = post_form(
        laptop,
        "/auth/password",
        {"current": DEFAULT_PASSWORD, "password": "Nasi-Goreng-Pedas-7", "confirm": "Nasi-Goreng-Pedas-7"},
    )
    assert response.status_code == 302
    assert laptop.get("/auth/password").status_code == 200  # this device stays signed in
    assert phone.get("/auth/password").status_code == 302  # the other one is signed out
    assert _login(make_client(), "two@example.org", "Nasi-Goreng-Pedas-7").status_code == 302


def test_password_change_needs_the_current_password(client, login_as, create_user):
    login_as(client, create_user(email="cur@example.org"))
    response = post_form(
        client,
        "/auth/password",
        {"current": "wrong-one-123", "password": "Es-Teh-Manis-42", "confirm": "Es-Teh-Manis-42"},
    )
    assert "Kata sandi Anda saat ini salah." in response.get_data(as_text=True)


def test_password_reset_link_is_single_use_and_ends_sessions(client, create_user, outbox, make_client):
    create_user(email="forgot@example.org")
    other = make_client()
    _login(other, "forgot@example.org")
    assert post_form(client, "/auth/reset", {"email": "forgot@example.org"}).status_code == 302
    (mail,) = outbox()
    assert mail.kind == "reset_password"
    reset_path = path_of(link_in(mail.body))
    new = {"password": "Sate-Ayam-Madura-3", "confirm": "Sate-Ayam-Madura-3"}
    assert post_form(client, reset_path, new).status_code == 302
    assert other.get("/auth/password").status_code == 302
    reused = client.get(reset_path)
    assert reused.status_code == 400
    assert _login(make_client(), "forgot@example.org", "Sate-Ayam-Madura-3").status_code == 302


def test_password_reset_for_unknown_email_looks_the_same(client, outbox):
    response = post_form(client, "/auth/reset", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert outbox() == []


def test_expired_reset_link_is_refused(client, create_user, outbox, db):
    create_user(email="late@example.org")
    post_form(client, "/auth/reset", {"email": "late@example.org"})
    with db.session() as session:
        session.scalar(select(UserToken)).expires_at = utcnow() - timedelta(minutes=1)
    response = client.get(path_of(link_in(outbox()[0].body)))
    assert response.status_code == 400
    assert "Tautan ini sudah kedaluwarsa." in response.get_data(as_text=True)


def test_a_new_reset_link_replaces_the_old_one(client, create_user, outbox):
    create_user(email="twice@example.org")
    post_form(client, "/auth/reset", {"email": "twice@example.org"})
    post_form(client, "/auth/reset", {"email": "twice@example.org"})
    first, second = outbox()
    assert client.get(path_of(link_in(first.body))).status_code == 400
    assert client.get(path_of(link_in(second.body))).status_code == 200


def test_login_redirects_only_to_local_pages(client, create_user):
    create_user(email="next@example.org")
    assert _login(client, "next@example.org", next="//evil.example/x").headers["Location"] == "/"
    post_form(client, "/auth/logout", page="/")
    assert _login(client, "next@example.org", next="/auth/password").headers["Location"] == "/auth/password"


def test_form_without_csrf_token_is_refused(client, create_user):
    create_user(email="csrf@example.org")
    response = client.post("/auth/login", data={"email": "csrf@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "Formulir ini sudah kedaluwarsa" in response.get_data(as_text=True)


def test_login_is_rate_limited_with_a_translated_page(client, create_user):
    create_user(email="limit@example.org")
    statuses = [_login(client, "limit@example.org", "wrong-password-1").status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 200, 429]
    blocked = _login(client, "limit@example.org")
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)


def test_login_rate_limit_per_address_covers_many_accounts(client, app):
    app.config["LOGIN_RATE_LIMIT_PER_ACCOUNT"] = "100 per minute"
    statuses = [_login(client, f"u{i}@example.org", "wrong-password-1").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_no_state_change_on_get(client, create_user, db):
    create_user(email="get@example.org")
    assert client.get("/auth/logout").status_code == 405
