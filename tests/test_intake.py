"""Applicant intake: profile, team, pitch drafts, deck uploads, submission, status, director list."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfWriter
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.cohorts.models import CohortStartup
from incubator.core.database import utcnow
from incubator.extensions import db as _db
from incubator.startups.models import Startup
from tests.conftest import DEFAULT_PASSWORD, csrf_token, post_form
from tests.privacy_helpers import accept_notice


def pdf_bytes(pages=1, javascript=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if javascript:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript(javascript))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def cohort(create_cohort):
    """An open, published cohort with one focus area."""
    made = create_cohort()
    return {"id": made.id, "area": made.area_ids[0], "director": made.director}


def _profile(client, cohort, name="Batik Lurik Nusantara", **extra):
    data = {
        "name": name,
        "city": "Surakarta",
        "focus_area_id": str(cohort["area"]),
        "business_stage": "early_revenue",
        "legal_status": "cv",
        "nib": "",
        "description": "",
        "website": "",
        "social_link": "",
        **extra,
    }
    return post_form(client, "/startups/new", data)


def _startup_id(response) -> int:
    return int(re.search(r"/startups/(\d+)", response.headers["Location"]).group(1))


def _draft(client, cohort, name="Batik Lurik Nusantara"):
    startup_id = _startup_id(_profile(client, cohort, name=name))
    accept_notice(client)
    response = post_form(client, f"/calls/{cohort['id']}/apply", {"startup_id": str(startup_id)})
    return startup_id, int(re.search(r"/applications/(\d+)/edit", response.headers["Location"]).group(1))


FULL = {
    "problem": "Pengrajin lurik sulit menjual online",
    "solution": "Marketplace kurasi kain lurik",
    "target_market": "Pembeli fesyen etnik 20-35",
    "business_model": "Komisi 15%",
    "traction": "320 pelanggan",
    "funding_need": "Rp 150.000.000",
    "why_programme": "Mentor kriya dan akses maker space",
    "video_url": "https://youtu.be/abc123XYZ",
}


def _save(client, app_id, fields=None, deck=None, submit=False):
    data = dict(fields or {})
    if deck is not None:
        data["deck"] = (io.BytesIO(deck[1]), deck[0])
    data["submit_application" if submit else "save"] = "1"
    data["csrf_token"] = csrf_token(client, "/")
    return client.post(f"/applications/{app_id}/edit?lang=en", data=data, content_type="multipart/form-data")


def test_profile_and_team(client, login_as, cohort, db):
    login_as(client, "applicant")
    response = _profile(client, cohort, nib="1234567890123", website="https://lurik.example")
    startup_id = _startup_id(response)
    for member in (
        {
            "name": "Rina Widyastuti",
            "role": "CEO",
            "email": "rina@lurik.example",
            "phone": "0812-2653-7781",
            "is_founder": "y",
            "is_woman": "y",
        },
        {"name": "Dimas Prasetyo", "role": "CTO", "email": "", "phone": "", "is_founder": "y", "under_30": "y"},
    ):
        assert post_form(client, f"/startups/{startup_id}/team/new", member).status_code == 302
    startup = db.scalar(select(Startup))
    with db.session() as session:
        startup = session.get(Startup, startup_id)
        assert [(m.name, m.phone, m.is_founder, m.under_30, m.is_woman) for m in startup.members] == [
            ("Rina Widyastuti", "+6281226537781", True, False, True),
            ("Dimas Prasetyo", "", True, True, False),
        ]
        assert (startup.women_led, startup.youth_led, startup.nib) == (True, True, "1234567890123")
    page = client.get(f"/startups/{startup_id}?lang=en").get_data(as_text=True)
    assert "Rina Widyastuti" in page and "Women-led" in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"nib": "12345"}, "An NIB has 13 digits."),
        ({"website": "javascript:alert(1)"}, "Enter a full web address starting with https:// or http://."),
        ({"name": ""}, "This field is required."),
        ({"focus_area_id": "0"}, "This field is required."),
    ],
)
def test_profile_refusals_keep_what_was_typed(client, login_as, cohort, extra, message):
    login_as(client, "applicant")
    response = post_form(
        client,
        "/startups/new?lang=en",
        {
            "name": "Sanggar Digital",
            "city": "Klaten",
            "focus_area_id": str(cohort["area"]),
            "business_stage": "idea",
            "legal_status": "unincorporated",
            **extra,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'value="Klaten"' in page


def test_draft_saves_anything_and_lists_what_is_missing(client, login_as, cohort, db):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    response = _save(client, app_id, {"problem": "Baru sebagian", "funding_need": "75.000.000"})
    assert response.status_code == 302
    page = client.get(f"/applications/{app_id}/edit?lang=en").get_data(as_text=True)
    assert "Baru sebagian" in page
    assert "Still missing before you can submit:" in page
    assert "<li>your solution</li>" in page and "<li>a pitch deck (PDF)</li>" in page
    assert db.scalar(select(Application.funding_need)) == 75_000_000


def test_submit_checks_completeness_then_locks_and_confirms(client, login_as, cohort, db, outbox):
    founder = login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    refused = _save(client, app_id, {"problem": "Only this"}, submit=True)
    assert "Still missing: your solution, your target market" in refused.get_data(as_text=True)
    assert db.scalar(select(Application.status)) == "draft"

    done = _save(client, app_id, FULL, deck=("Deck Lurik (final).pdf", pdf_bytes()), submit=True)
    assert done.status_code == 302
    assert done.headers["Location"] == "/applications"
    application = db.scalar(select(Application))
    assert (application.status, application.funding_need, application.deck_filename) == (
        "submitted",
        150_000_000,
        "Deck Lurik final.pdf",
    )
    assert db.scalar(select(CohortStartup.stage)) == "applied"
    (mail,) = [m for m in outbox() if m.kind == "application_submitted"]
    assert mail.recipient == founder.email
    # Read-only now: the form redirects to the view and a late POST changes nothing.
    assert client.get(f"/applications/{app_id}/edit").status_code == 302
    twice = _save(client, app_id, {**FULL, "problem": "Changed after submission"}, submit=True)
    assert twice.status_code == 302
    assert "This application has been submitted and can no longer be changed." in client.get(
        twice.headers["Location"] + "?lang=en"
    ).get_data(as_text=True)
    assert db.scalar(select(Application.problem)) == FULL["problem"]
    status = client.get("/applications?lang=en").get_data(as_text=True)
    assert "Your application is in." in status
    assert "Applied" in status


def test_applying_to_a_closed_cohort_is_refused_with_a_message(client, login_as, create_cohort, db):
    from datetime import UTC, datetime

    closed = create_cohort(
        "Solo 2021", opens_at=datetime(2021, 12, 1, tzinfo=UTC), closes_at=datetime(2021, 12, 31, tzinfo=UTC)
    )
    login_as(client, "applicant")
    startup_id = _startup_id(_profile(client, {"area": closed.area_ids[0]}))
    assert client.get(f"/calls/{closed.id}/apply").status_code == 404  # its call is no longer public
    upcoming = create_cohort(
        "Solo 2099",
        areas=[("games", "Gim", "Games")],
        space="Hetero Space Semarang",
        opens_at=datetime(2099, 1, 1, tzinfo=UTC),
        closes_at=datetime(2099, 2, 1, tzinfo=UTC),
    )
    accept_notice(client)
    response = post_form(client, f"/calls/{upcoming.id}/apply?lang=en", {"startup_id": str(startup_id)})
    assert response.status_code == 200
    assert "This cohort is not accepting applications now." in response.get_data(as_text=True)
    assert db.scalars(select(Application)) == []


def test_submit_after_the_deadline_is_refused_and_the_draft_kept(client, login_as, cohort, db, app):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    with app.app_context():
        from incubator.cohorts.models import Cohort

        c = _db.session.get(Cohort, cohort["id"])
        c.closes_at = utcnow() - timedelta(minutes=1)
        c.opens_at = utcnow() - timedelta(days=5)
        _db.session.commit()
    response = _save(client, app_id, FULL, deck=("d.pdf", pdf_bytes()), submit=True)
    assert "Applications for this cohort are closed; your draft is kept." in response.get_data(as_text=True)
    assert db.scalar(select(Application.problem)) == FULL["problem"]
    assert db.scalar(select(Application.status)) == "draft"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deck.pdf", b"", "The file is empty."),
        ("deck.pdf", b"PK\x03\x04 this is a zip", "The deck must be a PDF file; this file is not a PDF."),
        ("deck.pdf", b"%PDF-1.7\nthis is not really a pdf", "This PDF is damaged or cannot be opened."),
        ("deck.pdf", b"<html><script>alert(1)</script></html>", "this file is not a PDF"),
        ("deck.pdf", pdf_bytes(javascript="app.alert('x')"), "This PDF contains scripts or automatic actions"),
    ],
)
def test_bad_decks_are_refused_and_the_text_kept(client, login_as, cohort, db, name, content, message):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    response = _save(client, app_id, {"problem": "Tetap tersimpan"}, deck=(name, content))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(Application.problem)) == "Tetap tersimpan"
    assert db.scalar(select(Application.deck_path)) is None


def test_deck_over_the_limit_is_refused(client, login_as, cohort, app):
    app.config["MAX_DECK_BYTES"] = 300
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    response = _save(client, app_id, {}, deck=("big.pdf", pdf_bytes(pages=3)))
    assert "The deck is larger than 0 MB." in response.get_data(as_text=True)


def test_request_over_the_upload_limit_keeps_the_draft_and_names_the_limit(client, login_as, cohort, app, db):
    # Over even the pitch form's ceiling (5 x the request limit): the body is not read; the page
    # shows the last saved draft and names the deck limit in MB, in the page's language.
    app.config["MAX_CONTENT_LENGTH"] = 1000
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _save(client, app_id, {"problem": "Tersimpan sebelumnya"})
    response = _save(client, app_id, {"problem": "Baru"}, deck=("big.pdf", b"%PDF-" + b"0" * 6000))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The deck is larger than 20 MB. Please upload a smaller PDF." in page
    assert "Tersimpan sebelumnya</textarea>" in page
    assert db.scalar(select(Application.problem)) == "Tersimpan sebelumnya"
    indonesian = client.post(
        f"/applications/{app_id}/edit?lang=id",
        data={
            "csrf_token": csrf_token(client, "/"),
            "save": "1",
            "deck": (io.BytesIO(b"%PDF-" + b"0" * 6000), "b.pdf"),
        },
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Dek lebih besar dari 20 MB. Silakan unggah PDF yang lebih kecil." in indonesian


def test_deck_over_the_request_limit_is_refused_and_the_text_saved(client, login_as, cohort, app, db):
    # Over the request limit but under the form's ceiling: the deck is cut off while it streams to
    # disk, refused with the limit in MB, and every text field sent with it is saved.
    app.config["MAX_CONTENT_LENGTH"] = 2000
    app.config["MAX_DECK_BYTES"] = 2 * 1024 * 1024
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    big = pdf_bytes() + b"%" + b"0" * (3 * 1024 * 1024)
    app.config["MAX_CONTENT_LENGTH"] = 3 * 1024 * 1024
    response = _save(client, app_id, {"problem": "Teks ini selamat", "funding_need": "75jt"}, deck=("big.pdf", big))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The deck is larger than 2 MB. Please upload a smaller PDF." in page
    assert (db.scalar(select(Application.problem)), db.scalar(select(Application.funding_need))) == (
        "Teks ini selamat",
        75_000_000,
    )
    assert db.scalar(select(Application.deck_path)) is None


def test_javascript_video_link_is_refused_and_the_rest_kept(client, login_as, cohort, db):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    response = _save(client, app_id, {"problem": "Masih ada", "video_url": "javascript:alert(1)"})
    assert "Enter a full web address starting with https:// or http://." in response.get_data(as_text=True)
    assert db.scalar(select(Application.problem)) == "Masih ada"
    assert db.scalar(select(Application.video_url)) == ""


def test_deck_download_is_an_attachment_for_owner_and_director_only(client, make_client, login_as, cohort):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _save(client, app_id, {}, deck=("../../etc/pass wd<b>.pdf", pdf_bytes()))
    response = client.get(f"/applications/{app_id}/deck")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="pass wdb.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data.startswith(b"%PDF-")
    director = make_client()
    login_as(director, cohort["director"])
    assert director.get(f"/applications/{app_id}/deck").status_code == 200
    stranger = make_client()
    login_as(stranger, "applicant")
    for url in (f"/applications/{app_id}/deck", f"/applications/{app_id}", f"/applications/{app_id}/edit"):
        assert stranger.get(url).status_code == 404
    judge = make_client()
    login_as(judge, "judge")
    assert judge.get(f"/applications/{app_id}/deck").status_code == 404


def test_other_applicants_get_404_on_everything(client, make_client, login_as, cohort):
    login_as(client, "applicant")
    startup_id, app_id = _draft(client, cohort)
    stranger = make_client()
    login_as(stranger, "applicant")
    for url in (f"/startups/{startup_id}", f"/startups/{startup_id}/edit", f"/startups/{startup_id}/team/new"):
        assert stranger.get(url).status_code == 404
    assert post_form(stranger, f"/applications/{app_id}/withdraw", page="/startups").status_code == 404


def test_withdraw_and_reopen(client, make_client, login_as, cohort, db):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    _save(client, app_id, FULL, deck=("d.pdf", pdf_bytes()), submit=True)
    director = make_client()
    login_as(director, cohort["director"])
    assert post_form(director, f"/applications/{app_id}/reopen", page=f"/applications/{app_id}").status_code == 302
    assert db.scalar(select(Application.status)) == "draft"
    _save(client, app_id, {**FULL, "traction": "400 pelanggan"}, submit=True)
    assert db.scalar(select(Application.traction)) == "400 pelanggan"
    response = post_form(
        client, f"/applications/{app_id}/withdraw", {"reason": "Fokus ekspor"}, page=f"/applications/{app_id}"
    )
    assert response.status_code == 302
    assert db.scalar(select(CohortStartup.stage)) == "withdrawn"


def test_typed_text_survives_an_expired_session(app, make_client, create_user, cohort, db):
    user = create_user(email="lupa@lurik.example", roles=["applicant"])
    browser = make_client()
    post_form(browser, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    _, app_id = _draft(browser, cohort)
    token = csrf_token(browser, f"/applications/{app_id}/edit")
    browser.delete_cookie("session")  # the session expired while the founder was typing
    response = browser.post(
        f"/applications/{app_id}/edit?lang=en",
        data={"csrf_token": token, "problem": "Teks panjang yang tidak boleh hilang", "save": "1"},
    )
    assert response.status_code == 400
    assert "What you typed is kept" in response.get_data(as_text=True)
    post_form(browser, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    page = browser.get(f"/applications/{app_id}/edit?lang=en").get_data(as_text=True)
    assert "Teks panjang yang tidak boleh hilang" in page
    assert "has been put back" in page


def test_hostile_text_is_escaped(client, make_client, login_as, cohort):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort, name='<script>alert("x")</script>')
    _save(client, app_id, {"problem": '"><img src=x onerror=alert(1)>'})
    page = client.get(f"/applications/{app_id}/edit").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    director = make_client()
    login_as(director, cohort["director"])
    listing = director.get(f"/cohorts/{cohort['id']}/applications?status=draft").get_data(as_text=True)
    assert "<script>alert" not in listing
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in listing


def _seed_applications(app, cohort_id, count, *, women_every=2):
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.startups.models import TeamMember

    with app.test_request_context():
        c = _db.session.get(Cohort, cohort_id)
        for i in range(count):
            startup = Startup(name=f"Startup {i:03d}", city="Klaten" if i % 3 else "Solo")
            startup.members = [
                TeamMember(name=f"F{i}", is_founder=True, under_30=i % 4 == 0, is_woman=i % women_every == 0)
            ]
            _db.session.add(startup)
            _db.session.flush()
            _db.session.add(
                Application(startup=startup, cohort=c, status="submitted", submitted_at=utcnow(), funding_need=i * 1000)
            )
            change_stage(startup, c, "applied", None, system=True)
        _db.session.commit()


def test_director_list_filters(client, login_as, cohort, app):
    _seed_applications(app, cohort["id"], 8)
    login_as(client, cohort["director"])
    base = f"/cohorts/{cohort['id']}/applications?lang=en"

    def names(query):
        return re.findall(r">(Startup \d+)</a>", client.get(base + query).get_data(as_text=True))

    assert names("&sort=name") == [f"Startup {i:03d}" for i in range(8)]
    assert names("&sort=name&women_led=yes") == ["Startup 000", "Startup 002", "Startup 004", "Startup 006"]
    assert names("&sort=name&youth_led=yes") == ["Startup 000", "Startup 004"]
    assert names("&sort=name&city=solo") == ["Startup 000", "Startup 003", "Startup 006"]
    assert names("&sort=funding") == [f"Startup {i:03d}" for i in reversed(range(8))]
    assert names("&q=007") == ["Startup 007"]
    assert names("&stage=incubation") == []
