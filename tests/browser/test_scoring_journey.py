"""Two judges score from their phones (360 px): autosave on every change, a reload keeps what was
saved, Submit locks the sheet, a second tab cannot overwrite a newer save, and a judge declares
a conflict of interest instead of scoring; then the director reopens a sheet and reminds the judges.
Every page is axe-checked and never scrolls sideways."""

import re

from sqlalchemy import select

from incubator.judging.models import ConflictDeclaration, ScoreSheet
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.test_scoring_pages import STALE, build_world

SAVED = re.compile(r"Saved at \d\d\.\d\d")


def _sign_in(page, email):
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def _check(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_two_judges_score_on_phones_with_autosave(
    app, browser, base_url, phone, create_user, create_cohort, check_accessible, db
):
    from playwright.sync_api import expect

    world = build_world(app, create_user, create_cohort)
    problem, team = world.problem, world.team

    # --- Sari scores Batik Lurik ----------------------------------------------------------
    page = phone
    _sign_in(page, "sari@gmail.com")
    judging = page.locator("#home-judge").locator("..")
    expect(judging).to_contain_text("0 of 2 submitted")
    _check(page, check_accessible)
    judging.get_by_role("link", name="Seleksi pitch · Hetero for Startup Solo 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your queue: Seleksi pitch")
    expect(page.locator("main")).to_contain_text("Deadline")
    expect(page.locator("main")).to_contain_text("9 Mar 2099 17.30 WIB")
    _check(page, check_accessible)
    page.get_by_role("link", name="Score Batik Lurik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batik Lurik")
    _check(page, check_accessible)

    status = page.locator("#autosave-status")
    page.locator(f"#score-{problem}-4").check()
    expect(status).to_have_text(SAVED)
    page.get_by_label("Comment on Problem").fill("Real pain, measured with 12 workshops")
    expect(status).to_have_text(SAVED)  # saved after a pause in typing, or when the box loses focus
    page.get_by_label("Overall comment").fill("Promising team")
    page.get_by_label("Overall comment").blur()
    expect(status).to_have_text(SAVED)

    page.reload()
    expect(page.locator(f"#score-{problem}-4")).to_be_checked()
    expect(page.get_by_label("Comment on Problem")).to_have_value("Real pain, measured with 12 workshops")
    expect(page.get_by_label("Overall comment")).to_have_value("Promising team")
    sheet = db.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == world.judges[0].id))
    assert sheet.status == "draft"

    # Submit checks every criterion: Team has no score yet.
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator(".form-errors")).to_contain_text("Give a score for every criterion before submitting: Team.")
    _check(page, check_accessible)
    page.locator(f"#score-{team}-7\\.5").check()
    expect(status).to_have_text(SAVED)
    page.get_by_label("Advance").check()
    expect(status).to_have_text(SAVED)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your queue: Seleksi pitch")
    expect(page.locator("main")).to_contain_text("Your scores for Batik Lurik are submitted and locked.")
    expect(page.locator("main")).to_contain_text("1 of 2 submitted")
    _check(page, check_accessible)
    page.get_by_role("link", name="View your scores Batik Lurik").click()
    expect(page.locator("main")).to_contain_text("The sheet is locked")
    expect(page.locator("#scoring-form")).to_have_count(0)
    _check(page, check_accessible)

    # --- Budi: two tabs on GamelanVerse, then a conflict on Batik Lurik ---------------------
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 780}, is_mobile=True)
    try:
        first = context.new_page()
        first.set_default_timeout(10_000)
        _sign_in(first, "budi@yahoo.co.id")
        gamelan = f"/rounds/{world.round}/applications/{world.apps[1]}/score?lang=en"
        first.goto(gamelan)
        first.locator(f"#score-{problem}-3").check()
        expect(first.locator("#autosave-status")).to_have_text(SAVED)
        second = context.new_page()
        second.set_default_timeout(10_000)
        second.goto(gamelan)
        expect(second.locator(f"#score-{problem}-3")).to_be_checked()
        first.locator(f"#score-{problem}-5").check()  # the first tab moves on
        expect(first.locator("#autosave-status")).to_have_text(SAVED)
        second.locator(f"#score-{problem}-1").check()  # the second tab is behind: refused
        expect(second.locator("#autosave-status")).to_have_text(STALE)
        second.reload()
        expect(second.locator(f"#score-{problem}-5")).to_be_checked()
        _check(second, check_accessible)

        first.goto(f"/rounds/{world.round}/queue?lang=en")
        item = first.locator(f"#application-{world.apps[0]}")
        item.get_by_text("Declare a conflict of interest").click()
        item.get_by_label("Why can you not judge Batik Lurik fairly?").fill("I advise its founder")
        _check(first, check_accessible)
        item.get_by_role("button", name="Declare the conflict").click()
        expect(first.get_by_role("heading", level=1)).to_have_text("Your queue: Seleksi pitch")
        item = first.locator(f"#application-{world.apps[0]}")
        expect(item).to_contain_text("Conflict declared")
        expect(item).to_contain_text("I advise its founder")
        expect(first.locator("main")).to_contain_text("0 of 1 submitted")
        _check(first, check_accessible)
        declared = db.scalar(select(ConflictDeclaration).where(ConflictDeclaration.judge_id == world.judges[1].id))
        assert (declared.application_id, declared.reason) == (world.apps[0], "I advise its founder")
    finally:
        context.close()

    # --- the director reopens Sari's sheet and reminds the judges -------------------------
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 780}, is_mobile=True)
    try:
        director = context.new_page()
        director.set_default_timeout(10_000)
        _sign_in(director, world.director.email)
        director.goto(f"/rounds/{world.round}/sheets?lang=en")
        expect(director.get_by_role("heading", level=1)).to_have_text("Score sheets: Seleksi pitch")
        _check(director, check_accessible)
        director.get_by_role("button", name="Reopen Batik Lurik, Sari Wulandari").click()
        expect(director.locator("main")).to_contain_text("The sheet is reopened")
        _check(director, check_accessible)
        director.goto(f"/rounds/{world.round}")
        director.get_by_role("button", name="Remind judges with unfinished sheets").click()
        expect(director.locator("main")).to_contain_text("A reminder was sent to 2 judges.")
        _check(director, check_accessible)
    finally:
        context.close()
