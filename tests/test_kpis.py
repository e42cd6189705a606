"""KPI reports: the founder's form and its refusals, replacing a month after confirmation,
who may see what, the cohort table with growth, exports, custom metrics and reminders."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from incubator.audit.models import AuditEvent
from incubator.core.database import utcnow
from incubator.extensions import db as _db
from incubator.kpis.growth import add_months, current_month, last_month
from incubator.kpis.models import KpiMetric, KpiReport
from tests import kpi_helpers
from tests.conftest import post_form
from tests.kpi_helpers import assign_mentor

incubating = kpi_helpers.incubating  # the fixture

LAST = last_month(utcnow())
FIGURES = {
    "month": LAST.strftime("%Y-%m"),
    "revenue": "Rp 2.500.000",
    "paying_customers": "12",
    "employees_full_time": "2",
    "employees_part_time": "1",
    "funding_raised": "0",
    "note": "Lebaran orders",
}


def _report(app, cs_id, month, revenue, customers=10, values=None):
    from incubator.cohorts.models import CohortStartup
    from incubator.kpis import services

    with app.test_request_context():
        cs = _db.session.get(CohortStartup, cs_id)
        services.save_report(cs, month, services.Figures(revenue, customers, 1, 0, 0, values=values or {}), None)
        _db.session.commit()


def _metric(app, cohort_id, name="Produk terjual daring", unit="unit"):
    from incubator.cohorts.models import Cohort
    from incubator.kpis import services

    with app.test_request_context():
        metric = services.add_metric(_db.session.get(Cohort, cohort_id), name, unit, None)
        _db.session.commit()
        return metric.id


def test_report_by_founder_shows_in_table_and_chart(app, client, db, login_as, incubating):
    world = incubating()
    cs = world.startups[0]
    metric_id = _metric(app, world.cohort_id)
    login_as(client, cs.founder)
    url = f"/cohort-startups/{cs.id}/kpis/report?lang=en"
    page = client.get(url).get_data(as_text=True)
    assert f'value="{LAST.strftime("%Y-%m")}"' in page  # last month by default
    response = post_form(client, url, {**FIGURES, f"metric_{metric_id}": "7,5"})
    assert response.status_code == 302
    report = db.scalar(select(KpiReport))
    assert (report.month, report.revenue, report.paying_customers, report.note) == (
        LAST,
        2_500_000,
        12,
        "Lebaran orders",
    )
    assert [(v.metric_id, v.value) for v in report.values] == [(metric_id, D("7.50"))]
    page = client.get(f"/cohort-startups/{cs.id}/kpis?lang=en").get_data(as_text=True)
    assert "Rp 2,500,000" in page
    assert "<desc>" in page and "Rp 2,500,000</desc>" in page
    assert ">7.5</td>" in page


def test_report_refuses_bad_input_and_keeps_it(app, client, db, login_as, incubating):
    cs = incubating().startups[0]
    login_as(client, cs.founder)
    url = f"/cohort-startups/{cs.id}/kpis/report?lang=en"
    future = add_months(current_month(utcnow()), 1).strftime("%Y-%m")
    bad = {**FIGURES, "revenue": "-5", "paying_customers": "banyak", "employees_full_time": "", "month": future}
    page = post_form(client, url, bad).get_data(as_text=True)
    assert "This cannot be negative." in page
    assert "Enter a whole number, e.g. 12." in page
    assert "Enter a number (0 if none)." in page
    assert 'value="banyak"' in page and "Lebaran orders" in page
    page = post_form(client, url, {**FIGURES, "month": future}).get_data(as_text=True)
    assert "A month in the future cannot be reported." in page
    assert 'value="Rp 2.500.000"' in page
    page = post_form(client, url, {**FIGURES, "month": "kemarin"}).get_data(as_text=True)
    assert "Enter a month as year-month, e.g. 2026-09." in page
    assert db.scalar(select(func.count(KpiReport.id))) == 0


def test_second_report_for_a_month_needs_confirmation(app, client, db, login_as, incubating):
    cs = incubating().startups[0]
    _report(app, cs.id, LAST, 1_000_000, 4)
    login_as(client, cs.founder)
    url = f"/cohort-startups/{cs.id}/kpis/report?lang=en"
    page = post_form(client, url, FIGURES).get_data(as_text=True)
    assert "is already reported" in page
    assert "Rp 1,000,000" in page  # the saved figures are shown
    assert 'value="Rp 2.500.000"' in page  # and the new ones kept
    assert 'name="replace"' in page
    assert db.scalar(select(KpiReport.revenue)) == 1_000_000
    response = post_form(client, url, {**FIGURES, "replace": "Replace"})
    assert response.status_code == 302
    assert db.scalar(select(KpiReport.revenue)) == 2_500_000
    assert db.scalar(select(func.count(KpiReport.id))) == 1
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("kpi.report%")).order_by(AuditEvent.id))
    assert actions == ["kpi.report_submitted", "kpi.report_replaced"]


def test_report_refused_outside_incubation(app, client, login_as, incubating):
    cs = incubating(stage="applied").startups[0]
    login_as(client, cs.founder)
    page = post_form(client, f"/cohort-startups/{cs.id}/kpis/report?lang=en", FIGURES).get_data(as_text=True)
    assert "KPIs are reported only in pre-incubation and incubation." in page


def test_kpi_page_for_assigned_mentor_not_others(app, client, create_user, login_as, incubating):
    world = incubating(names=("Batik Lurik", "TaniTech"))
    mine, other = world.startups
    mentor = create_user(email="mentor@example.org", roles=["mentor"])
    assign_mentor(app, mentor, mine.id)
    login_as(client, mentor)
    assert client.get(f"/cohort-startups/{mine.id}/kpis").status_code == 200
    assert client.get(f"/cohort-startups/{other.id}/kpis").status_code == 404
    assert client.get(f"/cohort-startups/{mine.id}/kpis/report").status_code == 403
    login_as(client, other.founder)
    assert client.get(f"/cohort-startups/{mine.id}/kpis").status_code == 404
    assert client.get(f"/cohort-startups/{mine.id}/kpis/report").status_code == 404
    assert client.get(f"/cohort-startups/{other.id}/kpis/report").status_code == 200
    login_as(client, create_user(roles=["judge", "mentor"]))
    assert client.get(f"/cohort-startups/{mine.id}/kpis").status_code == 404


def test_cohort_table_growth_and_exports(app, client, login_as, incubating):
    world = incubating(names=("Batik Lurik", "=Kopi", "TaniTech"))
    batik, kopi, tani = world.startups
    metric_id = _metric(app, world.cohort_id)
    before = add_months(LAST, -1)
    _report(app, batik.id, before, 2_000_000, 8, {metric_id: D("3")})
    _report(app, batik.id, LAST, 2_500_000, 10, {metric_id: D("4.5")})
    _report(app, kopi.id, before, 0, 0)
    _report(app, kopi.id, LAST, 500_000, 3)
    login_as(client, world.director)
    page = client.get(f"/cohorts/{world.cohort_id}/kpis?lang=en").get_data(as_text=True)
    assert page.count("+25%") == 2  # Batik: revenue 2.0M -> 2.5M and customers 8 -> 10
    assert "No report yet" in page  # TaniTech
    assert "Rp 3,000,000" in page  # the cohort's total for last month
    csv = client.get(f"/cohorts/{world.cohort_id}/kpis.csv").get_data(as_text=True)
    b, m = before.strftime("%Y-%m"), LAST.strftime("%Y-%m")
    assert csv == (
        "month,startup,revenue,paying_customers,employees_full_time,employees_part_time,funding_raised,note,"
        "Produk terjual daring\r\n"
        f"{b},'=Kopi,0,0,1,0,0,,\r\n"
        f"{m},'=Kopi,500000,3,1,0,0,,\r\n"
        f"{b},Batik Lurik,2000000,8,1,0,0,,3\r\n"
        f"{m},Batik Lurik,2500000,10,1,0,0,,4.5\r\n"
    )
    xlsx = client.get(f"/cohorts/{world.cohort_id}/kpis.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_metrics_add_rename_remove_with_confirmation(app, client, db, login_as, incubating):
    world = incubating()
    login_as(client, world.director)
    url = f"/cohorts/{world.cohort_id}/kpis/metrics?lang=en"
    assert post_form(client, url, {"name": "Pengikut", "unit": "orang"}).status_code == 302
    page = post_form(client, url, {"name": "pengikut", "unit": ""}).get_data(as_text=True)
    assert "This cohort already has a metric with that name." in page
    metric = db.scalar(select(KpiMetric))
    edit = f"/cohorts/{world.cohort_id}/kpis/metrics/{metric.id}/edit"
    assert post_form(client, edit, {"name": "Followers", "unit": "people"}).status_code == 302
    _report(app, world.startups[0].id, LAST, 1, values={metric.id: D(120)})
    remove = f"/cohorts/{world.cohort_id}/kpis/metrics/{metric.id}/remove?lang=en"
    page = post_form(client, remove, page=url).get_data(as_text=True)
    assert "1 reported value of this metric will be deleted with it." in page
    assert db.scalar(select(KpiMetric.name)) == "Followers"
    assert post_form(client, remove, {"confirm": "1"}, page=url).status_code == 302
    assert db.scalar(select(func.count(KpiMetric.id))) == 0


def _subject_id(app, startup, month):
    """The Indonesian subject as the catalogue has it (the lead translates the catalogue last)."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("id"):
        return gettext("Reminder: KPIs of %(startup)s for %(month)s", startup=startup, month=month)


def test_reminders_once_per_startup_and_month(app, client, login_as, incubating, outbox, create_user):
    world = incubating(names=("Batik Lurik", "TaniTech", "Wayang AR"))
    batik, tani, wayang = world.startups
    _report(app, batik.id, LAST, 1_000)  # reported: no reminder
    with app.app_context():
        from incubator.auth.models import User

        _db.session.get(User, wayang.founder.id).locale = "en"
        _db.session.commit()
    login_as(client, world.director)
    url = f"/cohorts/{world.cohort_id}/kpis/reminders"
    assert post_form(client, url, page=f"/cohorts/{world.cohort_id}/kpis").status_code == 302
    month_id = {
        1: "Januari",
        2: "Februari",
        3: "Maret",
        4: "April",
        5: "Mei",
        6: "Juni",
        7: "Juli",
        8: "Agustus",
        9: "September",
        10: "Oktober",
        11: "November",
        12: "Desember",
    }[LAST.month]
    month_en = LAST.strftime("%B")
    rows = [(m.recipient, m.kind, m.subject) for m in outbox()]
    # Each founder in their language: TaniTech's in Indonesian (the default), Wayang AR's in English.
    assert rows == [
        (tani.founder.email, "kpi_reminder", _subject_id(app, "TaniTech", f"{month_id} {LAST.year}")),
        (wayang.founder.email, "kpi_reminder", f"Reminder: KPIs of Wayang AR for {month_en} {LAST.year}"),
    ]
    assert f"http://localhost/cohort-startups/{wayang.id}/kpis/report" in outbox()[1].body
    # A second run, from the page or the command line, queues nothing more.
    assert post_form(client, url, page=f"/cohorts/{world.cohort_id}/kpis").status_code == 302
    result = app.test_cli_runner().invoke(args=["send-kpi-reminders"])
    assert result.exit_code == 0, result.output
    assert result.output == f"0 KPI reminder(s) queued for {LAST.strftime('%Y-%m')}\n"
    assert len(outbox()) == 2


def test_reminder_command_reaches_every_cohort(app, incubating, outbox):
    incubating(names=("Batik Lurik",))
    result = app.test_cli_runner().invoke(args=["send-kpi-reminders"])
    assert result.output == f"1 KPI reminder(s) queued for {LAST.strftime('%Y-%m')}\n"
    assert [m.kind for m in outbox()] == ["kpi_reminder"]


def test_kpi_summary_has_latest_growth(app, incubating):
    from incubator.cohorts.models import CohortStartup
    from incubator.kpis.queries import kpi_summary

    cs = incubating().startups[0]
    with app.test_request_context():
        assert kpi_summary(_db.session.get(CohortStartup, cs.id)) is None
    _report(app, cs.id, add_months(LAST, -1), 1_000_000, 4)
    _report(app, cs.id, LAST, 1_500_000, 5)
    with app.test_request_context("/?lang=en"):
        from flask import render_template

        row = _db.session.get(CohortStartup, cs.id)
        summary = kpi_summary(row)
        assert (summary.latest.revenue_growth, summary.latest.customers_growth) == (D("50.0"), D("25.0"))
        html = render_template("kpis/_summary.html", kpi=summary, cohort_startup=row)
        assert "Rp 1,500,000 (+50%)" in html and "<svg" in html
        assert date(LAST.year, LAST.month, 1) == summary.latest.report.month


@pytest.mark.parametrize("typed", ["1900-01", "0001-01"])
def test_report_for_a_month_no_programme_has_is_refused_and_kept(app, client, db, login_as, incubating, typed):
    cs = incubating().startups[0]
    login_as(client, cs.founder)
    page = post_form(client, f"/cohort-startups/{cs.id}/kpis/report?lang=en", {**FIGURES, "month": typed})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Enter a date between 2000 and 2100." in text
    assert f'value="{typed}"' in text and 'value="Rp 2.500.000"' in text
    assert db.scalar(select(func.count(KpiReport.id))) == 0


def test_figures_are_read_the_indonesian_and_the_english_way(app, client, db, login_as, incubating):
    cs = incubating().startups[0]
    login_as(client, cs.founder)
    typed = {**FIGURES, "revenue": "150.000,50", "funding_raised": "75jt", "paying_customers": "1.500"}
    response = post_form(client, f"/cohort-startups/{cs.id}/kpis/report?lang=en", typed)
    assert response.status_code == 302
    report = db.scalar(select(KpiReport))
    assert (report.revenue, report.funding_raised, report.paying_customers) == (150_001, 75_000_000, 1500)


@pytest.mark.parametrize("typed", ["1.5", "1,5"])
def test_a_fraction_of_a_person_is_refused_not_read_as_fifteen(app, client, db, login_as, incubating, typed):
    cs = incubating().startups[0]
    login_as(client, cs.founder)
    response = post_form(
        client, f"/cohort-startups/{cs.id}/kpis/report?lang=en", {**FIGURES, "employees_full_time": typed}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a whole number, without a fraction." in page and f'value="{typed}"' in page
    assert db.scalar(select(func.count(KpiReport.id))) == 0
