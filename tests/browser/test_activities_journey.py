"""A director at 360 px creates an activity, checks five startups in at the door (search, then the
big button), and sees 5 attended on the activity and on the cohort's attendance table; every page
passes axe and never scrolls sideways."""

import re

from sqlalchemy import select

from incubator.activities.models import Activity, Attendance
from incubator.extensions import db as _db
from tests.activities_world import world  # noqa: F401 - the fixture: a cohort with startups in every stage
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD

AT_THE_DOOR = [
    ("batik", "Batik Lurik"),
    ("gamelan", "GamelanVerse"),
    ("kopi", "Kopi Merapi"),
    ("sanggar", "Sanggar Digital"),
    ("tani", "TaniTech"),
]


def _checked(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_director_checks_in_five_startups(app, phone, check_accessible, world):  # noqa: F811
    from playwright.sync_api import expect

    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(world["director"].email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(f"/cohorts/{world['cohort']}/activities")
    assert page.get_by_role("heading", level=1).inner_text() == "Activities: Hetero for Startup Solo 2026"
    _checked(page, check_accessible)
    page.locator("main").get_by_role("link", name="New activity").click()

    assert page.get_by_role("heading", level=1).inner_text() == "New activity"
    _checked(page, check_accessible)
    page.get_by_label("Kind").select_option("training")
    page.get_by_label("Title").fill("Pelatihan branding kriya")
    page.get_by_label("Theme").select_option("design_branding")
    page.get_by_label("Starts").fill("2026-08-03T13:00")
    page.get_by_label("Ends").fill("2026-08-03T16:00")
    page.get_by_label("Capacity (startups)").fill("30")
    page.get_by_role("button", name="Save activity").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Pelatihan branding kriya"
    assert "The activity has been saved." in page.locator("main").inner_text()
    _checked(page, check_accessible)
    page.locator("main").get_by_role("link", name="Check-in").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Check-in: Pelatihan branding kriya"
    _checked(page, check_accessible)
    for typed, name in AT_THE_DOOR:
        page.get_by_label("Find a startup").fill(typed)
        page.get_by_role("button", name="Search").click()
        # The click returns once the next page has started; these wait until it has arrived.
        expect(page).to_have_url(re.compile(rf"/checkin\?q={typed}$"))
        expect(page.get_by_role("button", name=f"Check in {name}")).to_have_count(1)
        page.get_by_role("button", name=f"Check in {name}").click()
        expect(page.locator("main")).to_contain_text(f"{name} is checked in.")
        expect(page.get_by_role("button", name=f"Undo {name}")).to_have_count(1)
    assert page.locator("#checkin-count").inner_text() == "5 startups checked in · capacity 30"
    _checked(page, check_accessible)

    # Live filtering (JavaScript) hides the others without a page load.
    page.get_by_label("Find a startup").fill("wayang")
    assert page.get_by_role("button", name="Check in Wayang AR").is_visible()
    assert not page.get_by_role("button", name="Undo Batik Lurik").is_visible()

    page.locator("main").get_by_role("link", name="Pelatihan branding kriya").click()
    assert page.locator("#attended-count").inner_text() == "5"
    assert page.get_by_role("heading", name="5 startups attended").count() == 1
    _checked(page, check_accessible)

    page.locator("main").get_by_role("link", name="Attendance", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Attendance: Hetero for Startup Solo 2026"
    table = page.get_by_role("region", name="Attendance per startup").inner_text()
    assert "Batik Lurik\tPre-incubation\t1 / 3\tBelow" in table
    assert "Wayang AR\tPre-incubation\t0 / 3\tBelow" in table
    _checked(page, check_accessible)

    with app.app_context():
        activity = _db.session.scalar(select(Activity).where(Activity.title == "Pelatihan branding kriya"))
        attended = _db.session.scalars(
            select(Attendance.cohort_startup_id).where(Attendance.activity_id == activity.id)
        )
        assert sorted(attended) == sorted(world["startups"][name] for _typed, name in AT_THE_DOOR)
