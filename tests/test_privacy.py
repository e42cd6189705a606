"""Consent to the privacy notice (registration, before applying, again for a new version) and the
applicant's copy of their data as one ZIP."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from incubator.extensions import db as _db
from tests import privacy_world as pw
from tests.conftest import DEFAULT_PASSWORD, post_form


def _consents(db):
    from incubator.privacy.models import Consent

    return [(c.user_id, c.version, c.source, c.locale) for c in db.scalars(select(Consent).order_by(Consent.id))]


@pytest.mark.parametrize(("lang", "notice"), [("id", "Siapa kami"), ("en", "Who we are")])
def test_notice_is_public_in_both_languages_and_says_how_long(client, lang, notice):
    page = client.get(f"/privacy?lang={lang}").get_data(as_text=True)
    assert notice in page
    months = {"id": "24 bulan setelah hasilnya", "en": "24 months after the outcome"}[lang]
    assert months in page
    assert {"id": "Versi 2026-12", "en": "Version 2026-12"}[lang] in page


def test_registering_without_consent_is_refused_and_keeps_what_was_typed(client, db):
    from incubator.auth.models import User

    data = {"name": "Ani Rahma", "email": "ani@startup.example", "password": DEFAULT_PASSWORD}
    response = post_form(client, "/auth/register?lang=en", {**data, "confirm": DEFAULT_PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tick the box to accept the privacy notice." in page
    assert 'value="Ani Rahma"' in page and 'value="ani@startup.example"' in page
    assert db.scalars(select(User)) == []


def test_registering_records_the_consent(client, db):
    from incubator.auth.models import User

    data = {"name": "Ani Rahma", "email": "ani@startup.example", "password": DEFAULT_PASSWORD}
    post_form(client, "/auth/register?lang=en", {**data, "confirm": DEFAULT_PASSWORD, "consent": "y"})
    user = db.scalar(select(User))
    assert _consents(db) == [(user.id, "2026-12", "register", "en")]


def test_applying_asks_for_consent_first_then_goes_on(client, login_as, create_cohort, db):
    cohort = create_cohort()
    user = login_as(client, "applicant")
    response = client.get(f"/calls/{cohort.id}/apply")
    assert response.headers["Location"] == f"/privacy/consent?next=/calls/{cohort.id}/apply"
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "Before you apply, please read the privacy notice (version 2026-12) and accept it." in page
    refused = post_form(client, "/privacy/consent?lang=en", {"next": f"/calls/{cohort.id}/apply"})
    assert "Tick the box to accept the privacy notice." in refused.get_data(as_text=True)
    accepted = post_form(
        client, "/privacy/consent", {"accept": "y", "next": f"/calls/{cohort.id}/apply"}, page="/privacy/consent"
    )
    assert accepted.headers["Location"] == f"/calls/{cohort.id}/apply"
    assert client.get(f"/calls/{cohort.id}/apply").status_code == 200
    assert _consents(db) == [(user.id, "2026-12", "apply", "en")]  # the language of the page


def test_a_new_version_asks_again_before_any_page_but_lets_a_posted_form_through(client, login_as, app, db):
    from incubator.privacy.models import Consent

    user = login_as(client, "applicant")
    with app.app_context():
        old = Consent(user_id=user.id, version="2025-01", source="register", locale="id")
        _db.session.add(old)
        _db.session.commit()
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"] == "/privacy/consent?next=/"
    page = client.get("/privacy/consent?lang=en").get_data(as_text=True)
    assert "The privacy notice has changed since you accepted version 2025-01" in page
    # The data page stays open; a form posted from a page already open is not stopped.
    assert client.get("/account/privacy").status_code == 200
    posted = post_form(client, "/auth/password?lang=en", {"current": "wrong"}, page="/account/privacy")
    assert posted.status_code == 200 and "This field is required." in posted.get_data(as_text=True)
    post_form(client, "/privacy/consent", {"accept": "y", "next": "/"}, page="/privacy/consent")
    assert client.get("/").status_code == 200
    assert [row[1:3] for row in _consents(db)] == [("2025-01", "register"), ("2026-12", "sign_in")]


def test_staff_are_not_asked(client, login_as, app):
    from incubator.privacy.models import Consent

    judge = login_as(client, "judge")
    with app.app_context():
        _db.session.add(Consent(user_id=judge.id, version="2025-01", source="register", locale="id"))
        _db.session.commit()
    assert client.get("/").status_code == 200


# --- the download --------------------------------------------------------------------------------


@pytest.fixture
def world(app, create_user, create_cohort):
    return pw.build(app, create_user, create_cohort)


def _download(client, login_as, db, world) -> zipfile.ZipFile:
    from incubator.auth.models import User

    login_as(client, db.scalar(select(User).where(User.id == world.user_id)))
    response = client.get("/account/privacy/data.zip?lang=en")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=hetero-incubator-data-")
    return zipfile.ZipFile(io.BytesIO(response.data))


def _csv(archive, name) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_download_holds_exactly_the_applicants_data(client, login_as, db, world):
    archive = _download(client, login_as, db, world)
    deck = f"decks/{world.application_id}-GamelanVerse deck.pdf"
    assert archive.namelist() == [
        "data.json",
        "profile.csv",
        "startups.csv",
        "team_members.csv",
        "applications.csv",
        "stage_history.csv",
        "feedback.csv",
        "consents.csv",
        "deletion_requests.csv",
        deck,
    ]
    assert archive.read(deck) == pw.DECK
    data = json.loads(archive.read("data.json"))
    assert (data["format"], data["version"]) == ("hetero-incubator-personal-data", 1)
    profile = data["profile"][0]
    assert (profile["id"], profile["name"], profile["email"], profile["roles"]) == (
        world.user_id,
        pw.NAME,
        pw.EMAIL,
        "applicant",
    )
    assert [s["name"] for s in data["startups"]] == ["GamelanVerse"]
    assert [(m["name"], m["email"], m["phone"]) for m in data["team_members"]] == [
        (pw.NAME, pw.EMAIL, pw.PHONE),
        pw.PARTNER,
    ]
    (application,) = data["applications"]
    assert (application["id"], application["status"], application["stage"], application["deck_file"]) == (
        world.application_id,
        "submitted",
        "graduated",
        deck,
    )
    assert [(h["from_stage"], h["to_stage"]) for h in data["stage_history"]] == [
        ("", "applied"),
        ("applied", "pre_incubation"),
        ("pre_incubation", "incubation"),
        ("incubation", "graduated"),
    ]
    assert [(c["version"], c["source"], c["locale"]) for c in data["consents"]] == [("2026-12", "register", "en")]
    assert data["deletion_requests"] == []


def test_download_gives_released_feedback_only_with_judges_anonymised(client, login_as, db, world):
    archive = _download(client, login_as, db, world)
    rows = _csv(archive, "feedback.csv")
    assert rows[0] == ["application_id", "round", "criterion", "judge", "score", "comment"]
    problem = [r for r in rows[1:] if r[2] == "Problem"]
    assert problem == [
        [
            str(world.application_id),
            "Demo day",
            "Problem",
            f"Judge {letter}",
            "4.00",
            f"Problem seen by judge {i}; {pw.NAME} knows it.",
        ]
        for i, letter in enumerate("ABCD")
    ]
    overall = [r[3:] for r in rows[1:] if r[2] == ""]
    assert overall == [
        [f"Judge {letter}", "", f"Overall {i}: {pw.NAME} pitched well."] for i, letter in enumerate("ABCD")
    ]
    assert len(rows) == 1 + 4 + 4
    everything = b"".join(archive.read(name) for name in archive.namelist() if name.endswith((".csv", ".json")))
    from tests.read_model_world import JUDGES

    for judge_name, judge_email in JUDGES:  # never a judge's identity
        assert judge_name.encode() not in everything and judge_email.encode() not in everything
    assert b"not released" not in everything  # the Team criterion's comments
    assert b"Team" not in everything


def test_download_csv_neutralises_formulas(client, login_as, db, world, app):
    from incubator.startups.models import Startup

    with app.app_context():
        _db.session.get(Startup, world.startup_id).description = '=HYPERLINK("http://x")'
        _db.session.commit()
    archive = _download(client, login_as, db, world)
    rows = _csv(archive, "startups.csv")
    assert rows[1][rows[0].index("description")] == '\'=HYPERLINK("http://x")'
    assert json.loads(archive.read("data.json"))["startups"][0]["description"] == '=HYPERLINK("http://x")'


def test_download_of_an_applicant_without_startups(client, login_as):
    login_as(client, "applicant")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/privacy/data.zip").data))
    assert [n for n in archive.namelist() if not n.endswith(".csv")] == ["data.json"]
    assert _csv(archive, "applications.csv")[1:] == []


def test_account_page_lists_consents_in_wib(client, login_as, app):
    from datetime import UTC, datetime

    from incubator.privacy.models import Consent

    user = login_as(client, "applicant")
    with app.app_context():
        when = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
        _db.session.add(Consent(user_id=user.id, version="2026-12", source="apply", locale="en", accepted_at=when))
        _db.session.add(
            Consent(
                user_id=user.id,
                version="2025-01",
                source="register",
                locale="en",
                accepted_at=when - timedelta(days=400),
            )
        )
        _db.session.commit()
    page = client.get("/account/privacy?lang=en").get_data(as_text=True)
    assert (
        '<td>2026-12 <span class="tag">current</span></td><td>1 Dec 2026 10.00 WIB</td><td>Before applying</td>' in page
    )
    assert "<td>2025-01</td><td>27 Oct 2025 10.00 WIB</td><td>When registering</td>" in page
