"""Benchmark: a round's ranking at scale, on a fresh SQLite database made by the migrations.

    .venv/bin/python bench/ranking.py [--applications 5000] [--judges 10] [--repeat 3] [--keep]

Builds one closed round of N submitted applications, each scored by 3 judges from a pool
(every sheet final) on a rubric of 8 criteria, with bulk inserts. Then times, median of
`--repeat` runs:
- round_ranking: loading the round's applications, sheets, scores, judges, conflicts and
  decisions from the database, plus the computation (what every page and export pays);
- compute_round alone, on the same plain data (the scoring maths);
- the director's ranking page and ranking.csv, through the test client (render included).
"""

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JUDGES_PER_APPLICATION = 3
CRITERIA = [
    ("Problem", 3),
    ("Solution", 3),
    ("Market", 2),
    ("Business model", 2),
    ("Traction", 2),
    ("Team", 3),
    ("Impact in Central Java", 1),
    ("Pitch", 1),
]


def median_time(action, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        value = None  # the previous run's objects must not weigh on this one's garbage collection
        gc.collect()
        started = time.perf_counter()
        value = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--judges", type=int, default=10, help="the pool; each application gets 3 of them")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()
    if args.judges < JUDGES_PER_APPLICATION:
        parser.error(f"--judges must be at least {JUDGES_PER_APPLICATION}")

    folder = Path(tempfile.mkdtemp(prefix="incubator-bench-"))
    from config import Config

    class BenchConfig(Config):
        SECRET_KEY = "bench-only"  # noqa: S105 - a throw-away database
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.sqlite3'}"
        UPLOAD_FOLDER = str(folder / "uploads")
        MAIL_SERVER = None
        RATELIMIT_STORAGE_URI = "memory://"
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - throw-away accounts, fast to make

    from flask_migrate import upgrade
    from sqlalchemy import insert, update

    from incubator import create_app
    from incubator.applications.models import Application
    from incubator.auth import services as auth
    from incubator.auth.access import SESSION_KEY
    from incubator.cohorts import services as cohorts
    from incubator.cohorts.models import CohortStartup
    from incubator.extensions import db
    from incubator.judging import scoring
    from incubator.judging import services as judging
    from incubator.judging.models import Assignment, Round, Score, ScoreSheet
    from incubator.judging.ranking import round_ranking
    from incubator.judging.rubric import Scale
    from incubator.startups.models import Startup

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()

    started = time.perf_counter()
    now = datetime(2021, 12, 20, tzinfo=UTC)
    with app.test_request_context("/?lang=en"):
        director = auth.create_user("director@bench.example", "Bench Director", roles=["director"], confirmed=True)
        area = cohorts.save_focus_area(None, "digital", "Startup digital", "Digital startups", actor=director)
        space = cohorts.save_space(
            None, name="Hetero Space Semarang", city="Semarang", description="", focus_areas=[area], actor=director
        )
        cohort = cohorts.save_cohort(
            None,
            name="Hetero for Startup Semarang 2021",
            space=space,
            description="",
            opens_at=datetime(2021, 11, 1, tzinfo=UTC),
            closes_at=datetime(2021, 12, 1, tzinfo=UTC),
            required_attendance=0,
            focus_areas=[area],
            published=True,
            actor=director,
        )
        round_ = judging.save_round(
            None,
            cohort,
            name="Pitch selection",
            decides_stage="applied",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=JUDGES_PER_APPLICATION,
            ranking_basis="normalized",
            judges_see_scores_after_close=False,
            disagreement_threshold=Decimal(15),
            actor=director,
        )
        criteria = [
            judging.save_criterion(
                round_.rubric,
                None,
                name=name,
                description="",
                weight=Decimal(weight),
                scale=Scale(Decimal(1), Decimal(5), Decimal(1)),
                descriptors={},
                actor=director,
            )
            for name, weight in CRITERIA
        ]
        judges = [
            auth.create_user(f"judge{j}@bench.example", f"Judge {j}", roles=["judge"], confirmed=True)
            for j in range(1, args.judges + 1)
        ]
        db.session.commit()
        round_id, cohort_id, director_id = round_.id, cohort.id, director.id
        criterion_ids, judge_ids = [c.id for c in criteria], [j.id for j in judges]

        n = args.applications
        rng = random.Random(2021)  # the same data on every run
        db.session.execute(
            insert(Startup),
            [
                {"id": i, "name": f"Startup {i:05d}", "city": "Semarang", "focus_area_id": area.id}
                for i in range(1, n + 1)
            ],
        )
        db.session.execute(
            insert(Application),
            [
                {"id": i, "startup_id": i, "cohort_id": cohort_id, "status": "submitted", "submitted_at": now}
                for i in range(1, n + 1)
            ],
        )
        db.session.execute(
            insert(CohortStartup),
            [{"cohort_id": cohort_id, "startup_id": i, "stage": "applied"} for i in range(1, n + 1)],
        )
        pairs = [
            (i, judge_ids[(i + k) % len(judge_ids)]) for i in range(1, n + 1) for k in range(JUDGES_PER_APPLICATION)
        ]
        db.session.execute(
            insert(Assignment), [{"round_id": round_id, "application_id": i, "judge_id": j} for i, j in pairs]
        )
        db.session.execute(
            insert(ScoreSheet),
            [
                {
                    "id": sheet_id,
                    "round_id": round_id,
                    "application_id": i,
                    "judge_id": j,
                    "status": "final",
                    "version": 2,
                    "submitted_at": now,
                }
                for sheet_id, (i, j) in enumerate(pairs, start=1)
            ],
        )
        db.session.execute(
            insert(Score),
            [
                {"sheet_id": sheet_id, "criterion_id": c, "value": Decimal(rng.randint(1, 5))}
                for sheet_id in range(1, len(pairs) + 1)
                for c in criterion_ids
            ],
        )
        db.session.execute(update(Round).where(Round.id == round_id).values(phase="closed"))
        db.session.commit()
    build_seconds = time.perf_counter() - started

    def load_and_compute():
        with app.test_request_context("/?lang=en"):
            try:
                return round_ranking(db.session.get(Round, round_id))
            finally:
                db.session.remove()

    ranking_seconds, ranking = median_time(load_and_compute, args.repeat)

    # The same plain data compute_round received inside round_ranking.
    plain_criteria = [
        scoring.Criterion(c.id, float(c.weight), float(c.scale_min), float(c.scale_max))
        for c in ranking.round.rubric.criteria
    ]
    plain_sheets = [r.sheet for a in ranking.result.applications for r in a.sheets]

    def compute_only():
        return scoring.compute_round(
            plain_criteria,
            plain_sheets,
            ranking.applications.keys(),
            judges_per_application=JUDGES_PER_APPLICATION,
            basis="normalized",
        )

    compute_seconds, result = median_time(compute_only, args.repeat)

    client = app.test_client()
    with app.app_context():
        key = auth.start_session(db.session.get(auth.User, director_id))
        db.session.commit()
    with client.session_transaction() as session:
        session[SESSION_KEY], session["_user_id"], session["_fresh"] = key, str(director_id), True

    def fetch(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return get

    page_seconds, _ = median_time(fetch(f"/rounds/{round_id}/ranking?lang=en"), args.repeat)
    csv_seconds, csv_response = median_time(fetch(f"/rounds/{round_id}/ranking.csv"), args.repeat)

    ranked = sum(1 for a in result.applications if a.rank is not None)
    print(
        f"round: {n} applications × {JUDGES_PER_APPLICATION} judges (pool of {args.judges}) × {len(CRITERIA)} criteria"
        f" = {len(pairs)} sheets, {len(pairs) * len(CRITERIA)} scores (built in {build_seconds:.1f} s)"
    )
    print(f"median of {args.repeat} runs:")
    print(f"round_ranking (load + compute): {ranking_seconds:7.3f} s")
    print(f"compute_round alone:            {compute_seconds:7.3f} s")
    print(f"GET ranking page (25 rows):     {page_seconds:7.3f} s")
    print(f"GET ranking.csv:                {csv_seconds:7.3f} s  ({len(csv_response.get_data()):,} bytes)")
    print(f"ranked={ranked} μ={scoring.rounded(result.mean)} σ={scoring.rounded(result.sd)}")
    if args.keep:
        print(f"kept:       {folder}")
    else:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
