"""A director assigns judges from a phone: 6 applications, 4 judges, 2 judges each. The
automatic assignment is previewed, confirmed, and the loads are shown; every page passes
axe and never scrolls sideways at 360 px."""

import re

from sqlalchemy import select

from incubator.extensions import db as _db
from incubator.judging.models import Assignment
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.test_assignments import World

JUDGES = [
    ("Prof. Dr. Sri Wahyuningsih Kusumawardhani", "crafts"),
    ("Bima Aryasatya", "crafts"),
    ("Citra Maharani", "games"),
    ("Dewi Lestari", "games"),
]
STARTUPS = [
    ("Batik Lurik Nusantara Berkelanjutan Indonesia", "crafts"),
    ("Kriya Kita", "crafts"),
    ("Anyaman Pandan Kebumen", "crafts"),
    ("GamelanVerse", "games"),
    ("Main Yuk Studio", "games"),
    ("Wayang Quest", "games"),
]


def _check(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_director_previews_and_confirms_an_automatic_assignment(
    app, phone, create_user, create_cohort, check_accessible
):
    world = World(app, create_user, create_cohort)
    areas = {"crafts": world.crafts, "games": world.games}
    for name, area in JUDGES:
        world.judge(name, areas=[areas[area]])
    for name, area in STARTUPS:
        world.application(name, areas[area])
    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(world.director.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(f"/rounds/{world.round}")
    page.get_by_role("link", name="Assign judges").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Assign judges: Pitch selection"
    assert "0 of 6 applications have all their judges." in page.locator("main").inner_text()
    _check(page, check_accessible)

    page.get_by_role("link", name="Assign automatically").click()
    _check(page, check_accessible)
    page.get_by_label("Most applications per judge").fill("3")
    page.get_by_role("button", name="Preview the assignment").click()
    summary = page.locator("#preview-summary").inner_text()
    assert "12 assignments will be added." in summary
    assert "Cap: 3 applications per judge." in summary
    # Every place goes to a judge who knows the startup's focus area: 3 per area, 2 judges each.
    assert "12 of them match the focus area." in summary
    loads = page.get_by_role("region", name="Loads").locator("tbody tr")
    assert [re.sub(r"\s+", " ", loads.nth(i).inner_text()).strip() for i in range(loads.count())] == [
        "Bima Aryasatya 0 3",
        "Citra Maharani 0 3",
        "Dewi Lestari 0 3",
        "Prof. Dr. Sri Wahyuningsih Kusumawardhani 0 3",
    ]
    with app.app_context():
        assert _db.session.scalars(select(Assignment)).all() == []  # a preview writes nothing
    _check(page, check_accessible)

    page.get_by_role("button", name="Confirm and assign").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Assign judges: Pitch selection"
    main = page.locator("main").inner_text()
    assert "12 assignments added." in main
    assert "6 of 6 applications have all their judges." in main
    table = page.get_by_role("region", name="Judges: load and progress").locator("tbody tr")
    rows = [[" ".join(t.split()) for t in table.nth(i).locator("td").all_inner_texts()] for i in range(table.count())]
    assert rows == [["3 assigned 0 submitted 0 drafts"]] * 4
    _check(page, check_accessible)
    with app.app_context():
        assert len(_db.session.scalars(select(Assignment)).all()) == 12

    page.get_by_role("link", name="Conflicts of interest").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Conflicts of interest: Pitch selection"
    _check(page, check_accessible)
