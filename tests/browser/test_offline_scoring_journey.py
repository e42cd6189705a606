"""Bad Wi-Fi loses nothing: a guest judge signs in from the card's link on a phone, scores, the
network drops mid-sheet (Playwright's offline mode), the judge keeps typing, the sheet says "Not
saved yet, will resend", and once back online every save reaches the database exactly once, in
order. A save kept in the browser is resent when the page is opened again, a save whose answer was
lost is confirmed without being applied twice, and a stale resend is refused as a second tab is."""

import re

from sqlalchemy import func, select

from incubator.audit.models import AuditEvent
from incubator.extensions import db as _db
from incubator.judging.models import Round, Score, ScoreSheet
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.test_scoring_pages import STALE, build_world

SAVED = re.compile(r"Saved at \d\d\.\d\d")
PENDING = "Not saved yet, will resend"


def _guest_link(app, world) -> tuple[str, int]:
    """A guest pass issued by the director, as the card shows it: (path of the link, guest's id)."""
    from incubator.judging.guests import services

    with app.test_request_context("/?lang=en"):
        issued = services.add_guest(
            _db.session.get(Round, world.round), "Pak Joko", None, _db.session.merge(world.director)
        )
        _db.session.commit()
        return f"/guest/{issued.token}", issued.guest_pass.user_id


def _sheet(db, guest_id, application_id):
    return db.scalar(
        select(ScoreSheet).where(ScoreSheet.judge_id == guest_id, ScoreSheet.application_id == application_id)
    )


def _scores(db, sheet_id) -> list[tuple[int, str, str]]:
    rows = db.scalars(select(Score).where(Score.sheet_id == sheet_id).order_by(Score.criterion_id))
    return [(s.criterion_id, str(s.value) if s.value is not None else None, s.comment) for s in rows]


def _saves(db, sheet_id) -> int:
    return db.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "sheet.saved", AuditEvent.object_id == sheet_id)
    )


def test_offline_saves_are_kept_and_resent_exactly_once(app, phone, create_user, create_cohort, db):
    from playwright.sync_api import expect

    world = build_world(app, create_user, create_cohort)
    link, guest_id = _guest_link(app, world)
    problem, team = world.problem, world.team
    page = phone
    answers = []
    page.on(
        "response", lambda r: answers.append(r.status) if r.request.method == "POST" and "/score" in r.url else None
    )

    # --- the guest signs in from the card and opens a sheet ------------------------------
    page.goto(link + "?lang=en")
    page.get_by_role("button", name="Start judging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your queue: Seleksi pitch")
    page.get_by_role("link", name="Score Batik Lurik").click()
    status = page.locator("#autosave-status")
    page.locator(f"#score-{problem}-4").check()
    expect(status).to_have_text(SAVED)

    # --- the network drops mid-sheet ------------------------------------------------------
    page.context.set_offline(True)
    page.locator(f"#score-{team}-7\\.5").check()
    expect(status).to_have_text(PENDING)
    page.get_by_label("Comment on Problem").fill("Real pain, measured with 12 workshops")
    page.get_by_label("Overall comment").fill("Promising team")
    page.get_by_label("Overall comment").blur()
    expect(status).to_have_text(PENDING)
    assert_no_horizontal_scroll(page)
    sheet = _sheet(db, guest_id, world.apps[0])
    assert _scores(db, sheet.id) == [(problem, "4.00", ""), (team, None, "")]
    kept = page.evaluate("Object.keys(localStorage)")
    assert kept == [f"scoring:{guest_id}:{world.round}:{world.apps[0]}"]

    # --- back online: every queued save goes, in order, once ----------------------------------
    page.context.set_offline(False)
    expect(status).to_have_text(SAVED, timeout=15_000)
    assert page.evaluate("localStorage.length") == 0
    sheet = _sheet(db, guest_id, world.apps[0])
    assert _scores(db, sheet.id) == [
        (problem, "4.00", "Real pain, measured with 12 workshops"),
        (team, "7.50", ""),
    ]
    assert (sheet.overall_comment, sheet.status) == ("Promising team", "draft")
    confirmed = answers.count(200)
    # One audited save per confirmed answer (the first made the sheet at version 1, then saved it).
    assert (_saves(db, sheet.id), sheet.version) == (confirmed, confirmed + 1)
    assert confirmed == 4  # Problem online, then three saves queued offline: Team, the comment, the overall comment
    assert answers == [200] * confirmed  # the offline attempts never reached the server

    # --- a save kept in the browser is resent when the sheet is opened again -----------------
    page.context.set_offline(True)
    page.get_by_label("Advance").check()
    expect(status).to_have_text(PENDING)
    page.goto("about:blank")
    page.context.set_offline(False)
    page.goto(f"/rounds/{world.round}/applications/{world.apps[0]}/score?lang=en")
    expect(status).to_have_text(SAVED, timeout=15_000)
    expect(page.get_by_label("Advance")).to_be_checked()
    sheet = _sheet(db, guest_id, world.apps[0])
    assert sheet.recommendation == "advance"
    assert (_saves(db, sheet.id), sheet.version) == (confirmed + 1, confirmed + 2)

    # --- the answer is lost after the server saved: the resend is confirmed, not applied twice --
    def lose_the_answer(route):
        route.fetch()  # the server gets the save and commits it
        route.abort("connectionreset")  # ... and the phone never hears back

    score_url = f"**/rounds/{world.round}/applications/{world.apps[0]}/score"
    page.route(score_url, lose_the_answer)
    page.get_by_label("Overall comment").fill("Promising team, strong demo")
    page.get_by_label("Overall comment").blur()
    expect(status).to_have_text(PENDING)
    page.unroute(score_url)
    expect(status).to_have_text(SAVED, timeout=15_000)
    sheet = _sheet(db, guest_id, world.apps[0])
    assert sheet.overall_comment == "Promising team, strong demo"
    assert (_saves(db, sheet.id), sheet.version) == (confirmed + 2, confirmed + 3)

    # --- a stale resend is refused as a second tab is ------------------------------------------
    page.context.set_offline(True)
    page.get_by_label("Maybe").check()
    expect(status).to_have_text(PENDING)
    with app.test_request_context("/?lang=en"):  # another device of the guest saves meanwhile
        from incubator.applications.models import Application
        from incubator.auth.models import User
        from incubator.judging.sheets.services import Entry, save_sheet

        save_sheet(
            world.round,
            _db.session.get(Application, world.apps[0]),
            _db.session.get(User, guest_id),
            {problem: Entry("2", "From the tablet")},
            overall_comment="Tablet",
            recommendation="decline",
            expected_version=sheet.version,
        )
        _db.session.commit()
    page.context.set_offline(False)
    expect(status).to_have_text(STALE, timeout=15_000)
    assert page.evaluate("localStorage.length") == 0
    sheet = _sheet(db, guest_id, world.apps[0])
    assert (sheet.recommendation, sheet.overall_comment) == ("decline", "Tablet")
    expect(page.get_by_label("Maybe")).to_be_checked()  # what was typed stays on the page


def test_a_level_chosen_before_the_script_ran_is_saved(app, phone, create_user, create_cohort, db):
    """On a slow network the judge taps a level before static/js/scoring.js has arrived: once it
    runs, that choice is saved like any other change."""
    from playwright.sync_api import expect

    world = build_world(app, create_user, create_cohort)
    link, guest_id = _guest_link(app, world)
    page = phone
    page.goto(link + "?lang=en")
    page.get_by_role("button", name="Start judging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your queue: Seleksi pitch")

    held = []
    page.route("**/static/js/scoring.js", lambda route: held.append(route))  # on its way, not here yet
    page.goto(f"/rounds/{world.round}/applications/{world.apps[0]}/score?lang=en", wait_until="commit")
    page.locator(f"#score-{world.problem}-4").check()
    while not held:
        page.wait_for_timeout(50)
    assert _sheet(db, guest_id, world.apps[0]) is None
    held[0].continue_()
    page.unroute("**/static/js/scoring.js")
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=15_000)
    sheet = _sheet(db, guest_id, world.apps[0])
    assert _scores(db, sheet.id) == [(world.problem, "4.00", ""), (world.team, None, "")]
