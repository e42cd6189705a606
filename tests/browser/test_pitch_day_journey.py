"""A whole pitch day in real browsers: the director sets it up and runs three pitches with Next from a
laptop; two judges score on phones (360 px) whose pages follow the stage by themselves; the board
shows the right state of every sheet at each step and refreshes itself; then the round is closed,
the results released and shown on the projector screen. Every page is axe-checked and phones never
scroll sideways."""

import re

from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.test_scoring_pages import build_world

SAVED = re.compile(r"Saved at \d\d\.\d\d")
STATES = {"n": "not started", "d": "draft", "s": "submitted", "c": "conflict"}
FOLLOW = 15_000  # ms: a judge's page asks every 5 s what is on stage; a loaded machine answers late


def _sign_in(page, email):
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def _board(page) -> list[str]:
    """Each row of the board: the pitch, then Budi's and Sari's cells; the current row marked with *."""
    rows = []
    for row in page.locator("table.pitch-board tbody tr").all():
        cells = [STATES[c] for c in row.locator("td").evaluate_all("tds => tds.map(td => td.className)")]
        mark = "*" if row.get_attribute("aria-current") == "true" else ""
        rows.append(f"{mark}{row.locator('th').inner_text()}: " + ", ".join(cells))
    return rows


def _new_page(browser, base_url, **viewport):
    context = browser.new_context(base_url=base_url, **viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_a_pitch_day_from_set_up_to_the_results_screen(
    app, browser, base_url, create_user, create_cohort, check_accessible
):
    from playwright.sync_api import expect

    world = build_world(app, create_user, create_cohort, extra_applications=1)
    problem, team = world.problem, world.team
    phone = {"viewport": {"width": 360, "height": 780}, "is_mobile": True}
    contexts = []
    try:
        # --- set-up --------------------------------------------------------------------------
        context, director = _new_page(browser, base_url, viewport={"width": 1280, "height": 800})
        contexts.append(context)
        _sign_in(director, world.director.email)
        director.goto(f"/rounds/{world.round}?lang=en")
        director.get_by_role("link", name="Run this round as a pitch day").click()
        expect(director.get_by_role("heading", level=1)).to_have_text("Pitch day: Seleksi pitch")
        director.get_by_label("Room", exact=True).fill("Aula Hetero Space Solo")
        director.get_by_label("First pitch starts").fill("2099-03-09T09:00")
        director.get_by_label("Pitch (minutes)").fill("5")
        director.get_by_label("Questions (minutes)").fill("3")
        director.get_by_label("Language of the room").select_option("en")
        director.get_by_role("button", name="Save the pitch day").click()
        expect(director.locator("main")).to_contain_text("The pitch day is saved.")
        expect(director.locator(".run-of-show li")).to_have_text(
            [
                re.compile(r"09\.00 WIB\s+Batik Lurik"),
                re.compile(r"09\.08 WIB\s+GamelanVerse"),
                re.compile(r"09\.16 WIB\s+Startup 00"),
            ]
        )
        check_accessible(director)
        director.get_by_role("link", name="Open the live board").click()
        expect(director.get_by_role("heading", level=1)).to_have_text("Live board: Seleksi pitch")
        assert _board(director) == [
            "1. Batik Lurik: not started, not started",
            "2. GamelanVerse: not started, not started",
            "3. Startup 00: not started, not started",
        ]
        check_accessible(director)
        director.get_by_role("button", name="Start").click()
        expect(director.locator(".stage-now .now-name")).to_have_text("Batik Lurik")
        expect(director.locator(".missing strong")).to_have_text("2 sheets missing")
        assert _board(director)[0] == "*1. Batik Lurik: not started, not started"

        # --- the judges' phones follow the stage ----------------------------------------------
        context, sari = _new_page(browser, base_url, **phone)
        contexts.append(context)
        _sign_in(sari, "sari@gmail.com")
        sari.goto(f"/rounds/{world.round}/pitch-day/judge?lang=en")
        expect(sari.get_by_role("heading", level=1)).to_have_text("Batik Lurik")
        expect(sari.locator(".judge-stage .countdown-value")).to_have_text(re.compile(r"^[78]:\d\d$"))
        check_accessible(sari)
        assert_no_horizontal_scroll(sari)
        context, budi = _new_page(browser, base_url, **phone)
        contexts.append(context)
        _sign_in(budi, "budi@yahoo.co.id")
        budi.goto(f"/rounds/{world.round}/pitch-day/judge?lang=en")
        expect(budi.get_by_role("heading", level=1)).to_have_text("Batik Lurik")

        # Sari scores and submits; Budi starts a draft (autosaved on each change).
        sari.locator(f"#score-{problem}-5").check()
        expect(sari.locator("#autosave-status")).to_have_text(SAVED)
        sari.locator(f"#score-{team}-10").check()
        expect(sari.locator("#autosave-status")).to_have_text(SAVED)
        sari.get_by_role("button", name="Submit", exact=True).click()
        expect(sari.locator("main")).to_contain_text("Your scores for Batik Lurik are submitted and locked.")
        budi.locator(f"#score-{problem}-2").check()
        expect(budi.locator("#autosave-status")).to_have_text(SAVED)

        # The board refreshes itself (its script swaps the table in every 5 s).
        expect(director.locator("table.pitch-board tbody tr").first.locator("td").first).to_have_class("d")
        expect(director.locator(".missing strong")).to_have_text("1 sheet missing")
        assert _board(director)[0] == "*1. Batik Lurik: draft, submitted"
        check_accessible(director)

        # --- Next: Sari's page follows by itself; Budi, typing, keeps his place ---------------
        director.get_by_role("button", name="Next →").click()
        expect(director.locator(".stage-now .now-name")).to_have_text("GamelanVerse")
        expect(sari.get_by_role("heading", level=1)).to_have_text("GamelanVerse", timeout=FOLLOW)
        expect(budi.locator("#stage-moved")).to_contain_text(
            "The stage has moved on. Open the pitch now on stage: GamelanVerse", timeout=FOLLOW
        )
        expect(budi.get_by_role("heading", level=1)).to_have_text("Batik Lurik")
        budi.locator(f"#score-{team}-5").check()
        expect(budi.locator("#autosave-status")).to_have_text(SAVED)
        budi.get_by_role("button", name="Submit", exact=True).click()
        expect(budi.get_by_role("heading", level=1)).to_have_text("GamelanVerse")  # submitted: back on stage
        check_accessible(budi)
        assert_no_horizontal_scroll(budi)
        sari.locator(f"#score-{problem}-3").check()
        sari.locator(f"#score-{team}-5").check()
        expect(sari.locator("#autosave-status")).to_have_text(SAVED)
        sari.get_by_role("button", name="Submit", exact=True).click()
        expect(sari.locator("main")).to_contain_text("Your scores for GamelanVerse are submitted and locked.")
        director.reload()
        assert _board(director) == [
            "1. Batik Lurik: submitted, submitted",
            "*2. GamelanVerse: not started, submitted",
            "3. Startup 00: not started, not started",
        ]
        expect(director.locator(".missing strong")).to_have_text("1 sheet missing")

        # --- the third pitch ------------------------------------------------------------------
        director.get_by_role("button", name="Next →").click()
        expect(director.locator(".stage-now .now-name")).to_have_text("Startup 00")
        expect(sari.get_by_role("heading", level=1)).to_have_text("Startup 00", timeout=FOLLOW)
        expect(budi.get_by_role("heading", level=1)).to_have_text("Startup 00", timeout=FOLLOW)
        for judge, (p, t) in ((sari, ("4", "7\\.5")), (budi, ("3", "5"))):
            judge.locator(f"#score-{problem}-{p}").check()
            judge.locator(f"#score-{team}-{t}").check()
            expect(judge.locator("#autosave-status")).to_have_text(SAVED)
            judge.get_by_role("button", name="Submit", exact=True).click()
            expect(judge.locator("main")).to_contain_text("Your scores for Startup 00 are submitted and locked.")
        # Budi goes back to GamelanVerse, one tap away in his list of pitches.
        budi.get_by_role("link", name="GamelanVerse").click()
        expect(budi.get_by_role("heading", level=1)).to_have_text("GamelanVerse")
        budi.locator(f"#score-{problem}-4").check()
        budi.locator(f"#score-{team}-5").check()
        expect(budi.locator("#autosave-status")).to_have_text(SAVED)
        budi.get_by_role("button", name="Submit", exact=True).click()
        expect(budi.locator("main")).to_contain_text("Your scores for GamelanVerse are submitted and locked.")
        director.reload()
        assert _board(director) == [
            "1. Batik Lurik: submitted, submitted",
            "2. GamelanVerse: submitted, submitted",
            "*3. Startup 00: submitted, submitted",
        ]
        expect(director.locator(".missing strong")).to_have_text("0 sheets missing")
        director.get_by_role("button", name="Next →").click()
        expect(director.locator(".stage-now .now-label")).to_have_text("All pitches done")

        # --- close, release, the results screen -----------------------------------------------
        director.get_by_role("link", name="Go to the round").click()
        director.get_by_role("button", name="Close scoring").click()
        expect(director.locator("main")).to_contain_text("The round is now in the phase: Closed")
        director.goto(f"/rounds/{world.round}/pitch-day/board?lang=en")
        director.get_by_role("button", name="Release the results to the screen").click()
        expect(director.get_by_role("heading", level=1)).to_have_text("Results: Seleksi pitch")
        rows = director.locator("table.results-table tbody tr")
        expect(rows).to_have_text(
            [
                re.compile(r"1\s+Batik Lurik\s+66\.67\s+2"),
                re.compile(r"2\s+Startup 00\s+62\.50\s+2"),
                re.compile(r"3\s+GamelanVerse\s+58\.33\s+2"),
            ]
        )
        expect(director.locator("main")).not_to_contain_text("Sari")
        expect(director.locator("main")).not_to_contain_text("Budi")
        check_accessible(director)

        # The board and the results on a 360 px screen: the board scrolls inside its own frame.
        director.set_viewport_size({"width": 360, "height": 780})
        assert_no_horizontal_scroll(director)
        director.goto(f"/rounds/{world.round}/pitch-day/board?lang=en")
        expect(director.locator("table.pitch-board tbody tr")).to_have_count(3)
        assert_no_horizontal_scroll(director)
        check_accessible(director)
    finally:
        for context in contexts:
            context.close()
