"""What the fuzz suite (tests/test_fuzz.py) found, each kept as a test with exact values: the
request, the answer and the rows after it. The world is the access matrix's (tests/test_access.py)."""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from incubator.applications.models import Application
from incubator.kpis.models import KpiReport
from incubator.startups.models import Startup
from tests.conftest import DEFAULT_PASSWORD, csrf_token
from tests.fuzz_pages import changed, fingerprint, forms_posting_to, messages_on
from tests.test_access import world  # noqa: F401 - the fixture


def test_a_metric_with_more_digits_than_any_column_is_refused_with_a_message(client, db, login_as, world):  # noqa: F811
    """`9` * 5000 in a custom KPI metric was read, then rounding it to 2 decimals raised
    InvalidOperation: a 500. It is refused on the field, and no report is stored."""
    ids, users = world
    login_as(client, users["founder"])
    url = f"/cohort-startups/{ids['cohort_startup_id']}/kpis/report"
    reports = db.scalar(select(func.count()).select_from(KpiReport))
    data = {
        "csrf_token": csrf_token(client, url),
        "month": "2026-01",
        "revenue": "1.000.000",
        "paying_customers": "3",
        "employees_full_time": "1",
        "employees_part_time": "0",
        "funding_raised": "0",
        f"metric_{ids['metric_id']}": "9" * 5000,
        "submit": "1",
    }
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert messages_on(response.get_data(as_text=True)) == [
        "Mohon perbaiki isian yang ditandai di bawah ini.",
        "Angka ini terlalu besar.",
    ]
    assert db.scalar(select(func.count()).select_from(KpiReport)) == reports


def test_a_choice_not_offered_is_refused_in_indonesian(client, db, login_as, world):  # noqa: F811
    """WTForms' own "Not a valid choice." was shown in English on Indonesian pages; its messages
    come from our catalogues now."""
    ids, users = world
    login_as(client, users["founder"])
    startups = db.scalar(select(func.count()).select_from(Startup))
    data = {
        "csrf_token": csrf_token(client, "/startups/new"),
        "name": "Batik Digital",
        "city": "Surakarta",
        "focus_area_id": str(ids["focus_area_id"]),
        "business_stage": "zz-not-offered",
        "legal_status": "cv",
    }
    response = client.post("/startups/new", data=data)
    assert response.status_code == 200
    assert messages_on(response.get_data(as_text=True)) == [
        "Mohon perbaiki isian yang ditandai di bawah ini.",
        "Bukan pilihan yang tersedia.",
    ]
    assert db.scalar(select(func.count()).select_from(Startup)) == startups


def test_a_choice_its_field_cannot_read_is_refused_in_english_on_english_pages(client, login_as, world):  # noqa: F811
    ids, users = world
    login_as(client, users["founder"])
    data = {
        "csrf_token": csrf_token(client, "/startups/new"),
        "name": "Batik Digital",
        "city": "Surakarta",
        "focus_area_id": "abc",
        "business_stage": "idea",
        "legal_status": "cv",
    }
    response = client.post("/startups/new?lang=en", data=data)
    assert response.status_code == 200
    assert messages_on(response.get_data(as_text=True)) == [
        "Please correct the fields marked below.",
        "Invalid Choice: could not coerce. This field is required.",
    ]


def test_a_withdrawal_with_a_reason_past_its_limit_says_so_and_withdraws_nothing(client, db, login_as, world):  # noqa: F811
    """A reason over 1000 characters sent the founder back to the application without a word."""
    ids, users = world
    login_as(client, users["founder"])
    page = f"/applications/{ids['application_id']}"
    data = {"csrf_token": csrf_token(client, page), "reason": "Batik" * 201}
    response = client.post(f"{page}/withdraw", data=data)
    assert (response.status_code, response.headers["Location"]) == (302, page)
    shown = client.get(page).get_data(as_text=True)
    assert "Mengapa Anda mengundurkan diri? (opsional): Gunakan maksimal 1000 karakter." in messages_on(shown)
    assert db.scalar(select(Application.status).where(Application.id == ids["application_id"])) == "submitted"


def test_a_round_id_past_the_column_in_the_query_string_is_no_round(client, login_as, world):  # noqa: F811
    """`?round_id=2**63` on a judge's focus areas reached the database: a 500 on SQLite (and
    2**31 on PostgreSQL). It is read as no round: the page opens without a way back to one."""
    ids, users = world
    login_as(client, users["director"])
    url = f"/judges/{ids['user_id']}/focus-areas"
    answers = [client.get(f"{url}?round_id={value}").status_code for value in (2**31, 2**63, 10**40, -1, "x")]
    assert answers == [200, 200, 200, 200, 200]
    assert f"/rounds/{ids['round_id']}/assignments" in client.get(f"{url}?round_id={ids['round_id']}").get_data(
        as_text=True
    )


def test_a_search_longer_than_any_filter_box_is_cut_not_a_database_error(client, login_as, world):  # noqa: F811
    """100,001 characters in `?q=` made SQLite refuse the LIKE pattern, which the error page took
    for the database being down (503). The search reads its first 100 characters; `%` and `_`
    are letters, not wildcards."""
    ids, users = world
    login_as(client, users["director"])
    for url in ("/admin/users", f"/cohorts/{ids['cohort_id']}/applications"):
        assert client.get(url, query_string={"q": "Batik " * 20_000, "city": "Solo " * 20_000}).status_code == 200
    listed = client.get("/admin/users", query_string={"q": "%"}).get_data(as_text=True)
    assert "boss@example.org" not in listed
    assert "boss@example.org" in client.get("/admin/users", query_string={"q": "BOSS@"}).get_data(as_text=True)


def _post_changed(client, url: str, **changes):
    """POST the form at `url` as its page shows it, with `changes` typed over its fields."""
    (form,) = forms_posting_to(client, url)
    values = form.baseline() | {name: [value] for name, value in changes.items()}
    values["csrf_token"] = [csrf_token(client, url)]
    return client.post(url, data=MultiDict([(k, v) for k, vs in values.items() for v in vs]))


@pytest.mark.parametrize(
    ("url", "field", "typed", "message"),
    [
        # Stored as typed on SQLite, "integer out of range" (a 500) on PostgreSQL.
        ("/activities/{activity_id}/edit", "capacity", str(2**31), "Masukkan angka paling besar 10000."),
        ("/cohorts/{cohort_id}/edit", "required_attendance", str(2**31), "Masukkan angka paling besar 1000."),
        # WTForms' NumberRange turned 400 digits into a float: OverflowError, a 500.
        ("/cohorts/{cohort_id}/milestones", "position", "9" * 400, "Gunakan angka dari 0 sampai 9999."),
    ],
)
def test_a_count_past_its_bound_is_refused_on_its_field(app, client, login_as, world, url, field, typed, message):  # noqa: F811
    ids, users = world
    login_as(client, users["director"])
    url = url.format(**ids)
    before = fingerprint(app)
    response = _post_changed(client, url, **{field: typed})
    assert response.status_code == 200
    assert message in messages_on(response.get_data(as_text=True))
    assert changed(before, fingerprint(app)) == []


@pytest.mark.parametrize("path", ["/jobs/a%00b", "/jobs/a%00b/download", "/auth/reset/a%00b"])
def test_a_nul_in_a_path_token_answers_404(client, login_as, world, path):  # noqa: F811
    """A NUL in a job's id reached PostgreSQL, which refuses it in text: a 500. No route takes
    a NUL in a path segment."""
    _ids, users = world
    login_as(client, users["director"])
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("value", [str(2**31), str(2**63)])
@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/rounds/{round_id}/assignments/add", ("application_id", "judge_id")),
        ("/rounds/{round_id}/assignments/bulk", ("application_ids", "judge_ids")),
        ("/activities/{activity_id}/checkin", ("cohort_startup_id",)),
    ],
)
def test_an_id_past_the_column_in_a_form_is_no_row(app, client, login_as, world, url, fields, value):  # noqa: F811
    """Hidden and ticked ids of 2**31 reached PostgreSQL's 32-bit columns (2**63 SQLite's
    driver): a 500. They are read as no row: the page comes back with the form's message."""
    ids, users = world
    login_as(client, users["director"])
    before = fingerprint(app)
    data = dict.fromkeys(fields, value) | {"csrf_token": csrf_token(client, "/auth/reset")}
    response = client.post(url.format(**ids), data=data)
    assert response.status_code == 302
    assert changed(before, fingerprint(app)) == []


def test_a_nul_in_the_browsers_name_does_not_stop_the_sign_in(client, db, create_user):
    """A User-Agent header with a NUL was stored as it came: PostgreSQL refused the session row
    and the sign-in answered 500."""
    from incubator.auth.models import UserSession

    create_user(email="ua@example.org", roles=["director"])
    data = {"csrf_token": csrf_token(client), "email": "ua@example.org", "password": DEFAULT_PASSWORD}
    response = client.post("/auth/login", data=data, headers={"User-Agent": "Mozilla\x00/5.0 " + "x" * 300})
    assert response.status_code == 302
    assert db.scalars(select(UserSession.user_agent)) == ["Mozilla/5.0 " + "x" * 243]
