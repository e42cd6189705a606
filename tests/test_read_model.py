"""A round's stored results (judging.ranking.results) never disagree with a fresh computation: after
every kind of change that can move them, after random sequences of them, and not at all after a
draft save; and a decided round's figures stay as they were decided on."""

import random

import pytest
from sqlalchemy import func, select, text, update

from incubator.extensions import db as _db
from incubator.judging.models import ScoreSheet, StoredResult
from tests import read_model_world as w
from tests.conftest import recorded_statements

# T for (Problem, Team) marks: 100 (2 (p − 1) / 4 + (t − 1) / 4) / 3.
T = {("5", "5"): 100.0, ("4", "4"): 75.0, ("3", "3"): 50.0, ("2", "2"): 25.0, ("1", "1"): 0.0}


@pytest.fixture
def world(app, create_user, create_cohort):
    return w.build(app, create_user, create_cohort)


def _submit(app, world, judge, application, marks):
    assert w.act(app, lambda: w.save(world, judge, application, marks, submit=True))


def test_opening_a_round_stores_every_application_unranked(app, world):
    results, judges = w.stored(app, world.round_id)
    assert results == {a: (None, None, None, 0, None, False, True) for a in world.apps}
    assert judges == {}
    w.assert_matches(app, world.round_id)


def test_submit_stores_the_total_and_the_figures(app, world, db):
    _submit(app, world, 0, 0, ("5", "5"))
    _submit(app, world, 1, 0, ("4", "4"))
    _submit(app, world, 2, 0, ("3", "3"))
    _submit(app, world, 0, 1, ("2", "2"))
    totals = {(s.judge_id, s.application_id): s.total for s in db.scalars(select(ScoreSheet).order_by(ScoreSheet.id))}
    j, a = world.judges, world.apps
    assert totals == {(j[0], a[0]): 100.0, (j[1], a[0]): 75.0, (j[2], a[0]): 50.0, (j[0], a[1]): 25.0}
    results, judges = w.stored(app, world.round_id)
    spread = (1250 / 3) ** 0.5  # 100, 75, 50 around 75
    assert results[a[0]][2:] == (1, 3, results[a[0]][4], True, False)
    assert results[a[0]][0] == 75.0 and abs(results[a[0]][4] - spread) < 1e-12
    assert results[a[1]] == (25.0, 25.0, 2, 1, 0.0, False, True)
    assert results[a[2]] == (None, None, None, 0, None, False, True)
    assert {judge: values[:2] for judge, values in judges.items()} == {
        j[0]: (2, 62.5),
        j[1]: (1, 75.0),
        j[2]: (1, 50.0),
    }
    assert judges[j[0]][4] == "too_few"
    w.assert_matches(app, world.round_id)


def test_the_ranking_heading_reads_its_stored_counts_or_counts_an_older_row(app, world):
    """refresh stores the ranking's counts beside μ and σ; a row written before they were stored
    (a round decided before the upgrade) is counted from the stored results instead."""
    from incubator.judging.ranking import standings

    _submit(app, world, 0, 0, ("5", "5"))
    _submit(app, world, 1, 0, ("1", "1"))
    _submit(app, world, 0, 1, ("4", "4"))
    with app.app_context():
        stored = standings.summary(world.round_id)
        _db.session.execute(
            text("UPDATE round_figures SET applications = NULL, ranked = NULL, disagreement = NULL, incomplete = NULL")
        )
        counted = standings.summary(world.round_id)
        _db.session.rollback()
    # 6 applications: 2 ranked; the first judged 100 and 0 (a disagreement); all short of 3 sheets.
    assert stored == standings.Summary(applications=6, ranked=2, disagreement=1, incomplete=6, decided=0)
    assert counted == stored


def test_reopen_clears_the_total_and_the_sheet_stops_counting(app, world, db):
    _submit(app, world, 0, 0, ("5", "5"))
    _submit(app, world, 1, 0, ("3", "3"))
    assert w.act(app, lambda: w.reopen(world, 0, 0))
    sheet = db.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == world.judges[0]))
    assert (sheet.status, sheet.total) == ("draft", None)
    results, _ = w.stored(app, world.round_id)
    assert results[world.apps[0]] == (50.0, 50.0, 1, 1, 0.0, False, True)
    w.assert_matches(app, world.round_id)


@pytest.mark.parametrize(
    "change",
    [
        lambda world: w.declare(world, 2, 0),
        lambda world: w.mark(world, 2, 0),
        lambda world: w.mentor(world, 2, 0),
        lambda world: w.join_team(world, 2, 0),  # hendra@outlook.com himself joins
        lambda world: w.join_team(world, 0, 0),  # a colleague at univ-semarang.ac.id joins
    ],
    ids=["declared", "marked", "mentor", "team-member", "team-domain"],
)
def test_a_conflict_takes_the_judges_sheet_out_of_the_figures(app, world, change):
    for number, marks in enumerate([("5", "5"), ("4", "4"), ("1", "1")]):
        _submit(app, world, number, 0, marks)
    _submit(app, world, 3, 0, ("4", "4"))
    before, _ = w.stored(app, world.round_id)
    assert before[world.apps[0]][0] == 62.5 and before[world.apps[0]][3] == 4
    assert w.act(app, lambda: change(world))
    after, _ = w.stored(app, world.round_id)
    assert after[world.apps[0]][3] == 3
    assert after[world.apps[0]][0] in (250 / 3, 50.0)  # judge 2's 0 or (the colleague) judge 0's 100 left out
    w.assert_matches(app, world.round_id)


def test_removing_a_marked_conflict_or_a_mentor_or_a_member_counts_the_sheet_again(app, world):
    for number, marks in enumerate([("5", "5"), ("4", "4"), ("1", "1"), ("2", "2")]):
        _submit(app, world, number, 0, marks)
    for add, remove in [(w.mark, w.unmark), (w.mentor, w.unmentor), (w.join_team, w.leave_team)]:
        assert w.act(app, lambda add=add: add(world, 2, 0))
        assert w.stored(app, world.round_id)[0][world.apps[0]][3] == 3
        w.assert_matches(app, world.round_id)
        assert w.act(app, lambda remove=remove: remove(world, 2, 0))
        assert w.stored(app, world.round_id)[0][world.apps[0]][:4] == (50.0, 50.0, 1, 4)
        w.assert_matches(app, world.round_id)


def test_settings_and_phase_changes_refresh(app, world):
    for number, marks in enumerate([("5", "5"), ("4", "4"), ("1", "1")]):
        _submit(app, world, number, 0, marks)
        _submit(app, world, number, 1, ("4", "4") if number else ("1", "1"))
    assert w.stored(app, world.round_id)[0][world.apps[0]][5] is True  # spread 42.5 ≥ 15
    assert w.act(app, lambda: w.settings(world, basis="normalized", threshold="50"))
    results, _ = w.stored(app, world.round_id)
    assert results[world.apps[0]][5] is False
    w.assert_matches(app, world.round_id)
    for to_phase in ("closed", "open", "closed"):
        assert w.act(app, lambda to_phase=to_phase: w.phase(world, to_phase))
        w.assert_matches(app, world.round_id)


def test_the_round_follows_its_applications_in_and_out(app, world):
    """A round ranks the submitted applications at the stage it decides, and those judged in it."""
    entered = {}
    assert w.act(app, lambda: entered.setdefault("id", w.enter(world, "Kopi Merapi", ("applied",))))
    assert entered["id"] not in w.stored(app, world.round_id)[0]  # not at the stage the round decides
    with app.test_request_context("/?lang=en"):
        from incubator.applications.models import Application
        from incubator.cohorts.services import change_stage

        application = _db.session.get(Application, entered["id"])
        change_stage(application.startup, application.cohort, "pre_incubation", None, system=True)
        _db.session.commit()
    assert w.stored(app, world.round_id)[0][entered["id"]] == (None, None, None, 0, None, False, True)
    w.assert_matches(app, world.round_id)

    _submit(app, world, 0, 1, ("5", "5"))
    _submit(app, world, 1, 1, ("1", "1"))
    assert w.stored(app, world.round_id)[0][world.apps[1]][:4] == (50.0, 50.0, 1, 2)
    assert w.act(app, lambda: w.withdraw(world, 0, 1))  # judged: still ranked
    assert w.stored(app, world.round_id)[0][world.apps[1]][:4] == (50.0, 50.0, 1, 2)
    w.assert_matches(app, world.round_id)
    # Judged: a director cannot make it a draft again, so it stays ranked.
    assert not w.act(app, lambda: w.reopen_application(world, 0, 1))
    assert w.stored(app, world.round_id)[0][world.apps[1]][:4] == (50.0, 50.0, 1, 2)
    w.assert_matches(app, world.round_id)


def test_draft_saves_never_touch_the_results(app, world, db):
    _submit(app, world, 0, 0, ("5", "5"))
    with app.app_context():  # a sentinel no computation would write
        _db.session.execute(update(StoredResult).values(raw=-1.0))
        _db.session.commit()
    with recorded_statements(app) as statements:
        assert w.act(app, lambda: w.save(world, 1, 0, ("4", ""), submit=False))
        assert w.act(app, lambda: w.save(world, 1, 0, ("4", "4"), submit=False))
    assert [s for s in statements if "round_results" in s or "round_judge_stats" in s] == []
    assert db.scalar(select(func.count()).where(StoredResult.raw == -1.0)) == len(world.apps)
    sheet = db.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == world.judges[1]))
    assert (sheet.status, sheet.total) == ("draft", None)


def test_a_decided_round_keeps_its_figures(app, world):
    """Making a judge the mentor of a startup after the round was decided leaves its figures as
    they were decided on, though a fresh computation would now leave the judge's sheet out."""
    marks = [("5", "5"), ("4", "4"), ("3", "3"), ("2", "2"), ("1", "1"), ("3", "3")]
    for judge in range(4):
        for application, mark in enumerate(marks):
            lenient = ("5", "5") if judge == 3 and application == 1 else mark
            _submit(app, world, judge, application, lenient)
    assert w.act(app, lambda: w.phase(world, "closed"))
    for application in range(len(marks)):
        outcome = "advance" if application < 3 else "not_selected"
        assert w.act(app, lambda application=application, outcome=outcome: w.decide(world, application, outcome))
    w.assert_matches(app, world.round_id)
    assert w.act(app, lambda: w.phase(world, "decided"))
    decided = w.stored(app, world.round_id)
    assert decided[0][world.apps[1]][:4] == (81.25, decided[0][world.apps[1]][1], 2, 4)

    assert w.act(app, lambda: w.mentor(world, 3, 1))  # GamelanVerse is in incubation now
    assert w.stored(app, world.round_id) == decided
    live, _ = w.fresh(app, world.round_id)
    moved = live.by_application()[world.apps[1]]
    assert (moved.raw, moved.rank, moved.judges_counted) == (75.0, 2, 3)


def _try_lock(round_id: int, strength: str) -> bool:
    """Whether another connection gets the round's row lock of `strength` within 200 ms."""
    with _db.engine.connect() as other:
        other.execute(text("SET lock_timeout = '200ms'"))
        try:
            other.execute(text(f"SELECT id FROM rounds WHERE id = {round_id} FOR {strength}"))
        except Exception as error:  # noqa: BLE001 - the lock timeout is the answer
            assert "lock timeout" in str(error)
            return False
        finally:
            other.rollback()
        return True


def test_refresh_waits_for_the_round_lock(app, world):
    """On PostgreSQL a submit holds the round's row until it commits: a second refresh (or submit)
    and a phase change wait for it; a draft's save does not."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):  # SQLite: one writer at a time
        pytest.skip("PostgreSQL row locks")
    with app.test_request_context("/?lang=en"):
        w.save(world, 0, 0, ("5", "5"), submit=True)  # holds the lock, not committed
        assert _try_lock(world.round_id, "NO KEY UPDATE") is False  # another submit's refresh
        assert _try_lock(world.round_id, "UPDATE") is False  # a phase change
        assert _try_lock(world.round_id, "KEY SHARE") is True  # a draft's save
        _db.session.rollback()
        _db.session.remove()


def test_a_draft_in_flight_holds_back_a_phase_change_only(app, world):
    """A draft's save holds the round against a phase change, not against a submit's refresh."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL row locks")
    with app.test_request_context("/?lang=en"):
        w.save(world, 0, 0, ("5", ""), submit=False)  # holds the lock, not committed
        assert _try_lock(world.round_id, "NO KEY UPDATE") is True  # a submit's refresh goes on
        assert _try_lock(world.round_id, "UPDATE") is False  # a phase change waits
        _db.session.rollback()
        _db.session.remove()


def test_submits_at_the_same_moment_all_count(app, world):
    """Three judges submit at once (and a fourth saves a draft): each waits its turn for the refresh,
    none is refused or deadlocked, and the stored figures are those of all three sheets."""
    import threading

    barrier, outcomes = threading.Barrier(4), []

    def judge(n: int, submit: bool):
        barrier.wait(5)
        outcomes.append(w.act(app, lambda: w.save(world, n, 0, ("5", "4") if submit else ("3", ""), submit=submit)))

    threads = [threading.Thread(target=judge, args=(n, n < 3)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == [True] * 4
    results, _judges = w.stored(app, world.round_id)
    assert results[world.apps[0]][3] == 3  # judges counted
    w.assert_matches(app, world.round_id)


def test_one_judges_first_drafts_at_the_same_moment_are_both_counted(app, world):
    """One judge starts two sheets at once (two tabs) while another submits: the judge's stored
    drafts on the assignment board count both, one after the other (their row is held by each)."""
    import threading

    barrier, outcomes = threading.Barrier(3), []

    def save(judge: int, application: int, submit: bool):
        barrier.wait(5)
        marks = ("5", "4") if submit else ("3", "")
        outcomes.append(w.act(app, lambda: w.save(world, judge, application, marks, submit=submit)))

    threads = [threading.Thread(target=save, args=args) for args in ((0, 0, False), (0, 1, False), (1, 0, True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == [True] * 3
    with app.app_context():
        from incubator.judging.assignments.models import JudgeTallies

        stored = _db.session.get(JudgeTallies, (world.round_id, world.judges[0]))
        assert (stored.drafts, stored.submitted) == (2, 0)
        _db.session.remove()
    w.assert_matches(app, world.round_id)


CHANGES = ["submit", "submit", "submit", "draft", "reopen", "declare", "mark", "unmark", "mentor", "unmentor"]
CHANGES += [
    "join_team",
    "leave_team",
    "phase",
    "settings",
    "decide",
    "withdraw",
    "reopen_application",
    "new_judge",
    "judge_role",
    "assign",
    "unassign",
]


def _random_change(app, world, rng: random.Random) -> tuple[str, bool]:
    kind = rng.choice(CHANGES)
    judge, application = rng.randrange(len(world.judges)), rng.randrange(len(world.apps))
    marks = (str(rng.randint(1, 5)), str(rng.randint(1, 5)))
    actions = {
        "submit": lambda: w.save(world, judge, application, marks, submit=True),
        "draft": lambda: w.save(world, judge, application, (marks[0], ""), submit=False),
        "reopen": lambda: w.reopen(world, judge, application),
        "declare": lambda: w.declare(world, judge, application),
        "mark": lambda: w.mark(world, judge, application),
        "unmark": lambda: w.unmark(world, judge, application),
        "mentor": lambda: w.mentor(world, judge, application),
        "unmentor": lambda: w.unmentor(world, judge, application),
        "join_team": lambda: w.join_team(world, judge, application),
        "leave_team": lambda: w.leave_team(world, judge, application),
        "new_judge": lambda: w.new_judge(world, judge, application),
        "judge_role": lambda: w.toggle_judge_role(world, judge, application),
        "assign": lambda: w.assign(world, judge, application),
        "unassign": lambda: w.unassign(world, judge, application),
        "phase": lambda: w.phase(world, rng.choice(["open", "closed"])),
        "settings": lambda: w.settings(
            world, basis=rng.choice(["raw", "normalized"]), threshold=rng.choice(["5", "15", "30"])
        ),
        "decide": lambda: w.decide(world, application, rng.choice(["advance", "not_selected"])),
        "withdraw": lambda: w.withdraw(world, judge, application),
        "reopen_application": lambda: w.reopen_application(world, judge, application),
    }
    return kind, w.act(app, actions[kind])


@pytest.mark.parametrize("seed", [7, 2021, 31337])
def test_random_changes_never_leave_the_results_behind(app, create_user, create_cohort, seed):
    rng = random.Random(seed)
    world = w.build(app, create_user, create_cohort, basis=rng.choice(["raw", "normalized"]))
    for _ in range(24):  # most sheets submitted first, so judges have enough to be normalised
        w.act(
            app, lambda: w.save(world, rng.randrange(4), rng.randrange(6), ("3", str(rng.randint(1, 5))), submit=True)
        )
    w.assert_matches(app, world.round_id)
    done = []
    for _ in range(40):
        kind, applied = _random_change(app, world, rng)
        done.append((kind, applied))
        w.assert_matches(app, world.round_id)
    assert sum(applied for _, applied in done) >= 10, done  # the sequence did change things


def test_refreshes_in_two_threads_leave_the_garbage_collector_on():
    """The collector is paused while any refresh runs and on again once the last one is done."""
    import gc
    import threading

    from incubator.judging.ranking.results import _no_cycle_collection

    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def first():
        with _no_cycle_collection():
            first_in.set()
            second_done.wait(5)
            seen.append(("first, after the second left", gc.isenabled()))

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with _no_cycle_collection():
        seen.append(("second", gc.isenabled()))
    second_done.set()
    thread.join(5)
    assert seen == [("second", False), ("first, after the second left", False)]
    assert gc.isenabled()
