"""A judge gets at most one reminder per round per `JUDGE_REMINDER_INTERVAL_HOURS`, however many
button presses and `flask send-reminders` runs ask, and the round page says when the last one went."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from incubator.core.database import utcnow
from incubator.judging.models import JudgeReminder
from tests.conftest import post_form
from tests.test_scoring_pages import build_world


@pytest.fixture
def world(app, create_user, create_cohort):
    return build_world(app, create_user, create_cohort)


def _press(client, world) -> str:
    post_form(client, f"/rounds/{world.round}/remind", page=f"/rounds/{world.round}")
    return client.get(f"/rounds/{world.round}").get_data(as_text=True)


def _sent_at(db, world, judge: int, when: datetime):
    with db.session() as session:
        session.execute(
            update(JudgeReminder)
            .where(JudgeReminder.round_id == world.round, JudgeReminder.judge_id == world.judges[judge].id)
            .values(sent_at=when)
        )


def test_one_press_and_two_scheduled_runs_send_one_reminder_per_judge(app, client, login_as, world, db, outbox):
    login_as(client, world.director)
    client.get("/?lang=en")
    page = client.get(f"/rounds/{world.round}").get_data(as_text=True)
    assert '<p class="muted small" id="last-reminder">A judge gets at most one reminder every 24 hours.</p>' in page

    assert "A reminder was sent to 2 judges." in _press(client, world)
    runner = app.test_cli_runner()
    for _run in range(2):
        result = runner.invoke(args=["send-reminders"])
        assert (result.exit_code, result.output) == (
            0,
            f"Round {world.round} (Seleksi pitch): 0 judge(s) reminded, 2 already reminded in the last 24 h\n",
        )
    assert sorted(m.recipient for m in outbox()) == ["budi@yahoo.co.id", "sari@gmail.com"]
    assert (
        "No reminder was sent. 2 judges were already reminded in the last 24 hours and were not e-mailed again."
        in _press(client, world)
    )
    assert len(outbox()) == 2
    assert sorted(db.scalars(select(JudgeReminder.judge_id).where(JudgeReminder.round_id == world.round))) == sorted(
        judge.id for judge in world.judges
    )


def test_the_round_page_says_when_the_last_reminder_went_in_wib(app, client, login_as, world, db, outbox):
    login_as(client, world.director)
    client.get("/?lang=en")
    _press(client, world)
    _sent_at(db, world, 0, datetime(2026, 1, 5, 2, 15, tzinfo=UTC))
    _sent_at(db, world, 1, datetime(2026, 1, 4, 20, 0, tzinfo=UTC))
    page = client.get(f"/rounds/{world.round}").get_data(as_text=True)
    assert (
        '<p class="muted small" id="last-reminder">Last reminder sent: 5 Jan 2026 09.15 WIB. '
        "A judge gets at most one reminder every 24 hours.</p>"
    ) in page
    page = client.get(f"/rounds/{world.round}?lang=id").get_data(as_text=True)
    assert "Pengingat terakhir dikirim: 5 Jan 2026 09.15 WIB." in page


def test_a_judge_is_reminded_again_once_the_interval_has_passed(app, client, login_as, world, db, outbox):
    login_as(client, world.director)
    client.get("/?lang=en")
    _press(client, world)
    now = utcnow()
    _sent_at(db, world, 0, now - timedelta(hours=23))  # Sari: within the 24 hours
    _sent_at(db, world, 1, now - timedelta(hours=25))  # Budi: due again
    assert (
        "A reminder was sent to 1 judge. 1 judge was already reminded in the last 24 hours and was not e-mailed again."
        in _press(client, world)
    )
    assert [m.recipient for m in outbox()] == ["budi@yahoo.co.id", "sari@gmail.com", "budi@yahoo.co.id"]
    budi = db.scalar(select(JudgeReminder.sent_at).where(JudgeReminder.judge_id == world.judges[1].id))
    assert budi > now - timedelta(minutes=1)
    # The interval is configurable: with 12 hours, Sari (reminded 23 hours ago) is due too.
    app.config["JUDGE_REMINDER_INTERVAL_HOURS"] = 12
    assert "A reminder was sent to 1 judge." in _press(client, world)
    assert [m.recipient for m in outbox()][-1] == "sari@gmail.com"
    assert len(outbox()) == 4
