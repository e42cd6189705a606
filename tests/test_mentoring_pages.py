"""Mentoring pages: assigning mentors, the dashboard, the incubation page, logging a session,
ticking items, and who sees what."""

import re
from datetime import timedelta

from sqlalchemy import select

from incubator.core.i18n import format_day
from incubator.extensions import db as _db
from incubator.mentoring.services import ItemInput
from tests.conftest import post_form
from tests.mentoring_helpers import add_note, build_incubation


def _text(response) -> str:
    return response.get_data(as_text=True)


def _today():
    from incubator.mentoring.queries import today_wib

    return today_wib()


# --- the director's page -----------------------------------------------------------------------


def test_cohort_mentors_assigns_and_removes(app, client, create_user, create_cohort, login_as):
    from incubator.mentoring.models import MentorAssignment

    mentor = create_user(email="ment@example.org", name="Sari Mentor", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, names=("Batik Lab", "Wayang AR"))
    login_as(client, world.director)
    url = f"/cohorts/{world.cohort_id}/mentors?lang=en"
    response = post_form(client, url, {"cohort_startup_id": world.cs_ids[1], "mentor_id": mentor.id})
    assert response.status_code == 302
    assert "Sari Mentor now mentors Wayang AR." in _text(client.get(url))
    again = post_form(client, url, {"cohort_startup_id": world.cs_ids[1], "mentor_id": mentor.id})
    assert again.status_code == 200
    assert "Sari Mentor already mentors Wayang AR." in _text(again)
    assignment_id = _db_ids(app, MentorAssignment.id)[0]
    removed = post_form(client, f"/cohorts/{world.cohort_id}/mentors/{assignment_id}/remove", {}, page=url)
    assert removed.status_code == 302
    assert _db_ids(app, MentorAssignment.id) == []


def _db_ids(app, column):
    with app.app_context():
        return list(_db.session.scalars(select(column)))


def test_cohort_mentors_lists_startups_not_met_in_n_weeks(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, names=("Aksara", "Batik Lab", "Cetak"), mentor=mentor)
    add_note(app, world.cs_ids[0], mentor, days_ago=3)  # Aksara met recently
    add_note(app, world.cs_ids[1], mentor, days_ago=40)  # Batik Lab: over 4 weeks ago
    login_as(client, world.director)
    page = _text(client.get(f"/cohorts/{world.cohort_id}/mentors?lang=en"))
    section = page[page.index('id="notmet-h"') :]
    names = re.findall(r'<li><a href="/cohort-startups/\d+">([^<]+)</a>', section)
    assert names == ["Cetak", "Batik Lab"]
    assert "never met a mentor" in section
    assert f"last session {(_today() - timedelta(days=40)).day}" in section
    wider = _text(client.get(f"/cohorts/{world.cohort_id}/mentors?lang=en&weeks=8"))
    section = wider[wider.index('id="notmet-h"') :]
    assert re.findall(r'<li><a href="/cohort-startups/\d+">([^<]+)</a>', section) == ["Cetak"]


# --- the mentor's dashboard ------------------------------------------------------------------


def test_mentor_dashboard_shows_stage_last_session_and_overdue(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, names=("Batik Lab",), mentor=mentor)
    add_note(
        app,
        world.cs_ids[0],
        mentor,
        days_ago=2,
        items=[ItemInput(title="late", due_on=_today() - timedelta(days=1)), ItemInput(title="later")],
    )
    login_as(client, mentor)
    page = _text(client.get("/mentoring?lang=en"))
    assert "Batik Lab" in page and "Pre-incubation" in page
    assert re.search(r"<dt>Open action items</dt><dd>2</dd>", page)
    assert re.search(r'<dt>Overdue</dt><dd><span class="tag tag-bad overdue">1</span></dd>', page)
    with app.test_request_context("/?lang=en"):
        assert f"<dt>Last session</dt><dd>{format_day(_today() - timedelta(days=2))}</dd>" in page
    home = _text(client.get("/?lang=en"))
    assert '<span class="tag tag-bad overdue">1 overdue</span>' in home


# --- who sees what ---------------------------------------------------------------------------


def test_founder_sees_shared_notes_only(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    add_note(app, world.cs_ids[0], mentor, visibility="internal", body="INTERNAL-SECRET runway is short")
    add_note(app, world.cs_ids[0], mentor, visibility="shared", body="SHARED-TIP **tighten** the pitch")
    login_as(client, world.founders[0])
    page = _text(client.get(f"/cohort-startups/{world.cs_ids[0]}?lang=en"))
    assert "SHARED-TIP <strong>tighten</strong> the pitch" in page
    assert "INTERNAL-SECRET" not in page
    assert "Log a session" not in page
    home = _text(client.get("/?lang=en"))
    assert "SHARED-TIP" in home and "INTERNAL-SECRET" not in home
    assert client.get(f"/cohort-startups/{world.cs_ids[0]}/notes/new").status_code == 404


def test_assigned_mentor_sees_all_notes_and_the_pitch(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    add_note(app, world.cs_ids[0], mentor, visibility="internal", body="INTERNAL-SECRET")
    login_as(client, mentor)
    page = _text(client.get(f"/cohort-startups/{world.cs_ids[0]}?lang=en"))
    assert "INTERNAL-SECRET" in page
    assert f'href="/applications/{world.app_ids[0]}"' in page
    assert client.get(f"/applications/{world.app_ids[0]}").status_code == 200
    with app.app_context():
        from incubator.startups.models import Startup

        startup_id = _db.session.scalar(select(Startup.id))
    assert client.get(f"/startups/{startup_id}").status_code == 200


def test_other_mentor_and_judge_never_see_notes_or_the_pitch(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    note_id, (item_id,) = add_note(app, world.cs_ids[0], mentor, items=[ItemInput(title="x")])
    for who in (
        create_user(email="other@example.org", roles=["mentor"]),
        create_user(email="j@example.org", roles=["judge"]),
    ):
        login_as(client, who)
        for url in (
            f"/cohort-startups/{world.cs_ids[0]}",
            f"/notes/{note_id}/edit",
            f"/action-items/{item_id}/status",
            f"/applications/{world.app_ids[0]}",
            f"/applications/{world.app_ids[0]}/deck",
        ):
            assert client.get(url).status_code == 404, (who.email, url)


def test_founder_does_not_see_internal_items_owned_by_a_mentor(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    _n, (mentor_item, team_item) = add_note(
        app,
        world.cs_ids[0],
        mentor,
        visibility="internal",
        items=[ItemInput(title="MENTOR-ONLY call the bank", owner_id=mentor.id), ItemInput(title="TEAM-ITEM")],
    )
    login_as(client, world.founders[0])
    page = _text(client.get(f"/cohort-startups/{world.cs_ids[0]}?lang=en"))
    assert "TEAM-ITEM" in page and "MENTOR-ONLY" not in page
    assert client.get(f"/action-items/{mentor_item}/status").status_code == 404
    assert client.get(f"/action-items/{team_item}/status").status_code == 200


# --- logging a session -----------------------------------------------------------------------


def _session_form(**overrides):
    data = {
        "held_on": _today().isoformat(),
        "duration_minutes": "90",
        "theme": "legality_licensing",
        "body": "Talked about the NIB.",
        "visibility": "shared",
        "items-0-title": "Register the NIB",
        "items-0-owner": "team",
        "items-0-due_on": (_today() + timedelta(days=14)).isoformat(),
        "items-0-status": "open",
        "items-1-title": "",
        "items-1-owner": "team",
        "items-1-due_on": "",
        "items-1-status": "open",
        "items-2-title": "",
        "items-2-owner": "team",
        "items-2-due_on": "not a date",
        "items-2-status": "open",
    }
    data.update(overrides)
    return data


def test_log_session_saves_note_and_titled_items(app, client, create_user, create_cohort, login_as):
    from incubator.mentoring.models import ActionItem, SessionNote

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    login_as(client, mentor)
    url = f"/cohort-startups/{world.cs_ids[0]}/notes/new?lang=en"
    form_page = _text(client.get(url))
    assert form_page.count('name="items-') == 15  # three rows of five fields
    response = post_form(client, url, _session_form(**{"items-1-title": "Ask Sari", "items-1-owner": str(mentor.id)}))
    assert response.status_code == 302
    with app.app_context():
        note = _db.session.scalar(select(SessionNote))
        assert (note.theme, note.duration_minutes, note.visibility, note.held_on) == (
            "legality_licensing",
            90,
            "shared",
            _today(),
        )
        items = [(i.title, i.owner_id) for i in _db.session.scalars(select(ActionItem).order_by(ActionItem.id))]
        assert items == [("Register the NIB", None), ("Ask Sari", mentor.id)]


def test_log_session_bad_input_shows_messages_and_keeps_typing(app, client, create_user, create_cohort, login_as):
    from incubator.mentoring.models import SessionNote

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    login_as(client, mentor)
    url = f"/cohort-startups/{world.cs_ids[0]}/notes/new?lang=en"
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    response = post_form(
        client,
        url,
        _session_form(
            held_on=tomorrow,
            duration_minutes="0",
            theme="",
            body="Typed notes stay",
            **{"items-0-due_on": "31/02/2026"},
        ),
    )
    page = _text(response)
    assert response.status_code == 200
    assert "The session date cannot be in the future." in page
    assert "Enter the duration in minutes, from 1 to 1440." in page
    assert "Choose a theme." in page
    assert "Enter the due date as a date, e.g. 2026-03-01." in page
    assert page.count("Enter the due date as a date") == 1  # the blank row with a bad date is ignored
    assert "Typed notes stay" in page and 'value="31/02/2026"' in page and 'value="Register the NIB"' in page
    with app.app_context():
        assert _db.session.scalar(select(SessionNote)) is None


def test_edit_note_changes_it_and_removes_a_cleared_item(app, client, create_user, create_cohort, login_as):
    from incubator.mentoring.models import ActionItem, SessionNote

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    note_id, (keep, drop) = add_note(
        app, world.cs_ids[0], mentor, visibility="internal", items=[ItemInput(title="keep"), ItemInput(title="drop")]
    )
    login_as(client, mentor)
    url = f"/notes/{note_id}/edit?lang=en"
    page = _text(client.get(url))
    assert 'value="keep"' in page and 'value="drop"' in page
    data = _session_form(
        visibility="shared",
        body="Changed",
        **{
            "items-0-item_id": str(keep),
            "items-0-title": "kept, renamed",
            "items-1-item_id": str(drop),
            "items-1-title": "",
            "items-2-due_on": "",
        },
    )
    assert post_form(client, url, data).status_code == 302
    with app.app_context():
        note = _db.session.get(SessionNote, note_id)
        assert (note.body, note.visibility) == ("Changed", "shared")
        assert [(i.id, i.title) for i in _db.session.scalars(select(ActionItem))] == [(keep, "kept, renamed")]


# --- ticking items ---------------------------------------------------------------------------


def test_founder_ticks_item_done_with_comment_from_home(app, client, create_user, create_cohort, login_as):
    from incubator.mentoring.models import ActionItem

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    _n, (late, later) = add_note(
        app,
        world.cs_ids[0],
        mentor,
        items=[ItemInput(title="LATE-ONE", due_on=_today() - timedelta(days=2)), ItemInput(title="NEXT-ONE")],
    )
    login_as(client, world.founders[0])
    home = _text(client.get("/?lang=en"))
    assert "What your mentors asked for next" in home
    assert home.index("LATE-ONE") < home.index("NEXT-ONE")
    assert re.search(f'class="action-item overdue" id="item-{late}"', home)
    response = post_form(
        client, f"/action-items/{late}/status", {"status": "done", "comment": "Filed at OSS", "next": "/"}, page="/"
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with app.app_context():
        item = _db.session.get(ActionItem, late)
        assert (item.status, item.done_comment, item.done_by_id) == ("done", "Filed at OSS", world.founders[0].id)
    assert "Action item updated: LATE-ONE." in _text(client.get("/?lang=en"))
    home = _text(client.get("/?lang=en"))
    assert "LATE-ONE" not in home and "NEXT-ONE" in home


def test_item_status_long_comment_is_refused_and_kept(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    _n, (item_id,) = add_note(app, world.cs_ids[0], mentor, items=[ItemInput(title="x")])
    login_as(client, world.founders[0])
    url = f"/action-items/{item_id}/status?lang=en"
    response = post_form(client, url, {"status": "done", "comment": "y" * 501})
    assert response.status_code == 200
    page = _text(response)
    assert "Use at most 500 characters." in page and "y" * 501 in page


def test_item_status_refuses_an_offsite_next(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    _n, (item_id,) = add_note(app, world.cs_ids[0], mentor, items=[ItemInput(title="x")])
    login_as(client, mentor)
    url = f"/action-items/{item_id}/status"
    response = post_form(client, url, {"status": "in_progress", "next": "//evil.example/"})
    assert response.headers["Location"] == f"/cohort-startups/{world.cs_ids[0]}#items"


def test_director_home_counts_overdue_items_per_cohort(app, client, create_user, create_cohort, login_as):
    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    late = _today() - timedelta(days=1)
    add_note(app, world.cs_ids[0], mentor, items=[ItemInput(title="a", due_on=late), ItemInput(title="b", due_on=late)])
    login_as(client, world.director)
    home = _text(client.get("/?lang=en"))
    assert (
        f'<a href="/cohorts/{world.cohort_id}/mentors">Hetero for Startup Solo 2026</a> '
        '<span class="tag tag-bad overdue">2 overdue</span>'
    ) in home


def test_session_notes_survive_an_expired_session(app, make_client, create_user, create_cohort):
    from incubator.mentoring.models import SessionNote
    from tests.conftest import DEFAULT_PASSWORD, csrf_token

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    browser = make_client()
    post_form(browser, "/auth/login", {"email": mentor.email, "password": DEFAULT_PASSWORD})
    url = f"/cohort-startups/{world.cs_ids[0]}/notes/new"
    token = csrf_token(browser, url)
    browser.delete_cookie("session")  # the session expired while the mentor was typing
    typed = _session_form(body="Catatan panjang dari sesi **legalitas**", **{"items-1-title": "Urus PIRT"})
    response = browser.post(url + "?lang=en", data={**typed, "csrf_token": token})
    assert response.status_code == 400
    assert "What you typed is kept" in _text(response)
    post_form(browser, "/auth/login", {"email": mentor.email, "password": DEFAULT_PASSWORD})
    page = _text(browser.get(url + "?lang=en"))
    assert "What you typed before your session ended has been put back. Check it and save." in page
    assert "Catatan panjang dari sesi **legalitas**</textarea>" in page
    assert 'value="Urus PIRT"' in page
    with app.app_context():
        assert _db.session.scalar(select(SessionNote)) is None  # nothing saved until the mentor saves


def test_note_dates_in_a_year_no_programme_has_are_refused_and_kept(app, client, create_user, create_cohort, login_as):
    from incubator.mentoring.models import SessionNote

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    login_as(client, mentor)
    url = f"/cohort-startups/{world.cs_ids[0]}/notes/new?lang=en"
    response = post_form(client, url, _session_form(held_on="0001-01-01", **{"items-0-due_on": "9999-12-31"}))
    page = _text(response)
    assert response.status_code == 200
    assert page.count("Enter a date between 2000 and 2100.") == 2
    assert 'value="0001-01-01"' in page and 'value="9999-12-31"' in page
    with app.app_context():
        assert _db.session.scalar(select(SessionNote)) is None
