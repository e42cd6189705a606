"""A mentor at 360 px logs a session with two action items; the founder signs in, reads the shared
note and ticks an item done with a comment. Every page passes axe and never scrolls sideways."""

from datetime import timedelta

from sqlalchemy import select

from incubator.extensions import db as _db
from incubator.mentoring.models import ActionItem, SessionNote
from incubator.mentoring.queries import today_wib
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.mentoring_helpers import build_incubation


def _checked(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def _sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def test_mentor_logs_session_and_founder_ticks_an_item(app, phone, check_accessible, create_user, create_cohort):
    mentor = create_user(email="sari.mentor@example.org", name="Sari Mentor", roles=["mentor"], locale="en")
    world = build_incubation(app, create_user, create_cohort, names=("Batik Lab",), mentor=mentor)
    founder = world.founders[0]
    page = phone

    _sign_in(page, mentor.email)
    page.goto("/mentoring?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "Your mentoring"
    _checked(page, check_accessible)
    page.get_by_role("link", name="Log a session with Batik Lab").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Log a session"
    _checked(page, check_accessible)
    today = today_wib()
    page.get_by_label("Date of the session").fill(today.isoformat())
    page.get_by_label("Duration (minutes)").fill("75")
    page.get_by_label("Theme").select_option("legality_licensing")
    page.get_by_label("Notes").fill("We went through the **NIB** steps.\n\n<script>alert(1)</script>")
    page.get_by_label("Shared with the startup's team").check()
    rows = page.locator("fieldset.action-row")
    rows.nth(0).get_by_label("Action item").fill("Register the NIB at OSS")
    rows.nth(0).get_by_label("Owner").select_option(label="Founder 0")
    rows.nth(0).get_by_label("Due date").fill((today + timedelta(days=7)).isoformat())
    rows.nth(1).get_by_label("Action item").fill("Draft the brand guide")
    rows.nth(1).get_by_label("Due date").fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Save the session").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Batik Lab"
    main = page.locator("main").inner_text()
    assert "The session is saved." in main
    assert "Register the NIB at OSS" in main and "Draft the brand guide" in main
    assert "<script>alert(1)</script>" in main  # shown as text, never run
    _checked(page, check_accessible)
    with app.app_context():
        note = _db.session.scalar(select(SessionNote))
        assert (note.duration_minutes, note.theme, note.visibility) == (75, "legality_licensing", "shared")

    _sign_in(page, founder.email)
    page.goto("/?lang=en")
    main = page.locator("main").inner_text()
    assert "What your mentors asked for next" in main
    assert "We went through the NIB steps." in main
    _checked(page, check_accessible)
    with app.app_context():
        item_id = _db.session.scalar(select(ActionItem.id).where(ActionItem.title == "Register the NIB at OSS"))
    item = page.locator(f"#item-{item_id}")
    item.get_by_label("Status").select_option("done")
    item.get_by_label("Comment (optional)").fill("Done at the OSS office on Monday")
    item.get_by_role("button", name="Update").click()

    assert "Action item updated: Register the NIB at OSS." in page.locator("main").inner_text()
    _checked(page, check_accessible)
    with app.app_context():
        done = _db.session.get(ActionItem, item_id)
        assert (done.status, done.done_comment, done.done_by_id) == (
            "done",
            "Done at the OSS office on Monday",
            founder.id,
        )
    page.locator("main").get_by_role("link", name="Batik Lab in Hetero for Startup Solo 2026").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Batik Lab"
    assert "Done at the OSS office on Monday" in page.locator("main").inner_text()
    _checked(page, check_accessible)
