"""A director at 360 px watches a background export: the job page shows it waiting, updates itself
in place (jobs.js), turns into a download link when the job is done, and the list of exports
leads back to it; every page passes axe and never scrolls sideways."""

from incubator.extensions import db
from incubator.jobs import services
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.test_jobs import hello_kind  # noqa: F401 - registers the test kinds


def _checked(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_director_waits_for_an_export_and_downloads_it(app, phone, check_accessible, create_user):
    from playwright.sync_api import expect

    director = create_user(email="boss@example.org", name="Bu Direktur", roles=["director"])
    with app.test_request_context("/?lang=en"):
        job = services.start_job("test-hello", {}, db.session.merge(director))
        db.session.commit()
        job_id = job.id
    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(director.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(f"/jobs/{job_id}")
    assert page.locator("h1").inner_text() == "Test export"
    assert page.get_by_text("Waiting to start").is_visible()
    assert page.get_by_role("link", name="Check again").is_visible()
    _checked(page, check_accessible)

    app.config["EXPORT_JOBS_SYNC"] = True
    with app.test_request_context("/"):
        services.dispatch(job_id)
    link = page.get_by_role("link", name="Download hello.txt")
    link.wait_for(timeout=10_000)  # jobs.js fetched the page again and swapped in the result
    assert page.url.endswith(f"/jobs/{job_id}")  # updated in place, not reloaded elsewhere
    _checked(page, check_accessible)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "hello.txt"

    page.get_by_role("link", name="Your exports").click()
    expect(page.locator("h1")).to_have_text("Your exports")
    expect(page.get_by_role("link", name="hello.txt")).to_be_visible()
    _checked(page, check_accessible)
