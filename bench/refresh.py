"""Benchmark: one judge's submit in a big round, including the refresh of its stored results.

    .venv/bin/python bench/refresh.py [--applications 5000] [--judges 10] [--repeat 7]
                                      [--database postgresql+psycopg://.../incubator_bench]

Builds one round of N submitted applications, each scored by 3 judges from a pool (every sheet
final) on a rubric of 8 criteria, as `flask seed-demo --applications N` does, on a fresh SQLite
database made by the migrations, or on `--database` (its name must contain "bench", or pass
`--erase`: its public schema is ERASED first). The
round is opened again for scoring. Then, `--repeat` times, a director reopens one sheet (not
timed) and its judge submits it again with other scores, which is timed: `save_sheet(submit=True)`
with the refresh of the round's results (judging.ranking.results) and the commit, as the scoring page's
POST does them. Also timed: a draft save (no refresh) and a refresh alone with nothing changed.
Target: the submit's median under 150 ms; exit status 1 when it is missed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JUDGES_PER_APPLICATION = 3  # as incubator.demo_scale builds the round
TARGET_MS = 150.0  # a judge's submit, the refresh of the round's results and the commit


def build(url: str, folder: Path, applications: int, judges: int) -> None:
    """Make the round on a fresh database, open it for scoring again, and print its id."""
    from harness import bench_app
    from sqlalchemy import select

    from incubator.auth.models import User
    from incubator.demo_scale import seed_scale
    from incubator.extensions import db
    from incubator.judging.models import Round
    from incubator.judging.rounds.services import set_phase

    app = bench_app(url, folder)
    with app.test_request_context("/?lang=en"):
        _cohort_id, round_id = seed_scale(applications, judges)
        director = db.session.scalar(select(User).where(User.email == "director@example.org"))
        set_phase(db.session.get(Round, round_id), "open", director)
        db.session.commit()
    if url.startswith("postgresql"):  # as autovacuum does soon after a bulk load
        with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    print(round_id)


def open_app(url: str, folder: Path):
    """The app on the database `build` made (nothing erased)."""
    from config import Config
    from incubator import create_app

    class BenchConfig(Config):
        SECRET_KEY = "bench-only"  # noqa: S105 - a throw-away database
        SQLALCHEMY_DATABASE_URI = url
        UPLOAD_FOLDER = str(folder / "uploads")
        MAIL_SERVER = None
        RATELIMIT_STORAGE_URI = "memory://"

    return create_app(BenchConfig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--judges", type=int, default=10, help="the pool; each application gets 3 of them")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", help="a PostgreSQL URL (its public schema is erased); default: SQLite")
    parser.add_argument("--erase", action="store_true", help="erase --database though its name lacks 'bench'")
    parser.add_argument("--build", metavar="FOLDER", help=argparse.SUPPRESS)  # the building process
    args = parser.parse_args()
    if args.build:
        return build(args.database, Path(args.build), args.applications, args.judges)

    if args.database and "bench" not in urlsplit(args.database).path and not args.erase:
        parser.error("--database: the database is erased, so its name must contain 'bench' (or pass --erase)")
    folder = Path(tempfile.mkdtemp(prefix="incubator-bench-"))
    url = args.database or f"sqlite:///{folder / 'bench.sqlite3'}"
    # Built by another process, so that this one holds no more objects than a web worker would
    # (the garbage collector walks every object this process keeps).
    started = time.perf_counter()
    command = [sys.executable, __file__, "--build", str(folder), "--database", url]
    command += ["--applications", str(args.applications), "--judges", str(args.judges)]
    built = subprocess.run(command, check=True, capture_output=True, text=True)
    round_id = int(built.stdout.split()[-1])
    build_seconds = time.perf_counter() - started

    from sqlalchemy import func, select

    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.demo_scale import CRITERIA
    from incubator.extensions import db
    from incubator.judging.models import ScoreSheet, StoredResult
    from incubator.judging.ranking import results
    from incubator.judging.sheets.services import Entry, reopen_sheet, save_sheet

    app = open_app(url, folder)
    with app.app_context():
        director_id = db.session.scalar(select(User.id).where(User.email == "director@example.org"))
        sheets = db.session.execute(
            select(ScoreSheet.id, ScoreSheet.application_id, ScoreSheet.judge_id)
            .where(ScoreSheet.round_id == round_id)
            .order_by(ScoreSheet.id)
        ).all()
        stored = db.session.scalar(select(func.count()).where(StoredResult.round_id == round_id))
        db.session.remove()

    def sheet_of(sheet_id):
        return db.session.get(ScoreSheet, sheet_id)

    def reopen(sheet_id: int) -> None:
        with app.test_request_context("/?lang=en"):
            reopen_sheet(sheet_of(sheet_id), db.session.get(User, director_id))
            db.session.commit()
            db.session.remove()

    def save(index: int, *, submit: bool) -> tuple[float, float]:
        """The judge of the index-th chosen sheet saves it with new scores: (seconds it took, of
        which this process's CPU; with SQLite that includes the database's work)."""
        sheet_id, application_id, judge_id = sheets[(index * 997) % len(sheets)]
        with app.test_request_context("/?lang=en"):
            sheet = sheet_of(sheet_id)
            marks = {s.criterion_id: Entry(str(1 + (index + s.criterion_id) % 5)) for s in sheet.scores}
            version = sheet.version
            application, judge = db.session.get(Application, application_id), db.session.get(User, judge_id)
            begun, cpu = time.perf_counter(), time.process_time()
            save_sheet(
                round_id,
                application,
                judge,
                marks,
                overall_comment="",
                recommendation="maybe",
                expected_version=version,
                submit=submit,
            )
            db.session.commit()
            seconds = (time.perf_counter() - begun, time.process_time() - cpu)
            db.session.remove()
        return seconds

    def refresh_alone() -> tuple[float, float]:
        with app.test_request_context("/?lang=en"):
            begun, cpu = time.perf_counter(), time.process_time()
            results.refresh_rounds([round_id])
            db.session.commit()
            seconds = (time.perf_counter() - begun, time.process_time() - cpu)
            db.session.remove()
        return seconds

    submits, drafts = [], []
    for index in range(args.repeat + 1):  # the first is a warm-up: imports, connection, first plans
        reopen(sheets[(index * 997) % len(sheets)][0])
        draft = save(index, submit=False)
        submit = save(index, submit=True)
        if index:
            drafts.append(draft)
            submits.append(submit)
    refreshes = [refresh_alone() for _ in range(args.repeat)]

    dialect = url.split(":", 1)[0]
    print(
        f"round: {args.applications} applications × {JUDGES_PER_APPLICATION} judges (pool of {args.judges})"
        f" × {len(CRITERIA)} criteria = {len(sheets)} sheets, {stored} stored results"
        f" ({dialect}; built in {build_seconds:.1f} s)"
    )
    print(f"median of {args.repeat} runs, wall clock (min … max), and this process's CPU time:")
    for label, times in (
        ("submit, refresh included:", submits),
        ("draft save (no refresh):", drafts),
        ("refresh alone, no change:", refreshes),
    ):
        wall, cpu = [t[0] * 1000 for t in times], [t[1] * 1000 for t in times]
        print(
            f"{label:<27}{statistics.median(wall):8.1f} ms  ({min(wall):.1f} … {max(wall):.1f})"
            f"   CPU {statistics.median(cpu):6.1f} ms"
        )
    submit = statistics.median(t[0] for t in submits) * 1000
    met = submit < TARGET_MS
    print(
        f"target: a submit with its refresh under {TARGET_MS:.0f} ms (median wall clock):"
        f" {submit:.1f} ms, {'met' if met else 'NOT met'}"
    )
    print(f"load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
