"""A founder at 360 px reports last month's KPIs (a wrong number first), sees them in the table and
the chart, then ticks a milestone; every page passes axe and never scrolls sideways."""

from incubator.core.database import utcnow
from incubator.kpis.growth import last_month
from tests import kpi_helpers
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD

incubating = kpi_helpers.incubating  # the fixture


def _checked(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_founder_reports_a_month_and_sees_it(app, phone, check_accessible, incubating):
    from incubator.cohorts.models import Cohort
    from incubator.extensions import db
    from incubator.kpis import services as kpis
    from incubator.milestones import services as milestones

    world = incubating()
    cs = world.startups[0]
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_id)
        kpis.add_metric(cohort, "Produk terjual daring", "unit", None)
        milestones.save_milestone(
            cohort, None, stage="pre_incubation", title="NIB terdaftar", description="", position=None, actor=None
        )
        db.session.commit()
    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(cs.founder.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(f"/cohort-startups/{cs.id}/kpis")
    _checked(page, check_accessible)
    page.get_by_role("link", name="Report a month").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Report KPIs: Batik Lurik"
    _checked(page, check_accessible)
    page.get_by_label("Revenue (Rupiah)").fill("-1")
    page.get_by_label("Paying customers").fill("12")
    page.get_by_label("Full-time employees").fill("2")
    page.get_by_label("Part-time employees").fill("1")
    page.get_by_label("Funding raised (Rupiah)").fill("0")
    page.get_by_label("Produk terjual daring (unit)").fill("7")
    page.get_by_role("button", name="Submit the report").click()
    assert "This cannot be negative." in page.locator("main").inner_text()
    assert page.get_by_label("Paying customers").input_value() == "12"
    _checked(page, check_accessible)
    page.get_by_label("Revenue (Rupiah)").fill("2.500.000")
    page.get_by_role("button", name="Submit the report").click()

    assert page.get_by_role("heading", level=1).inner_text() == "KPIs of Batik Lurik"
    table = page.get_by_role("region", name="Reports by month").inner_text()
    month = last_month(utcnow()).strftime("%B %Y")
    assert f"{month}\tRp 2,500,000\t12\t2\t1\tRp 0\t7" in table
    assert page.locator("svg title", has_text="Revenue").count() == 1
    assert "Rp 2,500,000" in page.locator("svg desc").first.inner_html()
    _checked(page, check_accessible)

    page.get_by_role("link", name="Milestones").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Milestones of Batik Lurik"
    page.locator("summary").first.click()
    page.get_by_label("Link to the evidence").fill("javascript:alert(1)")
    page.get_by_role("button", name="Mark as done").click()
    assert "Only http:// and https:// links are accepted." in page.locator("main").inner_text()
    _checked(page, check_accessible)
    page.get_by_label("Link to the evidence").fill("https://oss.go.id/nib")
    page.get_by_role("button", name="Mark as done").click()
    assert "NIB terdaftar is marked as done." in page.locator("main").inner_text()
    assert "1 of 1 done, 0 verified." in page.locator("main").inner_text()
    _checked(page, check_accessible)
