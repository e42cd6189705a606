"""Access cases for background exports: directors only (any director may open a job; the list
shows one's own). The world holds a finished job {export_job_id} with its file and a queued one
{queued_job_id}, both started by the world's director; a queued job has nothing to download (404)."""

from tests.access_cases import director_only

PUBLIC = set()


def build_world(ids):
    from datetime import timedelta

    from incubator.auth.models import User
    from incubator.core.database import utcnow
    from incubator.extensions import db
    from incubator.jobs import files
    from incubator.jobs.models import ExportJob, new_job_id

    director = db.session.query(User).filter_by(email="boss@example.org").one()
    now = utcnow()
    keep = timedelta(hours=24)
    finished_id = new_job_id()
    finished = ExportJob(
        id=finished_id,
        file_path=files.stored_name(finished_id, "scorecards.pdf"),
        kind="scorecards",
        params={},
        locale="id",
        status="finished",
        progress_done=3,
        progress_total=3,
        file_name="scorecards.pdf",
        mimetype="application/pdf",
        created_by_id=director.id,
        created_at=now,
        started_at=now,
        finished_at=now,
        expires_at=now + keep,
    )
    queued = ExportJob(kind="scorecards", params={}, created_by_id=director.id, created_at=now, expires_at=now + keep)
    db.session.add_all([finished, queued])
    db.session.flush()
    files.write_atomically(finished.file_path, b"%PDF-1.7 test")
    return {"export_job_id": finished.id, "queued_job_id": queued.id}


CASES = [
    ("GET", "/jobs", director_only()),
    ("GET", "/jobs/{export_job_id}", director_only()),
    ("GET", "/jobs/{queued_job_id}", director_only()),
    ("GET", "/jobs/NoSuchJob0000000000000", director_only(404)),
    ("GET", "/jobs/{export_job_id}/download", director_only()),
    ("GET", "/jobs/{queued_job_id}/download", director_only(404)),
    ("GET", "/jobs/NoSuchJob0000000000000/download", director_only(404)),
]
