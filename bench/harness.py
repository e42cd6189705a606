"""What the HTTP benchmarks share (bench/concurrency.py, bench/web.py): a fresh database filled in
one go, the app under gunicorn as in production, a browser that signs in, and a load generator
that hammers one page from many clients at once. Each client is one HTTP/1.1 connection at a
time: gunicorn (gunicorn.conf.py) answers one request per connection, as behind nginx, and the
client connects again for the next.

Only the standard library's http.client talks to the server, so the figures carry no client
library's overhead beyond the threads themselves.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


# --- the database ----------------------------------------------------------------------------------


def bench_app(database_url: str, folder: Path):
    """The app on a fresh, migrated database (a PostgreSQL one's public schema is ERASED first),
    configured for throw-away data: no mail, limits in memory, fast password hashes."""
    from config import Config

    class BenchConfig(Config):
        SECRET_KEY = "bench-only"  # noqa: S105 - a throw-away database
        SQLALCHEMY_DATABASE_URI = database_url
        UPLOAD_FOLDER = str(folder / "uploads")
        MAIL_SERVER = None
        RATELIMIT_STORAGE_URI = "memory://"
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - throw-away accounts, fast to make

    from flask_migrate import upgrade

    from incubator import create_app
    from incubator.extensions import db

    app = create_app(BenchConfig)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()
    return app


def prepare(database_url: str, folder: Path, fill):
    """`bench_app`, then call `fill()` in an English request context, commit, and return what it
    returned. On PostgreSQL the tables are then vacuumed and analysed, as autovacuum does soon
    after a bulk load in production: the planner then knows the tables' sizes."""
    from incubator.extensions import db

    app = bench_app(database_url, folder)
    with app.test_request_context("/?lang=en"):
        try:
            result = fill()
            db.session.commit()
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.exec_driver_sql("VACUUM ANALYZE")
        finally:
            db.session.remove()
            db.engine.dispose()
    return result


# --- the server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(database_url: str, folder: Path, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    """gunicorn wsgi:app on a free port, configured through the environment as in production;
    its log goes to `folder`/gunicorn.log. Stop it with `stop()`."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only",
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "REDIS_URL": "",
        "MAIL_SERVER": "",
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "LOGIN_RATE_LIMIT_PER_ACCOUNT": "1000 per minute",
        "FLASK_CONFIG": "development",  # production's secure cookies need HTTPS in front
    }
    log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    # gunicorn.conf.py (read from ROOT) makes each worker take a connection only when it has a
    # thread free, and answer one request per connection: http.client reconnects for the next.
    command = [GUNICORN, "wsgi:app", "-w", str(workers), "--threads", str(threads)]
    process = subprocess.Popen([*command, "-b", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"gunicorn did not answer /healthz; see {folder / 'gunicorn.log'}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(30)


# --- a browser -------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The inputs of a page: hidden values by name, radio choices by name, and flash messages."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self.flashes: list[str] = []
        self._in_flash = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            if a.get("type") == "radio":
                self.choices.setdefault(a["name"], []).append(a.get("value") or "")
            elif a.get("type") == "hidden":
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "p" and "flash" in (a.get("class") or "").split():
            self._in_flash = True
            self.flashes.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_flash = False

    def handle_data(self, data):
        if self._in_flash:
            self.flashes[-1] += data


def read(body: str) -> FormReader:
    reader = FormReader()
    reader.feed(body)
    return reader


class Answer(NamedTuple):
    """One response: status (0 when the connection broke, with `error` saying how), the redirect's
    path and query, the body, and the seconds from sending to the last byte."""

    status: int
    location: str
    text: str
    seconds: float
    error: str = ""


class Browser:
    """One connection at a time (http.client opens a new one when the server closed the last)
    and a cookie jar, redirects followed by hand."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port, self.cookies = port, dict(cookies or {})
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None) -> Answer:
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()  # the next request reconnects
            answer = Answer(0, "", "", time.perf_counter() - started, repr(exc))
            self.observe(method, path, form, answer)
            return answer
        seconds = time.perf_counter() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        location = urlsplit(response.getheader("Location") or "")
        where = location.path + (f"?{location.query}" if location.query else "")
        answer = Answer(response.status, where, text, seconds)
        self.observe(method, path, form, answer)
        return answer

    def observe(self, method: str, path: str, form: dict | None, answer: Answer) -> None:
        """Called with every answer, broken connections included; for subclasses that keep count."""

    def close(self) -> None:
        self.connection.close()


def sign_in(browser: Browser, email: str, password: str) -> int:
    """Sign in through the login page in English (CSRF token from the form) and follow the
    redirect; the status of the login POST (302 when it worked)."""
    page = browser.request("GET", "/auth/login?lang=en").text
    form = {"email": email, "password": password, "next": "", "csrf_token": read(page).values.get("csrf_token", "")}
    answer = browser.request("POST", "/auth/login", form)
    if answer.status == 302:
        browser.request("GET", answer.location)
    return answer.status


# --- the load generator ----------------------------------------------------------------------------


def percentile(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


@dataclass
class Load:
    """What hammering one page gave: per-request seconds, statuses, the failures, the wall time."""

    path: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # non-200 answers and broken connections
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def hammer(port: int, path: str, cookies: dict[str, str], connections: int, seconds: float) -> Load:
    """`connections` threads, each with its own connection and a copy of `cookies`
    (a signed-in session), GET `path` back to back for `seconds`; anything but a 200 is a failure."""
    load = Load(path)
    lock = threading.Lock()
    start = threading.Barrier(connections + 1)
    until = [0.0]

    def client() -> None:
        browser = Browser(port, cookies)
        latencies, statuses, failures = [], Counter(), []
        start.wait()
        while time.monotonic() < until[0]:
            answer = browser.request("GET", path)
            latencies.append(answer.seconds)
            statuses[answer.status] += 1
            if answer.status != 200:
                failures.append(f"GET {path}: {answer.status or answer.error} {answer.location}".rstrip())
        browser.close()
        with lock:
            load.latencies += latencies
            load.statuses.update(statuses)
            load.failures += failures

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    until[0] = time.monotonic() + seconds
    started = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - started
    return load
