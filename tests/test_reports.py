# ruff: noqa: F811 - `world` is the fixture imported from tests.test_decisions
"""Scorecard PDFs: the renderer fetches only the app's static files, user text is escaped, the
founder version shows only what was released, and who may download what."""

import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from incubator.extensions import db as _db
from incubator.judging.models import Round
from incubator.reports.pdf import REPORT_BASE_URL, RefusedURL, StaticOnlyFetcher, render_pdf, static_path
from tests.conftest import pdf_structure_problems
from tests.test_decisions import _release, _set_phase, world  # noqa: F401 - the fixture


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def listener():
    """A real HTTP server on a free local port that counts every request it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/config.py",
        "data:text/css,body{color:red}",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/x.css",
        "http://localhost/static/css/app.css",
        "https://evil.example/static/fonts/NotoSans-Regular.ttf",
        "https://reports.incubator.invalid:8443/static/fonts/NotoSans-Regular.ttf",
        "http://reports.incubator.invalid/static/fonts/NotoSans-Regular.ttf",
        "https://reports.incubator.invalid/etc/passwd",
        "https://reports.incubator.invalid/static/../../config.py",
        "https://reports.incubator.invalid/static/%2e%2e/%2e%2e/config.py",
        "https://reports.incubator.invalid/static/js/nothing-here.css",
        "https://reports.incubator.invalid/static/fonts/LICENSE-Noto.txt",
    ],
)
def test_static_path_refuses_anything_but_the_apps_static_files(url):
    with pytest.raises(RefusedURL):
        static_path(url)


def test_static_path_serves_the_vendored_fonts_and_stylesheets():
    assert static_path(REPORT_BASE_URL + "static/fonts/NotoSans-Regular.ttf").name == "NotoSans-Regular.ttf"
    assert static_path(REPORT_BASE_URL + "static/css/app.css").name == "app.css"


def test_rendering_a_document_that_asks_for_files_and_hosts_fetches_none(listener):
    url, hits = listener
    asks = [
        "file:///etc/passwd",
        f"{url}/style.css",
        f"{url}/redirect-to-file",
        "http://169.254.169.254/latest/meta-data/",
    ]
    html = (
        "<html><head>"
        + "".join(f'<link rel="stylesheet" href="{a}">' for a in asks[:2])
        + "</head><body><p>Hello</p>"
        + "".join(f'<img src="{a}" alt="x">' for a in asks[2:])
        + '<img src="static/favicon.svg" alt="logo"></body></html>'
    )
    fetcher = StaticOnlyFetcher()
    data = render_pdf(html, fetcher)
    assert data.startswith(b"%PDF-")
    assert "Hello" in pdf_text(data)
    assert hits == []  # the local server never saw a request
    assert sorted(fetcher.refused) == sorted(asks)


def test_scorecard_escapes_user_text_and_fetches_nothing_it_names(app, world, db, client, login_as, listener):  # noqa: F811
    from incubator.applications.models import Application

    url, hits = listener
    apps = world["apps"]
    hostile = f'<img src="file:///etc/passwd"><link rel="stylesheet" href="{url}/x.css">Batik & "Lurik"'
    with app.app_context():
        _db.session.get(Application, apps["Batik Lurik"]).startup.name = hostile
        _db.session.commit()
    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    response = client.get(f"/rounds/{world['round']}/applications/{apps['Batik Lurik']}/scorecard.pdf?lang=en")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=scorecard-round-{world['round']}-{apps['Batik Lurik']}"
        "-img-src-file-etc-passwd-link-rel-stylesh.pdf"
    )
    text = pdf_text(response.data)
    assert "".join(hostile.split()) in "".join(text.split())  # shown as typed (lines may wrap anywhere)
    assert hits == []


def test_internal_scorecard_names_or_letters_the_judges(app, world, client, login_as):  # noqa: F811
    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    base = f"/rounds/{world['round']}/applications/{world['apps']['Wayang AR']}/scorecard.pdf?lang=en"
    named = pdf_text(client.get(base).data)
    assert "Criterion Weight Agus Setiawan Hendra Wijaya Maya Kusuma Mean Round mean" in named
    assert "Problem (1–5) 2 5 3 1 3.00" in named
    assert "Overall\nOverall 1 on Wayang AR" in named
    assert "Problem note 2 on Wayang AR" in named
    lettered = pdf_text(client.get(base + "&judges=letters").data)
    assert "Criterion Weight Judge A Judge B Judge C Mean Round mean" in lettered
    assert "Agus" not in lettered and "Maya" not in lettered
    assert "Internal: not for founders" in lettered


def test_founder_scorecard_shows_only_what_was_released(app, world, db, client, login_as):  # noqa: F811
    from incubator.auth.models import User

    apps, (problem, team) = world["apps"], world["criteria"]
    _set_phase(app, world, "closed")
    rina = db.scalar(select(User).where(User.email == "rina@gmail.com"))
    url = f"/applications/{apps['Batik Lurik']}/feedback/{world['round']}/scorecard.pdf?lang=en"
    login_as(client, rina)
    assert client.get(url).status_code == 404  # nothing released yet
    _release(app, world, {problem: (True, False), team: (False, True)}, overall=False)
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Criterion Weight Judge A Judge B Judge C Mean Round mean" in text
    assert "Problem (1–5) 2 5 5 5 5.00" in text
    assert "Team (1–5)" not in text  # Team's scores are not released, its comments are
    assert "Judge A · Team\nTeam note 1 on Batik Lurik" in text
    assert "Problem note" not in text and "Overall 1" not in text
    assert "Feedback for the founders" in text
    for name in ("Agus", "Maya", "Hendra", "juri"):
        assert name not in text
    # The director gets the same founder version from the round's URL.
    login_as(client, world["director"])
    director_copy = client.get(
        f"/rounds/{world['round']}/applications/{apps['Batik Lurik']}/scorecard.pdf?version=founder&lang=en"
    )
    assert pdf_text(director_copy.data).split("generated")[0] == text.split("generated")[0]


def test_founder_scorecard_is_404_for_other_founders_and_judges(app, world, db, client, login_as, create_user):  # noqa: F811
    apps, problem = world["apps"], world["criteria"][0]
    _set_phase(app, world, "closed")
    _release(app, world, {problem: (True, True)}, overall=True)
    url = f"/applications/{apps['Batik Lurik']}/feedback/{world['round']}/scorecard.pdf"
    login_as(client, create_user(email="someone@gmail.com", roles=["applicant"]))
    assert client.get(url).status_code == 404
    login_as(client, world["judges"][0])
    assert client.get(url).status_code == 404
    assert client.get(f"/rounds/{world['round']}/applications/{apps['Batik Lurik']}/scorecard.pdf").status_code == 403


def test_export_scorecards_cli_refuses_an_unknown_round_and_writes_html(app, world, tmp_path):  # noqa: F811
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export-scorecards", "999999", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "No round with id 999999" in result.output
    out = tmp_path / "round.html"
    result = runner.invoke(args=["export-scorecards", str(world["round"]), "--out", str(out), "--html", "--lang", "en"])
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "@font-face" in html and "<link" not in html  # the CSS is inlined
    assert html.count('<section class="card">') == 7
    with app.app_context():
        assert _db.session.get(Round, world["round"]).phase == "open"  # exporting changes nothing


def test_round_scorecards_small_round_downloads_at_once(app, world, client, login_as):  # noqa: F811
    app.config["EXPORT_BACKGROUND_PAGES"] = 14  # 7 applications x 2 pages: not more than that
    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    response = client.get(f"/rounds/{world['round']}/scorecards.pdf?lang=en&judges=letters")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=round-{world['round']}-seleksi-pitch-scorecards.pdf"
    )
    text = pdf_text(response.data)
    assert [line for line in text.split("\n") if line in world["apps"]] == [
        "Batik Lurik",
        "GamelanVerse",
        "Sanggar Digital",
        "TaniTech",
        "Wayang AR",
        "Anyaman",
        "Kopi Merapi",
    ]
    assert "Agus" not in text


def test_round_scorecards_large_round_runs_as_a_job_in_two_processes(
    app,
    world,
    db,
    client,
    login_as,
    monkeypatch,  # noqa: F811
):
    from incubator.jobs.models import ExportJob
    from incubator.reports import batch

    app.config["EXPORT_BACKGROUND_PAGES"] = 13
    app.config["EXPORT_JOBS_SYNC"] = True
    app.config["REPORT_WORKERS"] = 2  # two processes render the three chunks, merged in order
    monkeypatch.setattr(batch, "CARDS_PER_CHUNK", 3)
    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    response = client.get(f"/rounds/{world['round']}/scorecards.pdf?lang=en")
    assert response.status_code == 202  # CONTRACT.md: the job's page
    job = db.scalar(select(ExportJob))
    assert (job.kind, job.params, job.status) == ("scorecards", {"round_id": world["round"], "named": True}, "finished")
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert response.headers["Location"] == f"/jobs/{job.id}"
    # Reloading the export's page with the same data finds the same job.
    again = client.get(f"/rounds/{world['round']}/scorecards.pdf?lang=en")
    assert (again.status_code, again.headers["Location"]) == (202, f"/jobs/{job.id}")
    assert db.scalar(select(func.count(ExportJob.id))) == 1
    download = client.get(f"/jobs/{job.id}/download")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename=round-{world['round']}-seleksi-pitch-scorecards.pdf"
    )
    text = pdf_text(download.data)
    assert text.count("Internal: not for founders") == len(PdfReader(io.BytesIO(download.data)).pages)
    assert "Criterion Weight Agus Setiawan Hendra Wijaya Maya Kusuma Mean Round mean" in text
    names = [line for line in text.split("\n") if line in world["apps"]]
    assert names == [
        "Batik Lurik",
        "GamelanVerse",
        "Sanggar Digital",
        "TaniTech",
        "Wayang AR",
        "Anyaman",
        "Kopi Merapi",
    ]


def test_scorecard_pdfs_are_well_formed(app, world, client, login_as, tmp_path):
    """The structural checks of qpdf's library (through pikepdf, no system binary) find no error
    in a single scorecard nor in a merged batch."""
    from incubator.reports import batch

    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    single = tmp_path / "single.pdf"
    single.write_bytes(
        client.get(f"/rounds/{world['round']}/applications/{world['apps']['Anyaman']}/scorecard.pdf").data
    )
    merged = tmp_path / "merged.pdf"
    with app.test_request_context("/?lang=en"):
        from incubator.judging.ranking.compute import round_ranking
        from incubator.reports import scorecards
        from incubator.reports.render import scorecards_html

        cards = scorecards.internal_scorecards(round_ranking(_db.session.get(Round, world["round"])))
        parts = [scorecards_html(list(chunk)) for chunk in batch.chunks(cards, 3)]
    merged.write_bytes(batch.render_documents(parts, workers=1))
    for path in (single, merged):
        assert pdf_structure_problems(path.read_bytes()) == []
    assert len(PdfReader(merged).pages) >= 7


def test_the_structure_check_finds_a_damaged_pdf():
    """The check the PDF tests rely on is real: a cut cross-reference table is reported."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(out)
    data = out.getvalue()
    assert pdf_structure_problems(data) == []
    problems = pdf_structure_problems(data[: len(data) // 2] + b"garbage" + data[len(data) // 2 :])
    assert any("xref not found" in problem for problem in problems)
