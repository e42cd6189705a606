"""Activity pages: create and edit in WIB, the door check-in list, attendance pages, exports, query counts."""

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from incubator.activities.models import Activity, Attendance
from incubator.extensions import db as _db
from tests.activities_world import STARTS, add_activity, add_startups, check_in, world  # noqa: F401
from tests.conftest import post_form

FORM = {
    "kind": "coaching_clinic",
    "title": "Klinik legalitas: NIB dan PIRT",
    "theme": "legality_licensing",
    "description": "Bawa KTP.",
    "starts_at": "2026-07-01T09:00",
    "ends_at": "2026-07-01T12:30",
    "capacity": "20",
}


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _director(client, login_as, world):  # noqa: F811
    login_as(client, world["director"])
    client.get("/?lang=en")


def test_new_activity_stores_wib_times_in_utc(app, client, login_as, world):  # noqa: F811
    _director(client, login_as, world)
    url = f"/cohorts/{world['cohort']}/activities/new"
    response = post_form(client, url, FORM | {"space_id": str(world["space"])})
    assert response.status_code == 302
    with app.app_context():
        activity = _db.session.scalar(select(Activity).where(Activity.title == FORM["title"]))
        assert response.headers["Location"] == f"/activities/{activity.id}"
        assert activity.starts_at == datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
        assert activity.ends_at == datetime(2026, 7, 1, 5, 30, tzinfo=UTC)
        assert (activity.kind, activity.space_id, activity.capacity, activity.cohort_id) == (
            "coaching_clinic",
            world["space"],
            20,
            world["cohort"],
        )
    page = _text(client.get(f"/activities/{activity.id}"))
    assert "Coaching clinic" in page and "1 Jul 2026 09.00 WIB" in page and "20 startups" in page


def test_new_activity_page_defaults_to_cohort_space(client, login_as, world):  # noqa: F811
    _director(client, login_as, world)
    body = client.get(f"/cohorts/{world['cohort']}/activities/new").get_data(as_text=True)
    assert f'<option selected value="{world["space"]}">' in body


def test_new_activity_ending_before_start_keeps_input(app, client, login_as, world):  # noqa: F811
    _director(client, login_as, world)
    url = f"/cohorts/{world['cohort']}/activities/new"
    response = post_form(client, url, FORM | {"space_id": "0", "ends_at": "2026-07-01T08:00", "capacity": "-1"})
    assert response.status_code == 200
    page = _text(response)
    assert "The activity must end after it starts." in page
    assert "The capacity must be at least 1, or empty for no limit." in page
    body = response.get_data(as_text=True)
    assert 'value="Klinik legalitas: NIB dan PIRT"' in body and "Bawa KTP." in body
    assert 'value="2026-07-01T08:00"' in body
    with app.app_context():
        assert _db.session.scalar(select(Activity).where(Activity.title == FORM["title"])) is None


def test_edit_activity_prefills_wib_and_saves(app, client, login_as, world):  # noqa: F811
    _director(client, login_as, world)
    url = f"/activities/{world['activity']}/edit"
    body = client.get(url).get_data(as_text=True)
    assert 'value="2026-07-01T09:00"' in body and 'value="Kelas legalitas"' in body
    response = post_form(client, url, FORM | {"space_id": "0", "capacity": ""})
    assert response.status_code == 302
    with app.app_context():
        activity = _db.session.get(Activity, world["activity"])
        assert (activity.title, activity.space_id, activity.capacity) == (FORM["title"], None, None)


def test_activity_list_splits_upcoming_and_past(app, client, login_as, world):  # noqa: F811
    now = datetime.now(UTC)
    past = add_activity(app, world["cohort"], world["director"], title="Kelas lalu", starts=now - timedelta(days=3))
    add_activity(app, world["cohort"], world["director"], title="Kelas nanti", starts=now + timedelta(days=3))
    check_in(app, past, world["startups"]["Batik Lurik"], world["director"])
    _director(client, login_as, world)
    page = _text(client.get(f"/cohorts/{world['cohort']}/activities"))
    upcoming, _, past_part = page.partition("Past")
    assert "Kelas nanti" in upcoming and "Kelas lalu" not in upcoming
    assert "Kelas lalu Class" in past_part and "1" in past_part


# --- check-in ---------------------------------------------------------------------


def test_checkin_page_lists_only_programme_startups(client, login_as, world):  # noqa: F811
    _director(client, login_as, world)
    page = _text(client.get(f"/activities/{world['activity']}/checkin"))
    for name in ("Batik Lurik", "GamelanVerse", "Kopi Merapi", "Sanggar Digital", "TaniTech", "Wayang AR"):
        assert f"Check in {name}" in page
    for name in ("Anyaman", "Kriya Kita", "Batik Mundur"):
        assert name not in page
    assert "0 startups checked in" in page


def test_checkin_search_without_javascript(client, login_as, world):  # noqa: F811
    _director(client, login_as, world)
    page = _text(client.get(f"/activities/{world['activity']}/checkin?q=batik"))
    assert "Check in Batik Lurik" in page and "1 startup matches" in page
    assert "GamelanVerse" not in page and "Batik Mundur" not in page


def test_checkin_post_checks_in_then_undo(app, client, login_as, world):  # noqa: F811
    _director(client, login_as, world)
    url = f"/activities/{world['activity']}/checkin"
    batik = world["startups"]["Batik Lurik"]
    response = post_form(client, url, {"cohort_startup_id": str(batik), "q": "batik"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url}#startup-{batik}"
    page = _text(client.get(url))
    assert "Batik Lurik is checked in." in page and "1 startup checked in" in page and "Undo Batik Lurik" in page

    again = post_form(client, url, {"cohort_startup_id": str(batik)}, follow_redirects=True)
    assert "Batik Lurik is already checked in." in _text(again)
    undo = post_form(client, url, {"cohort_startup_id": str(batik), "undo": "1"}, follow_redirects=True)
    assert "Batik Lurik is no longer checked in." in _text(undo)
    with app.app_context():
        assert _db.session.scalar(select(Attendance)) is None


def test_checkin_post_refusals_keep_the_search(app, client, login_as, world, create_cohort):  # noqa: F811
    other = create_cohort(name="Hetero for Startup Semarang 2026", areas=(("umkm", "UMKM", "MSMEs"),), space="Smg")
    stranger = add_startups(app, other.id, [("Lumpia Digital", "pre_incubation")])["Lumpia Digital"]
    _director(client, login_as, world)
    url = f"/activities/{world['activity']}/checkin"
    cases = [
        (str(stranger), "Lumpia Digital is not in this activity's cohort."),
        (str(world["startups"]["Anyaman"]), "Anyaman is not in the programme (stage: Applied)"),
        ("999999", "This startup is not in this activity's cohort."),
        ("", "Choose a startup from the list."),
    ]
    for cohort_startup_id, message in cases:
        response = post_form(client, url, {"cohort_startup_id": cohort_startup_id, "q": "lum pia"})
        assert response.status_code == 302
        assert response.headers["Location"] == f"{url}?q=lum+pia"
        assert message in _text(client.get(response.headers["Location"]))
    with app.app_context():
        assert _db.session.scalar(select(Attendance)) is None


def test_checkin_post_when_full_says_so(app, client, login_as, world):  # noqa: F811
    small = add_activity(app, world["cohort"], world["director"], title="Klinik pitching", capacity=1)
    check_in(app, small, world["startups"]["GamelanVerse"], world["director"])
    _director(client, login_as, world)
    url = f"/activities/{small}/checkin"
    response = post_form(
        client, url, {"cohort_startup_id": str(world["startups"]["Batik Lurik"])}, follow_redirects=True
    )
    page = _text(response)
    assert "The activity is full: 1 startups are checked in, its capacity." in page
    assert "1 startup checked in · capacity 1" in page


# --- attendance pages ----------------------------------------------------------------


def _attend(app, world, counts: dict[str, int]) -> None:  # noqa: F811
    """Give each named startup that many attended activities (new activities, one a day)."""
    activities = [
        add_activity(app, world["cohort"], world["director"], title=f"Kelas {n}", starts=STARTS + timedelta(days=n))
        for n in range(1, max(counts.values()) + 1)
    ]
    for name, n in counts.items():
        for activity in activities[:n]:
            check_in(app, activity, world["startups"][name], world["director"])


def test_cohort_attendance_marks_who_is_below(app, client, login_as, world):  # noqa: F811
    _attend(app, world, {"Batik Lurik": 3, "GamelanVerse": 1, "TaniTech": 4})
    _director(client, login_as, world)
    page = _text(client.get(f"/cohorts/{world['cohort']}/attendance"))
    assert "Required attendance: 3 activities. 4 startups are below the requirement." in page
    body = client.get(f"/cohorts/{world['cohort']}/attendance").get_data(as_text=True)
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    assert rows[1:] == [
        "Batik Lurik Pre-incubation 3 / 3 Met",
        "GamelanVerse Incubation 1 / 3 Below",
        "Kopi Merapi Pre-incubation 0 / 3 Below",
        "Sanggar Digital Graduated 0 / 3 Below",
        "TaniTech Pre-incubation 4 / 3 Met",
        "Wayang AR Pre-incubation 0 / 3 Below",
    ]


def test_startup_attendance_founder_sees_own(app, client, login_as, world):  # noqa: F811
    _attend(app, world, {"Batik Lurik": 2})
    login_as(client, world["founder"])
    page = _text(client.get(f"/cohort-startups/{world['startups']['Batik Lurik']}/attendance?lang=en"))
    assert "Attendance: 2 of 3" in page and "Below the requirement" in page
    assert "Kelas 2" in page and "Kelas 1" in page
    assert client.get(f"/cohort-startups/{world['startups']['GamelanVerse']}/attendance").status_code == 404


def test_startup_attendance_assigned_mentor_only(app, client, login_as, create_user, world):  # noqa: F811
    from incubator.mentoring.models import MentorAssignment

    mentor = create_user(email="mentor@example.org", roles=["mentor"])
    with app.app_context():
        _db.session.add(MentorAssignment(cohort_startup_id=world["startups"]["TaniTech"], mentor_id=mentor.id))
        _db.session.commit()
    login_as(client, mentor)
    assert client.get(f"/cohort-startups/{world['startups']['TaniTech']}/attendance").status_code == 200
    assert client.get(f"/cohort-startups/{world['startups']['Batik Lurik']}/attendance").status_code == 404


# --- exports ----------------------------------------------------------------------------

COLUMNS = (
    "cohort_startup_id,startup,stage,attended,required,below_requirement,"
    "activity_id,activity,kind,theme,starts_at_wib,checked_in_at_wib"
)


def _export_world(app, world):  # noqa: F811
    from incubator.activities.models import Attendance as Row

    evil = add_activity(
        app, world["cohort"], world["director"], title="=HYPERLINK(1)", starts=STARTS + timedelta(days=1)
    )
    ids = world["startups"]
    for activity in (world["activity"], evil):
        check_in(app, activity, ids["Batik Lurik"], world["director"])
    check_in(app, evil, ids["TaniTech"], world["director"])
    with app.app_context():  # fixed check-in times, to assert them
        for row in _db.session.scalars(select(Row)):
            row.checked_in_at = datetime(2026, 7, 1, 2, 15, tzinfo=UTC)
        _db.session.commit()
    return evil


def test_attendance_csv_rows(app, client, login_as, world):  # noqa: F811
    evil = _export_world(app, world)
    _director(client, login_as, world)
    response = client.get(f"/cohorts/{world['cohort']}/attendance.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=cohort-")
    lines = response.get_data(as_text=True).splitlines()
    ids = world["startups"]
    a = world["activity"]
    assert lines == [
        COLUMNS,
        f"{ids['Batik Lurik']},Batik Lurik,pre_incubation,2,3,1,{a},Kelas legalitas,class,legality_licensing,"
        "2026-07-01 09:00,2026-07-01 09:15",
        f"{ids['Batik Lurik']},Batik Lurik,pre_incubation,2,3,1,{evil},'=HYPERLINK(1),class,legality_licensing,"
        "2026-07-02 09:00,2026-07-01 09:15",
        f"{ids['GamelanVerse']},GamelanVerse,incubation,0,3,1,,,,,,",
        f"{ids['Kopi Merapi']},Kopi Merapi,pre_incubation,0,3,1,,,,,,",
        f"{ids['Sanggar Digital']},Sanggar Digital,graduated,0,3,1,,,,,,",
        f"{ids['TaniTech']},TaniTech,pre_incubation,1,3,1,{evil},'=HYPERLINK(1),class,legality_licensing,"
        "2026-07-02 09:00,2026-07-01 09:15",
        f"{ids['Wayang AR']},Wayang AR,pre_incubation,0,3,1,,,,,,",
    ]


def test_attendance_xlsx_has_csv_rows(app, client, login_as, world):  # noqa: F811
    _export_world(app, world)
    _director(client, login_as, world)
    csv_rows = list(
        csv.reader(io.StringIO(client.get(f"/cohorts/{world['cohort']}/attendance.csv").get_data(as_text=True)))
    )
    response = client.get(f"/cohorts/{world['cohort']}/attendance.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == csv_rows
    assert sheet["H3"].data_type == "s"  # the formula-like title stays text


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "1900-01-01T09:00"])
def test_activity_in_a_year_no_programme_has_is_refused_and_kept(app, client, login_as, world, typed):  # noqa: F811
    _director(client, login_as, world)
    url = f"/cohorts/{world['cohort']}/activities/new"
    response = post_form(client, url, FORM | {"space_id": str(world["space"]), "starts_at": typed})
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2100." in _text(response)
    assert f'value="{typed}"' in response.get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(select(Activity).where(Activity.title == FORM["title"])) is None
