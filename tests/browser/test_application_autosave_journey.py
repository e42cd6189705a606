"""A founder's pitch form saves itself as they type, in two tabs that cannot overwrite each other;
a deck over the limit is refused before it is sent and the text stays; after the deadline the
page says so at the top."""

import time
from datetime import timedelta

from sqlalchemy import select

from incubator.applications.models import Application
from incubator.cohorts.models import Cohort
from incubator.core.database import utcnow
from incubator.extensions import db as _db
from tests.browser.conftest import assert_no_horizontal_scroll


def _stored(app, ready, seconds=10):
    """The stored application once `ready(application)` holds (an autosave is on its way)."""
    until = time.monotonic() + seconds
    while True:
        with app.app_context():
            application = _db.session.scalar(select(Application))
            _db.session.expunge_all()
        if ready(application) or time.monotonic() > until:
            return application
        time.sleep(0.1)


STALE = "This application was changed in another tab or on another device since this page was opened."


def test_the_pitch_form_saves_itself_and_two_tabs_do_not_overwrite(
    app, browser, base_url, phone, create_user, create_cohort, check_accessible, tmp_path
):
    cohort_id = create_cohort().id
    create_user(email="rina@lurik.example", roles=["applicant"], name="Rina Widyastuti")
    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill("rina@lurik.example")
    page.get_by_label("Password").fill("Kopi-Tubruk-2026")
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.goto("/startups/new?lang=en")
    page.get_by_label("Startup name").fill("Lurik Nusantara")
    page.get_by_label("City or regency").fill("Klaten")
    page.get_by_label("Focus area").select_option(index=1)
    page.get_by_label("Business stage").select_option("mvp")
    page.get_by_role("button", name="Save profile").click()
    page.goto(f"/calls/{cohort_id}/apply")
    page.get_by_role("checkbox").check()  # the privacy notice, asked before the first application
    page.get_by_role("button", name="Accept and continue").click()
    page.get_by_role("button", name="Start the application").click()
    page.get_by_label("The problem you solve").wait_for()
    page.wait_for_load_state("load")  # the form's script listens before the first key is typed
    form_url = page.url

    # Typing saves by itself: no button pressed.
    page.get_by_label("The problem you solve").fill("Pengrajin lurik sulit menjual online")
    status = page.locator("#autosave-status")
    status.get_by_text("Saved at").wait_for()
    page.get_by_label("Funding need (Rupiah)").fill("75 rupiah-ish")
    page.get_by_label("Your solution").fill("Marketplace kurasi")
    page.get_by_label("Your solution").blur()  # a change: saved at once
    page.locator("#funding_need-autosave-error").wait_for()
    assert page.locator("#funding_need-autosave-error").inner_text() == (
        "Write an amount in Rupiah, such as Rp 150.000.000, 75jt or 1,5 M."
    )
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    saved = _stored(app, lambda a: a.solution == "Marketplace kurasi")
    assert (saved.problem, saved.solution, saved.funding_need) == (
        "Pengrajin lurik sulit menjual online",
        "Marketplace kurasi",
        None,
    )

    # A second tab saves; the first one, still on its older version, is refused, its text kept.
    other = page.context.new_page()
    other.goto(form_url)
    other.get_by_label("Traction so far").fill("320 pelanggan")
    other.get_by_label("Traction so far").blur()
    _stored(app, lambda a: a.traction == "320 pelanggan")
    page.get_by_label("Target market").fill("Pembeli fesyen etnik")
    page.get_by_label("Target market").blur()
    status.get_by_text(STALE).wait_for()
    assert page.get_by_label("Target market").input_value() == "Pembeli fesyen etnik"
    with app.app_context():
        application = _db.session.scalar(select(Application))
        assert (application.traction, application.target_market) == ("320 pelanggan", "")
    other.close()

    # A deck over the limit is refused before it is sent; what was typed stays.
    app.config["MAX_DECK_BYTES"] = 1024 * 1024
    page.goto(form_url)
    big = tmp_path / "deck.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    page.get_by_label("Pitch deck (PDF)").set_input_files(str(big))
    status.get_by_text("The deck is larger than 1 MB. Please upload a smaller PDF. Your text is kept.").wait_for()
    assert page.get_by_label("Pitch deck (PDF)").input_value() == ""
    assert page.get_by_label("The problem you solve").input_value() == "Pengrajin lurik sulit menjual online"

    # After the deadline the page says so at the top, and offers no Submit.
    with app.app_context():
        cohort = _db.session.get(Cohort, cohort_id)
        cohort.closes_at = utcnow() - timedelta(minutes=1)
        _db.session.commit()
    page.goto(form_url)
    assert page.get_by_role("alert").inner_text().startswith("Applications for this cohort closed on")
    assert page.get_by_role("button", name="Submit application").count() == 0
    check_accessible(page)
