"""The CSV check and import as background jobs: their pages while they run (progress counted in
rows, reloading without JavaScript), the same check asked twice, ambiguous dates explained on the
check page, and applications imported after a round closed left out of it."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from incubator.applications import import_jobs, importer
from incubator.applications.late_entries import LateEntry
from incubator.applications.models import Application
from incubator.jobs.models import ExportJob
from incubator.judging.models import Round, StoredResult
from tests import test_import_pages as pages
from tests.conftest import post_form
from tests.test_import_pages import FIXTURE, check, confirm, guessed, import_file, mapping_url, outcome

cohort_id = pages.cohort_id  # the fixtures of the import pages' tests
director = pages.director


@pytest.fixture(autouse=True)
def _jobs_wait(app):
    """Jobs are queued and not run, unless a test runs them (EXPORT_JOBS_SYNC)."""
    app.config["EXPORT_JOBS_SYNC"] = False
    app.config["REDIS_URL"] = None


def _queue_only(monkeypatch):
    from incubator.jobs import services

    monkeypatch.setattr(services, "dispatch", lambda job: "held")


def test_a_running_check_shows_rows_checked_and_reloads_without_javascript(
    client, director, cohort_id, db, monkeypatch
):
    _queue_only(monkeypatch)
    data = FIXTURE.read_bytes()
    url = mapping_url(client, cohort_id, data)
    response = post_form(client, url + "?lang=en", guessed(data))
    assert response.status_code == 303
    job_url = response.headers["Location"]
    job = db.scalar(select(ExportJob))
    assert (job.kind, job.status, job.params["token"], job.params["cohort_id"]) == (
        "import_check",
        "queued",
        url.rsplit("/", 1)[1],
        cohort_id,
    )
    assert job.params["mapping"] == importer.guess_mapping(importer.read_csv(data).headers)
    db_job = (
        update(ExportJob)
        .where(ExportJob.id == job.id)
        .values(status="running", progress_done=1250, progress_total=5000)
    )
    with client.application.app_context():
        from incubator.extensions import db as _db

        _db.session.execute(db_job)
        _db.session.commit()

    page = client.get(job_url + "?lang=en").get_data(as_text=True)
    assert '<h1 id="job-h">Check of an import</h1>' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert '<span class="job-count">1,250 of 5,000 rows checked</span>' in page
    assert 'value="1250"' in page and 'max="5000"' in page
    assert "nothing holds your browser" in page

    # The same check asked again while it runs (a second click, a reload): the same job.
    again = post_form(client, url + "?lang=en", guessed(data))
    assert again.headers["Location"] == job_url
    assert db.scalar(select(func.count(ExportJob.id))) == 1


def test_the_check_page_explains_an_ambiguous_date_in_both_languages(app, client, director, cohort_id, db):
    app.config["EXPORT_JOBS_SYNC"] = True
    data = b"Stempel waktu,Alamat email,Nama pendiri,Nama startup\n1/5/2022 10:00:00,rina@lurik.id,Rina,Batik Lurik\n"
    url = mapping_url(client, cohort_id, data)
    page = check(client, url, guessed(data))
    assert '<tr class="warning" data-row="2">' in page
    assert (
        "This date can be read two ways. It is read day first, as 1 May 2022, because the file&#39;s column "
        "names are in Indonesian. If that is wrong, correct the spreadsheet." in page
    )
    job_url = post_form(client, url + "?lang=en", guessed(data)).headers["Location"]
    indonesian = client.get(job_url + "?lang=id").get_data(as_text=True)
    assert "1 Mei 2022" in indonesian
    done = client.get(confirm(client, url, guessed(data)).headers["Location"] + "?lang=en").get_data(as_text=True)
    assert outcome(done) == (1, 0, 0, 1)
    submitted = db.scalar(select(Application.submitted_at))
    assert (submitted.year, submitted.month, submitted.day) == (2022, 5, 1)


def test_the_check_outcome_survives_the_round_trip_through_its_file():
    table = importer.read_csv(
        b"Stempel waktu,Alamat email,Nama pendiri,Nama startup,Link video pitch\n"
        b"1/5/2022 10:00:00,bukan-email,Rina,Batik Lurik,javascript:x\n"
    )
    results = importer.check_rows(table, importer.guess_mapping(table.headers))
    from incubator.applications.importing import Checked

    checked = Checked(results, importer.count(results), 0)
    loaded, headers = import_jobs.load_check(import_jobs.dump_check(checked, table.headers))
    assert headers == table.headers
    assert loaded.counts == checked.counts == importer.Counts(1, 0, 1, 2)
    assert [(r.number, r.problems) for r in loaded.results] == [(2, results[0].problems)]


def _round(app, cohort_id, name, phase):
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort
    from incubator.extensions import db as _db
    from incubator.judging.rounds import services as judging

    with app.test_request_context("/"):
        director = _db.session.scalar(select(User).where(User.email == "dewi@hetero.example"))
        round_ = judging.save_round(
            None,
            _db.session.get(Cohort, cohort_id),
            name=name,
            decides_stage="applied",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=3,
            ranking_basis="raw",
            judges_see_scores_after_close=False,
            disagreement_threshold=Decimal(15),
            actor=director,
        )
        round_.phase = phase  # its scoring is over; how it got there does not matter here
        _db.session.commit()
        return round_.id


def test_applications_imported_after_a_round_closed_join_only_the_next_open_round(app, client, director, cohort_id, db):
    first = import_file(client, cohort_id, b"Alamat email,Nama pendiri,Nama startup\nani@contoh.id,Ani,Satu\n")[1]
    assert outcome(first) == (1, 0, 0, 1)
    closed = _round(app, cohort_id, "Seleksi pitch", "closed")
    decided = _round(app, cohort_id, "Seleksi awal", "decided")
    following = _round(app, cohort_id, "Seleksi pitch gelombang 2", "draft")
    earlier = db.scalar(select(Application.id))

    done = import_file(client, cohort_id, FIXTURE.read_bytes())[1]
    assert outcome(done) == (12, 0, 0, 12)
    late = db.scalars(select(Application.id).where(Application.id != earlier).order_by(Application.id))
    assert len(late) == 12
    assert [
        (e.round_id, e.application_id)
        for e in db.scalars(select(LateEntry).order_by(LateEntry.round_id, LateEntry.application_id))
    ] == [(closed, a) for a in late] + [(decided, a) for a in late]

    from incubator.extensions import db as _db
    from incubator.judging.ranking.members import round_members, round_params

    with app.app_context():

        def members(round_id):
            return [
                row[0] for row in _db.session.execute(round_members(), round_params(_db.session.get(Round, round_id)))
            ]

        assert members(closed) == [earlier]  # the closed round ranks only what it judged
        assert members(following) == [earlier, *late]  # the next round of the stage takes them in
    stored = db.scalars(select(StoredResult.application_id).where(StoredResult.round_id == closed))
    assert stored == [earlier]  # nothing incomplete joined the closed round's ranking


def test_change_the_column_choices_leads_back_with_the_checked_choices(app, client, director, cohort_id):
    app.config["EXPORT_JOBS_SYNC"] = True
    data = FIXTURE.read_bytes()
    url = mapping_url(client, cohort_id, data)
    choices = guessed(data) | {"city": "", "nib": ""}
    page = check(client, url, choices)
    link = re.search(r'<a href="([^"]+)">Change the column choices</a>', page).group(1).replace("&amp;", "&")
    assert link.startswith(url + "?")
    back = client.get(link + "&lang=en").get_data(as_text=True)
    assert '<option selected value="1">B · Alamat email</option>' in back
    assert '<option selected value="18">S · Kebutuhan dana (Rp)</option>' in back
    city = back.split('name="city"')[1].split("</select>")[0]
    assert '<option selected value="">' in city  # left out of the check, left out again
