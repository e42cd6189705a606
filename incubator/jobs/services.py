"""Starting export jobs (once per file: `start_once`), handing them to a worker once the request has
committed, and removing expired ones."""

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

import redis
from flask import current_app, has_request_context
from flask_babel import get_locale
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from incubator.audit.models import AuditEvent
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.jobs import files, labels, registry, runner  # noqa: F401 - labels registers the audit names
from incubator.jobs.models import ExportJob

# Audit events that change nothing an export or an import reads: they do not make its data new.
NOT_DATA = (
    "export.started",
    "exports.cleaned",
    "user.login",
    "user.password_changed",
    "user.password_reset",
    "user.password_reset_requested",
    "round.judges_reminded",
)


def _locale(locale: str | None) -> str:
    if locale is not None:
        return locale
    return str(get_locale()) if has_request_context() else current_app.config["BABEL_DEFAULT_LOCALE"]


def start_job(kind: str, params: dict[str, Any], actor: User, *, locale: str | None = None) -> ExportJob:
    """Create a queued job of `kind` for `actor` (flushed, not committed): the caller commits, then
    calls `dispatch(job)`. Expired exports are removed on the way. `params` must be JSON-able; the
    job runs in `locale` (default: the language of the current request)."""
    if registry.get(kind) is None:
        raise ValueError(f"unknown export job kind {kind!r}")
    clean_expired()
    return _new_job(kind, params, actor, _locale(locale))


def data_version() -> int:
    """The last recorded change of the data (every state change is audited): a job started at the
    same version read the same data."""
    return db.session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.action.not_in(NOT_DATA))) or 0


def dedupe_key(kind: str, params: dict[str, Any], locale: str, version: int | None) -> str:
    text = json.dumps([kind, params, locale, version], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def find_once(
    kind: str, params: dict[str, Any], *, locale: str | None = None, same_data: bool = True
) -> ExportJob | None:
    """The job `start_once` would find for these parameters, or None (it starts nothing)."""
    key = dedupe_key(kind, params, _locale(locale), data_version() if same_data else None)
    return db.session.scalar(select(ExportJob).where(ExportJob.dedupe_key == key))


def start_once(
    kind: str, params: dict[str, Any], actor: User, *, locale: str | None = None, same_data: bool = True
) -> tuple[ExportJob, bool]:
    """The job that makes this file: one already asked for (waiting, running, or finished and its
    file still there), else a new one as `start_job` makes it; (job, started). With `same_data`,
    only a job started since the last change of the data counts; without, any with these
    parameters (an import of one kept file). Two requests at once get one job: the database's
    unique key decides which one started it. The caller commits, then dispatches a started job."""
    if registry.get(kind) is None:
        raise ValueError(f"unknown export job kind {kind!r}")
    clean_expired()
    locale = _locale(locale)
    key = dedupe_key(kind, params, locale, data_version() if same_data else None)
    found = db.session.scalar(select(ExportJob).where(ExportJob.dedupe_key == key))
    if found is not None:
        if found.status != "finished" or files.exists(found.file_path):
            return found, False
        # Its file was removed by hand: the next request makes it again.
        db.session.execute(update(ExportJob).where(ExportJob.id == found.id).values(dedupe_key=None))
    try:
        with db.session.begin_nested():
            return _new_job(kind, params, actor, locale, key), True
    except IntegrityError:  # another request started it in the meantime
        found = db.session.scalar(select(ExportJob).where(ExportJob.dedupe_key == key))
        if found is None:
            raise
        return found, False


def _new_job(kind: str, params: dict[str, Any], actor: User, locale: str, key: str | None = None) -> ExportJob:
    now = utcnow()
    job = ExportJob(
        kind=kind,
        params=dict(params),
        locale=locale,
        status="queued",
        progress_done=0,
        progress_total=0,
        created_by_id=actor.id,
        created_at=now,
        # A job that never ends (a worker that died) goes away like a finished one.
        expires_at=now + timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"]),
        dedupe_key=key,
    )
    db.session.add(job)
    db.session.flush()
    record("export.started", actor=actor, job=job.id, kind=kind)
    return job


def dispatch(job: ExportJob | str) -> str:
    """Hand a committed job to a worker; returns where it went: "rq", "thread" or "sync".

    With REDIS_URL, on the RQ queue "incubator-exports"; when Redis does not answer (a warning is
    logged) or is not configured, on this process' bounded thread pool. EXPORT_JOBS_SYNC (tests)
    runs it here and now, in an app context of its own.
    """
    job_id = job if isinstance(job, str) else job.id
    app = current_app._get_current_object()
    if app.config.get("EXPORT_JOBS_SYNC"):
        with app.app_context():
            runner.run_job(job_id)
        return "sync"
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        try:
            runner.enqueue(redis_url, job_id)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            app.logger.warning("Redis does not answer (%s): export job %s runs in the web process", exc, job_id)
        else:
            return "rq"
    runner.submit(app, job_id)
    return "thread"


def clean_expired(now: datetime | None = None) -> int:
    """Remove the jobs whose time is up, with their files, and files no job points to; flush.
    Returns how many jobs were removed."""
    now = now or utcnow()
    expired = db.session.scalars(select(ExportJob).where(ExportJob.expires_at <= now)).all()
    for job in expired:
        if job.file_path:
            files.remove(job.file_path)
        db.session.delete(job)
    db.session.flush()
    known = set(db.session.scalars(select(ExportJob.file_path).where(ExportJob.file_path.is_not(None))))
    files.remove_orphans(known, current_app.config["EXPORT_KEEP_HOURS"])
    if expired:
        record("exports.cleaned", actor=None, count=len(expired))
    return len(expired)
