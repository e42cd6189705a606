"""Pitch day: the run of show, the stage controls, the judge's page that follows the stage, the live
board and its reminders, the founder's own slot, and the released results screen.

The world is tests/test_scoring_pages.py's: an open round "Seleksi pitch" (Problem 1-5 weight 2, Team
0-10 by 2.5 weight 1), Batik Lurik and GamelanVerse (plus extra startups when asked), Sari and Budi
assigned to every application, Rina assigned to nothing, Dimas the founder of Batik Lurik."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from incubator.audit.models import AuditEvent
from incubator.extensions import db as _db
from incubator.judging.models import ConflictDeclaration, ScoreSheet
from incubator.pitchday.clock import countdown
from incubator.pitchday.models import PitchDay, PitchReminder, PitchSlot
from tests.conftest import post_form
from tests.test_scoring_pages import build_world, save, set_phase

START = datetime(2099, 3, 9, 2, 0, tzinfo=UTC)  # 09.00 WIB
SETUP = {
    "room": "Aula Hetero Space Solo",
    "starts_at": "2099-03-09T09:00",
    "pitch_minutes": "5",
    "questions_minutes": "3",
    "language": "en",
    "results_top": "10",
}


@pytest.fixture
def world(app, create_user, create_cohort):
    return build_world(app, create_user, create_cohort, extra_applications=1)


def setup_url(world):
    return f"/rounds/{world.round}/pitch-day"


def set_up(client, login_as, world, **changes):
    login_as(client, world.director)
    client.get("/?lang=en")
    return post_form(client, setup_url(world), SETUP | changes)


def control(client, world, action):
    return post_form(client, f"/rounds/{world.round}/pitch-day/control", {"action": action}, page=setup_url(world))


def pitch_day(db, world) -> PitchDay:
    return db.scalar(select(PitchDay).where(PitchDay.round_id == world.round))


def order_of(db, world) -> list[int]:
    day = pitch_day(db, world)
    return list(
        db.scalars(select(PitchSlot.application_id).where(PitchSlot.pitch_day_id == day.id).order_by("position"))
    )


STATES = {"n": "not_started", "d": "draft", "s": "submitted", "c": "conflicted", "x": "not_assigned"}


def cells(page: str) -> list[list[str]]:
    """Each board row: the pitch, then each judge's cell state."""
    rows = re.findall(r"<tr class=\"(?:current)?\"[^>]*>(.*?)</tr>", page, re.S)
    return [
        [re.search(r"<th scope=\"row\">(.*?)</th>", row).group(1)]
        + [STATES[c] for c in re.findall(r'<td class="([ndscx])">', row)]
        for row in rows
    ]


def declare(app, world, judge, application):
    with app.app_context():
        _db.session.add(
            ConflictDeclaration(
                round_id=world.round,
                application_id=world.apps[application],
                judge_id=world.judges[judge].id,
                source="judge",
                reason="Saya pernah menjadi penasihatnya.",
            )
        )
        _db.session.commit()


# --- the clock ------------------------------------------------------------------------------------


def test_countdown_runs_pauses_and_goes_over_time():
    start = datetime(2099, 3, 9, 2, 0, tzinfo=UTC)
    assert countdown(8, None, None, start) == countdown(8, None, None, start)
    assert countdown(8, None, None, start).seconds_left == 480
    running = countdown(8, start, None, start + timedelta(seconds=75))
    assert (running.seconds_left, running.running, running.shown) == (405, True, "6:45")
    paused = countdown(8, start, start + timedelta(seconds=60), start + timedelta(minutes=30))
    assert (paused.seconds_left, paused.running, paused.shown) == (420, False, "7:00")
    over = countdown(8, start, None, start + timedelta(minutes=9, seconds=5))
    assert (over.seconds_left, over.overtime, over.shown) == (-65, True, "+1:05")


# --- set-up and run of show -----------------------------------------------------------------------


def test_setup_turns_an_open_round_into_a_pitch_day_in_application_order(client, login_as, world, db):
    response = set_up(client, login_as, world)
    assert response.status_code == 302
    day = pitch_day(db, world)
    assert (day.room, day.starts_at, day.pitch_minutes, day.questions_minutes, day.language, day.state) == (
        "Aula Hetero Space Solo",
        START,
        5,
        3,
        "en",
        "ready",
    )
    assert order_of(db, world) == world.apps
    page = client.get(setup_url(world)).get_data(as_text=True)
    assert "The pitch day is saved." in page
    times = re.findall(r'<span class="slot-time">([^<]*)</span>\s*<span class="slot-name">([^<]*)</span>', page)
    assert times == [("09.00 WIB", "Batik Lurik"), ("09.08 WIB", "GamelanVerse"), ("09.16 WIB", "Startup 00")]
    assert db.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "pitch_days")) == "pitch_day.created"


def test_setup_with_bad_values_says_why_and_keeps_the_typing(client, login_as, world, db):
    response = set_up(client, login_as, world, pitch_minutes="0", starts_at="", room="Ruang Rapat <b>2</b>")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a whole number of minutes from 1 to 120." in page
    assert "Enter a date and time, e.g. 2026-03-01 09:00." in page
    assert 'value="Ruang Rapat &lt;b&gt;2&lt;/b&gt;"' in page
    assert pitch_day(db, world) is None


def test_a_draft_round_cannot_become_a_pitch_day(app, client, login_as, create_user, create_cohort, db):
    world = build_world(app, create_user, create_cohort, phase="draft")
    page = set_up(client, login_as, world).get_data(as_text=True)
    assert "Only a round open for scoring can become a pitch day." in page
    assert pitch_day(db, world) is None


def test_order_by_name_and_move_up_and_down(client, login_as, world, db):
    set_up(client, login_as, world)
    batik, gamelan, extra = world.apps
    post_form(client, f"/rounds/{world.round}/pitch-day/order", {"order": "name"}, page=setup_url(world))
    assert order_of(db, world) == [batik, gamelan, extra]
    slot = db.scalar(select(PitchSlot.id).where(PitchSlot.application_id == extra))
    move = f"/rounds/{world.round}/pitch-day/slots/{slot}/move"
    assert post_form(client, move, {"direction": "up"}, page=setup_url(world)).status_code == 302
    assert order_of(db, world) == [batik, extra, gamelan]
    post_form(client, move, {"direction": "up"}, page=setup_url(world))
    assert order_of(db, world) == [extra, batik, gamelan]
    post_form(client, move, {"direction": "up"}, page=setup_url(world))
    assert "This pitch cannot move that way." in client.get(setup_url(world)).get_data(as_text=True)
    post_form(client, move, {"direction": "down"}, page=setup_url(world))
    assert order_of(db, world) == [batik, extra, gamelan]


def test_order_at_random_keeps_every_pitch_once(app, client, login_as, world, db):
    import random

    from incubator.pitchday import services

    set_up(client, login_as, world)
    with app.test_request_context("/?lang=en"):
        day = _db.session.scalar(select(PitchDay).where(PitchDay.round_id == world.round))
        services.order_slots(day, "random", _db.session.merge(world.director), rng=random.Random(3))
        _db.session.commit()
    expected = list(world.apps)
    random.Random(3).shuffle(expected)
    assert order_of(db, world) == expected


def test_a_called_pitch_keeps_its_place_and_the_order_is_fixed_once_started(client, login_as, world, db):
    set_up(client, login_as, world)
    control(client, world, "start")
    post_form(client, f"/rounds/{world.round}/pitch-day/order", {"order": "name"}, page=setup_url(world))
    page = client.get(setup_url(world)).get_data(as_text=True)
    assert "The pitch day has started: move single pitches that are still to come instead." in page
    second = db.scalar(select(PitchSlot.id).where(PitchSlot.application_id == world.apps[1]))
    post_form(
        client, f"/rounds/{world.round}/pitch-day/slots/{second}/move", {"direction": "up"}, page=setup_url(world)
    )
    assert "A pitch already called on stage keeps its place." in client.get(setup_url(world)).get_data(as_text=True)
    post_form(
        client, f"/rounds/{world.round}/pitch-day/slots/{second}/move", {"direction": "down"}, page=setup_url(world)
    )
    assert order_of(db, world) == [world.apps[0], world.apps[2], world.apps[1]]


# --- the stage -------------------------------------------------------------------------------------


def test_start_next_back_pause_resume_and_the_end(client, login_as, world, db):
    set_up(client, login_as, world)
    assert control(client, world, "next").status_code == 302
    assert "That move is not possible now." in client.get(f"/rounds/{world.round}/pitch-day/board").get_data(
        as_text=True
    )
    steps = []
    for action in ("start", "next", "pause", "pause", "back", "next", "next", "next", "back"):
        control(client, world, action)
        day = pitch_day(db, world)
        steps.append((day.state, day.current_position, day.paused_at is not None))
    assert steps == [
        ("live", 0, False),
        ("live", 1, False),
        ("paused", 1, True),
        ("live", 1, False),
        ("live", 0, False),
        ("live", 1, False),
        ("live", 2, False),
        ("finished", None, False),
        ("live", 2, False),
    ]
    actions = db.scalars(
        select(AuditEvent.data).where(AuditEvent.action == "pitch_day.moved_on").order_by(AuditEvent.id)
    )
    assert [a["move"] for a in actions] == ["start", "next", "pause", "pause", "back", "next", "next", "next", "back"]


def test_resume_keeps_the_time_left_when_paused(app, client, login_as, world, db):
    from incubator.pitchday import services

    set_up(client, login_as, world)
    with app.test_request_context("/?lang=en"):
        day = _db.session.scalar(select(PitchDay).where(PitchDay.round_id == world.round))
        director = _db.session.merge(world.director)
        services.control(day, "start", director, now=START)
        services.control(day, "pause", director, now=START + timedelta(minutes=2))
        services.control(day, "pause", director, now=START + timedelta(minutes=10))
        clock = countdown(day.slot_minutes, day.slot_started_at, day.paused_at, START + timedelta(minutes=11))
        _db.session.commit()
    assert clock.seconds_left == 5 * 60 + 3 * 60 - 3 * 60


# --- the judge's page ------------------------------------------------------------------------------


def _judge_page(client, world, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(f"/rounds/{world.round}/pitch-day/judge?{query}").get_data(as_text=True)


def test_judge_page_follows_the_stage_and_refreshes_only_without_a_form(client, login_as, world, db):
    set_up(client, login_as, world)
    login_as(client, world.judges[0])
    client.get("/?lang=en")
    waiting = _judge_page(client, world)
    assert "The pitch day has not started yet: the first pitch starts at 9 Mar 2099 09.00 WIB." in waiting
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in waiting
    assert 'id="scoring-form"' not in waiting

    login_as(client, world.director)
    control(client, world, "start")
    login_as(client, world.judges[0])
    page = _judge_page(client, world)
    assert "<h1>Batik Lurik</h1>" in page
    assert "Now pitching (1 of 3)" in page
    assert re.search(r'<span class="countdown-value">(8:00|7:5\d)</span>', page)
    assert f'action="/rounds/{world.round}/pitch-day/judge/{world.apps[0]}"' in page
    assert "http-equiv" not in page  # a form the judge may be typing in is never refreshed away


def test_save_draft_keeps_the_judges_place_and_submit_follows_the_stage(client, login_as, world, db):
    set_up(client, login_as, world)
    control(client, world, "start")
    login_as(client, world.judges[0])
    client.get("/?lang=en")
    save_url = f"/rounds/{world.round}/pitch-day/judge/{world.apps[0]}"
    page_url = f"/rounds/{world.round}/pitch-day/judge"
    data = {"version": "0", f"score_{world.problem}": "4", f"comment_{world.problem}": "Sakit nyata"}
    response = post_form(client, save_url, data | {"save": "Save draft"}, page=page_url)
    assert response.headers["Location"] == f"{page_url}?pitch={world.apps[0]}"
    login_as(client, world.director)
    control(client, world, "next")  # the director moves on while the judge's sheet is a draft
    login_as(client, world.judges[0])
    followed = _judge_page(client, world)
    assert "<h1>GamelanVerse</h1>" in followed
    mine = re.findall(r'<li class="cell-([a-z_]+)[^"]*">\s*<a href="[^"]*pitch=(\d+)"', followed)
    assert mine == [
        ("draft", str(world.apps[0])),
        ("not_started", str(world.apps[1])),
        ("not_started", str(world.apps[2])),
    ]
    place = _judge_page(client, world, pitch=world.apps[0])
    assert "<h1>Batik Lurik</h1>" in place and 'value="4" checked' in place and "Sakit nyata" in place
    assert "Go to the pitch on stage" in place
    version = re.search(r'name="version"[^>]*value="(\d+)"', place).group(1)
    full = data | {"version": version, f"score_{world.team}": "7.5", "submit_sheet": "Submit"}
    response = post_form(client, save_url, full, page=f"{page_url}?pitch={world.apps[0]}")
    assert response.headers["Location"] == page_url
    sheet = db.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == world.judges[0].id))
    assert (sheet.application_id, sheet.status, sheet.total) == (world.apps[0], "final", 75.0)
    submitted = _judge_page(client, world, pitch=world.apps[0])
    assert "You submitted these scores on" in submitted
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in submitted


def test_a_refused_submit_keeps_the_typing_as_a_draft(client, login_as, world, db):
    set_up(client, login_as, world)
    control(client, world, "start")
    login_as(client, world.judges[0])
    client.get("/?lang=en")
    data = {"version": "0", f"score_{world.problem}": "3", "overall_comment": "Bagus", "submit_sheet": "Submit"}
    response = post_form(
        client,
        f"/rounds/{world.round}/pitch-day/judge/{world.apps[0]}",
        data,
        page=f"/rounds/{world.round}/pitch-day/judge",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give a score for every criterion before submitting: Team." in page
    assert "What you entered is saved as a draft." in page
    assert re.search(r">\s*Bagus</textarea>", page)
    sheet = db.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == world.judges[0].id))
    assert (sheet.status, sheet.overall_comment) == ("draft", "Bagus")


def test_autosave_on_the_pitch_day_answers_json_and_refuses_a_stale_save(client, login_as, world, db):
    set_up(client, login_as, world)
    control(client, world, "start")
    login_as(client, world.judges[0])
    url = f"/rounds/{world.round}/pitch-day/judge/{world.apps[0]}"
    headers = {"X-Requested-With": "fetch"}
    data = {"version": "0", f"score_{world.problem}": "2"}
    answer = post_form(client, url, data, page=f"/rounds/{world.round}/pitch-day/judge", headers=headers)
    version = db.scalar(select(ScoreSheet.version).where(ScoreSheet.judge_id == world.judges[0].id))
    assert (answer.status_code, answer.json["status"], answer.json["version"]) == (200, "saved", version)
    # The same save sent again (its answer lost on the way) is confirmed; a different one is stale.
    again = post_form(client, url, data, page=f"/rounds/{world.round}/pitch-day/judge", headers=headers)
    assert (again.status_code, again.json["status"], again.json["version"]) == (200, "saved", version)
    data[f"score_{world.problem}"] = "3"
    stale = post_form(client, url, data, page=f"/rounds/{world.round}/pitch-day/judge", headers=headers)
    assert (stale.status_code, stale.json["status"]) == (409, "refused")
    assert db.scalar(select(ScoreSheet.version).where(ScoreSheet.judge_id == world.judges[0].id)) == version


def test_now_json_tells_the_stage_and_hides_names_of_pitches_not_assigned(client, login_as, world, db):
    set_up(client, login_as, world)
    control(client, world, "start")
    now = client.get(f"/rounds/{world.round}/pitch-day/now.json").json
    assert {k: now[k] for k in ("state", "position", "pitches", "application_id", "startup", "running", "mark")} == {
        "state": "live",
        "position": 1,
        "pitches": 3,
        "application_id": world.apps[0],
        "startup": "Batik Lurik",
        "running": True,
        "mark": "live:0",
    }
    assert 470 <= now["seconds_left"] <= 480
    login_as(client, world.judges[1])
    assert client.get(f"/rounds/{world.round}/pitch-day/now.json").json["startup"] == "Batik Lurik"
    login_as(client, world.outsider)
    assert client.get(f"/rounds/{world.round}/pitch-day/now.json").status_code == 404


def test_a_judge_with_a_conflict_sees_it_instead_of_a_form(app, client, login_as, world, db):
    set_up(client, login_as, world)
    control(client, world, "start")
    declare(app, world, judge=0, application=0)
    login_as(client, world.judges[0])
    client.get("/?lang=en")
    page = _judge_page(client, world)
    assert "You have a conflict of interest with this startup, so you cannot score it." in page
    assert 'id="scoring-form"' not in page
    assert re.search(r'<li class="cell-conflicted current">', page)


# --- the board and reminders -----------------------------------------------------------------------


def test_board_shows_each_sheet_state_the_current_pitch_and_the_missing_count(app, client, login_as, world, db):
    set_up(client, login_as, world)
    board_url = f"/rounds/{world.round}/pitch-day/board"
    page = client.get(board_url).get_data(as_text=True)
    assert "0 sheets missing" in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    control(client, world, "start")
    control(client, world, "next")
    save(app, world, judge=0, application=0, submit=True)
    save(app, world, judge=1, application=1)
    declare(app, world, judge=0, application=1)
    page = client.get(board_url).get_data(as_text=True)
    # Judges in name order: Budi, then Sari.
    assert re.findall(r'<span class="judge-name">([^<]*)</span>', page) == ["Budi Santoso", "Sari Wulandari"]
    assert cells(page) == [
        ["1. Batik Lurik", "not_started", "submitted"],
        ["2. GamelanVerse", "draft", "conflicted"],
        ["3. Startup 00", "not_started", "not_started"],
    ]
    assert '<tr class="current" aria-current="true">\n        <th scope="row">2. GamelanVerse</th>' in page
    assert "2 sheets missing" in page  # Budi's two; Sari's conflict does not count, pitch 3 not called yet
    table = client.get(f"{board_url}?part=table").get_data(as_text=True)
    assert "<html" not in table and cells(table) == cells(page)


def remind(client, world, judge_id):
    board = f"/rounds/{world.round}/pitch-day/board"
    return post_form(client, f"/rounds/{world.round}/pitch-day/remind", {"judge_id": judge_id}, page=board)


def test_remind_shows_a_message_on_the_judges_page_and_sends_an_email(client, login_as, world, db, outbox):
    set_up(client, login_as, world)
    control(client, world, "start")
    budi = world.judges[1]
    response = remind(client, world, budi.id)
    assert response.status_code == 302
    assert "Budi Santoso is reminded." in client.get(f"/rounds/{world.round}/pitch-day/board").get_data(as_text=True)
    (mail,) = outbox()
    assert (mail.recipient, mail.subject) == (
        "budi@yahoo.co.id",
        "Hari pitch: 1 lembar nilai untuk dikirim di Seleksi pitch",
    )
    assert f"/rounds/{world.round}/pitch-day/judge" in mail.body
    reminder = db.scalar(select(PitchReminder))
    assert (reminder.judge_id, reminder.missing, reminder.times) == (budi.id, 1, 1)
    login_as(client, budi)
    client.get("/?lang=en")
    page = _judge_page(client, world, pitch=world.apps[1])
    assert re.search(
        r"The director reminds you \(\d\d\.\d\d WIB\): 1 sheet of the pitches so far is not submitted\.", page
    )


def test_remind_a_judge_with_nothing_missing_is_refused(client, login_as, world, db, outbox):
    set_up(client, login_as, world)
    remind(client, world, world.judges[0].id)
    page = client.get(f"/rounds/{world.round}/pitch-day/board").get_data(as_text=True)
    assert "This judge has no missing sheet: no reminder was sent." in page
    for judge_id, message in (
        (world.outsider.id, "This judge has no pitch to score on this pitch day."),
        ("999999", "This judge has no pitch to score on this pitch day."),
        ("satu", "The form could not be sent. Please try again."),
    ):
        remind(client, world, judge_id)
        page = client.get(f"/rounds/{world.round}/pitch-day/board").get_data(as_text=True)
        assert re.findall(r'class="flash flash-error">([^<]*)', page) == [message]
    assert outbox() == []


# --- schedule, founder's slot ------------------------------------------------------------------------


def test_schedule_print_and_pdf_list_the_run_of_show_in_the_rooms_language(client, login_as, world, db):
    set_up(client, login_as, world, language="id")
    page = client.get(f"/rounds/{world.round}/pitch-day/schedule/print").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert re.findall(r"<td>(\d\d\.\d\d WIB)</td><td>([^<]*)</td>", page) == [
        ("09.00 WIB", "Batik Lurik"),
        ("09.08 WIB", "GamelanVerse"),
        ("09.16 WIB", "Startup 00"),
    ]
    response = client.get(f"/rounds/{world.round}/pitch-day/schedule.pdf")
    assert response.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Aula Hetero Space Solo" in text
    assert "09.16 WIB" in text and "Startup 00" in text
    assert "Ruang" in text  # "Room" in Indonesian, the room's language


def test_a_founder_sees_their_own_slot_and_no_other(client, login_as, world, db, create_user):
    set_up(client, login_as, world)
    login_as(client, world.founder)
    client.get("/?lang=en")
    own = client.get(f"/rounds/{world.round}/pitch-day/applications/{world.apps[0]}")
    page = own.get_data(as_text=True)
    assert own.status_code == 200
    assert "<strong>9 Mar 2099 09.00 WIB</strong>" in page and "Aula Hetero Space Solo" in page
    assert "1 of 3" in page and "GamelanVerse" not in page
    assert client.get(f"/rounds/{world.round}/pitch-day/applications/{world.apps[1]}").status_code == 404
    assert client.get(f"/rounds/{world.round}/pitch-day/board").status_code == 403


# --- results ---------------------------------------------------------------------------------------


def test_results_are_released_only_from_a_closed_round_and_show_stored_figures(app, client, login_as, world, db):
    set_up(client, login_as, world, results_top="2")
    control(client, world, "start")
    for judge in (0, 1):
        save(app, world, judge=judge, application=0, problem="5", team="10", submit=True)
        save(app, world, judge=judge, application=1, problem="3", team="5", submit=True)
    save(app, world, judge=0, application=2, problem="1", team="0", submit=True)
    results_url = f"/rounds/{world.round}/pitch-day/results"
    post_form(client, f"/rounds/{world.round}/pitch-day/release", page=setup_url(world))
    page = client.get(results_url).get_data(as_text=True)
    assert "Close the round first: results are released only from a closed round." in page
    assert pitch_day(db, world).results_released_at is None

    set_phase(app, world, "closed")
    post_form(client, f"/rounds/{world.round}/pitch-day/release", page=results_url)
    page = client.get(results_url).get_data(as_text=True)
    assert '<html lang="en">' in page
    rows = re.findall(
        r'<td class="num rank">(\d+)</td>\s*<td class="startup">([^<]*)</td>\s*<td class="num score">([^<]*)</td>\s*'
        r'<td class="num">(\d+)</td>',
        page,
    )
    assert rows == [("1", "Batik Lurik", "100.00", "2"), ("2", "GamelanVerse", "50.00", "2")]
    assert "Startup 00" not in page  # top 2 only
    assert "Sari" not in page and "Budi" not in page
    printable = client.get(f"{results_url}/print").get_data(as_text=True)
    assert "100.00" in printable and "Printable page" not in printable


def test_results_screen_speaks_the_rooms_language(app, client, login_as, world, db):
    set_up(client, login_as, world, language="id")
    save(app, world, judge=0, application=0, problem="4", team="7.5", submit=True)
    set_phase(app, world, "closed")
    post_form(client, f"/rounds/{world.round}/pitch-day/release", page=setup_url(world))
    # The director reads pages in English (set_up asked /?lang=en); the screen speaks the room's language.
    page = client.get(f"/rounds/{world.round}/pitch-day/results").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert re.search(r'<td class="num score">75,00</td>', page)
    assert "<h1>Hasil: Seleksi pitch</h1>" in page
    # An explicit ?lang= wins, to check the screen in the other language.
    page = client.get(f"/rounds/{world.round}/pitch-day/results?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "<h1>Results: Seleksi pitch</h1>" in page
    assert re.search(r'<td class="num score">75.00</td>', page)


def test_the_founders_application_page_links_to_their_slot(client, login_as, world, db):
    set_up(client, login_as, world)
    login_as(client, world.founder)
    client.get("/?lang=en")
    page = client.get(f"/applications/{world.apps[0]}").get_data(as_text=True)
    link = f'<a href="/rounds/{world.round}/pitch-day/applications/{world.apps[0]}">'
    assert f"{link}Your pitch slot in Seleksi pitch: 9 Mar 2099 09.00 WIB</a>" in page
