"""Pitch day at a judge's pace (bench/concurrency.py --paced): many judges, each autosaving a draft
every few seconds as the scoring page's script does and submitting after a few saves; then how
many draft saves a second the app sustains before their p95 passes 500 ms, beside /healthz.

1. The round of bench/concurrency.py (an OPEN round, 8 criteria, 3 judges per application).
2. --judges judges (100) sign in, each at its own moment within the first --every seconds, then
   every --every seconds (5) post one thing on the scoring page of the application they are on:
   --saves autosaves (4; `X-Requested-With: fetch`, answered with JSON and the sheet's new
   version, as static/js/scoring.js sends them), then the Submit button (a redirect to the
   queue, which the judge opens), then the next application's page and its first autosave.
   For --seconds (60).
3. Every acknowledged save and submit is checked against the database (concurrency.check):
   lost, duplicated, unacknowledged.
4. Saturation: /healthz alone from 16 connections for --step seconds; then autosaves back to
   back from 2, 4, 8, 16, 32 judges at once (each on an application of its own), --step seconds
   each: saves per second and p95. The figure is the most saves per second at a step whose p95
   stayed under 500 ms, as a share of /healthz's requests per second.
Targets: saves' and submits' p95 under 250 ms, 0 errors, 0 lost, 0 duplicated.
"""

import json
import random
import threading
import time
from dataclasses import dataclass, field

import harness
from concurrency import Browser, Tally, check, record, sheet_form
from harness import percentile, read, sign_in

MAX_P95 = 0.250  # seconds, saves and submits under the paced load
SATURATED_P95 = 0.500  # seconds: the saturation figure counts steps under this
STEPS = (2, 4, 8, 16, 32)  # judges autosaving back to back, for the saturation figure
FETCH = {"X-Requested-With": "fetch", "Accept": "application/json"}


@dataclass
class Paced:
    """Latencies by kind, appended to from many threads under the tally's lock."""

    saves: list[float] = field(default_factory=list)
    submits: list[float] = field(default_factory=list)
    pages: list[float] = field(default_factory=list)


def autosave(browser: Browser, path: str, form, values: dict, rng, comment: str, version: str):
    """One autosave as the page's script sends it: (answer, the new version or None when refused)."""
    data = sheet_form(form, values, rng, comment, "save")
    data["version"] = version
    del data["save"]  # FormData carries no button
    answer = browser.request("POST", path, data, headers=FETCH)
    if answer.status != 200:
        return answer, data, None
    try:
        reply = json.loads(answer.text)
    except ValueError:
        return answer, data, None
    return answer, data, str(reply["version"]) if reply.get("status") == "saved" else None


def paced_judge(port, judge_id, email, applications, round_id, args, tally: Tally, paced: Paced, start, until):
    """Sign in, then one post every --every seconds: --saves autosaves, a submit, the next application."""
    rng = random.Random(judge_id)
    browser = Browser(port, tally)
    if sign_in(browser, email, args.password) != 302:
        tally.note("login_failed", f"{email}: the login was refused")
        return
    tick = start + rng.uniform(0, args.every)
    posts = 0
    for application_id in applications:
        path = f"/rounds/{round_id}/applications/{application_id}/score"
        answer = browser.request("GET", path)
        if answer.status != 200:
            tally.note("unexpected_status", f"GET {path}: {answer.status}")
            return
        with tally.lock:
            paced.pages.append(answer.seconds)
        form = read(answer.text)
        version = form.values.get("version", "0")
        criteria = sorted(name for name in form.choices if name.startswith("score_"))
        for n in range(args.saves + 1):
            time.sleep(max(0.0, tick - time.monotonic()))
            if time.monotonic() >= until:
                return
            tick += args.every
            posts += 1
            comment = f"j{judge_id} a{application_id} p{posts}"
            if n < args.saves:
                values = {c: rng.choice(form.choices[c]) for c in criteria[: 1 + n * len(criteria) // args.saves]}
                answer, data, saved = autosave(browser, path, form, values, rng, comment, version)
                with tally.lock:
                    paced.saves.append(answer.seconds)
                if saved is None:
                    tally.note("save_refused", f"POST {path} (autosave): {answer.status} {answer.text[:120]}")
                    continue
                version = saved
                record(tally, judge_id, application_id, "draft", data)
                continue
            values = {c: rng.choice(form.choices[c]) for c in criteria}
            data = sheet_form(form, values, rng, comment, "submit_sheet")
            data["version"] = version
            answer = browser.request("POST", path, data)
            with tally.lock:
                paced.submits.append(answer.seconds)
            if answer.status == 302 and answer.location.split("?")[0] == f"/rounds/{round_id}/queue":
                record(tally, judge_id, application_id, "final", data)
                queue = browser.request("GET", answer.location)
                with tally.lock:
                    paced.pages.append(queue.seconds)
            else:
                tally.note("save_refused", f"POST {path} (submit): {answer.status}")


def run_paced(port: int, round_id: int, work: dict, args, tally: Tally) -> Paced:
    paced = Paced()
    start = time.monotonic() + 2  # every judge signs in first
    until = start + args.seconds
    threads = [
        threading.Thread(
            target=paced_judge, args=(port, j, email, ids, round_id, args, tally, paced, start, until), daemon=True
        )
        for j, (email, ids) in work.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return paced


# --- saturation ------------------------------------------------------------------------------------


@dataclass
class Step:
    clients: int
    saves: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.saves / self.seconds if self.seconds else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95)


def saturation(port: int, round_id: int, work: dict, args, tally: Tally) -> tuple[float, list[Step]]:
    """(/healthz requests per second, one Step per number of judges autosaving back to back)."""
    healthz = harness.hammer(port, "/healthz", {}, 16, args.step).rate
    # The last application of each judge: the paced run never reaches it.
    seats = [(j, email, ids[-1]) for j, (email, ids) in work.items() if len(ids) > args.seconds / args.every]
    steps = []
    for clients in STEPS:
        if clients > len(seats):
            break
        steps.append(_step(port, round_id, seats[:clients], args, tally))
    return healthz, steps


def _step(port, round_id, seats, args, tally: Tally) -> Step:
    step = Step(len(seats))
    ready, go = threading.Barrier(len(seats) + 1), threading.Barrier(len(seats) + 1)
    lock = threading.Lock()
    until = [0.0]

    def client(judge_id, email, application_id):
        rng = random.Random(judge_id * 7919 + len(seats))
        browser = Browser(port, tally)
        if sign_in(browser, email, args.password) != 302:
            tally.note("login_failed", f"{email}: the login was refused")
        path = f"/rounds/{round_id}/applications/{application_id}/score"
        form = read(browser.request("GET", path).text)
        version = form.values.get("version", "0")
        criteria = sorted(name for name in form.choices if name.startswith("score_"))
        latencies, n = [], 0
        ready.wait()  # every judge signed in and on its page
        go.wait()  # the step's end is set
        while time.monotonic() < until[0]:
            n += 1
            values = {c: rng.choice(form.choices[c]) for c in criteria[: rng.randint(1, len(criteria))]}
            comment = f"j{judge_id} a{application_id} c{len(seats)} n{n}"
            answer, data, saved = autosave(browser, path, form, values, rng, comment, version)
            latencies.append(answer.seconds)
            if saved is None:
                tally.note("save_refused", f"POST {path} (autosave, saturation): {answer.status}")
                continue
            version = saved
            record(tally, judge_id, application_id, "draft", data)
        browser.close()
        with lock:
            step.latencies += latencies
            step.saves += len(latencies)

    threads = [threading.Thread(target=client, args=seat, daemon=True) for seat in seats]
    for thread in threads:
        thread.start()
    ready.wait()
    until[0] = time.monotonic() + args.step
    started = time.perf_counter()
    go.wait()
    for thread in threads:
        thread.join()
    step.seconds = time.perf_counter() - started
    return step


# --- the report ------------------------------------------------------------------------------------


def report(kind, args, build_seconds, database_url, round_id, tally: Tally, paced: Paced, healthz, steps) -> bool:
    found = check(database_url, round_id, tally)
    errors = sum(n for code, n in tally.statuses.items() if code >= 400)
    errors += sum(tally.events[e] for e in ("transport_error", "login_failed", "unexpected_status", "save_refused"))
    server_errors = sum(n for code, n in tally.statuses.items() if code >= 500)
    print(
        f"== {kind}, paced: {args.judges} judges, an autosave every {args.every:g} s, a submit after {args.saves}"
        f" saves, {args.seconds:g} s; gunicorn {args.workers} workers × {args.threads} threads"
        f" (built in {build_seconds:.1f} s)"
    )
    verdicts = []
    for label, seconds in (("draft saves", paced.saves), ("submits", paced.submits)):
        p50, p95 = percentile(seconds, 50) * 1000, percentile(seconds, 95) * 1000
        ok = bool(seconds) and p95 < MAX_P95 * 1000
        verdicts.append(ok)
        print(
            f"{label + ':':15} {len(seconds):5} × p50 {p50:5.0f} ms, p95 {p95:5.0f} ms"
            f"  (target p95 < {MAX_P95 * 1000:.0f} ms: {'PASS' if ok else 'FAIL'})"
        )
    pages = paced.pages
    print(
        f"{'pages opened:':15} {len(pages):5} × p50 {percentile(pages, 50) * 1000:5.0f} ms,"
        f" p95 {percentile(pages, 95) * 1000:5.0f} ms  (the scoring page, the queue after a submit)"
    )
    print(f"errors:         {errors} (5xx: {server_errors}; events {dict(tally.events)})")
    print(f"lost:           {found['lost']}")
    print(f"duplicated:     {found['duplicated']}")
    print(f"unacknowledged: {found['unacknowledged']} (sheets in the database: {found['sheets']})")
    print(f"saturation:     /healthz {healthz:.0f} req/s (16 connections, {args.step:g} s)")
    sustained = 0.0
    for step in steps:
        under = step.p95 < SATURATED_P95
        if under:
            sustained = max(sustained, step.rate)
        print(
            f"  {step.clients:3} judges autosaving back to back: {step.rate:6.1f} saves/s,"
            f" p95 {step.p95 * 1000:5.0f} ms{'' if under else '  (over 500 ms)'}"
        )
    ratio = sustained / healthz if healthz else 0.0
    print(f"  sustained at p95 < {SATURATED_P95 * 1000:.0f} ms: {sustained:.1f} saves/s = {ratio:.2f} of /healthz")
    for problem in tally.problems:
        print(f"  ! {problem}")
    passed = all(verdicts) and errors == 0 and found["lost"] == 0 and found["duplicated"] == 0
    passed = passed and found["unacknowledged"] == 0
    print(f"target met:     {'yes' if passed else 'NO'}")
    return passed
