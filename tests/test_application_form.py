"""The pitch form at the deadline rush: autosave with versions, every valid field saved, the closed
window said at the top, an exact deadline, and a director's reopen that keeps judged figures."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.cohorts.models import Cohort
from incubator.core.database import utcnow
from incubator.extensions import db as _db
from incubator.startups.models import TeamMember
from tests.conftest import csrf_token, post_form
from tests.test_intake import FULL, _draft, _save, pdf_bytes

FETCH = {"X-Requested-With": "fetch", "Accept": "application/json"}
STALE = (
    "This application was changed in another tab or on another device since this page was opened. "
    "Reload the page to see the saved version; what you typed is still on this page."
)


@pytest.fixture
def cohort(create_cohort):
    made = create_cohort()
    return {"id": made.id, "area": made.area_ids[0], "director": made.director}


def _autosave(client, app_id, version, **fields):
    data = {"csrf_token": csrf_token(client, "/"), "version": str(version), **fields}
    return client.post(f"/applications/{app_id}/edit?lang=en", data=data, headers=FETCH)


def _set_window(app, cohort_id, closes_at, opens_at=None):
    with app.app_context():
        c = _db.session.get(Cohort, cohort_id)
        c.opens_at = opens_at or closes_at - timedelta(days=30)
        c.closes_at = closes_at
        _db.session.commit()


# --- autosave --------------------------------------------------------------------------


def test_autosave_answers_json_with_the_new_version_and_saved_at(client, login_as, cohort, db):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    response = _autosave(client, app_id, 1, problem="Pengrajin sulit jual online", funding_need="75jt")
    answer = response.get_json()
    assert response.status_code == 200
    assert (answer["status"], answer["version"], answer["errors"]) == ("saved", 2, {})
    assert answer["message"].startswith("Saved at ")
    assert (db.scalar(select(Application.problem)), db.scalar(select(Application.funding_need))) == (
        "Pengrajin sulit jual online",
        75_000_000,
    )
    assert _autosave(client, app_id, 2, problem="Lagi").get_json()["version"] == 3


def test_two_tabs_cannot_overwrite_each_other(client, login_as, cohort, db):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    assert _autosave(client, app_id, 1, problem="From the first tab").get_json()["status"] == "saved"
    stale = _autosave(client, app_id, 1, problem="From the second tab")
    assert stale.status_code == 409
    assert stale.get_json() == {"status": "refused", "version": 1, "message": STALE}
    assert db.scalar(select(Application.problem)) == "From the first tab"
    # Without JavaScript the same: the page again with the refusal and what was typed.
    page = client.post(
        f"/applications/{app_id}/edit?lang=en",
        data={"csrf_token": csrf_token(client, "/"), "version": "1", "problem": "Typed in tab two", "save": "1"},
    )
    text = page.get_data(as_text=True)
    assert STALE in text and "Typed in tab two</textarea>" in text
    assert db.scalar(select(Application.problem)) == "From the first tab"


def test_autosave_saves_every_valid_field_and_names_the_invalid_ones(client, login_as, cohort, db):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    answer = _autosave(
        client, app_id, 1, problem="x" * 2001, solution="Marketplace", funding_need="banyak", video_url="ftp://a"
    ).get_json()
    assert answer["status"] == "saved"
    assert answer["errors"] == {
        "problem": "Use at most 2000 characters.",
        "funding_need": "Write an amount in Rupiah, such as Rp 150.000.000, 75jt or 1,5 M.",
        "video_url": "Enter a full web address starting with https:// or http://.",
    }
    application = db.scalar(select(Application))
    assert (application.problem, application.solution, application.funding_need, application.video_url) == (
        "",
        "Marketplace",
        None,
        "",
    )


def test_save_draft_without_javascript_keeps_the_long_field_and_saves_the_rest(client, login_as, cohort, db):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    too_long = "Masalah " * 300  # 2,400 characters
    response = _save(client, app_id, {"problem": too_long, "solution": "Kurasi kain", "traction": "320 pelanggan"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Use at most 2000 characters." in page
    assert "The other fields are saved; correct the fields marked below." in page
    assert too_long.strip() in page  # shown back as typed
    application = db.scalar(select(Application))
    assert (application.problem, application.solution, application.traction) == ("", "Kurasi kain", "320 pelanggan")
    assert f'name="version" type="hidden" value="{application.version}"' in page


def test_the_form_page_carries_the_autosave_script_and_the_deck_limit(client, login_as, cohort):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    page = client.get(f"/applications/{app_id}/edit?lang=en").get_data(as_text=True)
    assert '<script src="/static/js/application.js" defer></script>' in page
    assert f'data-max-bytes="{20 * 1024 * 1024}"' in page
    assert 'data-too-large="The deck is larger than 20 MB. Please upload a smaller PDF. Your text is kept."' in page
    assert 'name="version" type="hidden" value="1"' in page
    assert "PDF only, at most 20 MB." in page


def test_submitted_application_refuses_an_autosave(client, login_as, cohort):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _save(client, app_id, FULL, deck=("d.pdf", pdf_bytes()), submit=True)
    response = _autosave(client, app_id, 5, problem="Too late")
    assert response.status_code == 409
    assert response.get_json() == {
        "status": "refused",
        "message": "This application has been submitted and can no longer be changed.",
    }


# --- the window and the deadline -------------------------------------------------------


def test_draft_page_says_at_the_top_that_the_window_closed(client, login_as, cohort, app):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _set_window(app, cohort["id"], datetime(2026, 1, 31, 16, 59, tzinfo=UTC))
    page = client.get(f"/applications/{app_id}/edit?lang=en").get_data(as_text=True)
    notice = page.index("Applications for this cohort closed on")
    assert notice < page.index("data-autosave")
    assert "Applications for this cohort closed on 31 Jan 2026 23.59 WIB." in page
    assert "Your draft is kept, but it can no longer be submitted. Contact the programme team." in page
    assert 'name="submit_application"' not in page
    assert 'name="save"' in page


class Clock:
    """A frozen server clock: each reading returns the next time given (the last one repeats)."""

    def __init__(self, *times):
        self.times = list(times)

    def __call__(self):
        return self.times.pop(0) if len(self.times) > 1 else self.times[0]


DEADLINE = datetime(2026, 1, 31, 17, 0, tzinfo=UTC)  # midnight WIB


@pytest.mark.parametrize(
    ("received", "accepted"),
    [
        (DEADLINE - timedelta(seconds=1), True),
        (DEADLINE - timedelta(microseconds=1), True),
        (DEADLINE, False),
        (DEADLINE + timedelta(microseconds=1), False),
    ],
)
def test_the_deadline_is_exact(client, login_as, cohort, app, db, monkeypatch, received, accepted):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _save(client, app_id, FULL, deck=("d.pdf", pdf_bytes()))
    _set_window(app, cohort["id"], DEADLINE)
    monkeypatch.setattr("incubator.applications.routes.utcnow", Clock(received))
    response = _save(client, app_id, {**FULL, "traction": "400 pelanggan"}, submit=True)
    application = db.scalar(select(Application))
    assert application.traction == "400 pelanggan"  # the draft is kept either way
    if accepted:
        assert response.status_code == 302
        assert (application.status, application.submitted_at) == ("submitted", received)
    else:
        assert response.status_code == 200
        assert "Applications for this cohort are closed; your draft is kept." in response.get_data(as_text=True)
        assert (application.status, application.submitted_at) == ("draft", None)


def test_a_submission_received_before_the_deadline_is_on_time_when_its_upload_ends_after(
    client, login_as, cohort, app, db, monkeypatch
):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _set_window(app, cohort["id"], DEADLINE)
    received = DEADLINE - timedelta(seconds=2)
    # The request arrives 2 s before the deadline; every later reading (the deck still uploading,
    # the save) is 3 minutes past it.
    monkeypatch.setattr("incubator.applications.routes.utcnow", Clock(received, DEADLINE + timedelta(minutes=3)))
    response = _save(client, app_id, FULL, deck=("Deck.pdf", pdf_bytes()), submit=True)
    assert response.status_code == 302
    application = db.scalar(select(Application))
    assert (application.status, application.submitted_at, application.deck_filename) == (
        "submitted",
        received,
        "Deck.pdf",
    )


# --- reopening --------------------------------------------------------------------------


def test_reopened_after_the_window_the_founder_can_submit_again(client, make_client, login_as, cohort, app, db):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _save(client, app_id, FULL, deck=("d.pdf", pdf_bytes()), submit=True)
    _set_window(app, cohort["id"], utcnow() - timedelta(days=1))
    director = make_client()
    login_as(director, cohort["director"])
    assert post_form(director, f"/applications/{app_id}/reopen", page=f"/applications/{app_id}").status_code == 302
    page = client.get(f"/applications/{app_id}/edit?lang=en").get_data(as_text=True)
    assert "Applications for this cohort closed" not in page and 'name="submit_application"' in page
    response = _save(client, app_id, {**FULL, "traction": "Dikoreksi"}, submit=True)
    assert response.status_code == 302
    assert (db.scalar(select(Application.status)), db.scalar(select(Application.traction))) == (
        "submitted",
        "Dikoreksi",
    )


def test_a_judged_application_cannot_be_reopened(client, make_client, login_as, cohort, app, db, create_user):
    from incubator.judging.models import ScoreSheet
    from tests.conftest import open_round_with_criterion

    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _save(client, app_id, FULL, deck=("d.pdf", pdf_bytes()), submit=True)
    judge = create_user(roles=["judge"])
    with app.test_request_context():
        c = _db.session.get(Cohort, cohort["id"])
        round_, _criterion = open_round_with_criterion(
            c, _db.session.merge(cohort["director"]), decides_stage="applied"
        )
        _db.session.add(
            ScoreSheet(
                round_id=round_.id, application_id=app_id, judge_id=judge.id, status="final", submitted_at=utcnow()
            )
        )
        _db.session.commit()
    director = make_client()
    login_as(director, cohort["director"])
    response = post_form(
        director, f"/applications/{app_id}/reopen?lang=en", page=f"/applications/{app_id}", follow_redirects=True
    )
    assert (
        "Judges have already submitted scores for this application, so it cannot be reopened: "
        "its ranking and scorecards rest on what was submitted." in response.get_data(as_text=True)
    )
    assert db.scalar(select(Application.status)) == "submitted"


# --- phone numbers on the team page ------------------------------------------------------


def test_team_member_phone_is_stored_as_e164_and_a_non_number_refused(client, login_as, cohort, db):
    login_as(client, "applicant")
    startup_id, _ = _draft(client, cohort)
    member = {"name": "Rina", "role": "CEO", "email": "", "phone": "0857 4012 3344"}
    assert post_form(client, f"/startups/{startup_id}/team/new", member).status_code == 302
    assert db.scalar(select(TeamMember.phone)) == "+6285740123344"
    refused = post_form(
        client, f"/startups/{startup_id}/team/new?lang=en", {**member, "name": "Dimas", "phone": "0812"}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "This is not a phone number. Write it like 0812 2653 7781 or +62 812 2653 7781." in page
    assert 'value="0812"' in page and 'value="Dimas"' in page
    assert db.scalars(select(TeamMember.name)) == ["Rina"]


def test_the_migration_stores_earlier_phone_numbers_as_e164(app, db, client, login_as, cohort):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    login_as(client, "applicant")
    startup_id, _ = _draft(client, cohort)
    with app.app_context():
        downgrade(revision="0018")
    try:
        with app.app_context():
            for name, phone in (("A", "0812-2653-7781"), ("B", "bukan nomor"), ("C", "")):
                _db.session.execute(
                    text(
                        "INSERT INTO team_members (startup_id, position, name, role, email, phone, is_founder, "
                        "under_30, is_woman) VALUES (:s, 0, :n, '', '', :p, false, false, false)"
                    ),
                    {"s": startup_id, "n": name, "p": phone},
                )
            _db.session.commit()
    finally:
        with app.app_context():
            upgrade()
            _db.engine.dispose()
    assert db.scalars(select(TeamMember.phone).order_by(TeamMember.name)) == ["+6281226537781", "bukan nomor", ""]
    assert db.scalar(select(Application.version)) == 1


def test_an_oversized_post_to_someone_elses_form_shows_nothing_of_it(client, make_client, login_as, cohort, app):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _save(client, app_id, {"problem": "Rahasia pendiri"})
    app.config["MAX_CONTENT_LENGTH"] = 1000
    stranger = make_client()
    login_as(stranger, "applicant")
    response = stranger.post(
        f"/applications/{app_id}/edit?lang=en",
        data={"csrf_token": csrf_token(stranger, "/"), "problem": "x" * 6000, "save": "1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The deck is larger than 20 MB. Please upload a smaller PDF." in page
    assert "Rahasia pendiri" not in page
