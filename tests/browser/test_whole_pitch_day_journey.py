"""The whole pitch day in real browsers, with a guest judge and a bad connection: the director sets the
day up on a laptop and adds a guest judge, who signs in by the card's link on a phone and declares a
conflict from their first page; Sari scores on her phone; Budi never comes (his sheets stay not
started). Three pitches with Next; the guest's phone goes offline mid-sheet on the pitch-day page,
the guest types on, comes back online, and every value reaches the database exactly once. Then a
save kept in the browser is still being resent when the stage moves on: the page keeps the sheet
instead of following the stage. The board shows every sheet's state at each step; then close,
release and the results screen."""

import re

from sqlalchemy import select

from incubator.judging.guests.models import GuestPass
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.browser.test_offline_scoring_journey import PENDING, _saves, _scores, _sheet
from tests.browser.test_pitch_day_journey import SAVED, _board, _new_page, _sign_in
from tests.test_scoring_pages import build_world

PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True}
MOVED = "The stage has moved on. Open the pitch now on stage"


def _phone_checks(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_a_whole_pitch_day_with_a_guest_judge_and_a_dropped_connection(
    app, browser, base_url, create_user, create_cohort, check_accessible, db
):
    from playwright.sync_api import expect

    world = build_world(app, create_user, create_cohort, extra_applications=1)
    problem, team = world.problem, world.team
    batik, gamelan = world.apps[0], world.apps[1]
    contexts = []
    try:
        # --- set-up: the run of show, then a guest judge and their card --------------------------
        context, director = _new_page(browser, base_url, viewport={"width": 1280, "height": 800})
        contexts.append(context)
        _sign_in(director, world.director.email)
        director.goto(f"/rounds/{world.round}?lang=en")
        director.get_by_role("link", name="Run this round as a pitch day").click()
        director.get_by_label("Room", exact=True).fill("Aula Hetero Space Solo")
        director.get_by_label("First pitch starts").fill("2099-03-09T09:00")
        director.get_by_label("Pitch (minutes)").fill("5")
        director.get_by_label("Questions (minutes)").fill("3")
        director.get_by_label("Language of the room").select_option("en")
        director.get_by_role("button", name="Save the pitch day").click()
        expect(director.locator("main")).to_contain_text("The pitch day is saved.")
        director.goto(f"/rounds/{world.round}?lang=en")
        director.get_by_role("link", name="Guest judges").click()
        director.get_by_label("Guest's name").fill("Pak Joko")
        director.get_by_role("button", name="Add the guest").click()
        expect(director.locator("main")).to_contain_text("The guest judge is added.")
        expect(director.locator("svg.guest-qr")).to_be_visible()
        link = director.locator(".guest-card-link a").get_attribute("href")
        assert link.startswith(base_url + "/guest/")

        # --- the guest signs in by the link on a phone and declares a conflict ----------------------
        guest_context, guest = _new_page(browser, base_url, **PHONE)
        contexts.append(guest_context)
        guest.goto(link + "?lang=en")
        expect(guest.get_by_role("heading", level=1)).to_have_text("Welcome, Pak Joko")
        _phone_checks(guest, check_accessible)
        guest.get_by_role("button", name="Start judging").click()
        expect(guest.get_by_role("heading", level=1)).to_have_text("Your queue: Seleksi pitch")
        guest.get_by_text("Declare a conflict of interest Startup 00").click()
        guest.get_by_label("Why can you not judge Startup 00 fairly?").fill("I advise its founders")
        guest.get_by_role("button", name="Declare the conflict").click()
        expect(guest.locator("main")).to_contain_text("Your conflict of interest with Startup 00 is recorded.")

        # The board: one column per judge (Budi, the guest, Sari), the guest's conflict shown.
        director.goto(f"/rounds/{world.round}/pitch-day/board?lang=en")
        assert _board(director) == [
            "1. Batik Lurik: not started, not started, not started",
            "2. GamelanVerse: not started, not started, not started",
            "3. Startup 00: not started, conflict, not started",
        ]
        director.get_by_role("button", name="Start").click()
        expect(director.locator(".stage-now .now-name")).to_have_text("Batik Lurik")
        expect(director.locator(".missing strong")).to_have_text("3 sheets missing")
        assert _board(director)[0] == "*1. Batik Lurik: not started, not started, not started"

        # --- the first pitch: Sari submits; the guest's connection drops mid-sheet -----------------
        context, sari = _new_page(browser, base_url, **PHONE)
        contexts.append(context)
        _sign_in(sari, "sari@gmail.com")
        sari.goto(f"/rounds/{world.round}/pitch-day/judge?lang=en")
        expect(sari.get_by_role("heading", level=1)).to_have_text("Batik Lurik")
        sari.locator(f"#score-{problem}-5").check()
        sari.locator(f"#score-{team}-10").check()
        expect(sari.locator("#autosave-status")).to_have_text(SAVED)
        sari.get_by_role("button", name="Submit", exact=True).click()
        expect(sari.locator("main")).to_contain_text("Your scores for Batik Lurik are submitted and locked.")

        answers = []
        guest.on(
            "response",
            lambda r: answers.append(r.status) if r.request.method == "POST" and "/pitch-day/judge/" in r.url else None,
        )
        guest.goto(f"/rounds/{world.round}/queue?lang=en")  # where the link landed them
        guest.get_by_role("link", name="Open the pitch-day page").click()
        expect(guest.get_by_role("heading", level=1)).to_have_text("Batik Lurik")
        _phone_checks(guest, check_accessible)
        status = guest.locator("#autosave-status")
        guest.locator(f"#score-{problem}-4").check()
        expect(status).to_have_text(SAVED)
        guest_context.set_offline(True)
        guest.locator(f"#score-{team}-7\\.5").check()
        expect(status).to_have_text(PENDING)
        guest.get_by_label("Comment on Problem").fill("Batik makers pay for it already")
        guest.get_by_label("Overall comment").fill("Strong founders")
        guest.get_by_label("Overall comment").blur()
        expect(status).to_have_text(PENDING)
        guest_id = db.scalar(select(GuestPass.user_id))
        sheet = _sheet(db, guest_id, batik)
        assert _scores(db, sheet.id) == [(problem, "4.00", ""), (team, None, "")]
        director.reload()
        assert _board(director)[0] == "*1. Batik Lurik: not started, draft, submitted"
        expect(director.locator(".missing strong")).to_have_text("2 sheets missing")

        # Next while the guest is offline: Sari's page follows; the guest's page cannot ask yet.
        director.get_by_role("button", name="Next →").click()
        expect(director.locator(".stage-now .now-name")).to_have_text("GamelanVerse")
        expect(sari.get_by_role("heading", level=1)).to_have_text("GamelanVerse", timeout=15_000)
        expect(director.locator(".missing strong")).to_have_text("5 sheets missing")

        # --- back online: every queued save goes once, in order; the guest keeps their place -------
        guest_context.set_offline(False)
        expect(status).to_have_text(SAVED, timeout=15_000)
        assert guest.evaluate("localStorage.length") == 0
        sheet = _sheet(db, guest_id, batik)
        assert _scores(db, sheet.id) == [(problem, "4.00", "Batik makers pay for it already"), (team, "7.50", "")]
        assert (sheet.overall_comment, sheet.status) == ("Strong founders", "draft")
        confirmed = answers.count(200)
        assert confirmed == 4  # Problem online, then Team, the comment, the overall comment queued offline
        assert answers == [200] * confirmed  # the offline attempts never reached the server
        assert (_saves(db, sheet.id), sheet.version) == (confirmed, confirmed + 1)
        expect(guest.locator("#stage-moved")).to_contain_text(f"{MOVED}: GamelanVerse", timeout=15_000)
        expect(guest.get_by_role("heading", level=1)).to_have_text("Batik Lurik")
        guest.get_by_role("button", name="Submit", exact=True).click()
        expect(guest.get_by_role("heading", level=1)).to_have_text("GamelanVerse")  # submitted: back on stage
        sheet = _sheet(db, guest_id, batik)
        assert (sheet.status, _saves(db, sheet.id)) == ("final", confirmed)
        director.reload()
        assert _board(director)[:2] == [
            "1. Batik Lurik: not started, submitted, submitted",
            "*2. GamelanVerse: not started, not started, not started",
        ]

        # --- the second pitch: a save kept in the browser is resent while the stage moves on -------
        sari.locator(f"#score-{problem}-3").check()
        sari.locator(f"#score-{team}-5").check()
        expect(sari.locator("#autosave-status")).to_have_text(SAVED)
        sari.get_by_role("button", name="Submit", exact=True).click()
        expect(sari.locator("main")).to_contain_text("Your scores for GamelanVerse are submitted and locked.")
        guest_context.set_offline(True)
        guest.locator(f"#score-{problem}-3").check()
        expect(status).to_have_text(PENDING)
        guest.close()  # the phone drops the page (screen locked, tab discarded) with the save still queued
        guest = guest_context.new_page()
        guest.set_default_timeout(15_000)
        status = guest.locator("#autosave-status")
        guest_context.set_offline(False)
        save_url = f"**/rounds/{world.round}/pitch-day/judge/{gamelan}"
        guest.route(save_url, lambda route: route.abort("internetdisconnected"))  # the saves still do not get out
        guest.goto(f"/rounds/{world.round}/pitch-day/judge?lang=en")
        expect(guest.get_by_role("heading", level=1)).to_have_text("GamelanVerse")
        expect(guest.locator(f"#score-{problem}-3")).to_be_checked()  # put back from the browser
        expect(status).to_have_text(PENDING)
        director.get_by_role("button", name="Next →").click()
        expect(director.locator(".stage-now .now-name")).to_have_text("Startup 00")
        expect(sari.get_by_role("heading", level=1)).to_have_text("Startup 00", timeout=15_000)
        expect(guest.locator("#stage-moved")).to_contain_text(f"{MOVED}: Startup 00", timeout=15_000)
        expect(guest.get_by_role("heading", level=1)).to_have_text("GamelanVerse")  # the queued save keeps the page
        guest.unroute(save_url)
        expect(status).to_have_text(SAVED, timeout=15_000)
        sheet = _sheet(db, guest_id, gamelan)
        assert _scores(db, sheet.id) == [(problem, "3.00", ""), (team, None, "")]
        assert (_saves(db, sheet.id), sheet.version) == (1, 2)
        guest.locator(f"#score-{team}-5").check()
        expect(status).to_have_text(SAVED)
        guest.get_by_role("button", name="Submit", exact=True).click()
        expect(guest.locator("main")).to_contain_text("Your scores for GamelanVerse are submitted and locked.")
        expect(guest.get_by_role("heading", level=1)).to_have_text("Startup 00")  # on stage, but conflicted
        expect(guest.locator("main")).not_to_contain_text("Save draft")
        _phone_checks(guest, check_accessible)

        # --- the third pitch -----------------------------------------------------------------------
        sari.locator(f"#score-{problem}-4").check()
        sari.locator(f"#score-{team}-7\\.5").check()
        expect(sari.locator("#autosave-status")).to_have_text(SAVED)
        sari.get_by_role("button", name="Submit", exact=True).click()
        expect(sari.locator("main")).to_contain_text("Your scores for Startup 00 are submitted and locked.")
        director.reload()
        assert _board(director) == [
            "1. Batik Lurik: not started, submitted, submitted",
            "2. GamelanVerse: not started, submitted, submitted",
            "*3. Startup 00: not started, conflict, submitted",
        ]
        expect(director.locator(".missing strong")).to_have_text("3 sheets missing")  # Budi's three
        check_accessible(director)
        director.get_by_role("button", name="Next →").click()
        expect(director.locator(".stage-now .now-label")).to_have_text("All pitches done")

        # --- close, release, the results screen ----------------------------------------------------
        director.get_by_role("link", name="Go to the round").click()
        director.get_by_role("button", name="Close scoring").click()
        # Startup 00 has one counted sheet of the two expected (the guest's conflict, Budi's absence).
        expect(director.locator("main tbody tr")).to_have_text([re.compile(r"Startup 00\s*1 / 2")])
        director.get_by_role("button", name="Close scoring anyway").click()
        expect(director.locator("main")).to_contain_text("The round is now in the phase: Closed")
        director.goto(f"/rounds/{world.round}/pitch-day/board?lang=en")
        director.get_by_role("button", name="Release the results to the screen").click()
        expect(director.get_by_role("heading", level=1)).to_have_text("Results: Seleksi pitch")
        expect(director.locator("table.results-table tbody tr")).to_have_text(
            [
                re.compile(r"1\s+Batik Lurik\s+87\.50\s+2"),
                re.compile(r"2\s+Startup 00\s+75\.00\s+1"),
                re.compile(r"3\s+GamelanVerse\s+50\.00\s+2"),
            ]
        )
        for name in ("Sari", "Budi", "Joko"):
            expect(director.locator("main")).not_to_contain_text(name)
        check_accessible(director)
    finally:
        for context in contexts:
            context.close()
