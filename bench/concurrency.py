"""Benchmark: many judges scoring at once against the app under gunicorn; then nothing may be lost.

    .venv/bin/python bench/concurrency.py [--database sqlite|postgres|both] [--database-url URL]
        [--judges 50] [--per-judge 40] [--seconds 30] [--workers 2] [--threads 4] [--double 0.1] [--keep]
    .venv/bin/python bench/concurrency.py --paced [--judges 100] [--seconds 60] [--every 5] [--saves 4]
        [--step 5] [--database ...]: judges at their pace and a saturation figure (see bench/paced.py)

For each database (a fresh SQLite file in a temporary folder; for PostgreSQL the database of
--database-url, whose name must contain "bench": its public schema is ERASED and rebuilt):
1. the migrations, then one OPEN round on a rubric of 8 criteria with J judges, each assigned
   about --per-judge applications (3 judges per application), and no sheet yet;
2. the app under gunicorn (--workers, --threads) on a free port, as in production;
3. J judges, one thread and one connection at a time each, sign in through /auth/login (CSRF
   token from the page) and for --seconds go through their queue as a browser does: open the
   scoring page, save a draft (sometimes twice), submit; after each POST they follow the redirect
   and look for the success message. A fraction (--double) of drafts is posted twice at once
   (a double click or two tabs): exactly one of the two may be acknowledged;
4. the database is checked: for every sheet the last acknowledged save is there with its values,
   comment, recommendation and status; one sheet per (round, application, judge), one score per
   (sheet, criterion); no sheet changed without an acknowledgement.
Prints requests, saves, refusals, errors, lost, duplicated and latencies. Targets: zero errors,
zero lost or duplicated, on both databases.
"""

import argparse
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import harness
from harness import FormReader, percentile, read, serve, sign_in, stop

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/incubator_bench"
PASSWORD = "bench-judge-password"  # noqa: S105 - throw-away accounts
SAVED = "Saved at "  # the flash after a draft save (English: every page is asked with ?lang=en once)
SUBMITTED = "are submitted and locked."


# --- the data: an open round with assignments and no sheets ------------------------------------


def build(database_url: str, folder: Path, judges: int, per_judge: int) -> tuple[int, dict[int, tuple[str, list[int]]]]:
    """Migrate a fresh database and add the open round; (round id, {judge id: (e-mail, application ids)})."""
    return harness.prepare(database_url, folder, lambda: _open_round(judges, per_judge))


def _open_round(judges: int, per_judge: int) -> tuple[int, dict[int, tuple[str, list[int]]]]:
    from sqlalchemy import insert

    from incubator.auth.models import User, UserRole
    from incubator.auth.passwords import hash_password
    from incubator.core.database import utcnow
    from incubator.demo_scale import JUDGES_PER_APPLICATION, scale_round, submitted_applications
    from incubator.extensions import db
    from incubator.judging.models import Assignment
    from incubator.judging.rounds import services as judging

    director, cohort, round_, _criteria = scale_round("Hetero for Startup Bench", "Uji beban penilaian.")
    password_hash = hash_password(PASSWORD)
    pool = [
        User(
            email=f"bench-judge{n}@example.org",
            name=f"Juri Uji {n}",
            password_hash=password_hash,
            email_confirmed_at=utcnow(),
            role_rows=[UserRole(role="judge")],
        )
        for n in range(1, judges + 1)
    ]
    db.session.add_all(pool)
    db.session.flush()
    count = -(-judges * per_judge // JUDGES_PER_APPLICATION)
    application_ids = submitted_applications(
        cohort,
        director,
        [
            {"name": f"Startup Uji {i:04d}", "city": "Semarang", "focus_area_id": cohort.focus_areas[0].id}
            for i in range(1, count + 1)
        ],
        problem="-",
    )
    judging.set_phase(round_, "open", director)
    work: dict[int, tuple[str, list[int]]] = {j.id: (j.email, []) for j in pool}
    for index, application_id in enumerate(application_ids):
        for k in range(JUDGES_PER_APPLICATION):
            work[pool[(index * JUDGES_PER_APPLICATION + k) % judges].id][1].append(application_id)
    db.session.execute(
        insert(Assignment),
        [{"round_id": round_.id, "application_id": a, "judge_id": j} for j, (_, ids) in work.items() for a in ids],
    )
    db.session.flush()
    return round_.id, work


# --- one judge's browser -----------------------------------------------------------------------


@dataclass
class Tally:
    """What every judge saw; appended to from many threads (list.append and Counter under a lock)."""

    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # 'POST /rounds/{id}/...': seconds
    statuses: Counter = field(default_factory=Counter)
    events: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    acks: list[tuple] = field(default_factory=list)  # (judge id, application id, status, values, comment, rec)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, event: str, problem: str | None = None) -> None:
        with self.lock:
            self.events[event] += 1
            if problem and len(self.problems) < 20:
                self.problems.append(problem)


class Browser(harness.Browser):
    """harness.Browser that tallies every answer: latency by kind of request, status, failures."""

    def __init__(self, port: int, tally: Tally, cookies: dict[str, str] | None = None):
        super().__init__(port, cookies)
        self.tally = tally

    def observe(self, method: str, path: str, form: dict | None, answer: harness.Answer) -> None:
        if answer.error:
            self.tally.note("transport_error", f"{method} {path}: {answer.error}")
            return
        with self.tally.lock:
            self.tally.latencies.append(answer.seconds)
            kind = f"{method} {re.sub(r'[0-9]+', '{id}', path.split('?')[0])}"
            kind += " (submit)" if form and "submit_sheet" in form else " (draft)" if form and "save" in form else ""
            self.tally.by_kind.setdefault(kind, []).append(answer.seconds)
            self.tally.statuses[answer.status] += 1
        if answer.status >= 500:
            self.tally.note("server_error", f"{method} {path}: {answer.status} after {answer.seconds:.1f} s")


def judge_session(port: int, judge_id: int, email: str, applications: list[int], round_id: int, args, tally, until):
    """Sign in, then score the queue in order until the time is up."""
    rng = random.Random(judge_id)
    browser = Browser(port, tally)
    status = sign_in(browser, email, PASSWORD)
    if status != 302:
        tally.note("login_failed", f"{email}: login answered {status}")
        return
    browser.request("GET", f"/rounds/{round_id}/queue")
    saves = 0
    for application_id in applications:
        if time.monotonic() >= until:
            return
        path = f"/rounds/{round_id}/applications/{application_id}/score"
        answer = browser.request("GET", path)
        if answer.status != 200:
            tally.note("unexpected_status", f"GET {path}: {answer.status}")
            continue
        form = read(answer.text)
        criteria = sorted(name for name in form.choices if name.startswith("score_"))
        for _draft in range(1 + (rng.random() < 0.5)):
            saves += 1
            values = {c: rng.choice(form.choices[c]) for c in rng.sample(criteria, rng.randint(1, len(criteria)))}
            sheet = sheet_form(form, values, rng, f"j{judge_id} a{application_id} s{saves}", "save")
            double = rng.random() < args.double
            if double:
                saves += 1
                twin = sheet_form(form, values, rng, f"j{judge_id} a{application_id} s{saves}", "save")
                answers = post_twice(browser, path, sheet, twin)
                acked = [f for a, f in zip(answers, (sheet, twin), strict=True) if a.status == 302]
                refused = [a.status for a in answers if a.status == 200]
                tally.note("double_sent")
                if len(acked) == 2:
                    tally.note("double_both_acked", f"{path}: both posts of a double save were acknowledged")
                elif not acked and len(refused) == 2:
                    tally.note("double_none_acked", f"{path}: both posts of a double save were refused")
                for acked_form in acked:
                    record(tally, judge_id, application_id, "draft", acked_form)
                form = read(browser.request("GET", path).text)
                continue
            answer = browser.request("POST", path, sheet)
            if answer.status == 302 and answer.location.split("?")[0] == path:
                record(tally, judge_id, application_id, "draft", sheet)
                form = read(browser.request("GET", answer.location).text)
                if not any(m.startswith(SAVED) for m in form.flashes):
                    tally.note("ack_without_message", f"{path}: draft saved without '{SAVED}'")
            else:  # a 4xx, 5xx or broken connection is already counted by its status
                if answer.status in (200, 302):
                    tally.note("save_refused", f"POST {path} (draft): {answer.status}")
                form = read(browser.request("GET", path).text)
        saves += 1
        values = {c: rng.choice(form.choices[c]) for c in criteria}
        sheet = sheet_form(form, values, rng, f"j{judge_id} a{application_id} s{saves}", "submit_sheet")
        answer = browser.request("POST", path, sheet)
        if answer.status == 302 and answer.location.split("?")[0] == f"/rounds/{round_id}/queue":
            record(tally, judge_id, application_id, "final", sheet)
            if not any(m.endswith(SUBMITTED) for m in read(browser.request("GET", answer.location).text).flashes):
                tally.note("ack_without_message", f"{path}: submitted without '{SUBMITTED}'")
        elif answer.status in (200, 302):
            tally.note("save_refused", f"POST {path} (submit): {answer.status}")


def sheet_form(form: FormReader, values: dict[str, str], rng, comment: str, button: str) -> dict:
    """What the browser posts: the hidden fields, the checked radios, the comments, the clicked button."""
    data = {"csrf_token": form.values.get("csrf_token", ""), "version": form.values.get("version", "0")}
    data.update(values)
    for name in values:
        data["comment_" + name.removeprefix("score_")] = f"{comment} {name}"
    data["overall_comment"] = comment
    data["recommendation"] = rng.choice(["advance", "maybe", "decline", ""])
    data[button] = "Submit" if button == "submit_sheet" else "Save draft"
    return data


def post_twice(browser: Browser, path: str, first: dict, second: dict) -> list[harness.Answer]:
    """The same page posted twice at once on two connections (same cookies): a double click."""
    other = Browser(browser.port, browser.tally, browser.cookies)
    answers: list = [None, None]

    def send(index, who, data):
        answers[index] = who.request("POST", path, data)

    threads = [
        threading.Thread(target=send, args=(0, browser, first)),
        threading.Thread(target=send, args=(1, other, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    return answers


def record(tally: Tally, judge_id: int, application_id: int, status: str, data: dict) -> None:
    values = {int(k.removeprefix("score_")): Decimal(v) for k, v in data.items() if k.startswith("score_")}
    with tally.lock:
        tally.acks.append((judge_id, application_id, status, values, data["overall_comment"], data["recommendation"]))


# --- the check ------------------------------------------------------------------------------------


def check(database_url: str, round_id: int, tally: Tally) -> dict[str, int]:
    """Compare the database with the acknowledged saves: lost, duplicated, unacknowledged."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        sheets = connection.execute(
            text(
                "SELECT id, judge_id, application_id, status, overall_comment, recommendation"
                " FROM score_sheets WHERE round_id = :r"
            ),
            {"r": round_id},
        ).all()
        scores = connection.execute(
            text(
                "SELECT s.sheet_id, s.criterion_id, s.value, s.comment FROM scores s"
                " JOIN score_sheets h ON h.id = s.sheet_id WHERE h.round_id = :r"
            ),
            {"r": round_id},
        ).all()
    engine.dispose()
    by_key: dict[tuple[int, int], list] = {}
    for sheet in sheets:
        by_key.setdefault((sheet.judge_id, sheet.application_id), []).append(sheet)
    stored: dict[int, dict[int, list[tuple]]] = {}
    for sheet_id, criterion_id, value, comment in scores:
        stored.setdefault(sheet_id, {}).setdefault(criterion_id, []).append((value, comment))
    duplicated = sum(len(rows) - 1 for rows in by_key.values())
    duplicated += sum(len(rows) - 1 for per in stored.values() for rows in per.values())
    last = {(a[0], a[1]): a[2:] for a in tally.acks}  # acks are in order for each judge
    lost = 0
    for key, (status, values, comment, recommendation) in last.items():
        rows = by_key.get(key, [])
        ok = len(rows) == 1
        if ok:
            row = rows[0]
            per = stored.get(row.id, {})
            # A draft leaves the criteria it did not send empty, so the values must match exactly.
            given = {c: Decimal(r[0][0]) for c, r in per.items() if r[0][0] is not None}
            comments = {c: r[0][1] for c, r in per.items() if r[0][1]}
            ok = (
                row.status == status
                and row.overall_comment == comment
                and (row.recommendation or "") == recommendation
                and given == values
                and comments == {c: f"{comment} score_{c}" for c in values}
            )
        if not ok:
            lost += 1
            tally.note("lost", f"sheet {key}: acknowledged {status} {comment!r}, database has {rows!r}")
    unacknowledged = sum(1 for key in by_key if key not in last)
    return {"lost": lost, "duplicated": duplicated, "unacknowledged": unacknowledged, "sheets": len(sheets)}


# --- the run --------------------------------------------------------------------------------------


def run(kind: str, database_url: str, args) -> bool:
    folder = Path(tempfile.mkdtemp(prefix=f"incubator-concurrency-{kind}-"))
    if kind == "sqlite":
        database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    started = time.perf_counter()
    try:
        round_id, work = build(database_url, folder, args.judges, args.per_judge)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    build_seconds = time.perf_counter() - started
    server, port = serve(database_url, folder, args.workers, args.threads)
    tally = Tally()
    if args.paced:
        return run_paced_mode(kind, database_url, folder, server, port, round_id, work, build_seconds, args, tally)
    try:
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=judge_session, args=(port, j, email, ids, round_id, args, tally, until))
            for j, (email, ids) in work.items()
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        stop(server)
    found = check(database_url, round_id, tally)
    errors = sum(n for code, n in tally.statuses.items() if code >= 400)
    errors += sum(tally.events[e] for e in ("transport_error", "login_failed", "unexpected_status", "save_refused"))
    errors += sum(tally.events[e] for e in ("double_both_acked", "double_none_acked", "ack_without_message"))
    server_errors = sum(n for code, n in tally.statuses.items() if code >= 500)
    finals = sum(1 for a in tally.acks if a[2] == "final")
    requests = sum(tally.statuses.values())
    print(
        f"== {kind}: {args.judges} judges × ~{args.per_judge} applications, {args.seconds} s,"
        f" gunicorn {args.workers} workers × {args.threads} threads (built in {build_seconds:.1f} s)"
    )
    print(f"requests:       {requests} ({requests / elapsed:.0f}/s) statuses {dict(sorted(tally.statuses.items()))}")
    print(
        f"saves acked:    {len(tally.acks)} ({finals} submitted sheets, {len(tally.acks) - finals} drafts)"
        f"; double posts {tally.events['double_sent']} (one refused as stale each)"
    )
    print(f"errors:         {errors} (5xx: {server_errors}; events {dict(tally.events)})")
    print(f"lost:           {found['lost']}")
    print(f"duplicated:     {found['duplicated']}")
    print(f"unacknowledged: {found['unacknowledged']} (sheets in the database: {found['sheets']})")
    print(
        f"latency all:    p50 {percentile(tally.latencies, 50) * 1000:.0f} ms,"
        f" p95 {percentile(tally.latencies, 95) * 1000:.0f} ms"
    )
    for kind, seconds in sorted(tally.by_kind.items()):
        print(
            f"  {kind:52} {len(seconds):5} × p50 {percentile(seconds, 50) * 1000:5.0f} ms,"
            f" p95 {percentile(seconds, 95) * 1000:5.0f} ms"
        )
    for problem in tally.problems:
        print(f"  ! {problem}")
    if server_errors:
        print(f"  server log: {folder / 'gunicorn.log'}")
    passed = errors == 0 and found["lost"] == 0 and found["duplicated"] == 0 and found["unacknowledged"] == 0
    print(f"target met:     {'yes' if passed else 'NO'}")
    if args.keep or server_errors:
        print(f"kept:           {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return passed


def run_paced_mode(kind, database_url, folder, server, port, round_id, work, build_seconds, args, tally) -> bool:
    """--paced: the judges at their pace, then the saturation steps, then the check (bench/paced.py)."""
    import paced

    try:
        timing = paced.run_paced(port, round_id, work, args, tally)
        healthz, steps = paced.saturation(port, round_id, work, args, tally)
    finally:
        stop(server)
    passed = paced.report(kind, args, build_seconds, database_url, round_id, tally, timing, healthz, steps)
    server_errors = any(code >= 500 for code in tally.statuses)
    if args.keep or server_errors:
        print(f"kept:           {folder} (gunicorn.log)")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES, help="PostgreSQL; its name must contain 'bench'")
    parser.add_argument("--judges", type=int, help="default 50 (--paced: 100)")
    parser.add_argument("--per-judge", type=int, default=40)
    parser.add_argument("--seconds", type=float, help="default 30 (--paced: 60)")
    parser.add_argument("--paced", action="store_true", help="judges at their pace, then saturation (bench/paced.py)")
    parser.add_argument("--every", type=float, default=5, help="--paced: seconds between a judge's posts")
    parser.add_argument("--saves", type=int, default=4, help="--paced: autosaves before each submit")
    parser.add_argument("--step", type=float, default=5, help="--paced: seconds of each saturation step")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--double", type=float, default=0.1, help="share of drafts posted twice at once")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()
    args.judges = args.judges or (100 if args.paced else 50)
    args.seconds = args.seconds or (60 if args.paced else 30)
    args.password = PASSWORD
    if args.judges < 3:
        parser.error("--judges must be at least 3 (3 judges per application)")
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    if "postgres" in kinds and "bench" not in urlsplit(args.database_url).path:
        parser.error("--database-url: the database is erased, so its name must contain 'bench'")
    results = [run(kind, args.database_url, args) for kind in kinds]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
