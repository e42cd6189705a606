"""First journeys in a real browser: register, confirm by the e-mailed link, sign in, sign out."""

import re

import pytest
from sqlalchemy import select

from incubator.mail.models import OutboxMessage
from tests.browser.conftest import assert_no_horizontal_scroll

TEXT = {
    "id": {
        "register": "Daftar",
        "create": "Buat akun",
        "check": "Periksa e-mail Anda",
        "confirm": "Konfirmasi e-mail saya",
        "confirmed": "Alamat e-mail Anda telah dikonfirmasi",
        "sign_in": "Masuk",
        "welcome": "Selamat datang, Sekar Ayu",
        "sign_out": "Keluar",
        "signed_out": "Anda telah keluar.",
    },
    "en": {
        "register": "Register",
        "create": "Create account",
        "check": "Check your e-mail",
        "confirm": "Confirm my e-mail",
        "confirmed": "Your e-mail address is confirmed",
        "sign_in": "Sign in",
        "welcome": "Welcome, Sekar Ayu",
        "sign_out": "Sign out",
        "signed_out": "You have signed out.",
    },
}


def _confirmation_link(app, email):
    from incubator.extensions import db

    with app.app_context():
        body = db.session.scalar(
            select(OutboxMessage.body).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())
        )
    return re.search(r"https?://\S+", body).group(0)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_register_confirm_sign_in_sign_out(app, phone, check_accessible, lang):
    t = TEXT[lang]
    email = f"sekar.{lang}@kriya.example"
    page = phone

    page.goto(f"/?lang={lang}")
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("navigation", name=re.compile("Menu|menu")).get_by_role("link", name=t["register"]).click()

    check_accessible(page)
    page.get_by_label({"id": "Nama lengkap", "en": "Full name"}[lang]).fill("Sekar Ayu")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label({"id": "Kata sandi", "en": "Password"}[lang], exact=True).fill("Lurik-Klaten-2026")
    page.get_by_label({"id": "Ulangi kata sandi", "en": "Repeat the password"}[lang]).fill("Lurik-Klaten-2026")
    page.get_by_role("checkbox").check()  # the privacy notice
    page.get_by_role("button", name=t["create"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == t["check"]
    check_accessible(page)

    page.goto(_confirmation_link(app, email))
    check_accessible(page)
    page.get_by_role("button", name=t["confirm"]).click()
    assert t["confirmed"] in page.locator(".flash").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == t["sign_in"]
    check_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_label("E-mail").fill(email)
    page.get_by_label({"id": "Kata sandi", "en": "Password"}[lang]).fill("Lurik-Klaten-2026")
    page.locator("main").get_by_role("button", name=t["sign_in"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == t["welcome"]
    check_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name=re.compile(t["sign_out"])).click()
    assert t["signed_out"] in page.locator(".flash").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == t["sign_in"]
    assert len(check_accessible.checked) == 6


def test_wrong_password_keeps_the_email_typed(app, phone, create_user, check_accessible):
    create_user(email="typed@kriya.example")
    phone.goto("/auth/login?lang=en")
    phone.get_by_label("E-mail").fill("typed@kriya.example")
    phone.get_by_label("Password").fill("not-the-password")
    phone.locator("main").get_by_role("button", name="Sign in").click()
    assert "The e-mail or password is not correct." in phone.locator(".flash").inner_text()
    assert phone.get_by_label("E-mail").input_value() == "typed@kriya.example"
    check_accessible(phone)


def test_director_pages_are_accessible_at_phone_width(app, phone, create_user, check_accessible):
    director = create_user(email="dir@hetero.example", roles=["director"], name="Dewi Lestari")
    create_user(email="judge@hetero.example", roles=["judge", "mentor"], name="Agus Setiawan")
    phone.goto("/auth/login?lang=id")
    phone.get_by_label("E-mail").fill("dir@hetero.example")
    phone.get_by_label("Kata sandi").fill("Kopi-Tubruk-2026")
    phone.locator("main").get_by_role("button", name="Masuk").click()
    for path in [
        "/",
        "/admin/users",
        "/admin/users/invite",
        f"/admin/users/{director.id}",
        "/admin/outbox",
        "/admin/audit",
        "/auth/password",
    ]:
        phone.goto(path)
        assert phone.locator("h1").count() == 1
        check_accessible(phone)
        assert_no_horizontal_scroll(phone)
