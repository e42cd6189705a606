"""A director adds a guest judge from a phone and shows the card (QR code and link); the guest
opens the link on another phone, signs in with one tap, declares a conflict from their first page
and scores; the director revokes the pass and the guest's next page is the sign-in page. Every
page passes axe and never scrolls sideways at 360 px."""

import re

from sqlalchemy import select

from incubator.judging.guests.models import GuestPass
from incubator.judging.models import ConflictDeclaration
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.test_scoring_pages import build_world

SAVED = re.compile(r"Saved at \d\d\.\d\d")


def _check(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_director_invites_a_guest_who_signs_in_by_link_and_is_revoked(
    app, browser, base_url, phone, create_user, create_cohort, check_accessible, db
):
    from playwright.sync_api import expect

    world = build_world(app, create_user, create_cohort)
    director = phone
    director.goto("/auth/login?lang=en")
    director.get_by_label("E-mail").fill(world.director.email)
    director.get_by_label("Password").fill(DEFAULT_PASSWORD)
    director.locator("main").get_by_role("button", name="Sign in").click()
    director.goto(f"/rounds/{world.round}")
    director.get_by_role("link", name="Guest judges").click()
    expect(director.get_by_role("heading", level=1)).to_have_text("Guest judges: Seleksi pitch")
    _check(director, check_accessible)
    director.get_by_label("Guest's name").fill("Prof. Dr. Sri Wahyuningsih Kusumawardhani")
    director.get_by_role("button", name="Add the guest").click()
    expect(director.locator("main")).to_contain_text("The guest judge is added.")
    expect(director.get_by_role("heading", level=1)).to_have_text("Prof. Dr. Sri Wahyuningsih Kusumawardhani")
    expect(director.locator("svg.guest-qr")).to_be_visible()
    _check(director, check_accessible)
    link = director.locator(".guest-card-link a").get_attribute("href")
    assert link.startswith(base_url + "/guest/")

    guest_context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 780}, is_mobile=True)
    try:
        guest = guest_context.new_page()
        guest.set_default_timeout(10_000)
        guest.goto(link + "?lang=en")
        expect(guest.get_by_role("heading", level=1)).to_have_text("Welcome, Prof. Dr. Sri Wahyuningsih Kusumawardhani")
        _check(guest, check_accessible)
        guest.get_by_role("button", name="Start judging").click()
        expect(guest.get_by_role("heading", level=1)).to_have_text("Your queue: Seleksi pitch")
        expect(guest.locator("main")).to_contain_text("You are a guest judge in Seleksi pitch.")
        expect(guest.get_by_role("link", name="Password")).to_have_count(0)  # a guest has none
        _check(guest, check_accessible)
        guest.get_by_text("Declare a conflict of interest GamelanVerse").click()
        guest.get_by_label("Why can you not judge GamelanVerse fairly?").fill("My cousin founded it")
        guest.get_by_role("button", name="Declare the conflict").click()
        expect(guest.locator("main")).to_contain_text("Your conflict of interest with GamelanVerse is recorded.")
        guest.get_by_role("link", name="Score Batik Lurik").click()
        guest.locator(f"#score-{world.problem}-5").check()
        expect(guest.locator("#autosave-status")).to_have_text(SAVED)

        guest_id = db.scalar(select(GuestPass.user_id))
        declared = db.scalars(select(ConflictDeclaration).where(ConflictDeclaration.judge_id == guest_id))
        assert [(d.application_id, d.reason) for d in declared] == [(world.apps[1], "My cousin founded it")]

        director.get_by_role("link", name="Back to the guest judges").click()
        row = director.locator(".guest-item")
        expect(row).to_contain_text("Signed in")
        _check(director, check_accessible)
        row.get_by_role("button", name="Revoke").click()
        expect(director.locator("main")).to_contain_text("The guest's pass is revoked; they are signed out.")
        expect(row).to_contain_text("Revoked")

        # The guest, still on the sheet, changes a score: the save meets the sign-in page.
        guest.locator(f"#score-{world.problem}-4").check()
        expect(guest.locator("#autosave-status")).to_have_text(
            "Not saved: you are signed out. Your entries are kept in this browser and sent when you open this "
            "sheet again after signing in."
        )
        assert guest.evaluate("localStorage.length") == 1
        guest.goto(f"/rounds/{world.round}/queue?lang=en")
        expect(guest.get_by_role("heading", level=1)).to_have_text("Sign in")
        # (the "pass has ended" notice went to the save that met the sign-in page)
        expect(guest.locator("main")).to_contain_text("Please sign in to open that page.")
    finally:
        guest_context.close()
