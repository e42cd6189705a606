"""Pages of background exports (directors): the list of one's recent jobs, a job's page with its
progress, and the download; `job_response(job)` for export URLs that hand their work to a job.
CLI: `flask clean-exports`, `flask jobs-worker`."""

import click
from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from incubator.auth.access import roles_required
from incubator.auth.models import Role
from incubator.core.database import utcnow
from incubator.core.downloads import download
from incubator.extensions import db
from incubator.jobs import files, queries, registry, services
from incubator.jobs.labels import job_status_label
from incubator.jobs.models import ExportJob

bp = Blueprint("jobs", __name__, cli_group=None)
director_only = roles_required(Role.DIRECTOR)


@bp.app_template_global()
def job_kind_label(kind: str) -> str:
    return registry.kind_label(kind)


bp.add_app_template_global(job_status_label)


@bp.app_template_global()
def job_progress_text(job: ExportJob) -> str:
    """'12 of 300', or what the kind counts: '1,200 of 5,000 rows checked'."""
    kind = registry.get(job.kind)
    label = kind.progress_label if kind and kind.progress_label else _l("%(done)s of %(total)s")
    return str(label) % {"done": format_decimal(job.progress_done), "total": format_decimal(job.progress_total)}


def _job(job_id: str) -> ExportJob:
    job = db.session.get(ExportJob, job_id) if len(job_id) <= 32 else None
    if job is None:
        abort(404)
    return job


def job_response(job: ExportJob, status: int = 202):
    """The job's page, answered with 202 Accepted. The page polls (and "Check again" points at) the
    job's own URL, never the export URL."""
    kind = registry.get(job.kind)
    shows_result = bool(kind and kind.result)
    result = None
    if shows_result and job.status == "finished" and not job.is_expired():
        result = kind.result(job)
    return render_template("jobs/job.html", job=job, now=utcnow(), shows_result=shows_result, result=result), status


def to_job(job: ExportJob):
    """303 See Other to the job's page: an export URL that hands its work to a job answers with it,
    so that reloading the page reloads the job's page, not the export (which would ask again)."""
    return redirect(url_for("jobs.job", job_id=job.id), 303)


def start_and_show(kind: str, params: dict, *, same_data: bool = True):
    """Find or start the job that makes this file (jobs.services.start_once), commit, hand a new one
    to a worker, and redirect to its page (a form's POST: reloading shows the job, never posts again)."""
    return to_job(_started(kind, params, same_data))


def start_and_answer(kind: str, params: dict):
    """The same for an export URL (a GET): 202 Accepted with the job's page, as CONTRACT.md says,
    and its address in Location. Asking again with the same data answers the same job."""
    job = _started(kind, params, same_data=True)
    page, status = job_response(job)
    return page, status, {"Location": url_for("jobs.job", job_id=job.id)}


def _started(kind: str, params: dict, same_data: bool) -> ExportJob:
    job, started = services.start_once(kind, params, current_user, same_data=same_data)
    db.session.commit()
    if started:
        services.dispatch(job)
    return job


@bp.route("/jobs")
@director_only
def job_list():
    """The signed-in director's recent exports, newest first, with their status."""
    return render_template("jobs/list.html", jobs=queries.recent_jobs(current_user.id), now=utcnow())


@bp.route("/jobs/<job_id>")
@director_only
def job(job_id: str):
    """A job's page: its status and progress (updated in place by jobs.js while it runs; with
    JavaScript off, the page reloads itself), then the download link or the kind's result."""
    return job_response(_job(job_id), status=200)


@bp.route("/jobs/<job_id>/download")
@director_only
def job_download(job_id: str):
    """The finished file as an attachment (no shared cache keeps it); 404 until finished, 410 once removed."""
    job_ = _job(job_id)
    if job_.status != "finished":
        abort(404)
    data = None if job_.is_expired() else files.read(job_.file_path)
    if data is None:
        return render_template("jobs/gone.html", job=job_), 410
    return download(data, job_.mimetype, job_.file_name)


@bp.cli.command("clean-exports")
def clean_exports_command() -> None:
    """Remove exports older than EXPORT_KEEP_HOURS, with their files."""
    removed = services.clean_expired()
    db.session.commit()
    click.echo(f"{removed} expired export job(s) removed.")


@bp.cli.command("jobs-worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def jobs_worker_command(burst: bool) -> None:
    """Run an RQ worker for the export queue (needs REDIS_URL); each job runs in a forked process."""
    from redis import Redis
    from rq import Queue, Worker

    from incubator.jobs.runner import QUEUE_NAME

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: exports run inside the web process; no worker is needed.")
    # Each job runs in a fork of this process: it must not share this process' database connections.
    db.session.remove()
    db.engine.dispose()
    connection = Redis.from_url(url)
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=burst)
