"""A director at 360 px downloads a round's scorecards: the export is long enough to go to the
background, so the job page shows its progress, updates itself when the in-process worker has made
the PDF, and offers the download; the file holds every scorecard in rank order. Then the cohort
report, short enough to come at once. Every page passes axe and never scrolls sideways."""

from pypdf import PdfReader

from incubator.extensions import db
from incubator.jobs.runner import wait_for_local_jobs
from incubator.judging.models import Round
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.test_decisions import _set_phase, world  # noqa: F401 - the fixture: a round of seven applications


def _checked(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_director_downloads_scorecards_made_in_the_background(app, phone, check_accessible, world):  # noqa: F811
    from playwright.sync_api import expect

    app.config.update(EXPORT_BACKGROUND_PAGES=4, REPORT_WORKERS=1, EXPORT_JOBS_SYNC=False)
    _set_phase(app, world, "closed")
    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(world["director"].email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(f"/rounds/{world['round']}/ranking?lang=en")
    page.get_by_role("link", name="scorecards (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scorecards of a round")
    assert wait_for_local_jobs(timeout=60)
    link = page.get_by_role("link", name=f"Download round-{world['round']}-seleksi-pitch-scorecards.pdf")
    link.wait_for(timeout=15_000)  # the page fetched itself again and shows the download
    _checked(page, check_accessible)
    with page.expect_download() as info:
        link.click()
    text = "\n".join(p.extract_text() for p in PdfReader(info.value.path()).pages)
    names = [line for line in text.split("\n") if line in world["apps"]]
    assert names == [
        "Batik Lurik",
        "GamelanVerse",
        "Sanggar Digital",
        "TaniTech",
        "Wayang AR",
        "Anyaman",
        "Kopi Merapi",
    ]

    page.goto("/jobs?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your exports")
    _checked(page, check_accessible)

    app.config["EXPORT_BACKGROUND_PAGES"] = 40
    with app.app_context():
        cohort_id = db.session.get(Round, world["round"]).cohort_id
    page.goto(f"/cohorts/{cohort_id}?lang=en")
    _checked(page, check_accessible)
    with page.expect_download() as info:
        page.get_by_role("link", name="Cohort report (PDF)").click()
    report = PdfReader(info.value.path())
    first = report.pages[0].extract_text()
    assert "Cohort report: Hetero for Startup Solo 2026" in " ".join(first.split())  # wrapped by the font's widths
    assert first.endswith(f"page 1 of {len(report.pages)}")
