"""A director at 360 px closes a round (confirming its incomplete applications), advances the top 2
in bulk through the preview, and confirms, then releases feedback and reads it as founders will;
every page passes axe and never scrolls sideways."""

from sqlalchemy import select

from incubator.extensions import db as _db
from incubator.judging.models import Decision, Round
from incubator.mail.models import OutboxMessage
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.test_decisions import world  # noqa: F401 - the fixture: an open round of seven applications


def _checked(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_director_closes_round_and_advances_top_two(app, phone, check_accessible, world):  # noqa: F811
    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(world["director"].email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(f"/rounds/{world['round']}")
    _checked(page, check_accessible)
    page.locator("main").get_by_role("button", name="Close scoring").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Close scoring: Seleksi pitch"
    table = page.get_by_role("region", name="Incomplete applications").inner_text()
    assert "Anyaman\t1 / 3" in table and "Kopi Merapi\t0 / 3" in table
    _checked(page, check_accessible)
    with app.app_context():
        assert _db.session.get(Round, world["round"]).phase == "open"
    page.get_by_role("button", name="Close scoring anyway").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Decisions: Seleksi pitch"
    assert "The round is now in the phase: Closed." in page.locator("main").inner_text()
    _checked(page, check_accessible)
    page.get_by_label("How many to advance (the top N)").fill("2")
    page.get_by_role("button", name="Preview the top N").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Preview of the decisions"
    main = page.locator("main").inner_text()
    assert "3 applications advance · 0 applications are not selected · 3 e-mails will be queued" in main
    assert "E-mail to budi@gmail.com, in English:" in main
    _checked(page, check_accessible)
    with app.app_context():
        assert _db.session.scalar(select(Decision)) is None  # the preview wrote nothing
    page.get_by_role("button", name="Confirm 3 decisions").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Decisions: Seleksi pitch"
    assert "3 decisions have been recorded. 3 e-mails are queued." in page.locator("main").inner_text()
    _checked(page, check_accessible)
    apps = world["apps"]
    with app.app_context():
        decided = {d.application_id: d.outcome for d in _db.session.scalars(select(Decision))}
        assert decided == {apps[n]: "advance" for n in ("Batik Lurik", "GamelanVerse", "Sanggar Digital")}
        assert sorted(_db.session.scalars(select(OutboxMessage.recipient))) == [
            "budi@gmail.com",
            "rina@gmail.com",
            "sari@yahoo.com",
        ]

    page.locator("main").get_by_role("link", name="Feedback to founders").click()
    _checked(page, check_accessible)
    problem, team = world["criteria"]
    page.locator(f"#scores_{problem}").check()
    page.locator(f"#comments_{problem}").check()
    page.get_by_label("Release the judges' overall comments").check()
    page.get_by_role("button", name="Release the feedback").click()
    assert "The feedback is released" in page.locator("main").inner_text()
    _checked(page, check_accessible)

    page.goto(f"/applications/{apps['Batik Lurik']}/feedback/{world['round']}")
    assert page.get_by_role("heading", level=1).inner_text() == "Judges' feedback: Seleksi pitch"
    main = page.locator("main").inner_text()
    assert "Judge A: 5" in main and "Problem note 3 on Batik Lurik" in main and "Team note" not in main
    _checked(page, check_accessible)
