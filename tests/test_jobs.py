"""Background export jobs: starting, running (here, on the thread pool, on RQ with a real Redis and
a real worker), progress, failure, and removal after EXPORT_KEEP_HOURS."""

import logging
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, text, update

from incubator.audit.models import AuditEvent
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db as _db
from incubator.jobs import runner, services
from incubator.jobs.models import ExportJob, new_job_id
from incubator.jobs.registry import register

# The RQ tests empty and fill the export queue: each pytest-xdist process has a Redis database of
# its own (15, 14, ...), so processes never take each other's jobs.
REDIS_URL = f"redis://127.0.0.1:6379/{15 - int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:]) % 8}"
SEEN: list = []  # what the test kinds observed while they ran


def _stored_progress(job_id: str) -> tuple[int, int]:
    """The progress as another connection sees it (what the job page would show)."""
    with _db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT progress_done, progress_total FROM export_jobs WHERE id = :id"), {"id": job_id}
        ).one()
    return (row[0], row[1])


@register("test-hello", label=_l("Test export"))
def hello_kind(job, progress):
    progress(1, 2)
    SEEN.append(_stored_progress(job.id))
    progress(2, 2)
    SEEN.append(_stored_progress(job.id))
    return b"hello", "hello.txt", "text/plain"


@register("test-many")
def many_kind(job, progress):
    for done in range(1, 6):
        progress(done, 5)
        SEEN.append(_stored_progress(job.id))
    return b"many", "many.csv", "text/csv"


@register("test-echo")
def echo_kind(job, progress):
    """Shows what a job function can rely on: its params, its starter and its language."""
    line = f"{job.params['round_id']}|{job.created_by.email}|{get_locale()}|{_('Failed')}"
    return line.encode(), "echo.txt", "text/plain"


@register("test-boom")
def boom_kind(job, progress):
    progress(1, 3)
    raise RuntimeError("secret detail of the crash")


@register("test-refused")
def refused_kind(job, progress):
    raise ServiceError(_l("Page not found"))


@pytest.fixture(autouse=True)
def _fresh(app):
    SEEN.clear()
    shutil.rmtree(exports(app), ignore_errors=True)
    yield
    runner.wait_for_local_jobs(timeout=30)
    shutil.rmtree(exports(app), ignore_errors=True)


@pytest.fixture
def director(create_user):
    return create_user(email="boss@example.org", name="Bu Direktur", roles=["director"])


@pytest.fixture
def start(app, director):
    """start(kind, params=None, lang="en") -> the committed job's id (not dispatched)."""

    def do_start(kind, params=None, lang="en"):
        with app.test_request_context(f"/?lang={lang}"):
            job = services.start_job(kind, params or {}, _db.session.merge(director))
            _db.session.commit()
            return job.id

    return do_start


@pytest.fixture
def dispatch(app):
    def do_dispatch(job_id):
        with app.test_request_context("/"):
            return services.dispatch(job_id)

    return do_dispatch


@pytest.fixture
def sync(app):
    app.config["EXPORT_JOBS_SYNC"] = True


def exports(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "exports"


def test_start_job_creates_a_queued_job(app, db, start, director):
    job_id = start("test-hello", {"round_id": 7})

    job = db.scalar(select(ExportJob))
    assert job.id == job_id
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", job.id)
    assert (job.kind, job.params, job.locale, job.status) == ("test-hello", {"round_id": 7}, "en", "queued")
    assert (job.progress_done, job.progress_total, job.file_path, job.error) == (0, 0, None, None)
    assert job.created_by_id == director.id
    assert job.expires_at - job.created_at == timedelta(hours=24)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "export.started"))
    assert (event.actor_id, event.data) == (director.id, {"job": job_id, "kind": "test-hello"})


def test_start_job_ids_differ(start):
    assert len({start("test-hello") for _ in range(5)}) == 5


def test_start_job_of_an_unknown_kind_is_refused(app, director):
    with app.test_request_context("/"), pytest.raises(ValueError, match="unknown export job kind 'nope'"):
        services.start_job("nope", {}, _db.session.merge(director))


def test_job_status_outside_the_list_is_refused_by_the_database(app, start):
    job_id = start("test-hello")
    with app.app_context():
        with pytest.raises(Exception, match="(?i)check"):
            _db.session.execute(update(ExportJob).where(ExportJob.id == job_id).values(status="lost"))
            _db.session.flush()
        _db.session.rollback()
        with pytest.raises(Exception, match="(?i)check"):
            _db.session.execute(update(ExportJob).where(ExportJob.id == job_id).values(status="finished"))
            _db.session.flush()
        _db.session.rollback()


def test_sync_job_writes_its_file_and_reports_progress(app, db, start, dispatch, sync):
    job_id = start("test-hello")

    assert dispatch(job_id) == "sync"

    job = db.scalar(select(ExportJob))
    assert (job.status, job.progress_done, job.progress_total) == ("finished", 2, 2)
    assert (job.file_path, job.file_name, job.mimetype, job.error) == (f"{job_id}.txt", "hello.txt", "text/plain", None)
    assert job.created_at <= job.started_at <= job.finished_at
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    assert SEEN == [(1, 2), (2, 2)]
    assert (exports(app) / f"{job_id}.txt").read_bytes() == b"hello"
    assert [p.name for p in exports(app).iterdir() if p.name.startswith(".tmp")] == []


def test_progress_is_written_at_most_once_a_second_plus_the_last(app, db, start, dispatch, sync):
    job_id = start("test-many")

    dispatch(job_id)

    # The first step goes out at once, the next three fall inside the same second, the last always goes.
    assert SEEN == [(1, 5), (1, 5), (1, 5), (1, 5), (5, 5)]
    assert db.scalar(select(ExportJob)).status == "finished"


def test_job_runs_with_its_params_starter_and_language(app, start, dispatch, sync):
    english, indonesian = start("test-echo", {"round_id": 3}, lang="en"), start("test-echo", {"round_id": 4}, lang="id")

    dispatch(english)
    dispatch(indonesian)

    assert (exports(app) / f"{english}.txt").read_text() == "3|boss@example.org|en|Failed"
    assert (exports(app) / f"{indonesian}.txt").read_text() == "4|boss@example.org|id|Gagal"


def test_failed_job_keeps_a_generic_message_and_logs_the_error(app, db, start, dispatch, sync, caplog):
    job_id = start("test-boom")

    with caplog.at_level(logging.ERROR):
        dispatch(job_id)

    job = db.scalar(select(ExportJob))
    assert (job.status, job.file_path, job.progress_done, job.progress_total) == ("failed", None, 1, 3)
    assert (job.error, job.error_message) == (None, {"key": "export_failed", "values": {}})
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    assert f"export job {job_id} (test-boom) failed" in caplog.text
    assert "secret detail of the crash" in caplog.text
    assert not exports(app).exists()


def test_failed_job_keeps_a_service_errors_message_in_its_language(app, db, start, dispatch, sync):
    dispatch(start("test-refused", lang="en"))
    dispatch(start("test-refused", lang="id"))

    errors = {job.locale: job.error for job in db.scalars(select(ExportJob))}
    assert errors == {"en": "Page not found", "id": "Halaman tidak ditemukan"}


def test_job_of_a_kind_this_process_does_not_know_fails(app, db, start, dispatch, sync, caplog):
    job_id = start("test-hello")
    with db.session() as session:
        session.execute(update(ExportJob).values(kind="retired-kind"))

    with caplog.at_level(logging.ERROR):
        dispatch(job_id)

    job = db.scalar(select(ExportJob))
    assert job.status == "failed"
    assert "no job kind 'retired-kind' is registered" in caplog.text


def test_a_job_runs_once_even_if_dispatched_twice(app, db, start, dispatch, sync):
    job_id = start("test-hello")

    dispatch(job_id)
    with app.app_context():
        assert runner.run_job(job_id) is None
        assert runner.run_job("no-such-job") is None

    assert SEEN == [(1, 2), (2, 2)]


def test_without_redis_the_thread_pool_runs_the_job(app, db, start, dispatch):
    app.config["REDIS_URL"] = None
    job_id = start("test-hello")

    assert dispatch(job_id) == "thread"
    assert runner.wait_for_local_jobs(timeout=30) is True

    job = db.scalar(select(ExportJob))
    assert (job.status, job.progress_done) == ("finished", 2)
    assert (exports(app) / job.file_path).read_bytes() == b"hello"


def test_the_thread_pool_runs_many_jobs_with_a_bounded_number_of_threads(app, db, start, dispatch):
    app.config["REDIS_URL"] = None
    ids = [start("test-hello") for _ in range(4)]

    assert [dispatch(job_id) for job_id in ids] == ["thread"] * 4
    assert runner.wait_for_local_jobs(timeout=60) is True

    assert sorted(job.status for job in db.scalars(select(ExportJob))) == ["finished"] * 4
    assert runner._executor._max_workers == 1  # EXPORT_JOB_WORKERS


def test_unreachable_redis_falls_back_to_the_thread_pool(app, db, start, dispatch, caplog):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    job_id = start("test-hello")

    with caplog.at_level(logging.WARNING):
        assert dispatch(job_id) == "thread"
    assert runner.wait_for_local_jobs(timeout=30) is True

    assert db.scalar(select(ExportJob)).status == "finished"
    assert f"export job {job_id} runs in the web process" in caplog.text


# --- RQ with a real Redis ----------------------------------------------------------------


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but Redis does not answer on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    return REDIS_URL


@pytest.fixture
def export_queue(redis_url):
    from rq import Queue

    queue = Queue(runner.QUEUE_NAME, connection=redis.Redis.from_url(redis_url))
    queue.empty()
    yield queue
    queue.empty()


def test_with_redis_the_job_waits_on_the_queue_for_a_worker(app, db, start, dispatch, export_queue, redis_url):
    from rq import SimpleWorker

    app.config["REDIS_URL"] = redis_url
    job_id = start("test-hello")

    assert dispatch(job_id) == "rq"
    assert db.scalar(select(ExportJob)).status == "queued"
    queued = export_queue.jobs
    assert [(j.func_name, j.args) for j in queued] == [("incubator.jobs.runner.run_job", (job_id,))]

    with app.app_context():
        SimpleWorker([export_queue], connection=export_queue.connection).work(burst=True)

    job = db.scalar(select(ExportJob))
    assert (job.status, job.progress_done, job.progress_total) == ("finished", 2, 2)
    assert (exports(app) / job.file_path).read_bytes() == b"hello"
    assert export_queue.count == 0


def test_an_rq_worker_process_builds_its_own_app(app, db, start, dispatch, export_queue, redis_url, database_url):
    """A separate process with no app (as `rq worker` is) runs the job from the same database and folder."""
    app.config["REDIS_URL"] = redis_url
    job_id = start("test-hello")
    dispatch(job_id)
    script = (
        "import tests.test_jobs\n"  # registers the test kinds, as create_app() registers the real ones
        "from redis import Redis\n"
        "from rq import Queue, Worker\n"
        f"connection = Redis.from_url({redis_url!r})\n"
        f"Worker([Queue({runner.QUEUE_NAME!r}, connection=connection)], connection=connection).work(burst=True)\n"
    )
    env = dict(
        os.environ,
        FLASK_CONFIG="testing",
        TEST_DATABASE_URL=database_url,
        UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
        INCUBATOR_TEST_DB="",
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=Path(__file__).parent.parent, timeout=120)

    assert done.returncode == 0
    job = db.scalar(select(ExportJob))
    assert (job.status, job.file_name) == ("finished", "hello.txt")
    assert (exports(app) / job.file_path).read_bytes() == b"hello"


def test_jobs_worker_command_runs_the_queue(app, db, start, dispatch, export_queue, redis_url):
    app.config["REDIS_URL"] = redis_url
    ids = [start("test-hello"), start("test-boom")]
    for job_id in ids:
        dispatch(job_id)

    result = app.test_cli_runner().invoke(args=["jobs-worker", "--burst"])

    assert result.exit_code == 0, result.output
    assert {job.id: job.status for job in db.scalars(select(ExportJob))} == {ids[0]: "finished", ids[1]: "failed"}


def test_jobs_worker_command_without_redis_explains(app):
    app.config["REDIS_URL"] = None

    result = app.test_cli_runner().invoke(args=["jobs-worker", "--burst"])

    assert result.exit_code == 1
    assert "REDIS_URL is not set" in result.output


# --- retention -------------------------------------------------------------------------------


def _age(app, job_id, hours):
    with app.app_context():
        _db.session.execute(
            update(ExportJob).where(ExportJob.id == job_id).values(expires_at=utcnow() - timedelta(hours=hours))
        )
        _db.session.commit()


def _orphan(app, name, hours_old):
    path = exports(app) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    when = path.stat().st_mtime - hours_old * 3600
    os.utime(path, (when, when))
    return path


def test_clean_exports_removes_expired_jobs_and_their_files(app, db, start, dispatch, sync):
    old, fresh = start("test-hello"), start("test-hello")
    dispatch(old)
    dispatch(fresh)
    _age(app, old, 1)
    stale = _orphan(app, "left-over.pdf", hours_old=25)
    recent = _orphan(app, ".tmp-being-written.part", hours_old=0)

    result = app.test_cli_runner().invoke(args=["clean-exports"])

    assert result.output == "1 expired export job(s) removed.\n"
    assert [job.id for job in db.scalars(select(ExportJob))] == [fresh]
    assert sorted(p.name for p in exports(app).iterdir()) == sorted([".tmp-being-written.part", f"{fresh}.txt"])
    assert not stale.exists() and recent.exists()
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "exports.cleaned"))
    assert event.data == {"count": 1}


def test_starting_a_job_removes_expired_ones(app, db, start, dispatch, sync):
    old = start("test-hello")
    dispatch(old)
    _age(app, old, 1)

    new = start("test-hello")

    assert [job.id for job in db.scalars(select(ExportJob))] == [new]
    assert not (exports(app) / f"{old}.txt").exists()


def test_a_job_removed_while_running_leaves_no_file(app, db, start):
    job_id = start("test-hello")
    with app.app_context():
        # The clean-up takes the row away between the claim and the end of the job.
        _db.session.execute(update(ExportJob).where(ExportJob.id == job_id).values(status="running"))
        _db.session.commit()
        assert runner._finish(job_id, "finished", file_path="x.txt") == "finished"
        _db.session.execute(text("DELETE FROM export_jobs"))
        _db.session.commit()
        _orphan(app, "y.txt", 0)
        assert runner._finish(job_id, "finished", file_path="y.txt") is None
    assert not (exports(app) / "y.txt").exists()


def test_new_job_ids_are_random_url_safe_strings():
    ids = {new_job_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", job_id) for job_id in ids)
