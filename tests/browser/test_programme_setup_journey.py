"""A director sets up a programme from a phone: a cohort, a round, a rubric of five
criteria, and opens the round; the rubric builder never scrolls sideways at 360 px."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from incubator.extensions import db as _db
from incubator.judging.models import Round
from tests.browser.conftest import assert_no_horizontal_scroll

CRITERIA = [
    ("Masalah dan solusi", "3"),
    ("Pasar", "2"),
    ("Model bisnis", "2"),
    ("Tim", "2"),
    ("Dampak sosial dan daerah berkelanjutan di Jawa Tengah", "1"),
]


def _space(app, director):
    from incubator.cohorts import services
    from incubator.cohorts.models import FocusArea

    with app.test_request_context():
        actor = _db.session.merge(director)
        area = FocusArea(code="crafts", name_id="Kriya", name_en="Crafts")
        services.save_space(
            None, name="Hetero Space Solo", city="Surakarta", description="", focus_areas=[area], actor=actor
        )
        _db.session.commit()


def test_director_creates_cohort_builds_rubric_and_opens_round(app, phone, create_user, check_accessible, tmp_path):
    director = create_user(email="dir@hetero.example", roles=["director"], name="Dewi Lestari")
    _space(app, director)
    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill("dir@hetero.example")
    page.get_by_label("Password").fill("Kopi-Tubruk-2026")
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto("/cohorts/new")
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Name", exact=True).fill("Hetero for Startup Solo 2027")
    page.get_by_label("Host space").select_option(label="Hetero Space Solo (Surakarta)")
    page.get_by_label("Applications open").fill("2027-01-05T08:00")
    page.get_by_label("Applications close").fill("2027-02-05T23:59")
    page.get_by_label("Required attendance").fill("8")
    page.get_by_label("Crafts").check()
    page.get_by_role("button", name="Save cohort").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hetero for Startup Solo 2027"
    check_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="New round").click()
    page.get_by_label("Name of the round").fill("Seleksi pitch")
    page.get_by_role("button", name="Save the round").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Seleksi pitch"
    assert "The round cannot open yet:" in page.locator("main").inner_text()
    check_accessible(page)
    round_url = page.url

    page.get_by_role("link", name="Open the rubric builder").click()
    builder_url = page.url
    for name, weight in CRITERIA:
        page.goto(builder_url)
        page.locator("main").get_by_role("link", name="Add a criterion").first.click()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Weight").fill(weight)
        page.get_by_role("button", name="Save the criterion").click()
        # The new criterion's levels are described next.
        page.get_by_label("What does a 1 mean?").fill("Belum terlihat")
        page.get_by_label("What does a 5 mean?").fill("Terbukti kuat")
        check_accessible(page)
        page.get_by_role("button", name="Save the criterion").click()

    page.goto(builder_url)
    text = page.locator("main").inner_text()
    for share in ("30.00", "20.00", "10.00"):
        assert share in text
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    shot = tmp_path / "rubric-builder-360.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    page.goto(round_url)
    page.get_by_role("button", name="Open for scoring").click()
    # Applications stay open until February and the round has none: the page asks first.
    # expect() waits for the answer page; reading the list at once could read the old page.
    expect(page.get_by_role("alert").locator("li")).to_have_text(
        [
            "The cohort Hetero for Startup Solo 2027 still takes applications until 5 Feb 2027 23.59 WIB: "
            "applications sent later will not be in this round's judging yet.",
            "The round has no application to score yet.",
        ]
    )
    check_accessible(page)
    page.get_by_role("button", name="Open for scoring anyway").click()
    assert "Open for scoring" in page.locator("main").inner_text()
    check_accessible(page)
    with app.app_context():
        round_ = _db.session.scalar(select(Round))
        assert round_.phase == "open"
        assert [c.name for c in round_.rubric.criteria] == [name for name, _ in CRITERIA]
        assert [len(c.levels) for c in round_.rubric.criteria] == [2] * 5
    page.goto(builder_url)
    assert re.search(r"frozen", page.locator("main").inner_text(), re.I)
