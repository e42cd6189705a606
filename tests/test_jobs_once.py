"""One job per file: the same export asked for again with the same data finds the job already
asked for (waiting, running or finished); new data, another language, a failure or a removed file
start a new one. Real database, jobs run in the request's thread."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from incubator.audit.services import record
from incubator.extensions import db as _db
from incubator.jobs import files, services
from incubator.jobs.models import ExportJob
from tests.test_jobs import boom_kind, hello_kind  # noqa: F401 - registers the test kinds


@pytest.fixture(autouse=True)
def _no_files(app):
    shutil.rmtree(Path(app.config["UPLOAD_FOLDER"]) / "exports", ignore_errors=True)
    app.config["EXPORT_JOBS_SYNC"] = True
    yield
    shutil.rmtree(Path(app.config["UPLOAD_FOLDER"]) / "exports", ignore_errors=True)


@pytest.fixture
def once(app, create_user):
    """once(kind, params, lang="en", same_data=True, run=True) -> (job id, started)."""
    director = create_user(email="boss@example.org", name="Bu Direktur", roles=["director"])

    def ask(kind="test-hello", params=None, lang="en", same_data=True, run=True):
        with app.test_request_context(f"/?lang={lang}"):
            job, started = services.start_once(
                kind, params or {"round_id": 1}, _db.session.merge(director), same_data=same_data
            )
            _db.session.commit()
            if started and run:
                services.dispatch(job)
            return job.id, started

    return ask


def _job(db, job_id) -> ExportJob:
    return db.scalar(select(ExportJob).where(ExportJob.id == job_id))


def _jobs(db) -> int:
    return db.scalar(select(func.count(ExportJob.id)))


def test_the_same_export_asked_again_is_the_same_job_while_waiting_and_once_finished(db, once):
    first, started = once(run=False)
    assert started is True
    assert once() == (first, False)  # still waiting: not started twice
    job = _job(db, first)
    assert job.status == "queued" and len(job.dedupe_key) == 64

    second, started = once(params={"round_id": 2})  # other parameters: another file
    assert started is True and second != first
    assert _job(db, second).status == "finished"
    assert once(params={"round_id": 2}) == (second, False)
    assert _jobs(db) == 2


def test_new_data_another_language_or_a_removed_file_start_a_new_job(app, db, once):
    first, _started = once()
    assert once(lang="id")[1] is True  # the file is made in the asker's language

    with app.test_request_context("/"):
        record("round.created", actor=None, name="Demo day")  # the data changed
        record("user.login", actor=None)  # this does not change what an export reads
        _db.session.commit()
    changed, started = once()
    assert started is True and changed != first
    assert once() == (changed, False)

    file_path = _job(db, changed).file_path
    with app.app_context():
        files.remove(file_path)
    again, started = once()
    assert started is True and again not in (first, changed)
    assert _job(db, changed).dedupe_key is None  # kept for its page, found no more
    assert _jobs(db) == 4


def test_a_failed_job_is_not_the_answer_to_the_next_request(db, once):
    failed, _started = once(kind="test-boom")
    job = _job(db, failed)
    assert (job.status, job.dedupe_key) == ("failed", None)
    retried, started = once(kind="test-boom")
    assert started is True and retried != failed


def test_without_same_data_only_the_parameters_count(app, db, once):
    first, _started = once(same_data=False, run=False)
    with app.test_request_context("/"):
        record("round.created", actor=None, name="Demo day")
        _db.session.commit()
    assert once(same_data=False) == (first, False)


def test_two_requests_at_once_get_one_job(app, db, once):
    """The second request's lookup missed the first one's job (both ran at once): the unique key
    refuses its insert and it answers with the first job."""
    first, _started = once(run=False)
    key = _job(db, first).dedupe_key
    original = _db.session.scalar

    def missing_once(statement, *args, **kwargs):
        found = original(statement, *args, **kwargs)
        if isinstance(found, ExportJob) and found.dedupe_key == key and not state["missed"]:
            state["missed"] = True
            return None
        return found

    state = {"missed": False}
    _db.session.scalar = missing_once
    try:
        assert once() == (first, False)
    finally:
        del _db.session.scalar
    assert state["missed"] is True and _jobs(db) == 1
