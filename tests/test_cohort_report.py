"""The cohort report PDF: on the demo data its figures equal the CSV exports (ranking, attendance,
KPIs) and the judge statistics; user text is escaped and fetches nothing; the PDF is well formed
and numbered "page X of Y"; long reports run as a background job; the CLI writes PDF and HTML."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from incubator.auth.models import User
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.judging.models import Round
from incubator.kpis.growth import growth
from incubator.reports.cohort_report import score_bins
from incubator.startups.models import Startup
from tests.conftest import pdf_structure_problems
from tests.snapshots import demo_world
from tests.test_reports import listener  # noqa: F401 - the fixture

DEMO_COHORT = "Hetero for Startup Solo 2026"


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))[1:]


@pytest.fixture
def demo(app, db, client, login_as):
    """The demo data, the director signed in; the demo cohort's id."""
    demo_world(app)
    app.config["EXPORT_BACKGROUND_PAGES"] = 20
    login_as(client, db.scalar(select(User).where(User.email == "director@example.org")))
    return db.scalar(select(Cohort.id).where(Cohort.name == DEMO_COHORT))


@pytest.fixture
def report(client, demo):
    """The demo cohort's report in English, as the text of each page."""
    response = client.get(f"/cohorts/{demo}/report.pdf?lang=en")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=cohort-{demo}-hetero-for-startup-solo-2026-report.pdf"
    )
    return pdf_pages(response.data)


def _page(pages: list[str], heading: str) -> str:
    found = [text for text in pages if heading in text.split("\n")]
    assert len(found) == 1, heading
    return found[0]


def _section(text: str, heading: str, following: str | None = None) -> list[str]:
    lines = text.split("\n")
    start = lines.index(heading) + 1
    end = lines.index(following) if following else len(lines)
    return lines[start:end]


def test_score_bins_counts_raw_scores_in_ten_point_bins():
    bins = score_bins([Decimal("0"), Decimal("9.99"), Decimal("10"), Decimal("55.5"), Decimal("99.99"), Decimal(100)])
    assert bins == [
        ("0–10", 2),
        ("10–20", 1),
        ("20–30", 0),
        ("30–40", 0),
        ("40–50", 0),
        ("50–60", 1),
        ("60–70", 0),
        ("70–80", 0),
        ("80–90", 0),
        ("90–100", 2),
    ]


def test_cohort_report_ranking_tables_equal_ranking_csv(client, db, demo, report):
    rounds = db.scalars(select(Round).where(Round.cohort_id == demo, Round.phase != "draft").order_by(Round.position))
    assert len(rounds) == 2
    for round_ in rounds:
        rows = csv_rows(client.get(f"/rounds/{round_.id}/ranking.csv"))
        assert rows
        table = _section(
            _page(report, f"Ranking: {round_.name}"), "Rank Startup Raw Normalised Judges Spread Flags Decision"
        )
        for row, line in zip(rows, table, strict=False):
            rank, _app, startup, raw, normalized, judges, spread = row[:7]
            figures = " ".join(value or "–" for value in (raw, normalized, judges, spread))
            assert line.startswith(f"{rank or '–'} {startup} {figures}"), (line, row)
            assert ("Disagreement" in line) == (row[7] == "1")
            assert ("Incomplete" in line) == (row[8] == "1")
            decision = {"advance": "Advance", "not_selected": "Not selected", "": "–"}[row[9]]
            assert line.endswith(decision)


def test_cohort_report_judge_statistics_equal_the_judges_page_figures(app, db, demo, report):
    from incubator.core.figures import points, signed
    from incubator.extensions import db as _db
    from incubator.judging.ranking.compute import round_ranking
    from incubator.judging.ranking.statistics import judge_rows

    for name in ("Seleksi pitch", "Demo day"):
        round_ = db.scalar(select(Round).where(Round.cohort_id == demo, Round.name == name))
        with app.test_request_context("/?lang=en"):
            rows = judge_rows(round_ranking(_db.session.get(Round, round_.id)))
            expected = [
                f"{r.judge.name} {r.sheets} {points(r.mean)} {points(r.spread)} {signed(r.difference)}" for r in rows
            ]
        assert len(expected) == 3
        # Each round's page holds its judges, between their heading and the ranking's.
        lines = _section(_page(report, f"Ranking: {name}"), "Judge statistics", "Ranking")
        assert lines[0] == "Judge Sheets Mean Spread Difference to the panel"
        assert lines[1:] == expected


def test_cohort_report_attendance_equals_attendance_csv(client, demo, report):
    rows = csv_rows(client.get(f"/cohorts/{demo}/attendance.csv"))
    expected = {row[1]: f"{row[3]} / {row[4]}" for row in rows}  # startup: attended / required
    assert len(expected) == 5
    # One line per startup: stage, mentors, sessions, last session, open and overdue items, attended.
    page = _page(report, "Mentoring, attendance and KPIs")
    lines = _section(page, "Overdue Attended", "Framed: below the requirement.")
    shown = {}
    for line in lines:
        for startup in expected:
            if line.startswith(startup + " Pre-incubation "):
                shown[startup] = " ".join(line.split()[-3:])
    assert shown == expected


def _growth_label(previous: str | None, current: str) -> str:
    value = growth(int(previous), int(current)) if previous else None
    if value is None:
        return "–"
    return f"{'+' if value > 0 else ''}{value.normalize():f}%"


def test_cohort_report_kpis_equal_kpis_csv(client, demo, report):
    rows = csv_rows(client.get(f"/cohorts/{demo}/kpis.csv"))
    by_startup: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        by_startup.setdefault(row[1], {})[row[0]] = row
    lines = _section(_page(report, "KPIs"), "Startup Latest month Revenue Growth Paying customers Growth")
    assert len(by_startup) == 5
    for startup, months in by_startup.items():
        latest = max(months)
        month, _name, revenue, customers = months[latest][:4]
        previous = months.get(f"{int(latest[:4]) - (latest[5:] == '01')}-{(int(latest[5:]) - 2) % 12 + 1:02d}")
        label = datetime.strptime(month, "%Y-%m").strftime("%B %Y")
        expected = (
            f"{startup} {label} Rp {int(revenue):,} {_growth_label(previous and previous[2], revenue)} "
            f"{customers} {_growth_label(previous and previous[3], customers)}"
        )
        assert expected in lines


def test_cohort_report_has_a_page_per_programme_startup_numbered_x_of_y(db, demo, report):
    programme = db.scalars(
        select(Startup.name)
        .join(CohortStartup, CohortStartup.startup_id == Startup.id)
        .where(CohortStartup.cohort_id == demo, CohortStartup.stage.in_(("pre_incubation", "incubation", "graduated")))
    )
    # The summary, who applied, one page per round, the programme (mentoring, attendance, KPIs),
    # growth, and one page per programme startup.
    assert len(report) == 2 + 2 + 1 + 1 + len(programme) == 11
    for number, text in enumerate(report, start=1):
        assert text.rstrip().endswith(f"page {number} of {len(report)}")
        assert f"Hetero for Startup · {DEMO_COHORT} · generated " in text
    assert "Cohort report: Hetero for Startup" in report[0] and "Hetero Space Solo (Surakarta)" in report[0]
    for name in programme:
        page = _page(report, name)
        assert "Scores per round" in page and "Milestones" in page and "Stage history" in page


def test_cohort_report_escapes_user_text_and_fetches_nothing(app, db, client, demo, listener, tmp_path):  # noqa: F811
    url, hits = listener
    startup_id = db.scalar(
        select(CohortStartup.startup_id).where(CohortStartup.cohort_id == demo, CohortStartup.stage == "pre_incubation")
    )
    with db.session() as session:
        row = session.get(Startup, startup_id)
        row.name = "<script>alert(1)</script>"
        row.city = '<img src="file:///etc/passwd">'
        row.description = f'<link rel="stylesheet" href="{url}/x.css"><img src="{url}/y.png"> file:///etc/shadow'
        row.website = f"{url}/site"
    response = client.get(f"/cohorts/{demo}/report.pdf?lang=en")
    assert response.status_code == 200
    assert hits == []
    text = "\n".join(pdf_pages(response.data))
    assert "<script>alert(1)</script>" in text
    assert '<img src="file:///etc/passwd">' in text
    out = tmp_path / "report.html"
    result = app.test_cli_runner().invoke(args=["export-cohort-report", str(demo), "--out", str(out), "--html"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<link" not in html and "<img" not in html


def test_cohort_report_pdf_passes_qpdf_check(client, demo):
    """The structural checks of qpdf's library, through pikepdf (no system binary), find no error."""
    assert pdf_structure_problems(client.get(f"/cohorts/{demo}/report.pdf").data) == []


def test_cohort_report_long_runs_as_a_job_then_downloads(app, db, client, demo):
    from incubator.jobs.models import ExportJob

    app.config["EXPORT_BACKGROUND_PAGES"] = 10  # the demo report is estimated at 11 pages (and has 11)
    app.config["EXPORT_JOBS_SYNC"] = True
    response = client.get(f"/cohorts/{demo}/report.pdf?lang=en")
    assert response.status_code == 202  # CONTRACT.md: the job's page, its address in Location
    job = db.scalar(select(ExportJob))
    assert (job.kind, job.params, job.status, job.locale) == ("cohort_report", {"cohort_id": demo}, "finished", "en")
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert f"Download cohort-{demo}-" in client.get(response.headers["Location"]).get_data(as_text=True)
    download = client.get(f"/jobs/{job.id}/download")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename=cohort-{demo}-hetero-for-startup-solo-2026-report.pdf"
    )
    pages = pdf_pages(download.data)
    assert len(pages) == 11
    assert f"Cohort report: {DEMO_COHORT}".split()[0] in pages[0]


def test_export_cohort_report_cli_writes_pdf_and_html_and_refuses_unknown(app, demo, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export-cohort-report", "999999", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "No cohort with id 999999" in result.output
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["export-cohort-report", str(demo), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Cohort report (2 rounds, 5 startups) written to {out}\n"
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert len(pages) == 11 and pages[-1].rstrip().endswith("page 11 of 11")
    html_out = tmp_path / "report.html"
    result = runner.invoke(args=["export-cohort-report", str(demo), "--out", str(html_out), "--html"])
    assert result.exit_code == 0, result.output
    html = html_out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="id">' in html
    assert "@font-face" in html and "<link" not in html  # the CSS is inlined
    assert html.count('<section class="startup">') == 5


def test_cohort_dashboard_links_the_report(client, demo):
    page = client.get(f"/cohorts/{demo}?lang=en").get_data(as_text=True)
    assert f'href="/cohorts/{demo}/report.pdf">Cohort report (PDF)</a>' in page
