"""Benchmark: a round's ranking at scale, on a fresh SQLite database made by the migrations.

    .venv/bin/python bench/ranking.py [--applications 5000] [--judges 10] [--repeat 3] [--keep]

Builds one closed round of N submitted applications, each scored by 3 judges from a pool
(every sheet final) on a rubric of 8 criteria, as `flask seed-demo --applications N` does. Then times, median of
`--repeat` runs:
- round_ranking: reading the round's stored results, applications, sheets, scores, judges,
  conflicts and decisions from the database (what the explain view, scores.csv and the PDFs
  pay on each request; nothing is kept between requests);
- compute_round alone, on the same plain data (the scoring maths);
- the director's ranking page and ranking.csv, through the test client (render included):
  both read the stored results in SQL (judging.ranking.standings).
"""

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JUDGES_PER_APPLICATION = 3  # as incubator.demo_scale builds the round


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
    from harness import bench_app
    from sqlalchemy import select

    from incubator.auth import services as auth
    from incubator.auth.access import SESSION_KEY
    from incubator.auth.models import User
    from incubator.core.figures import rounded
    from incubator.demo_scale import CRITERIA, seed_scale
    from incubator.extensions import db
    from incubator.judging import scoring
    from incubator.judging.models import Round
    from incubator.judging.ranking.compute import round_ranking

    app = bench_app(f"sqlite:///{folder / 'bench.sqlite3'}", folder)

    started = time.perf_counter()
    n = args.applications
    with app.test_request_context("/?lang=en"):
        _cohort_id, round_id = seed_scale(n, args.judges)
        db.session.commit()
        director_id = db.session.scalar(select(User.id).where(User.email == "director@example.org"))
    build_seconds = time.perf_counter() - started

    def load():
        with app.test_request_context("/?lang=en"):
            try:
                return round_ranking(db.session.get(Round, round_id))
            finally:
                db.session.remove()

    ranking_seconds, ranking = median_time(load, args.repeat)

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
            ranking.application_ids,
            judges_per_application=JUDGES_PER_APPLICATION,
            basis="normalized",
        )

    compute_seconds, result = median_time(compute_only, args.repeat)

    client = app.test_client()
    with app.app_context():
        key = auth.start_session(db.session.get(User, director_id))
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
        f" = {n * JUDGES_PER_APPLICATION} sheets, {n * JUDGES_PER_APPLICATION * len(CRITERIA)} scores"
        f" (built in {build_seconds:.1f} s)"
    )
    print(f"median of {args.repeat} runs:")
    print(f"round_ranking:                  {ranking_seconds:7.3f} s")
    print(f"compute_round alone:            {compute_seconds:7.3f} s")
    print(f"GET ranking page (25 rows):     {page_seconds:7.3f} s")
    print(f"GET ranking.csv:                {csv_seconds:7.3f} s  ({len(csv_response.get_data()):,} bytes)")
    print(f"ranked={ranked} μ={rounded(result.mean)} σ={rounded(result.sd)}")
    if args.keep:
        print(f"kept:       {folder}")
    else:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
