"""Shared fixtures: the app on a real database built by the migrations, clients,
signed-in users, factories, and helpers for forms and the outbox.

The database is SQLite (a temporary file) unless INCUBATOR_TEST_DB names another
URL; `make test` runs the suite once on each (see the Makefile).
"""

import os
import re
import tempfile
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from config import TestConfig
from incubator import create_app
from incubator.extensions import db as _db
from incubator.extensions import limiter

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DEFAULT_PASSWORD = "Kopi-Tubruk-2026"


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("INCUBATOR_TEST_DB") or os.environ.get("TEST_DATABASE_URL") or "sqlite"
    if url == "sqlite":
        return f"sqlite:///{tmp_root / 'test.sqlite3'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a database of its own on the same PostgreSQL server
    (`<name>_gw0`, `<name>_gw1`, ...), made on first use: workers never share tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        pytest.exit(f"The test database {url} does not answer: {exc}", returncode=3)
    except ProgrammingError as exc:  # another run made it at the same moment
        if "already exists" not in str(exc):
            raise
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except OperationalError as exc:
        pytest.exit(f"The test database {url} does not answer: {exc}", returncode=3)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def tmp_root():
    with tempfile.TemporaryDirectory(prefix="incubator-tests-") as path:
        yield Path(path)


@pytest.fixture(scope="session")
def database_url(tmp_root):
    url = _worker_database(_database_url(tmp_root))
    if url.startswith("postgresql"):
        _reset_postgres(url)
    return url


@pytest.fixture(scope="session")
def _app(database_url, tmp_root):
    class SuiteConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        UPLOAD_FOLDER = str(tmp_root / "uploads")
        BASE_URL = "http://localhost"

    app = create_app(SuiteConfig)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()  # migrations are the only way the schema is made, here too
    # The limiter is one module-level object: a test that builds another app (a
    # second "worker") re-binds it, so its state is put back before each test.
    app.extensions["test_limiter_state"] = dict(limiter.__dict__)
    return app


def _empty_all_tables(app) -> None:
    with app.app_context():
        tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
        if _db.engine.dialect.name == "postgresql":
            # DELETE, not TRUNCATE: a test leaves a few rows in a few tables, and TRUNCATE makes new
            # files for every table it names (hundreds of milliseconds a test). Only the tables
            # that have rows are emptied, found in one query; every id sequence that moved
            # restarts at 1, so ids are the same on both databases.
            found = " UNION ALL ".join(
                f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})"  # noqa: S608 - table names
                for name in tables
            )
            used = set(_db.session.scalars(text(found)))
            for name in tables:
                if name in used:
                    _db.session.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - a table name
            moved = _db.session.scalars(
                text("SELECT schemaname || '.' || sequencename FROM pg_sequences WHERE last_value IS NOT NULL")
            ).all()
            for sequence in moved:
                _db.session.execute(text("SELECT setval(:sequence, 1, false)"), {"sequence": sequence})
        else:
            for name in tables:
                _db.session.execute(text(f"DELETE FROM {name}"))
            if _db.session.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                _db.session.execute(text("DELETE FROM sqlite_sequence"))
        _db.session.commit()
        _db.session.remove()


@pytest.fixture
def app(_app):
    """The app, with its config restored, its rate limits reset and its tables emptied after each test."""
    saved = dict(_app.config)
    limiter.__dict__.update(_app.extensions["test_limiter_state"])
    limiter.reset()
    yield _app
    _app.config.clear()
    _app.config.update(saved)
    limiter.__dict__.update(_app.extensions["test_limiter_state"])
    limiter.reset()
    _empty_all_tables(_app)


class Database:
    """Reads and writes for tests, each in its own short app context.

    No app context stays pushed during a test: Flask would reuse it for the test
    client's requests, sharing `g` (and the signed-in user) between them.
    """

    def __init__(self, app):
        self.app = app

    @contextmanager
    def session(self):
        with self.app.app_context():
            try:
                yield _db.session
                _db.session.commit()
            finally:
                _db.session.remove()

    def scalar(self, statement):
        with self.session() as session:
            value = session.scalar(statement)
            if hasattr(value, "_sa_instance_state"):
                session.expunge(value)
            return value

    def scalars(self, statement) -> list:
        with self.session() as session:
            values = session.scalars(statement).all()
            for value in values:
                if hasattr(value, "_sa_instance_state"):
                    session.expunge(value)
            return values


@pytest.fixture
def db(app):
    return Database(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(app):
    """More browsers at once (e.g. the same user on two devices)."""
    return app.test_client


# --- factories -----------------------------------------------------------


@pytest.fixture
def create_user(app):
    """create_user(email=..., roles=[...], password=..., confirmed=True, active=True) -> User (detached)."""
    counter = {"n": 0}

    def factory(
        email=None, name=None, roles=("applicant",), password=DEFAULT_PASSWORD, confirmed=True, active=True, locale="id"
    ):
        from incubator.auth import services

        counter["n"] += 1
        email = email or f"user{counter['n']}@example.org"
        with app.app_context():
            user = services.create_user(
                email,
                name or f"User {counter['n']}",
                password=password,
                roles=roles,
                confirmed=confirmed,
                locale=locale,
            )
            user.active = active
            _db.session.commit()
            _db.session.refresh(user)
            user.roles  # noqa: B018 - load the roles before detaching
            _db.session.expunge(user)
            return user

    return factory


@pytest.fixture
def create_cohort(app, create_user):
    """create_cohort(name=..., areas=[(code, name_id, name_en), ...], opens_at=..., closes_at=...,
    published=True, required_attendance=0, space="Hetero Space Solo") -> SimpleNamespace with
    id, area_ids, space_id and director (a director account that owns the set-up).

    By default the cohort is open now (opened a day ago, closes in ten days)."""
    from types import SimpleNamespace

    def factory(
        name="Hetero for Startup Solo 2026",
        *,
        areas=(("crafts", "Kriya", "Crafts"),),
        opens_at=None,
        closes_at=None,
        published=True,
        required_attendance=0,
        space="Hetero Space Solo",
        director=None,
    ):
        from incubator.cohorts import services
        from incubator.core.database import utcnow

        director = director or create_user(email=f"setup{uuid.uuid4().hex[:8]}@hetero.example", roles=["director"])
        with app.test_request_context():
            actor = _db.session.merge(director)
            focus = [services.save_focus_area(None, code, name_id, name_en, actor) for code, name_id, name_en in areas]
            site = services.save_space(
                None, name=space, city="Surakarta", description="", focus_areas=focus, actor=actor
            )
            now = utcnow()
            cohort = services.save_cohort(
                None,
                name=name,
                space=site,
                description="",
                opens_at=opens_at or now - timedelta(days=1),
                closes_at=closes_at or now + timedelta(days=10),
                required_attendance=required_attendance,
                focus_areas=focus,
                published=published,
                actor=actor,
            )
            _db.session.commit()
            return SimpleNamespace(id=cohort.id, area_ids=[a.id for a in focus], space_id=site.id, director=director)

    return factory


@pytest.fixture
def login_as(app, create_user):
    """login_as(client, role_or_user) signs the client in (a real server-side session) and returns the user."""

    def do_login(client, who="applicant"):
        from incubator.auth import services
        from incubator.auth.access import SESSION_KEY

        user = create_user(roles=[who]) if isinstance(who, str) else who
        with app.app_context():
            key = services.start_session(_db.session.merge(user))
            _db.session.commit()
        with client.session_transaction() as sess:
            sess.clear()
            sess[SESSION_KEY] = key
            sess["_user_id"] = str(user.id)
            sess["_fresh"] = True
        return user

    return do_login


# --- helpers ---------------------------------------------------------------


@contextmanager
def recorded_statements(app):
    """The SQL statements sent while the block runs (a list that fills as they go)."""
    from sqlalchemy import event

    statements = []
    with app.app_context():
        engine = _db.engine

    def listen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def count_queries(app, client, url) -> int:
    """How many SQL statements a GET of `url` sends (after a warm-up request; it must answer 200).
    List pages must send as many with 1 row as with 50."""
    client.get(url)  # the first request of a client may load extra rows (session, locale)
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


class LazyLoadError(AssertionError):
    """An ORM lazy load happened where every relationship a page uses must be loaded up front."""


@pytest.fixture
def no_lazy_loads():
    """`with no_lazy_loads(): ...`: any ORM lazy load inside the block raises LazyLoadError.

    A lazy load is the statement SQLAlchemy sends when code touches a relationship that was not
    loaded (`orm_execute_state.lazy_loaded_from` names the parent); selectinload, joinedload and
    plain queries are not. The error page catches exceptions, so the block also fails on exit
    when a lazy load happened inside it, with every one listed."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    @contextmanager
    def refusing():
        seen = []

        def check(orm_execute_state):
            parent = orm_execute_state.lazy_loaded_from
            if parent is not None:
                target = orm_execute_state.bind_mapper.class_.__name__
                seen.append(
                    f"{parent.class_.__name__} -> {target}: {' '.join(str(orm_execute_state.statement).split())}"
                )
                raise LazyLoadError(f"lazy load from {seen[-1]}")

        event.listen(Session, "do_orm_execute", check)
        try:
            yield seen
        finally:
            event.remove(Session, "do_orm_execute", check)
        if seen:
            raise LazyLoadError("lazy loads:\n" + "\n".join(seen))

    return refusing


def csrf_token(client, url="/auth/login") -> str:
    response = client.get(url)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {response.status_code})"
    return match.group(1)


def post_form(client, url, data=None, page=None, **kwargs):
    """POST a form the way a browser does: with the CSRF token of the page that shows it."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, page or url)
    return client.post(url, data=data, **kwargs)


@pytest.fixture
def outbox(app):
    """outbox() -> every message kept in the outbox, oldest first."""

    def read():
        from incubator.mail.models import OutboxMessage

        with app.app_context():
            messages = _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
            for m in messages:
                _db.session.expunge(m)
            return messages

    return read


def pdf_structure_problems(data: bytes) -> list[str]:
    """What qpdf's structural check (`qpdf --check`, run by pikepdf's bundled library) finds wrong
    in a PDF: [] for a well-formed one."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf.check_pdf_syntax()


def link_in(body: str) -> str:
    match = re.search(r"https?://\S+", body)
    assert match, f"no link in {body!r}"
    return match.group(0)


def path_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path


def open_round_with_criterion(cohort, actor, criterion: str = "Team", **settings):
    """(round, criterion): a round saved through the services with one criterion (weight 1, scale
    1-5) and opened for scoring; `settings` override judging.rounds.services.save_round's defaults here."""
    from decimal import Decimal

    from incubator.judging.rounds import services as judging
    from incubator.judging.rounds.rubric import Scale

    defaults = {
        "name": "Demo day",
        "decides_stage": "pre_incubation",
        "scoring_opens_at": None,
        "scoring_closes_at": None,
        "judges_per_application": 1,
        "ranking_basis": "raw",
        "judges_see_scores_after_close": False,
        "disagreement_threshold": Decimal(15),
    }
    round_ = judging.save_round(None, cohort, **(defaults | settings), actor=actor)
    made = judging.save_criterion(
        round_.rubric,
        None,
        name=criterion,
        description="",
        weight=Decimal(1),
        scale=Scale(Decimal(1), Decimal(5), Decimal(1)),
        descriptors={},
        actor=actor,
    )
    judging.set_phase(round_, "open", actor)
    return round_, made


def pytest_terminal_summary(terminalreporter):
    """The fuzz suite's example count (tests/test_fuzz.py records it per test; workers' reports
    carry it back under pytest-xdist), so CI output shows how much was tried."""
    counts = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "fuzz_examples":
                    counts[report.nodeid] = max(value, counts.get(report.nodeid, 0))
    if counts:
        from tests.fuzz_inputs import PROFILE

        terminalreporter.write_line(
            f"fuzz: {sum(counts.values())} examples over {len(counts)} routes and methods "
            f"(Hypothesis profile {PROFILE!r})"
        )
