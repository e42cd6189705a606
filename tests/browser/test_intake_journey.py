"""An applicant on a phone builds a profile, adds two team members, uploads a deck,
saves a draft, comes back later, and submits."""

from sqlalchemy import select

from incubator.applications.models import Application
from incubator.cohorts.models import CohortStartup
from incubator.extensions import db as _db
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.test_intake import pdf_bytes


def test_applicant_builds_a_profile_and_submits_from_a_phone(
    app, phone, create_user, create_cohort, check_accessible, tmp_path
):
    cohort_id = create_cohort(areas=[("games", "Gim", "Games")]).id
    create_user(email="dimas@gamelan.example", roles=["applicant"], name="Dimas Prasetyo")
    deck = tmp_path / "GamelanVerse deck.pdf"
    deck.write_bytes(pdf_bytes(pages=2))
    page = phone

    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill("dimas@gamelan.example")
    page.get_by_label("Password").fill("Kopi-Tubruk-2026")
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(f"/calls/{cohort_id}/apply")
    page.get_by_role("checkbox").check()  # the privacy notice, asked before the first application
    page.get_by_role("button", name="Accept and continue").click()
    check_accessible(page)
    page.locator("main").get_by_role("link", name="Add a startup").click()
    page.get_by_label("Startup name").fill("GamelanVerse")
    page.get_by_label("City or regency").fill("Sukoharjo")
    page.get_by_label("Focus area").select_option(label="Games")
    page.get_by_label("Business stage").select_option("mvp")
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_role("heading", level=1).inner_text() == "GamelanVerse"

    for name, role, founder, young, woman in (
        ("Dimas Prasetyo", "CEO", True, True, False),
        ("Sari Utami", "Art director", False, True, True),
    ):
        page.get_by_role("link", name="Add a team member").click()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Role in the team").fill(role)
        if founder:
            page.get_by_label("Founder").check()
        if young:
            page.get_by_label("Under 30 years old").check()
        if woman:
            page.get_by_label("Woman").check()
        check_accessible(page)
        page.get_by_role("button", name="Save team member").click()
    team = page.locator("#team").locator("..").inner_text()
    assert "Dimas Prasetyo" in team and "Sari Utami" in team
    check_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto(f"/calls/{cohort_id}/apply")
    page.get_by_role("button", name="Start the application").click()
    page.get_by_label("The problem you solve").fill("Anak muda jarang mengenal gamelan")
    page.get_by_label("Your solution").fill("Game ritme mobile dengan musik gamelan asli")
    page.get_by_label("Pitch deck (PDF)").set_input_files(str(deck))
    check_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Save draft").click()
    assert "Saved at " in page.locator(".flash").inner_text()
    assert "GamelanVerse deck.pdf" in page.locator("main").inner_text()

    # Later, from the status page.
    page.goto("/applications")
    check_accessible(page)
    page.get_by_role("link", name="Continue the application").click()
    assert page.get_by_label("The problem you solve").input_value() == "Anak muda jarang mengenal gamelan"
    page.get_by_label("Target market").fill("Pelajar SMP-SMA")
    page.get_by_label("Business model").fill("Freemium + lisensi sekolah")
    page.get_by_label("Traction so far").fill("5.000 unduhan beta")
    page.get_by_label("Funding need (Rupiah)").fill("75.000.000")
    page.get_by_label("Why this programme").fill("Mentor gim dan maker space")
    page.get_by_label("Pitch video link").fill("https://www.youtube.com/watch?v=gmln001")
    page.get_by_role("button", name="Submit application").click()
    assert "Your application is submitted." in page.locator(".flash").inner_text()
    assert "Your application is in." in page.locator("main").inner_text()
    check_accessible(page)

    with app.app_context():
        application = _db.session.scalar(select(Application))
        assert (application.status, application.funding_need, application.deck_filename) == (
            "submitted",
            75_000_000,
            "GamelanVerse deck.pdf",
        )
        assert _db.session.scalar(select(CohortStartup.stage)) == "applied"
        assert [(m.name, m.is_founder, m.under_30, m.is_woman) for m in application.startup.members] == [
            ("Dimas Prasetyo", True, True, False),
            ("Sari Utami", False, True, True),
        ]
