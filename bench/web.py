"""Benchmark: throughput and latency of the main pages at scale, under gunicorn, against /healthz.

    .venv/bin/python bench/web.py [--applications 5000] [--judges 10] [--seconds 10] [--concurrency 16]
        [--database sqlite|URL] [--workers 2] [--threads 4] [--warm-up 3] [--rounds 5] [--only PAGE ...]
        [--keep]

1. A fresh database (a temporary SQLite file, or the PostgreSQL database of --database, whose
   name must contain "bench": its public schema is ERASED and rebuilt) gets the migrations and
   the synthetic cohort of `flask seed-demo --applications N --judges J` (one closed round, 3
   judges per application, every sheet final); a few of its startups move on to pre-incubation
   with mentor1@example.org as their mentor, each with a session note and two action items.
2. The app runs under gunicorn (--workers × --threads) on a free port, as in production.
3. The director, a judge of the round and the mentor sign in once each through /auth/login.
   Each page is warmed up (one request, then --warm-up seconds of the same load, not measured)
   and then hammered by --concurrency threads, each on its own connection with the session of
   the page's user, for --seconds in all, in --rounds turns: each turn gives every page its share
   of the time, one after the other, so that a change in the machine's load falls on all of them
   and on /healthz alike. The pages: /healthz first, then the round's ranking, the cohort's
   application list, the judge's queue, the round's assignments, the mentor's dashboard and the
   cohort dashboard (--only: /healthz and the pages named, e.g. `--only ranking "judge queue"`).
Prints per page: requests, requests per second, p50 and p95 latency, throughput as a share of
/healthz's, and the verdict. Targets: every page answers 200 every time, and every main page
reaches at least 25% of /healthz's throughput with p95 under 150 ms. Exit status 1 when one fails.
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import harness
from harness import Browser, Load, hammer, percentile, serve, sign_in, stop

DIRECTOR = "director@example.org"
JUDGE = "scale-judge1@example.org"
MENTOR = "mentor1@example.org"
MIN_RATIO = 0.25  # of /healthz's requests per second
MAX_P95 = 0.150  # seconds
SHOWN_FAILURES = 5  # per page


# --- the data ------------------------------------------------------------------------------------


def seed(applications: int, judges: int, mentored: int) -> tuple[int, int]:
    """The scale cohort and its closed round, plus mentoring; (cohort id, round id)."""
    from incubator.demo_scale import seed_scale

    cohort_id, round_id = seed_scale(applications, judges)
    mentor_some(cohort_id, mentored)
    return cohort_id, round_id


def mentor_some(cohort_id: int, count: int) -> None:
    """The scale seed has no mentoring: its first `count` startups move to pre-incubation and get
    MENTOR, who logs one session with two action items (one overdue) on each."""
    from datetime import timedelta

    from sqlalchemy import select

    from incubator.cohorts import services as cohorts
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.demo import demo_users
    from incubator.extensions import db
    from incubator.mentoring.queries import today_wib
    from incubator.mentoring.services import ItemInput, assign_mentor, save_note

    users = demo_users()
    director, mentor = users[DIRECTOR], users[MENTOR]
    cohort = db.session.get(Cohort, cohort_id)
    today = today_wib()
    startups = db.session.scalars(
        select(CohortStartup).where(CohortStartup.cohort_id == cohort_id).order_by(CohortStartup.id).limit(count)
    ).unique()
    for n, cohort_startup in enumerate(startups):
        cohorts.change_stage(cohort_startup.startup, cohort, "pre_incubation", director, "Uji beban halaman.")
        assign_mentor(cohort_startup, mentor, director)
        save_note(
            None,
            cohort_startup,
            mentor,
            held_on=today - timedelta(days=n + 1),
            duration_minutes=60,
            theme="finance",
            body="Arus kas dibahas; **laporan bulanan** perlu dirapikan.",
            visibility="shared",
            items=[
                ItemInput("Susun laporan arus kas", due_on=today - timedelta(days=2)),
                ItemInput("Daftarkan NIB di OSS", due_on=today + timedelta(days=n + 7)),
            ],
        )


def pages(cohort_id: int, round_id: int) -> list[tuple[str, str, str | None]]:
    """(name, path, who asks it); /healthz, asked anonymously, comes first: the others are measured against it."""
    return [
        ("/healthz", "/healthz", None),
        ("ranking", f"/rounds/{round_id}/ranking", DIRECTOR),
        ("application list", f"/cohorts/{cohort_id}/applications", DIRECTOR),
        ("judge queue", f"/rounds/{round_id}/queue", JUDGE),
        ("assignments", f"/rounds/{round_id}/assignments", DIRECTOR),
        ("mentor dashboard", "/mentoring", MENTOR),
        ("cohort dashboard", f"/cohorts/{cohort_id}", DIRECTOR),
    ]


# --- the run -------------------------------------------------------------------------------------


def session_of(port: int, email: str, password: str) -> dict[str, str]:
    """The cookies of a fresh signed-in session (every thread of a page gets a copy)."""
    browser = Browser(port)
    status = sign_in(browser, email, password)
    browser.close()
    if status != 302:
        raise SystemExit(f"{email} could not sign in: the login answered {status}")
    return browser.cookies


def warm_up(port: int, path: str, cookies: dict[str, str], args) -> list[str]:
    """One request, then --warm-up seconds of the same load, not measured (every gunicorn worker
    has then run the page, as in a running production); its failures, a non-200 first answer too."""
    warm = Browser(port, cookies)
    answer = warm.request("GET", path)
    warm.close()
    warming = hammer(port, path, cookies, args.concurrency, args.warm_up) if args.warm_up else Load(path)
    failures = [f"{failure} (warm-up)" for failure in warming.failures]
    if answer.status != 200:
        failures.insert(0, f"GET {path} (warm-up): {answer.status or answer.error} {answer.location}".rstrip())
    return failures


def add(total: Load, part: Load) -> None:
    """`part`, a later stretch of the same page's load, counted into `total`."""
    total.latencies += part.latencies
    total.statuses.update(part.statuses)
    total.failures += part.failures
    total.seconds += part.seconds


def measure_in_turn(port: int, chosen: list[tuple[str, str, dict[str, str]]], args) -> list[tuple[str, Load]]:
    """Every chosen page warmed up, then loaded for --seconds in all, in --rounds turns: each round
    gives each page, /healthz first, its share of the time. A change in the machine's load (other
    work on a shared machine) then falls on every page alike, and on the /healthz they are
    measured against, rather than on whichever page was being measured when it came."""
    loads = {name: Load(path) for name, path, _ in chosen}
    for name, path, cookies in chosen:
        loads[name].failures += warm_up(port, path, cookies, args)
    for _ in range(args.rounds):
        for name, path, cookies in chosen:
            add(loads[name], hammer(port, path, cookies, args.concurrency, args.seconds / args.rounds))
    return [(name, loads[name]) for name, _, _ in chosen]


def report(rows: list[tuple[str, Load]], reference: float) -> bool:
    """The table and the failures; True when every target is met."""
    passed = True
    print(f"{'page':18} {'path':26} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'ratio':>6}  result")
    for index, (name, load) in enumerate(rows):
        p50, p95 = percentile(load.latencies, 50), percentile(load.latencies, 95)
        ratio = load.rate / reference if reference else 0.0
        ok = not load.failures and (index == 0 or (ratio >= MIN_RATIO and p95 < MAX_P95))
        passed = passed and ok
        print(
            f"{name:18} {load.path:26} {load.requests:8} {load.rate:8.1f} {p50 * 1000:7.0f} {p95 * 1000:7.0f}"
            f" {ratio:6.2f}  {'PASS' if ok else 'FAIL'}"
        )
    for name, load in rows:
        if load.failures:
            statuses = dict(sorted(load.statuses.items()))
            print(f"  ! {name}: {len(load.failures)} failed requests (warm-up included; under load {statuses})")
            for failure in load.failures[:SHOWN_FAILURES]:
                print(f"    {failure}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--judges", type=int, default=10, help="the pool; each application gets 3 of them")
    parser.add_argument("--mentored", type=int, default=12, help="startups the mentor follows")
    parser.add_argument("--seconds", type=float, default=10, help="of load per page, in all")
    parser.add_argument("--rounds", type=int, default=5, help="turns the pages take, sharing out --seconds")
    parser.add_argument("--warm-up", type=float, default=3, help="seconds of unmeasured load per page first")
    parser.add_argument("--concurrency", type=int, default=16, help="connections, one thread each")
    parser.add_argument("--database", default="sqlite", help="sqlite (a temporary file) or a PostgreSQL URL")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--only", nargs="+", choices=[name for name, _, _ in pages(0, 0)[1:]], metavar="PAGE")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()
    if args.judges < 3:
        parser.error("--judges must be at least 3 (3 judges per application)")
    if args.database != "sqlite" and "bench" not in urlsplit(args.database).path:
        parser.error("--database: the database is erased, so its name must contain 'bench'")

    from incubator.demo import DEMO_PASSWORD

    folder = Path(tempfile.mkdtemp(prefix="incubator-web-"))
    database_url = f"sqlite:///{folder / 'bench.sqlite3'}" if args.database == "sqlite" else args.database
    started = time.perf_counter()
    try:
        cohort_id, round_id = harness.prepare(
            database_url, folder, lambda: seed(args.applications, args.judges, args.mentored)
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    build_seconds = time.perf_counter() - started
    server, port = serve(database_url, folder, args.workers, args.threads)
    try:
        sessions = {None: {}} | {who: session_of(port, who, DEMO_PASSWORD) for who in (DIRECTOR, JUDGE, MENTOR)}
        chosen = [
            (name, path, sessions[who])
            for name, path, who in pages(cohort_id, round_id)
            if not (args.only and who and name not in args.only)
        ]
        rows = measure_in_turn(port, chosen, args)
    finally:
        stop(server)
    kind = urlsplit(database_url).scheme.split("+")[0]
    print(
        f"== {kind}: {args.applications} applications × 3 judges (pool {args.judges}), gunicorn {args.workers}"
        f" workers × {args.threads} threads, {args.concurrency} connections × {args.seconds:g} s per page"
        f" in {args.rounds} turns"
        f" (built in {build_seconds:.1f} s)"
    )
    passed = report(rows, rows[0][1].rate)
    print(
        f"target: every page 200; main pages >= {MIN_RATIO:.0%} of /healthz req/s and p95 < {MAX_P95 * 1000:.0f} ms:"
        f" {'met' if passed else 'NOT met'}"
    )
    if args.keep or any(code >= 500 for _, load in rows for code in load.statuses):
        print(f"kept: {folder} (gunicorn.log)")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
