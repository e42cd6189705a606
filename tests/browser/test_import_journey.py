"""A director imports a spreadsheet of 20 applications on a phone: three bad rows are reported, 17 imported;
the check and the import run in the background, their page shows the outcome when they are done."""

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from incubator.applications.models import Application
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD

BAD_ROWS = {5: "budi.at.contoh.id", 11: "banyak sekali", 18: "12345"}


def _csv() -> bytes:
    header = "Stempel waktu,Alamat email,Nama pendiri,Nomor WhatsApp,Nama startup,Bidang fokus,Tahap usaha,"
    header += "Status legalitas,NIB (jika ada),Kebutuhan dana (Rp),Link video pitch"
    lines = [header]
    for number in range(2, 22):  # spreadsheet rows 2..21
        email = f"founder{number}@contoh.id"
        money = f"Rp {number * 5}.000.000"
        nib = ""
        if number == 5:
            email = BAD_ROWS[5]
        if number == 11:
            money = BAD_ROWS[11]
        if number == 18:
            nib = BAD_ROWS[18]
        lines.append(
            f"18/12/2021 09:{number:02d}:00,{email},Pendiri {number},0812-2653-{7700 + number},Startup {number},"
            f'Kriya,MVP,Belum berbadan hukum,{nib},"{money}",https://youtu.be/v{number}'
        )
    return ("\n".join(lines) + "\n").encode()


def _check_page(page, check_accessible):
    assert page.locator("h1").count() == 1
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def test_director_imports_twenty_rows_with_three_bad_ones(app, phone, create_user, create_cohort, check_accessible):
    from playwright.sync_api import expect

    director = create_user(email="dewi@hetero.example", name="Dewi Lestari", roles=["director"])
    cohort_id = create_cohort(
        "Hetero for Startup Solo 2021",
        areas=[("kriya", "Kriya", "Crafts")],
        opens_at=datetime(2021, 12, 1, tzinfo=UTC),
        closes_at=datetime(2021, 12, 31, tzinfo=UTC),
        director=director,
    ).id
    page = phone
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill("dewi@hetero.example")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(f"/cohorts/{cohort_id}/import")
    assert page.get_by_role("heading", level=1).inner_text() == "Import applications"
    _check_page(page, check_accessible)
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "Form Responses 1.csv", "mimeType": "text/csv", "buffer": _csv()}]
    )
    page.get_by_role("button", name="Upload and preview").click()

    assert re.search(rf"/cohorts/{cohort_id}/import/[0-9a-f]{{32}}$", page.url)
    preview = page.get_by_role("region", name="First rows of the file")
    expect(preview.locator("tbody tr")).to_have_count(5)
    assert page.get_by_label("Applicant's e-mail").input_value() == "1"
    assert page.get_by_label("Funding need (Rp)").input_value() == "9"
    _check_page(page, check_accessible)

    page.get_by_role("button", name="Check the rows").click()
    # The check runs in the background: its page shows the rows checked, then the outcome.
    assert re.search(r"/jobs/[A-Za-z0-9_-]{22}$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Check of an import"
    page.locator("#valid-count").wait_for()
    problems = page.get_by_role("region", name="Problems found")
    reported = [int(n) for n in problems.locator("tbody tr td:first-child").all_inner_texts()]
    assert reported == sorted(BAD_ROWS)
    for value in BAD_ROWS.values():
        assert value in problems.inner_text()
    assert page.locator("#valid-count").inner_text() == "17"
    assert page.locator("#invalid-count").inner_text() == "3"
    _check_page(page, check_accessible)

    page.get_by_role("button", name="Import 17 rows").click()
    assert re.search(r"/jobs/[A-Za-z0-9_-]{22}$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Import of applications"
    page.locator("#outcome-imported").wait_for()
    outcome = [page.locator(f"#outcome-{name}").inner_text() for name in ("imported", "already", "invalid")]
    assert outcome == ["17", "0", "3"]
    _check_page(page, check_accessible)
    assert len(check_accessible.checked) == 4

    from incubator.extensions import db

    with app.app_context():
        assert db.session.scalar(select(func.count(Application.id))) == 17
