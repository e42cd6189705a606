"""The job pages: progress while a job runs (updated in place by a script), the download when it is ready,
410 once the file is removed, the list of one's exports, and the 202 answer of `job_response`."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from incubator.core.database import utcnow
from incubator.extensions import db as _db
from incubator.jobs import services
from incubator.jobs.models import ExportJob
from incubator.jobs.routes import job_response
from tests.test_jobs import hello_kind  # noqa: F401 - registers the test kinds


@pytest.fixture(autouse=True)
def _no_files(app):
    shutil.rmtree(Path(app.config["UPLOAD_FOLDER"]) / "exports", ignore_errors=True)
    app.config["EXPORT_JOBS_SYNC"] = True
    yield
    shutil.rmtree(Path(app.config["UPLOAD_FOLDER"]) / "exports", ignore_errors=True)


@pytest.fixture
def boss(client, login_as, create_user):
    user = create_user(email="boss@example.org", name="Bu Direktur", roles=["director"])
    login_as(client, user)
    return user


@pytest.fixture
def make_job(app):
    """make_job(owner, kind="test-hello", run=False, **columns) -> job id."""

    def factory(owner, kind="test-hello", run=False, **columns):
        with app.test_request_context("/?lang=en"):
            job = services.start_job(kind, {}, _db.session.merge(owner))
            _db.session.commit()
            if run:
                services.dispatch(job)
            if columns:
                _db.session.execute(update(ExportJob).where(ExportJob.id == job.id).values(**columns))
                _db.session.commit()
            return job.id

    return factory


def test_running_job_page_shows_progress_and_polls_for_more(client, boss, make_job):
    job_id = make_job(boss, status="running", progress_done=12, progress_total=300)

    response = client.get(f"/jobs/{job_id}?lang=en")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "Test export</h1>" in html
    assert f'<div id="job-live" aria-live="polite" data-job-poll="/jobs/{job_id}">' in html
    assert '<script src="/static/js/jobs.js" defer></script>' in html
    assert f'<progress id="progress-{job_id}" max="300" value="12">4%</progress>' in html
    assert "12 of 300" in html
    assert "You may leave this page and come back later" in html
    assert f'<a class="button" href="/jobs/{job_id}">Check again</a>' in html
    assert 'href="/jobs"' in html
    assert "/download" not in html


def test_queued_job_page_shows_it_has_not_started(client, boss, make_job):
    job_id = make_job(boss)

    html = client.get(f"/jobs/{job_id}?lang=en").get_data(as_text=True)

    assert "Waiting to start" in html
    assert f'<progress id="progress-{job_id}">' in html
    assert "data-job-poll" in html


def test_finished_job_page_links_to_the_download(client, boss, make_job):
    job_id = make_job(boss, run=True)

    html = client.get(f"/jobs/{job_id}?lang=en").get_data(as_text=True)

    assert "Ready" in html
    assert f'href="/jobs/{job_id}/download" download>Download hello.txt</a>' in html
    assert "data-job-poll" not in html and "jobs.js" not in html
    assert "<progress" not in html


def test_failed_job_page_shows_the_error(client, boss, make_job):
    job_id = make_job(boss, kind="test-boom", run=True)

    html = client.get(f"/jobs/{job_id}?lang=en").get_data(as_text=True)

    assert "Failed" in html
    assert "The export could not be made. Please try again; if it fails again, tell the administrator." in html
    assert "secret detail" not in html
    assert "data-job-poll" not in html and "jobs.js" not in html


def test_failed_job_page_says_the_error_in_the_readers_language(client, boss, make_job):
    """The job was started in English; its starter now reads in Indonesian."""
    job_id = make_job(boss, kind="test-boom", run=True)

    html = client.get(f"/jobs/{job_id}?lang=id").get_data(as_text=True)

    assert (
        '<p class="error" role="alert">Ekspor tidak dapat dibuat. Silakan coba lagi; jika gagal lagi, '
        "hubungi administrator.</p>"
    ) in html


def test_job_page_of_an_unknown_job_is_404(client, boss):
    assert client.get("/jobs/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    assert client.get("/jobs/" + "A" * 200).status_code == 404


def test_any_director_may_open_a_job_page(client, login_as, create_user, make_job):
    owner = create_user(email="boss@example.org", roles=["director"])
    job_id = make_job(owner, run=True)
    login_as(client, "director")

    assert client.get(f"/jobs/{job_id}").status_code == 200
    assert client.get(f"/jobs/{job_id}/download").status_code == 200


def test_download_is_a_private_attachment(client, boss, make_job):
    job_id = make_job(boss, run=True)

    response = client.get(f"/jobs/{job_id}/download")

    assert response.status_code == 200
    assert response.data == b"hello"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["Content-Disposition"] == "attachment; filename=hello.txt"
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("columns", [{}, {"status": "running"}, {"kind": "test-boom"}])
def test_download_of_an_unfinished_job_is_404(client, boss, make_job, columns):
    kind = columns.pop("kind", "test-hello")
    job_id = make_job(boss, kind=kind, run=kind == "test-boom", **columns)

    assert client.get(f"/jobs/{job_id}/download").status_code == 404


def test_download_after_expiry_is_410_with_a_way_back(client, boss, make_job):
    job_id = make_job(boss, run=True, expires_at=utcnow() - timedelta(minutes=1))

    response = client.get(f"/jobs/{job_id}/download?lang=en")

    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "<h1>File removed</h1>" in html
    assert "files are kept for a limited time and then removed" in html
    assert 'href="/jobs">Back to your exports</a>' in html
    page = client.get(f"/jobs/{job_id}?lang=en").get_data(as_text=True)
    assert "This file has been removed" in page
    assert "/download" not in page


def test_download_of_a_file_removed_by_hand_is_410(app, client, boss, make_job):
    job_id = make_job(boss, run=True)
    (Path(app.config["UPLOAD_FOLDER"]) / "exports" / f"{job_id}.txt").unlink()

    assert client.get(f"/jobs/{job_id}/download").status_code == 410


def test_job_response_answers_202_and_polls_the_jobs_own_url(app, boss, make_job):
    job_id = make_job(boss)

    with app.test_request_context("/cohorts/1/report.pdf?lang=en"):
        job = _db.session.get(ExportJob, job_id)
        html, status = job_response(job)

    assert status == 202
    assert f'data-job-poll="/jobs/{job_id}"' in html  # never the export URL, which would start another job
    assert "Waiting to start" in html


def test_job_list_shows_only_the_directors_own_jobs_newest_first(client, boss, create_user, make_job):
    other = create_user(email="other-boss@example.org", roles=["director"])
    first = make_job(boss, run=True, created_at=utcnow() - timedelta(hours=2))
    second = make_job(boss, status="running", progress_done=3, progress_total=8)
    theirs = make_job(other)

    html = client.get("/jobs?lang=en").get_data(as_text=True)

    assert html.index(f'href="/jobs/{second}"') < html.index(f'href="/jobs/{first}"')
    assert theirs not in html
    assert "3 of 8" in html
    assert f'<a href="/jobs/{first}/download" download>hello.txt</a>' in html


def test_job_list_when_empty(client, boss):
    html = client.get("/jobs?lang=en").get_data(as_text=True)

    assert "<h1>Your exports</h1>" in html
    assert "You have no exports yet." in html
