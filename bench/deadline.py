"""Benchmark: the last minutes of a call, every founder at once, under gunicorn, beside /healthz.

    .venv/bin/python bench/deadline.py [--founders 500] [--minutes 10] [--every 10] [--deck-share 0.2]
        [--deck-mb 10] [--burst 20] [--database sqlite|URL] [--workers 2] [--threads 4] [--keep]

1. A fresh database (a temporary SQLite file, or the PostgreSQL database of --database, whose
   name must contain "bench": its public schema is ERASED and rebuilt) gets the migrations, an
   open call and --founders applicants, each with a startup and a complete draft. One in five
   (--deck-share) has no deck yet; the others uploaded a small one earlier.
2. The app runs under gunicorn (--workers × --threads) on a free port, as in production. Every
   founder signs in through /auth/login and opens the pitch form. The call's deadline is then
   set to --minutes from now.
3. For --minutes, each founder's form autosaves every --every seconds as static/js/application.js
   does (a fetch POST with the version the page holds), its text growing each time. The founders
   without a deck upload one of --deck-mb MB with Save draft at a random moment, except --burst of
   them, who start theirs together at half time while the gunicorn workers' memory (VmRSS) is
   sampled every 50 ms. Every founder submits at a random moment of the last minute (the last
   quarter of a shorter run), at least 2 s before the deadline. /healthz is asked 4 times a second
   throughout.
4. Then the database is read: a draft is lost when its stored text is not the last one the server
   acknowledged, a submission when one sent before the deadline is not stored as submitted.
Prints /healthz, the draft saves, the uploads and the submissions side by side (requests, p50,
p95, failures), the workers' memory growth during the burst, and the lost drafts and submissions.
Targets: p95 of the draft saves under 300 ms; each worker's memory grows by less than 30 MB
while the burst's uploads run; 0 lost drafts, 0 lost submissions. Exit status 1 when one fails.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import harness
from deadline_data import PASSWORD, deck_pdf, seed, set_deadline, stored_applications
from harness import Browser, percentile, read, serve, sign_in, stop

MAX_P95 = 0.300  # seconds, draft saves
MAX_GROWTH_MB = 30  # per worker, while the burst's uploads run
TEXT = "Pengrajin lurik di Klaten sulit menjual kain mereka secara daring tanpa kurasi dan foto yang baik. "


# --- the founders --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Latencies and failures per kind of request, shared by every founder's thread."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    statuses: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    failures: list[str] = field(default_factory=list)
    uploads: list[tuple[float, float]] = field(default_factory=list)  # (start, end) on time.monotonic()
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int, failure: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            if failure:
                self.failures.append(f"{kind}: {failure}")


KINDS = ("/healthz", "draft autosave", "deck upload", "submit")


def post_json(port: int, path: str, cookies: dict, form: dict) -> tuple[int, dict, float]:
    """An autosave as the page's script sends it; (status, JSON answer, seconds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Requested-With": "fetch",
        "Accept": "application/json",
    }
    started = time.perf_counter()
    try:
        connection.request("POST", path, body=urlencode(form), headers=headers)
        response = connection.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        try:
            answer = json.loads(body)
        except ValueError:
            answer = {}
        return response.status, answer, seconds
    except (OSError, http.client.HTTPException) as exc:
        return 0, {"message": repr(exc)}, time.perf_counter() - started
    finally:
        connection.close()


def post_multipart(port: int, path: str, cookies: dict, form: dict, deck: bytes) -> tuple[int, str, float]:
    """Save draft with a deck, as a browser without the script sends it; (status, location, seconds)."""
    boundary = "----deadline" + os.urandom(8).hex()
    parts = []
    for name, value in form.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="deck"; filename="deck.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
    )
    body = b"".join(parts) + deck + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    started = time.perf_counter()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or "", time.perf_counter() - started
    except (OSError, http.client.HTTPException) as exc:
        return 0, repr(exc), time.perf_counter() - started
    finally:
        connection.close()


@dataclass
class Founder:
    email: str
    application_id: int
    uploads: bool
    cookies: dict = field(default_factory=dict)
    csrf: str = ""
    version: str = ""
    acknowledged: str = ""  # the last text the server said it saved
    submitted_at: float = 0.0  # time.time() when the submission was sent
    accepted: bool = False

    @property
    def path(self) -> str:
        return f"/applications/{self.application_id}/edit?lang=en"

    def open_form(self, port: int) -> bool:
        browser = Browser(port)
        if sign_in(browser, self.email, PASSWORD) != 302:
            return False
        page = read(browser.request("GET", self.path).text)
        browser.close()
        self.cookies, self.csrf, self.version = browser.cookies, page.values["csrf_token"], page.values["version"]
        return True

    def fields(self, text: str) -> dict:
        return {"csrf_token": self.csrf, "version": self.version, "problem": text}

    def autosave(self, port: int, text: str, tally: Tally) -> None:
        status, answer, seconds = post_json(port, self.path, self.cookies, self.fields(text))
        ok = status == 200 and answer.get("status") == "saved" and not answer.get("errors")
        tally.add("draft autosave", seconds, status, "" if ok else f"{status} {answer.get('message', '')}")
        if ok:
            self.version, self.acknowledged = str(answer["version"]), text

    def upload(self, port: int, text: str, deck: bytes, tally: Tally) -> None:
        form = {**self.fields(text), "save": "1"}
        started = time.monotonic()
        status, location, seconds = post_multipart(port, self.path, self.cookies, form, deck)
        with tally.lock:
            tally.uploads.append((started, time.monotonic()))
        ok = status == 302 and location.startswith(f"/applications/{self.application_id}/edit")
        tally.add("deck upload", seconds, status, "" if ok else f"{status} {location}")
        if ok:  # the page reloads: the next saves carry its new version
            self.acknowledged = text
            browser = Browser(port, self.cookies)
            self.version = read(browser.request("GET", self.path).text).values.get("version", "")
            browser.close()

    def submit(self, port: int, text: str, tally: Tally) -> None:
        browser = Browser(port, self.cookies)
        self.submitted_at = time.time()
        answer = browser.request("POST", self.path, {**self.fields(text), "submit_application": "1"})
        browser.close()
        self.accepted = answer.status == 302 and answer.location == "/applications"
        tally.add("submit", answer.seconds, answer.status, "" if self.accepted else f"{answer.status} {answer.error}")
        if self.accepted or (answer.status == 200 and "your draft is kept" in answer.text):
            self.acknowledged = text  # refused after the deadline, the text is still saved


def founder_run(founder, port, start, end, every, upload_at, submit_at, deck, tally, rng) -> None:
    """Autosave every `every` s from a random offset, upload at `upload_at` (if any), submit at
    `submit_at` (seconds after `start`, on time.monotonic())."""
    n = 0
    next_save = start + rng.uniform(0, every)
    events = sorted([(submit_at, "submit")] + ([(upload_at, "upload")] if upload_at is not None else []))
    while True:
        due, kind = events[0] if events else (end, "stop")
        if next_save < start + due:
            time.sleep(max(0.0, next_save - time.monotonic()))
            n += 1
            founder.autosave(port, f"{TEXT} ({n})", tally)
            # As the page's script: one save at a time, none queued up while one was under way.
            next_save = max(next_save + every, time.monotonic())
            continue
        time.sleep(max(0.0, start + due - time.monotonic()))
        n += 1
        if kind == "upload":
            founder.upload(port, f"{TEXT} ({n}, with the deck)", deck, tally)
            events.pop(0)
        else:
            founder.submit(port, f"{TEXT} ({n}, submitted)", tally)
            return


# --- the measures around them ---------------------------------------------------------------------


def healthz(port: int, until: threading.Event, tally: Tally) -> None:
    browser = Browser(port)
    while not until.wait(0.25):
        answer = browser.request("GET", "/healthz")
        tally.add("/healthz", answer.seconds, answer.status, "" if answer.status == 200 else str(answer.status))
    browser.close()


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def workers_of(master: int) -> list[int]:
    with open(f"/proc/{master}/task/{master}/children") as children:
        return [int(pid) for pid in children.read().split()]


class Memory:
    """The workers' VmRSS every 50 ms: (time.monotonic(), {pid: MB}) samples."""

    def __init__(self, master: int):
        self.pids = workers_of(master)
        self.samples: list[tuple[float, dict[int, float]]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self.samples.append((time.monotonic(), {pid: rss_mb(pid) for pid in self.pids}))

    def growth(self, since: float, until: float) -> dict[int, tuple[float, float]]:
        """Per worker: (MB just before `since`, its largest growth in [since, until])."""
        before = [s for t, s in self.samples if t <= since] or [self.samples[0][1]]
        during = [s for t, s in self.samples if since <= t <= until]
        return {
            pid: (before[-1][pid], max((s[pid] for s in during), default=before[-1][pid]) - before[-1][pid])
            for pid in self.pids
        }


# --- the run -------------------------------------------------------------------------------------


def run(args, database_url: str, folder: Path) -> bool:
    print(f"seeding {args.founders} founders ...", flush=True)
    plan = harness.prepare(database_url, folder, lambda: seed(args.founders, args.deck_share))
    founders = [Founder(email, application_id, uploads) for email, application_id, uploads in plan]
    deck = deck_pdf(args.deck_mb)
    process, port = serve(database_url, folder, args.workers, args.threads)
    try:
        print(f"signing in {len(founders)} founders ...", flush=True)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(8) as pool:
            opened = list(pool.map(lambda f: f.open_form(port), founders))
        if not all(opened):
            print(f"{opened.count(False)} founders could not sign in; see {folder / 'gunicorn.log'}")
            return False
        seconds = args.minutes * 60
        rush = min(60.0, seconds / 4)  # everyone submits in the last minute (or quarter)
        deadline = datetime.now(UTC) + timedelta(seconds=seconds)
        set_deadline(database_url, deadline)
        rng = random.Random(5)
        uploaders = [f for f in founders if f.uploads]
        burst = set(rng.sample(range(len(uploaders)), min(args.burst, len(uploaders))))
        burst_at = seconds / 2
        tally = Tally()
        memory = Memory(process.pid)
        memory.thread.start()
        stop_health = threading.Event()
        health = threading.Thread(target=healthz, args=(port, stop_health, tally))
        threads = []
        start = time.monotonic()
        uploader_index = {id(f): i for i, f in enumerate(uploaders)}
        for founder in founders:
            upload_at = None
            if founder.uploads:
                index = uploader_index[id(founder)]
                upload_at = burst_at if index in burst else rng.uniform(0.1 * seconds, seconds - rush - 5)
            submit_at = rng.uniform(seconds - rush, seconds - 2)
            thread = threading.Thread(
                target=founder_run,
                args=(founder, port, start, start + seconds, args.every, upload_at, submit_at, deck, tally),
                kwargs={"rng": random.Random(founder.application_id)},
                daemon=True,
            )
            threads.append(thread)
        print(f"the last {args.minutes:g} minutes of the call: deadline {deadline:%H:%M:%S} UTC", flush=True)
        health.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop_health.set()
        health.join()
        memory.stop.set()
        memory.thread.join()
        # The burst lasts from its start until the last of its uploads is answered.
        burst_start = start + burst_at
        burst_end = max((end for began, end in tally.uploads if abs(began - burst_start) < 1), default=burst_start)
        growth = memory.growth(burst_start, burst_end)
        growth_from_start = memory.growth(start, burst_end)
    finally:
        stop(process)
    return report(args, database_url, founders, tally, growth, growth_from_start, deadline)


def report(args, database_url, founders, tally, growth, growth_from_start, deadline) -> bool:
    stored = stored_applications(database_url)
    lost_drafts = [f.email for f in founders if f.acknowledged and stored[f.application_id][0] != f.acknowledged]
    sent_in_time = [f for f in founders if f.submitted_at and f.submitted_at < deadline.timestamp()]
    lost_submissions = [f.email for f in sent_in_time if stored[f.application_id][1] != "submitted"]
    print()
    print(f"{'':16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'failures':>10}")
    for kind in KINDS:
        values = tally.latencies[kind]
        failed = sum(n for status, n in tally.statuses[kind].items() if status not in (200, 302))
        print(
            f"{kind:16}{len(values):>9}{percentile(values, 50) * 1000:>9.0f}{percentile(values, 95) * 1000:>9.0f}"
            f"{failed:>10}"
        )
    p95 = percentile(tally.latencies["draft autosave"], 95)
    print()
    print(f"draft saves p95: {p95 * 1000:.0f} ms (target < {MAX_P95 * 1000:.0f} ms)")
    for pid, (base, grew) in growth.items():
        start, since_start = growth_from_start[pid]
        print(
            f"worker {pid}: {base:.1f} MB before the {args.burst} uploads at once, grew by {grew:.1f} MB "
            f"({start:.1f} MB at the start of the run, {since_start:+.1f} MB by the end of the burst)"
        )
    # The stricter of the two: earlier uploads may already have grown a worker before the burst.
    worst = max((max(grew, growth_from_start[pid][1]) for pid, (_, grew) in growth.items()), default=0.0)
    print(f"largest worker growth: {worst:.1f} MB (target < {MAX_GROWTH_MB} MB)")
    print(
        f"submissions sent before the deadline: {len(sent_in_time)}, accepted: {sum(f.accepted for f in sent_in_time)}"
    )
    print(f"lost drafts: {len(lost_drafts)}, lost submissions: {len(lost_submissions)}")
    for failure in tally.failures[:5]:
        print(f"  {failure}")
    ok = p95 < MAX_P95 and worst < MAX_GROWTH_MB and not lost_drafts and not lost_submissions
    ok = ok and len(sent_in_time) == len(founders) and not tally.failures
    print("OK" if ok else "FAILED")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--founders", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=10, help="length of the run, ending at the deadline")
    parser.add_argument("--every", type=float, default=10, help="seconds between a founder's autosaves")
    parser.add_argument("--deck-share", type=float, default=0.2, help="founders who upload a deck in the run")
    parser.add_argument("--deck-mb", type=int, default=10)
    parser.add_argument("--burst", type=int, default=20, help="uploads started at the same moment, at half time")
    parser.add_argument("--database", default="sqlite", help="sqlite (a temporary file) or a PostgreSQL URL")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="deadline-bench-"))
    if args.database == "sqlite":
        database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    else:
        if "bench" not in args.database.rsplit("/", 1)[-1]:
            raise SystemExit("the PostgreSQL database's name must contain 'bench' (its schema is erased)")
        database_url = args.database
    try:
        ok = run(args, database_url, folder)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
