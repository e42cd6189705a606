"""Directors import applications from a CSV export through the pages: upload, map, check, confirm."""

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from incubator.applications import importer
from incubator.applications.models import Application
from incubator.audit.models import AuditEvent
from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.startups.models import Startup, TeamMember
from tests.conftest import post_form

FIXTURE = Path(__file__).parent / "fixtures" / "google-form-export.csv"
FIXTURE_EMAILS = [
    "rina.kriya@gmail.com",
    "dimas@gamelanverse.id",
    "sari.tari@yahoo.co.id",
    "budi@tanitech.co.id",
    "ayu.kopi@gmail.com",
    "fajar@wayangar.id",
    "lina@rotanjepara.com",
    "yoga@pixelbatik.studio",
    "mega@kudusbordir.id",
    "hendra@magelangtour.id",
    "nisa@salatigacraft.com",
    "teguh@ketoprak.live",
]
TOKEN_URL = re.compile(r"^/cohorts/(\d+)/import/([0-9a-f]{32})$")
JOB_URL = re.compile(r"^/jobs/[A-Za-z0-9_-]{22}$")


@pytest.fixture(autouse=True)
def _jobs_here(app):
    """Checks and imports are background jobs: here they run in the request's thread, at once."""
    app.config["EXPORT_JOBS_SYNC"] = True


@pytest.fixture
def cohort_id(create_cohort):
    """A closed cohort (an earlier form) whose focus areas are those of the fixture."""
    return create_cohort(
        "Hetero for Startup Solo 2021",
        areas=[
            ("kriya", "Kriya", "Crafts"),
            ("games", "Gim", "Games"),
            ("performing-arts", "Seni pertunjukan", "Performing arts"),
            ("digital", "Startup digital", "Digital startups"),
            ("umkm", "UMKM", "MSMEs"),
            ("creative", "Industri kreatif", "Creative industry"),
        ],
        opens_at=datetime(2021, 12, 1, tzinfo=UTC),
        closes_at=datetime(2021, 12, 31, tzinfo=UTC),
    ).id


@pytest.fixture
def director(client, login_as, create_user):
    return login_as(client, create_user(email="dewi@hetero.example", name="Dewi Lestari", roles=["director"]))


def upload(client, cohort_id, data: bytes, name="Form Responses 1.csv"):
    return post_form(
        client,
        f"/cohorts/{cohort_id}/import?lang=en",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def mapping_url(client, cohort_id, data: bytes) -> str:
    response = upload(client, cohort_id, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert TOKEN_URL.match(response.headers["Location"])
    return response.headers["Location"]


def guessed(data: bytes) -> dict:
    mapping = importer.guess_mapping(importer.read_csv(data).headers)
    return {key: "" if col is None else str(col) for key, col in mapping.items()}


def check(client, url, mapping) -> str:
    """Check the rows: the page leads to the check job's page, which shows the outcome."""
    response = post_form(client, url + "?lang=en", mapping)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert JOB_URL.match(response.headers["Location"])
    return client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)


def refused_check(client, url, mapping) -> str:
    response = post_form(client, url + "?lang=en", mapping)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def confirm(client, url, mapping):
    return post_form(client, url + "/confirm?lang=en", mapping, page=url)


def outcome(page: str) -> tuple[int, int, int, int]:
    """An import job's page: (imported, already imported, not imported, invited)."""
    found = [
        re.search(rf'<dd id="outcome-{name}">(\d+)</dd>', page)
        for name in ("imported", "already", "invalid", "invited")
    ]
    assert all(found), page
    return tuple(int(m.group(1)) for m in found)


def problem_rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr class="problem" data-row="(\d+)">', page)]


def import_folder(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "imports"


def kept_files(app) -> set[str]:
    folder = import_folder(app)
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def counts(db) -> dict:
    return {
        "users": db.scalar(select(func.count(User.id))),
        "startups": db.scalar(select(func.count(Startup.id))),
        "members": db.scalar(select(func.count(TeamMember.id))),
        "applications": db.scalar(select(func.count(Application.id))),
        "in_cohort": db.scalar(select(func.count(CohortStartup.id))),
    }


def import_file(client, cohort_id, data: bytes, mapping=None):
    """Upload, check and import a file, the jobs run at once (other modules use this too)."""
    client.application.config["EXPORT_JOBS_SYNC"] = True
    url = mapping_url(client, cohort_id, data)
    mapping = mapping or guessed(data)
    page = check(client, url, mapping)
    response = confirm(client, url, mapping)
    assert response.status_code == 303
    assert JOB_URL.match(response.headers["Location"])
    return page, client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)


def make_csv(rows: list[list[str]]) -> bytes:
    header = ["Stempel waktu", "Alamat email", "Nama pendiri", "Nama startup", "Kebutuhan dana (Rp)", "NIB (jika ada)"]
    lines = [",".join(header)] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


# --- the whole journey with the real export -------------------------------------------------------


def test_fixture_upload_preview_check_confirm_and_again(app, client, director, cohort_id, db, outbox):
    data = FIXTURE.read_bytes()
    before = counts(db)

    url = mapping_url(client, cohort_id, data)
    token = TOKEN_URL.match(url).group(2)
    kept = import_folder(app) / f"{token}.csv"
    assert kept.read_bytes() == data
    assert "static" not in kept.parts

    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert page.count("<h1>") == 1
    assert "Batik Lurik Nusantara" in page and "Kopi Lereng Merbabu" in page  # rows 2 and 6: the preview
    assert "Wayang AR" not in page  # row 7 is past the preview
    assert '<option selected value="1">B · Alamat email</option>' in page
    assert '<option selected value="18">S · Kebutuhan dana (Rp)</option>' in page
    assert page.count("<select") == 20
    assert 'class="table-wrap" tabindex="0" role="region"' in page

    page = check(client, url, guessed(data))
    assert re.search(r'<dd id="valid-count">12</dd>', page)
    assert re.search(r'<dd id="invalid-count">0</dd>', page)
    assert problem_rows(page) == []
    assert '<tr class="warning" data-row="13">' in page
    assert "This is not a video link (YouTube, Vimeo or Google Drive); it is imported anyway." in page
    assert "Import 12 rows</button>" in page
    assert counts(db) == before  # checking writes nothing
    assert outbox() == []

    response = confirm(client, url, guessed(data))
    assert response.status_code == 303
    done = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert outcome(done) == (12, 0, 0, 12)
    assert not kept.exists()
    assert not [name for name in kept_files(app) if name.startswith(token)]

    after = counts(db)
    assert after == {
        "users": before["users"] + 12,
        "startups": 12,
        "members": 12,
        "applications": 12,
        "in_cohort": 12,
    }
    mails = outbox()
    assert sorted(m.recipient for m in mails) == sorted(FIXTURE_EMAILS)
    assert {m.subject for m in mails} == {
        "Pendaftaran Anda ke Hetero for Startup Solo 2021 sudah ada di Hetero Incubator"
    }
    assert all("/auth/invitation/" in m.body for m in mails)
    assert all("Batik Lurik Nusantara" in m.body for m in mails if m.recipient == "rina.kriya@gmail.com")

    rina = db.scalar(select(User).where(User.email == "rina.kriya@gmail.com"))
    assert (rina.name, rina.roles, rina.password_hash, rina.locale) == ("Rina Widyastuti", {"applicant"}, None, "id")
    startup = db.scalar(select(Startup).where(Startup.name == "Batik Lurik Nusantara"))
    assert (startup.owner_id, startup.city, startup.business_stage, startup.legal_status, startup.nib) == (
        rina.id,
        "Surakarta",
        "early_revenue",
        "cv",
        "1234567890123",
    )
    assert startup.declared_women_in_team is True
    member = db.scalar(select(TeamMember).where(TeamMember.startup_id == startup.id))
    assert (member.name, member.email, member.phone, member.is_founder, member.under_30) == (
        "Rina Widyastuti",
        "rina.kriya@gmail.com",
        "+6281226537781",
        True,
        True,
    )
    application = db.scalar(select(Application).where(Application.startup_id == startup.id))
    assert (application.cohort_id, application.status) == (cohort_id, "submitted")
    assert application.funding_need == 150_000_000
    assert application.submitted_at == datetime(2021, 12, 18, 2, 14, 5, tzinfo=UTC)  # 09:14:05 WIB
    assert application.video_url == "https://youtu.be/abc123XYZ"
    assert application.deck_link == "https://drive.google.com/file/d/1AbC/view"
    assert application.problem == "Pengrajin lurik Klaten sulit menjual ke pasar online"
    teguh = db.scalar(
        select(Application).join(Startup, Startup.id == Application.startup_id).where(Startup.name == "Ketoprak Live")
    )
    assert teguh.video_url == "https://www.instagram.com/ketopraklive"  # a warning, imported anyway
    assert {s for s in db.scalars(select(CohortStartup.stage))} == {"applied"}
    older = db.scalar(select(TeamMember).where(TeamMember.name == "Teguh Santoso"))
    assert older.under_30 is False

    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "applications.imported").order_by(AuditEvent.id))
    assert (event.object_type, event.object_id, event.actor_id) == ("cohorts", cohort_id, director.id)
    assert event.data == {"rows": 12, "imported": 12, "already_imported": 0, "invalid": 0, "invited": 12}

    # The same file again: recognised, nothing added, nobody invited twice.
    url = mapping_url(client, cohort_id, data)
    page = check(client, url, guessed(data))
    assert re.search(r'<dd id="already-count">12</dd>', page)
    assert "Every valid row is already imported: there is nothing to import." in page
    assert "<button" not in page.split('id="result-h"')[1].split("</section>")[0]  # no import offered
    done = client.get(confirm(client, url, guessed(data)).headers["Location"] + "?lang=en").get_data(as_text=True)
    assert outcome(done) == (0, 12, 0, 0)
    assert counts(db) == after
    assert len(outbox()) == 12
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "applications.imported").order_by(AuditEvent.id))
    assert [e.data["already_imported"] for e in events] == [0, 12]


def test_existing_accounts_and_startups_are_found_not_duplicated(
    app, client, director, cohort_id, db, outbox, create_user
):
    rina = create_user(email="Rina.Kriya@gmail.com", name="Rina W.", roles=["applicant"])
    judge = create_user(email="dimas@gamelanverse.id", name="Dimas", roles=["judge"])
    with app.app_context():
        from incubator.extensions import db as _db

        _db.session.add(Startup(name="BATIK LURIK  nusantara", owner_id=rina.id))
        _db.session.commit()

    import_file(client, cohort_id, FIXTURE.read_bytes())

    assert len(outbox()) == 10  # Rina and Dimas have accounts already
    batik = db.scalars(select(Startup).where(Startup.owner_id == rina.id))
    assert [s.name for s in batik] == ["BATIK LURIK  nusantara"]
    application = db.scalar(select(Application).where(Application.startup_id == batik[0].id))
    assert application.status == "submitted"
    assert db.scalar(select(User).where(User.id == judge.id)).roles == {"judge", "applicant"}
    assert db.scalar(select(User).where(User.id == rina.id)).name == "Rina W."  # an account is not changed


def test_a_file_with_bad_rows_imports_only_the_good_ones(client, director, cohort_id, db, outbox):
    data = make_csv(
        [
            ["18/12/2021 09:00:00", "ok1@contoh.id", "Ani", "Startup Satu", "Rp 10.000.000", ""],
            ["18/12/2021 09:05:00", "bukan-email", "Budi", "Startup Dua", "Rp 10.000.000", ""],
            ["18/12/2021 09:10:00", "ok3@contoh.id", "Cici", "Startup Tiga", "banyak", ""],
            ["18/12/2021 09:15:00", "ok4@contoh.id", "Dedi", "Startup Empat", "75jt", "12345"],
            ["99/99/2021", "ok5@contoh.id", "Euis", "Startup Lima", "1,5 M", ""],
            ["18/12/2021 09:25:00", "ok1@contoh.id", "Ani", "startup satu", "Rp 10.000.000", ""],
            ["18/12/2021 09:30:00", "ok7@contoh.id", "", "", "", ""],
            ["18/12/2021 09:35:00", "ok8@contoh.id", "Gita", "Startup Delapan", "Rp 40.000.000,-", ""],
        ]
    )
    url = mapping_url(client, cohort_id, data)
    page = check(client, url, guessed(data))
    assert problem_rows(page) == [3, 4, 5, 6, 7, 8, 8]
    assert "Enter a valid e-mail address." in page
    assert "Write an amount in Rupiah, such as Rp 150.000.000, 75jt or 1,5 M." in page
    assert "An NIB has 13 digits." in page
    assert "Write the date as day/month/year and the time in WIB, such as 18/12/2021 09:14:05." in page
    assert "Row 2 has the same e-mail and startup; this row would import it twice." in page
    assert page.count("This field is required.") == 2
    assert re.search(r'<dd id="valid-count">2</dd>', page)
    assert re.search(r'<dd id="invalid-count">6</dd>', page)
    assert "Import 2 rows</button>" in page

    response = confirm(client, url, guessed(data))
    done = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert outcome(done) == (2, 0, 6, 2)
    assert sorted(m.recipient for m in outbox()) == ["ok1@contoh.id", "ok8@contoh.id"]
    names = {s.name: s for s in db.scalars(select(Startup))}
    assert set(names) == {"Startup Satu", "Startup Delapan"}
    funding = db.scalar(select(Application.funding_need).where(Application.startup_id == names["Startup Delapan"].id))
    assert funding == 40_000_000


def test_hostile_cells_are_shown_escaped_and_javascript_links_dropped(client, director, cohort_id, db):
    data = (
        b"Alamat email,Nama pendiri,Nama startup,Link video pitch,<b>Catatan</b>\n"
        b'x@contoh.id,"<script>alert(1)</script>","<img src=x onerror=alert(2)>",javascript:alert(3),"<i>hi</i>"\n'
    )
    url = mapping_url(client, cohort_id, data)
    preview = client.get(url + "?lang=en").get_data(as_text=True)
    page = check(client, url, guessed(data))
    assert "<q>javascript:alert(3)</q>" in page  # the check's page shows only the problem cells
    for html in (preview, page):
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
        assert "<b>Catatan</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview and "&lt;b&gt;Catatan&lt;/b&gt;" in preview
    assert "Not a usable web address (a full address starts with https:// or http://): the link is left out" in page
    assert 'href="javascript' not in page
    assert problem_rows(page) == []


def test_stages_enter_the_cohort_through_the_pipeline(client, director, cohort_id, db):
    import_file(client, cohort_id, FIXTURE.read_bytes())
    from incubator.cohorts.models import StageChange

    changes = db.scalars(select(StageChange))
    assert len(changes) == 12
    assert {(c.from_stage, c.to_stage, c.actor_id) for c in changes} == {(None, "applied", director.id)}


# --- mapping and check problems -------------------------------------------------------------------


def test_mapping_needs_the_required_fields_and_each_column_once(client, director, cohort_id, db):
    data = FIXTURE.read_bytes()
    url = mapping_url(client, cohort_id, data)
    page = refused_check(client, url, guessed(data) | {"email": "", "city": "2"})
    assert "This field is required." in page
    assert "This column is already chosen for another field." in page
    assert 'id="valid-count"' not in page  # nothing checked
    page = refused_check(client, url, guessed(data) | {"nib": "99"})
    assert "Choose one of the file&#39;s columns." in page


def test_confirm_checks_again_and_refuses_a_broken_mapping(client, director, cohort_id, db):
    data = FIXTURE.read_bytes()
    url = mapping_url(client, cohort_id, data)
    response = confirm(client, url, guessed(data) | {"startup_name": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == url
    assert "The column choices could not be used." in client.get(url + "?lang=en").get_data(as_text=True)
    assert counts(db)["applications"] == 0
    # The rows are checked again with the posted columns: here every amount is a city name.
    response = confirm(client, url, guessed(data) | {"funding_need": "5", "city": ""})
    assert JOB_URL.match(response.headers["Location"])
    done = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert outcome(done) == (0, 0, 12, 0)
    assert counts(db)["applications"] == 0


def test_a_second_confirm_of_the_same_upload_finds_the_same_import(client, director, cohort_id, db):
    data = FIXTURE.read_bytes()
    url = mapping_url(client, cohort_id, data)
    first = confirm(client, url, guessed(data))
    assert first.status_code == 303
    assert client.get(url).status_code == 404  # the kept file is gone once all is in
    second = confirm(client, url, guessed(data))
    assert (second.status_code, second.headers["Location"]) == (303, first.headers["Location"])
    assert confirm(client, url, guessed(data) | {"city": ""}).status_code == 404  # no such import
    assert confirm(client, f"/cohorts/{cohort_id}/import/{'0' * 32}", guessed(data)).status_code == 404
    assert counts(db)["applications"] == 12


# --- bad files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "a.csv", "This is not a CSV file."),
        (b"rina@contoh.id,Batik\n", "a.csv", "The first row must hold the column names."),
        (b"Alamat email,Nama startup\n", "a.csv", "The file has column names but no answers."),
        (b"Alamat email\nx@y.id\n", "answers.xlsx", "Choose a CSV file (its name ends in .csv)."),
    ],
)
def test_bad_files_are_refused_with_a_reason(app, client, director, cohort_id, data, name, message):
    before = kept_files(app)
    response = upload(client, cohort_id, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert page.count("<h1>") == 1
    assert kept_files(app) == before


def test_a_file_over_5_mb_is_refused(app, client, director, cohort_id):
    data = b"Alamat email,Nama startup\n" + b"someone@example.org,Startup\n" * 190_000
    assert len(data) > 5 * 1024 * 1024
    before = kept_files(app)
    page = upload(client, cohort_id, data).get_data(as_text=True)
    assert "The file is larger than 5 MB. Split it into smaller files." in page
    assert kept_files(app) == before


def test_upload_without_a_file(client, director, cohort_id):
    page = post_form(client, f"/cohorts/{cohort_id}/import?lang=en").get_data(as_text=True)
    assert "Choose a CSV file." in page


def test_upload_page_explains_what_is_expected(client, director, cohort_id):
    page = client.get(f"/cohorts/{cohort_id}/import?lang=en").get_data(as_text=True)
    assert page.count("<h1>") == 1
    assert 'accept=".csv,text/csv"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "At most 5 MB and 5,000 rows." in page
    assert '<label for="file">CSV file</label>' in page


def test_tokens_must_match_the_pattern(client, director, cohort_id):
    for token in ("abc", "0" * 31, "0" * 32 + "a", "G" * 32, "..%2F..%2Fsecret_key"):
        assert client.get(f"/cohorts/{cohort_id}/import/{token}").status_code == 404
    assert client.get(f"/cohorts/{cohort_id}/import/{'0' * 32}").status_code == 404
    assert client.get(f"/cohorts/999999/import/{'0' * 32}").status_code == 404


def test_only_directors_reach_a_real_upload(client, make_client, director, cohort_id, login_as):
    url = mapping_url(client, cohort_id, FIXTURE.read_bytes())
    for role in ("applicant", "judge", "mentor"):
        other = make_client()
        login_as(other, role)
        assert other.get(url).status_code == 403
        assert post_form(other, url + "/confirm", {}, page="/auth/reset").status_code == 403
    assert make_client().get(url).status_code == 302


def test_field_lengths_match_the_database_columns(app):
    from incubator.applications.models import TEXT_LIMITS

    columns = {
        "email": User.__table__.c.email.type.length,
        "founder_name": User.__table__.c.name.type.length,
        "startup_name": Startup.__table__.c.name.type.length,
        "city": Startup.__table__.c.city.type.length,
        "video_url": Application.__table__.c.video_url.type.length,
        "deck_link": Application.__table__.c.deck_link.type.length,
    }
    assert columns == importer.LENGTHS
    assert TeamMember.__table__.c.name.type.length == importer.LENGTHS["founder_name"]
    assert set(importer.PITCH_FIELDS) <= set(TEXT_LIMITS)


def test_one_founder_with_two_startups_gets_one_account(client, director, cohort_id, db, outbox):
    data = make_csv(
        [
            ["18/12/2021 09:00:00", "rina@lurik.id", "Rina", "Batik Lurik", "75jt", ""],
            ["18/12/2021 09:05:00", "RINA@lurik.id", "Rina", "Tenun Lurik", "1,5 M", ""],
        ]
    )
    _page, done = import_file(client, cohort_id, data)
    assert outcome(done) == (2, 0, 0, 1)
    assert [m.recipient for m in outbox()] == ["rina@lurik.id"]
    rina = db.scalar(select(User).where(User.email == "rina@lurik.id"))
    owned = db.scalars(select(Startup).where(Startup.owner_id == rina.id).order_by(Startup.id))
    assert [s.name for s in owned] == ["Batik Lurik", "Tenun Lurik"]
    funding = db.scalars(select(Application.funding_need).order_by(Application.id))
    assert funding == [75_000_000, 1_500_000_000]
