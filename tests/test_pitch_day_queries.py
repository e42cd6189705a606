"""The pitch-day pages that refresh every few seconds send a fixed number of SQL queries, whatever
the number of judges and pitches (as tests/test_query_counts.py checks the list pages), and load
nothing lazily; the board reads every stored sheet state in one query.

One world per size: a cohort with P startups in pre-incubation, each with a submitted application
in an open round made a pitch day (started), J judges assigned to every application, a sheet for
every other (judge, application) pair (every other one of those submitted), and one declared
conflict (with more than one judge)."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select

from incubator.extensions import db as _db
from tests.conftest import count_queries, open_round_with_criterion, recorded_statements

SIZES = ((1, 1, "Kecil"), (12, 8, "Besar"))  # (pitches, judges, tag)


def build_world(app, create_user, create_cohort, pitches: int, judges: int, tag: str) -> SimpleNamespace:
    from incubator.applications.models import Application
    from incubator.auth.models import User, UserRole
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.core.database import utcnow
    from incubator.judging.models import Assignment, ConflictDeclaration, Score, ScoreSheet
    from incubator.pitchday import services
    from incubator.startups.models import Startup

    made = create_cohort(f"Hetero for Startup {tag}", areas=((tag.lower(), tag, tag),), space=f"Hetero Space {tag}")
    judge = create_user(email=f"judge.{tag.lower()}@example.org", name=f"Juri {tag} 00", roles=["judge"])
    now = utcnow()

    def bulk(model, values):
        return _db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), values).all()

    with app.test_request_context():
        director = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        others = []
        if judges > 1:
            people = [
                {"email": f"j{n}.{tag.lower()}@example.org", "name": f"Juri {tag} {n:02d}"} for n in range(1, judges)
            ]
            others = bulk(User, people)
            _db.session.execute(insert(UserRole), [{"user_id": u, "role": "judge"} for u in others])
        judge_ids = [judge.id, *others]
        startups = bulk(Startup, [{"name": f"{tag} Startup {n:02d}", "city": "Surakarta"} for n in range(pitches)])
        applications = bulk(
            Application,
            [{"startup_id": s, "cohort_id": cohort.id, "status": "submitted", "submitted_at": now} for s in startups],
        )
        bulk(CohortStartup, [{"cohort_id": cohort.id, "startup_id": s, "stage": "pre_incubation"} for s in startups])
        round_, criterion = open_round_with_criterion(cohort, director, "Traksi")
        _db.session.execute(
            insert(Assignment),
            [{"round_id": round_.id, "application_id": a, "judge_id": j} for a in applications for j in judge_ids],
        )
        pairs = [(a, j) for a in applications for j in judge_ids]
        sheets = bulk(
            ScoreSheet,
            [
                {"round_id": round_.id, "application_id": a, "judge_id": j}
                | ({"status": "final", "submitted_at": now, "total": 50.0} if n % 4 == 0 else {})
                for n, (a, j) in enumerate(pairs)
                if n % 2 == 0
            ],
        )
        _db.session.execute(insert(Score), [{"sheet_id": s, "criterion_id": criterion.id, "value": 3} for s in sheets])
        if len(pairs) > 1:  # not the signed-in judge's pitch on stage: their page reads it as any other
            _db.session.add(
                ConflictDeclaration(
                    round_id=round_.id,
                    application_id=applications[-1],
                    judge_id=judge_ids[-1],
                    source="judge",
                    reason="-",
                )
            )
        _db.session.flush()
        day = services.set_up(
            round_,
            None,
            room="Aula",
            starts_at=now,
            pitch_minutes=5,
            questions_minutes=3,
            language="en",
            results_top=10,
            actor=director,
        )
        services.control(day, "start", director)
        _db.session.commit()
        return SimpleNamespace(round=round_.id, day=day.id, director=made.director, judge=judge, cells=len(pairs))


# (page, url, who signs in, the exact number of queries)
PAGES = [
    ("board", "/rounds/{round}/pitch-day/board", "director", 7),
    ("board table", "/rounds/{round}/pitch-day/board?part=table", "director", 7),
    ("judge page", "/rounds/{round}/pitch-day/judge", "judge", 12),  # the criteria: judging.rounds.frozen
    ("now.json", "/rounds/{round}/pitch-day/now.json", "judge", 7),
]


@pytest.mark.parametrize(("url", "who", "queries"), [pytest.param(*case, id=name) for name, *case in PAGES])
def test_pitch_day_pages_send_as_many_queries_for_1_as_for_96_cells(
    app, client, login_as, create_user, create_cohort, no_lazy_loads, url, who, queries
):
    counts = {}
    for pitches, judges, tag in SIZES:
        world = build_world(app, create_user, create_cohort, pitches, judges, tag)
        login_as(client, getattr(world, who))
        address = url.format(round=world.round) + ("&" if "?" in url else "?") + "lang=en"
        with no_lazy_loads():
            counts[pitches * judges] = count_queries(app, client, address)
    assert counts == {1: queries, 96: queries}


def test_board_reads_every_sheet_state_in_one_query(app, client, login_as, create_user, create_cohort):
    world = build_world(app, create_user, create_cohort, 12, 8, "Besar")
    login_as(client, world.director)
    client.get(f"/rounds/{world.round}/pitch-day/board?lang=en")
    with recorded_statements(app) as statements:
        page = client.get(f"/rounds/{world.round}/pitch-day/board?lang=en").get_data(as_text=True)
    assert [s for s in statements if "score_sheets" in s] and len([s for s in statements if "score_sheets" in s]) == 1
    assert len(re.findall(r'<td class="[ndscx]">', page)) == world.cells
    assert page.count('<td class="s">') == 24
    assert page.count('<td class="d">') == 24
    assert page.count('<td class="c">') == 1
    assert page.count('<td class="n">') == 47


def test_board_state_query_is_one_statement(app, create_user, create_cohort):
    from incubator.pitchday import board
    from incubator.pitchday.models import PitchDay

    world = build_world(app, create_user, create_cohort, 12, 8, "Besar")
    with app.test_request_context():
        day = _db.session.scalar(select(PitchDay).where(PitchDay.id == world.day))
        with recorded_statements(app) as statements:
            rows = board.sheet_states(day)
    assert (len(statements), len(rows)) == (1, 96)
