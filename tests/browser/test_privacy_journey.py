"""A founder on a phone: asked again for consent after the notice changed, downloads their data,
and asks for deletion; the director reviews what would be removed and approves; the founder can no
longer sign in."""

import json
import zipfile

from sqlalchemy import select

from incubator.extensions import db as _db
from tests import privacy_world as pw
from tests.browser.conftest import assert_no_horizontal_scroll

PASSWORD = "Kopi-Tubruk-2026"


def _sign_in(page, email):
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def test_consent_download_and_an_approved_deletion(
    app, phone, browser, base_url, create_user, create_cohort, check_accessible
):
    from incubator.auth.models import User
    from incubator.auth.passwords import hash_password
    from incubator.privacy.models import Consent

    world = pw.build(app, create_user, create_cohort)
    with app.app_context():
        user = _db.session.get(User, world.user_id)
        user.password_hash = hash_password(PASSWORD)
        director = _db.session.get(User, world.base.director_id)
        director.password_hash = hash_password(PASSWORD)
        director_email = director.email
        _db.session.query(Consent).update({"version": "2025-01"})  # accepted before the notice changed
        _db.session.commit()
    page = phone

    # Asked again: the page must be accepted before anything else.
    _sign_in(page, pw.EMAIL)
    assert page.get_by_role("heading", level=1).inner_text() == "Your consent to the privacy notice"
    assert "has changed since you accepted version 2025-01" in page.locator("main").inner_text()
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Accept and continue").click()
    assert "Tick the box to accept the privacy notice." in page.locator("main").inner_text()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Accept and continue").click()
    assert "your consent to the privacy notice is recorded" in page.locator(".flash").inner_text()

    # The data page: consents, the download, deletion.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Your data").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your data"
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download (ZIP)").click()
    archive = zipfile.ZipFile(download.value.path())
    assert f"decks/{world.application_id}-GamelanVerse deck.pdf" in archive.namelist()
    data = json.loads(archive.read("data.json"))
    assert [c["version"] for c in data["consents"]] == ["2025-01", "2026-12"]

    page.get_by_label("Why (optional)").fill("Saya tidak melanjutkan startup ini.")
    page.get_by_label("I understand that my account").check()
    page.get_by_role("button", name="Ask for deletion").click()
    assert "Your request is sent." in page.locator(".flash").inner_text()
    assert "A director will review your request." in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    # The director reviews and approves.
    _sign_in(page, director_email)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Deletion requests").click()
    check_accessible(page)
    page.get_by_role("link", name="#1").click()
    main = page.locator("main").inner_text()
    assert f"The account of {pw.NAME} ({pw.EMAIL})" in main
    assert "Startup GamelanVerse: its profile and the contacts of its 2 team member(s)." in main
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Reason").fill("Disetujui.")
    page.get_by_role("button", name="Approve and erase").click()
    assert "The personal data is erased." in page.locator(".flash").inner_text()
    assert "Applications erased: 1" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, pw.EMAIL)
    assert "The e-mail or password is not correct." in page.locator(".flash").inner_text()
    with app.app_context():
        assert _db.session.scalar(select(User.email).where(User.id == world.user_id)).endswith("@erased.invalid")
