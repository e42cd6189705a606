"""Running one export job: in an RQ worker (`run_job` is the function RQ calls) or in a small
thread pool inside the web process when there is no Redis.

The job function runs inside an app and a request context, in the starter's language; its
progress is written through a connection of its own, so the job's session is never committed
half-way. The file is written atomically under UPLOAD_FOLDER/exports/.
"""

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timedelta

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale
from sqlalchemy import update

from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.messages import system_message
from incubator.extensions import db
from incubator.jobs import files, registry
from incubator.jobs.models import ExportJob

QUEUE_NAME = "incubator-exports"
JOB_TIMEOUT = 60 * 60  # seconds an RQ worker lets one export run
PROGRESS_INTERVAL = 1.0  # seconds between two progress writes (the first and the last always go)

_worker_app: Flask | None = None
_executor: ThreadPoolExecutor | None = None
_futures: set[Future] = set()
_lock = threading.Lock()


def run_job(job_id: str) -> str | None:
    """Run the job `job_id` if it is still queued; return its final status (None if it was not run).

    RQ calls this in a worker process, where there is no app: one is built with create_app().
    """
    if has_app_context():
        return _run(job_id)
    with _app().app_context():
        return _run(job_id)


def _app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from incubator import create_app

        _worker_app = create_app()
    return _worker_app


def _run(job_id: str) -> str | None:
    app = current_app._get_current_object()
    try:
        # Claim the job: whoever moves it from queued to running runs it, once.
        claimed = db.session.execute(
            update(ExportJob)
            .where(ExportJob.id == job_id, ExportJob.status == "queued")
            .values(status="running", started_at=utcnow())
        ).rowcount
        db.session.commit()
        if claimed != 1:
            app.logger.info("export job %s is not queued (gone or already taken); skipped", job_id)
            return None
        job = db.session.get(ExportJob, job_id)
        with app.test_request_context("/"), force_locale(job.locale):
            return _make_file(app, job)
    finally:
        db.session.remove()


def _make_file(app: Flask, job: ExportJob) -> str | None:
    job_id, kind = job.id, registry.get(job.kind)
    try:
        if kind is None:
            raise LookupError(f"no job kind {job.kind!r} is registered in this process")
        data, file_name, mimetype = kind.function(job, _progress_writer(job_id))
        stored = files.stored_name(job_id, file_name)
        files.write_atomically(stored, data)
    except Exception as exc:
        db.session.rollback()
        app.logger.exception("export job %s (%s) failed", job_id, job.kind)
        # A failed job is not the answer to the next request for the same file: that one tries again.
        if isinstance(exc, ServiceError):
            return _finish(job_id, "failed", error=str(exc.message)[:500], dedupe_key=None)
        return _finish(job_id, "failed", error_message=system_message("export_failed"), dedupe_key=None)
    db.session.rollback()  # the job only read: end its snapshot before writing the outcome
    return _finish(job_id, "finished", file_path=stored, file_name=file_name[:200], mimetype=mimetype[:100])


def _finish(job_id: str, status: str, **values) -> str | None:
    job = db.session.get(ExportJob, job_id)
    if job is None:  # removed while it ran (its time was up): its file must not outlive it
        if values.get("file_path"):
            files.remove(values["file_path"])
        return None
    now = utcnow()
    job.status = status
    job.finished_at = now
    job.expires_at = now + timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"])
    if status == "finished":
        job.progress_done = job.progress_total
    for name, value in values.items():
        setattr(job, name, value)
    db.session.commit()
    return status


def _progress_writer(job_id: str) -> registry.Progress:
    """progress(done, total): written at most once per PROGRESS_INTERVAL, plus the first and the last."""
    last = [float("-inf")]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if 0 < done < total and now - last[0] < PROGRESS_INTERVAL:
            return
        last[0] = now
        with db.engine.begin() as connection:
            connection.execute(
                update(ExportJob)
                .where(ExportJob.id == job_id)
                .values(progress_done=max(0, min(done, total)), progress_total=max(0, total))
            )

    return progress


# --- RQ ----------------------------------------------------------------------------------


def enqueue(redis_url: str, job_id: str) -> None:
    """Put the job on the RQ queue; raises redis' ConnectionError/TimeoutError when Redis is unreachable."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    Queue(QUEUE_NAME, connection=connection).enqueue(
        "incubator.jobs.runner.run_job", job_id, job_timeout=JOB_TIMEOUT, result_ttl=3600, failure_ttl=24 * 3600
    )


# --- the in-process pool (no Redis) --------------------------------------------------------


def submit(app: Flask, job_id: str) -> Future:
    """Run the job on the bounded thread pool of this process (EXPORT_JOB_WORKERS threads)."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=max(1, int(app.config["EXPORT_JOB_WORKERS"])), thread_name_prefix="export-job"
            )
        future = _executor.submit(_run_in_app, app, job_id)
        _futures.add(future)
    future.add_done_callback(_futures.discard)
    return future


def _run_in_app(app: Flask, job_id: str) -> str | None:
    with app.app_context():
        try:
            return _run(job_id)
        except Exception:
            app.logger.exception("export job %s could not be run", job_id)
            raise


def wait_for_local_jobs(timeout: float | None = None) -> bool:
    """Wait until the pool has run every job given to it; False if `timeout` passed first."""
    with _lock:
        pending = list(_futures)
    _done, not_done = wait(pending, timeout=timeout)
    return not not_done
