"""Benchmark: a pitch day in the room, under gunicorn: the board and every judge's page refresh every
5 s while judges save and submit; then nothing may be lost.

    .venv/bin/python bench/pitch_day.py [--database sqlite|URL] [--pitches 30] [--judges 100]
        [--guests 20] [--seconds 60] [--every 5] [--workers 2] [--threads 4] [--keep]

1. A fresh database (a temporary SQLite file, or the PostgreSQL database given, whose name must
   contain "bench": its public schema is ERASED): an OPEN round on an 8-criterion rubric with
   --pitches applications and --judges judges, every judge assigned every pitch (a panel);
   --guests of them are real guest judges ("Tamu 01", ...), added by the director through
   judging.guests' service (a judge account with no password, assigned every pitch, and a
   single-use sign-in link). The round is made a pitch day and started.
2. The app under gunicorn (--workers × --threads), as in production.
3. For --seconds: the director's board refreshes every --every seconds (the whole page, as the
   page's meta refresh does without JavaScript) and the projector's board table too (as the
   page's script does); the director presses Next every --every seconds. Every judge signs in (a
   guest as a phone does from the card: opens the link, presses its one button, lands on the queue;
   the other judges with their password) and refreshes their pitch-day page every --every seconds
   (the page follows the stage); each time the page shows a sheet to fill, the judge saves a
   draft (half of the time) or submits it, through the page's own form, and follows the redirect.
4. The database is checked against every acknowledged save (bench/concurrency.py's check): lost,
   duplicated and unacknowledged sheets.
Prints the p50/p95 of the board, the board table, the judge's page, the saves and the submits, beside
/healthz's (asked 4 times a second throughout: the server's floor on this machine at that moment).
Targets: the board's and the judge's page's p95 under 100 ms; 0 errors, 0 lost saves, 0 duplicated.
Exit status 1 when one is missed.
"""

import argparse
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import harness
from concurrency import Browser, Tally, check, record, sheet_form
from harness import percentile, read, serve, sign_in, stop

PASSWORD = "bench-judge-password"  # noqa: S105 - throw-away accounts
TARGET_MS = 100


def build(database_url: str, folder: Path, pitches: int, judges: int, guests: int):
    """(round id, {judge's e-mail: a guest's sign-in token, or None}) of a started pitch day."""
    return harness.prepare(database_url, folder, lambda: _pitch_day(pitches, judges, guests))


def _pitch_day(pitches: int, judges: int, guests: int):
    from sqlalchemy import func, insert, select

    from incubator.auth.models import User, UserRole
    from incubator.auth.passwords import hash_password
    from incubator.core.database import utcnow
    from incubator.demo_scale import scale_round, submitted_applications
    from incubator.extensions import db
    from incubator.judging.guests import services as guest_judges
    from incubator.judging.models import Assignment
    from incubator.judging.rounds import services as judging
    from incubator.pitchday import services as pitch_days

    director, cohort, round_, _criteria = scale_round("Hetero for Startup Pitch Day", "Uji hari pitch.")
    now = utcnow().replace(microsecond=0)
    password_hash = hash_password(PASSWORD)
    guests = min(guests, judges)
    pool = [
        User(
            email=f"bench-judge{n}@example.org",
            name=f"Juri Uji {n:03d}",
            password_hash=password_hash,
            email_confirmed_at=now,
            role_rows=[UserRole(role="judge")],
        )
        for n in range(guests + 1, judges + 1)
    ]
    db.session.add_all(pool)
    db.session.flush()
    application_ids = submitted_applications(
        cohort,
        director,
        [
            {"name": f"Startup Panggung {i:02d}", "city": "Semarang", "focus_area_id": cohort.focus_areas[0].id}
            for i in range(1, pitches + 1)
        ],
        problem="-",
    )
    judging.set_phase(round_, "open", director)
    db.session.execute(
        insert(Assignment),
        [{"round_id": round_.id, "application_id": a, "judge_id": j.id} for a in application_ids for j in pool],
    )
    db.session.flush()
    # The guests, as the director adds them on the guest judges' page: each assigned every pitch.
    tokens = {
        f"bench-guest{n}@example.org": guest_judges.add_guest(
            round_, f"Tamu {n:02d}", f"bench-guest{n}@example.org", director
        ).token
        for n in range(1, guests + 1)
    }
    assigned = db.session.scalar(select(func.count()).select_from(Assignment).where(Assignment.round_id == round_.id))
    assert assigned == pitches * judges, f"{assigned} assignments, {pitches * judges} expected"
    day = pitch_days.set_up(
        round_,
        None,
        room="Aula Hetero Space Semarang",
        starts_at=now,
        pitch_minutes=5,
        questions_minutes=3,
        language="id",
        results_top=10,
        actor=director,
    )
    pitch_days.control(day, "start", director)
    return round_.id, tokens | {j.email: None for j in pool}


# --- the room ------------------------------------------------------------------------------------


class Clock:
    """The measured time starts once everybody has signed in (the sign-ins are not the room's load)."""

    def __init__(self, parties: int, seconds: float):
        self.until = 0.0
        self.barrier = threading.Barrier(parties, action=lambda: setattr(self, "until", time.monotonic() + seconds))

    def start(self) -> float:
        self.barrier.wait()
        return self.until


class RoomBrowser(Browser):
    """concurrency.Browser, with the board's table (the script's refresh) counted apart from the page."""

    def observe(self, method, path, form, answer):
        super().observe(method, path.replace("?part=table", " (table)"), form, answer)


def director(port: int, round_id: int, args, tally: Tally, clock) -> None:
    """The director's laptop: the whole board every few seconds (no script), and Next every few seconds."""
    from incubator.demo import DEMO_PASSWORD

    browser = RoomBrowser(port, tally)
    if sign_in(browser, "director@example.org", DEMO_PASSWORD) != 302:
        tally.note("login_failed", "director: login failed")
    until = clock.start()
    projector = RoomBrowser(port, tally, browser.cookies)
    board = f"/rounds/{round_id}/pitch-day/board"
    next_move = time.monotonic() + args.every
    while time.monotonic() < until:
        tick = time.monotonic()
        page = browser.request("GET", board)
        projector.request("GET", f"{board}?part=table")
        if time.monotonic() >= next_move:
            token = read(page.text).values.get("csrf_token", "")
            answer = browser.request(
                "POST", f"/rounds/{round_id}/pitch-day/control", {"csrf_token": token, "action": "next"}
            )
            if answer.status != 302:
                tally.note("unexpected_status", f"POST control: {answer.status}")
            next_move += args.every
        time.sleep(max(0.0, args.every - (time.monotonic() - tick)))


def health(port: int, tally: Tally, clock) -> None:
    """/healthz 4 times a second: the server's own floor under the same load, to read the pages beside."""
    browser = RoomBrowser(port, tally)
    until = clock.start()
    while time.monotonic() < until:
        browser.request("GET", "/healthz")
        time.sleep(0.25)


def guest_sign_in(browser: Browser, token: str) -> int:
    """A guest's phone signs in from the card: the link's page, its one button, then the queue it
    lands on; the status of the button's POST (302 when it worked)."""
    page = browser.request("GET", f"/guest/{token}?lang=en").text
    answer = browser.request("POST", f"/guest/{token}", {"csrf_token": read(page).values.get("csrf_token", "")})
    if answer.status == 302:
        browser.request("GET", answer.location)
    return answer.status


def judge(port: int, email: str, token: str | None, round_id: int, args, tally: Tally, clock) -> None:
    """A judge's phone: the pitch-day page every few seconds; a sheet on it is saved or submitted."""
    rng = random.Random(email)
    browser = RoomBrowser(port, tally)
    signed_in = guest_sign_in(browser, token) if token else sign_in(browser, email, PASSWORD)
    if signed_in != 302:
        tally.note("login_failed", f"{email}: {'guest link' if token else 'login'} failed")
    until = clock.start()
    page_path = f"/rounds/{round_id}/pitch-day/judge"
    time.sleep(rng.random() * args.every)  # phones are not in step
    while time.monotonic() < until:
        tick = time.monotonic()
        answer = browser.request("GET", page_path)
        action = re.search(r'action="(/rounds/\d+/pitch-day/judge/(\d+))"', answer.text)
        if answer.status == 200 and action:
            path, application_id = action.group(1), int(action.group(2))
            form = read(answer.text)
            criteria = sorted(name for name in form.choices if name.startswith("score_"))
            submit = rng.random() < 0.5
            picked = criteria if submit else rng.sample(criteria, rng.randint(1, len(criteria)))
            values = {c: rng.choice(form.choices[c]) for c in picked}
            data = sheet_form(
                form, values, rng, f"{email} a{application_id} t{tick:.3f}", "submit_sheet" if submit else "save"
            )
            posted = browser.request("POST", path, data)
            expected = page_path if submit else f"{page_path}?pitch={application_id}"
            if posted.status == 302 and posted.location == expected:
                record(tally, email, application_id, "final" if submit else "draft", data)
                browser.request("GET", posted.location)
            elif posted.status in (200, 302):
                tally.note("save_refused", f"POST {path}: {posted.status}")
        elif answer.status != 200:
            tally.note("unexpected_status", f"GET {page_path}: {answer.status}")
        time.sleep(max(0.0, args.every - (time.monotonic() - tick)))


def run(database_url: str, args) -> bool:
    folder = Path(tempfile.mkdtemp(prefix="incubator-pitch-day-"))
    if database_url == "sqlite":
        database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    started = time.perf_counter()
    round_id, judges = build(database_url, folder, args.pitches, args.judges, args.guests)
    build_seconds = time.perf_counter() - started
    ids = _judge_ids(database_url)
    server, port = serve(database_url, folder, args.workers, args.threads)
    tally = Tally()
    clock = Clock(len(judges) + 2, args.seconds)
    try:
        threads = [threading.Thread(target=director, args=(port, round_id, args, tally, clock))]
        threads.append(threading.Thread(target=health, args=(port, tally, clock)))
        threads += [
            threading.Thread(target=judge, args=(port, e, token, round_id, args, tally, clock))
            for e, token in judges.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop(server)
    signing_in = ("/auth/", "/guest/", "/queue")  # the sign-ins (a guest lands on their queue)
    tally.by_kind = {k: v for k, v in tally.by_kind.items() if not any(s in k for s in signing_in) and k != "GET /"}
    tally.acks = [(ids[a[0]], *a[1:]) for a in tally.acks]  # recorded by e-mail; the check reads ids
    found = check(database_url, round_id, tally)
    return report(args, tally, found, build_seconds, folder)


def _judge_ids(database_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT email, id FROM users WHERE email LIKE 'bench-%'")).all()
    engine.dispose()
    return dict(rows)


def report(args, tally: Tally, found: dict, build_seconds: float, folder: Path) -> bool:
    errors = sum(n for code, n in tally.statuses.items() if code >= 400)
    errors += sum(tally.events[e] for e in ("transport_error", "login_failed", "unexpected_status", "save_refused"))
    requests = sum(tally.statuses.values())
    print(
        f"== pitch day: {args.pitches} pitches × {args.judges} judges ({args.guests} guests), {args.seconds:.0f} s,"
        f" every {args.every:.0f} s, gunicorn {args.workers} workers × {args.threads} threads"
        f" (built in {build_seconds:.1f} s)"
    )
    print(
        f"requests:       {requests} ({requests / args.seconds:.0f}/s) statuses {dict(sorted(tally.statuses.items()))}"
    )
    finals = sum(1 for a in tally.acks if a[2] == "final")
    print(f"saves acked:    {len(tally.acks)} ({finals} submitted sheets, {len(tally.acks) - finals} drafts)")
    print(f"errors:         {errors} (events {dict(tally.events)})")
    print(f"lost saves:     {found['lost']}")
    print(f"duplicated:     {found['duplicated']}")
    print(f"unacknowledged: {found['unacknowledged']} (sheets in the database: {found['sheets']})")
    p95 = {}
    for kind, seconds in sorted(tally.by_kind.items()):
        p95[kind] = percentile(seconds, 95) * 1000
        print(f"  {kind:52} {len(seconds):5} × p50 {percentile(seconds, 50) * 1000:5.0f} ms, p95 {p95[kind]:5.0f} ms")
    board = p95.get("GET /rounds/{id}/pitch-day/board", 0.0)
    page = p95.get("GET /rounds/{id}/pitch-day/judge", 0.0)
    print(f"board p95:      {board:.0f} ms (target under {TARGET_MS} ms)")
    print(f"judge page p95: {page:.0f} ms (target under {TARGET_MS} ms)")
    for problem in tally.problems:
        print(f"  ! {problem}")
    passed = (
        errors == 0
        and found["lost"] == 0
        and found["duplicated"] == 0
        and found["unacknowledged"] == 0
        and 0 < board < TARGET_MS
        and 0 < page < TARGET_MS
    )
    print(f"target met:     {'yes' if passed else 'NO'}")
    if args.keep:
        print(f"kept:           {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, or a PostgreSQL URL whose name contains 'bench'")
    parser.add_argument("--pitches", type=int, default=30)
    parser.add_argument("--judges", type=int, default=100)
    parser.add_argument("--guests", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--every", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()
    if args.database != "sqlite" and "bench" not in urlsplit(args.database).path:
        parser.error("--database: the database is erased, so its name must contain 'bench'")
    sys.exit(0 if run(args.database, args) else 1)


if __name__ == "__main__":
    main()
