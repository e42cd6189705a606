# ruff: noqa: F811 - `demo` and `report` are the fixtures imported from tests.test_cohort_report
"""The cohort report as a director reads it, on the demo data: the first page's exact figures (and
the same figures from the exports and the models), the PDF's outline, every chart's two named axes
and each histogram bin labelled, a long ranking cut to its top with the rest counted, and the
smaller cities added up."""

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from incubator.applications.models import Application
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.extensions import db as _db
from incubator.judging.models import Round
from incubator.startups.models import Startup
from tests.test_cohort_report import _page, _section, csv_rows, demo, pdf_pages, report  # noqa: F401

PROGRAMME = ["Batik Lurik Nusantara", "GamelanVerse", "Kriya Bambu Sragen", "TaniTech Banyumas", "Topeng Interaktif"]


def test_cohort_report_summary_page_has_the_exact_figures(app, client, db, demo, report):
    lines = report[0].split("\n")
    assert lines[:2] == ["Hetero for Startup", "Cohort report: Hetero for Startup Solo 2026"]
    assert _section(report[0], "Summary", "Startups by stage Startups by city") == [
        "13Applications",
        "received",
        "13 submitted",
        "5In the",
        "programme",
        "38% of 13 startups",
        "38%Women-led",
        "5 of 13 startups",
        "54%Youth-led",
        "7 of 13 startups",
        "7Cities and",
        "regencies",
        "most: Surakarta",
    ]
    # The same counts from the rows and the models' own definitions.
    assert db.scalar(select(func.count(Application.id)).where(Application.cohort_id == demo)) == 13
    with app.app_context():
        startups = _db.session.scalars(
            select(Startup)
            .join(CohortStartup, CohortStartup.startup_id == Startup.id)
            .where(CohortStartup.cohort_id == demo)
        ).all()
        assert (len(startups), sum(s.women_led for s in startups), sum(s.youth_led for s in startups)) == (13, 5, 7)

    assert _section(report[0], "City or regency Startups Share In the programme", "KPIs, latest month reported") == [
        "Surakarta 4 31% 1",
        "Boyolali 2 15% 0",
        "Klaten 2 15% 1",
        "Sukoharjo 2 15% 1",
        "Banyumas 1 8% 1",
        "Jepara 1 8% 0",
        "Sragen 1 8% 1",
    ]

    # KPIs: each startup's latest month added up (the months move with the calendar: read from kpis.csv).
    latest: dict[str, list[str]] = {}
    funding = 0
    for row in csv_rows(client.get(f"/cohorts/{demo}/kpis.csv")):
        funding += int(row[6])
        if row[1] not in latest or row[0] > latest[row[1]][0]:
            latest[row[1]] = row
    months = sorted(row[0] for row in latest.values())
    span = " – ".join(datetime.strptime(m, "%Y-%m").strftime("%b %y") for m in (months[0], months[-1]))
    total = [sum(int(row[i]) for row in latest.values()) for i in (2, 3, 4, 5)]
    assert (total, funding) == ([36_940_000, 131, 13, 10], 25_000_000)
    assert _section(report[0], "KPIs, latest month reported", "Growth across gates") == [
        f"Startups reporting 5 ({span})",
        "Revenue in the month Rp 36,940,000",
        "Paying customers 131",
        "Employees (full-time / part-time) 13 / 10",
        "Funding raised to date Rp 25,000,000",
    ]

    # The growth headline: the mean of the startups' growth from the growth section's last step.
    assert _section(report[0], "Growth across gates", "Top ten: Seleksi pitch (Raw scores · Closed)") == [
        "−1.49 points",
        "From Seleksi pitch to Demo day, the 2 startups",
        "scored at both gates changed by −1.49 points on",
        "average on 7 shared criteria (0–100 scale). Grew",
        "most: GamelanVerse (0.00).",
    ]

    # The top ten of the latest round with decisions: ranking.csv's first ten lines, with the city.
    top = _section(report[0], "Rank Startup City Raw Normalised Decision", "Stage")
    assert top == [
        "1 Batik Lurik Nusantara Surakarta 84.57 86.85 Advance",
        "2 GamelanVerse Sukoharjo 76.85 78.66 Advance",
        "3 TaniTech Banyumas Banyumas 71.30 74.21 Advance",
        "4 Kriya Bambu Sragen Sragen 63.58 64.19 Advance",
        "5 Topeng Interaktif Klaten 60.49 60.92 Advance",
        "6 Dalang Cilik Academy Surakarta 56.17 56.12 –",
        "7 Wayang Kulit AR Surakarta 55.56 53.75 –",
        "8 Kopi Merapi Boyolali 54.94 54.76 –",
        "9 Sanggar Digital Klaten 47.84 47.09 –",
        "10 Jamu Gendong Digital Sukoharjo 43.83 42.79 Not selected",
    ]
    pitch = db.scalar(select(Round.id).where(Round.cohort_id == demo, Round.name == "Seleksi pitch"))
    ranking = csv_rows(client.get(f"/rounds/{pitch}/ranking.csv"))[:10]
    assert [" ".join(line.split()[:1]) for line in top] == [row[0] for row in ranking]
    assert all(row[2] in line and f"{row[3]} {row[4]}" in line for row, line in zip(ranking, top, strict=True))


def _outline(data: bytes) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, in order."""
    reader = PdfReader(io.BytesIO(data))
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


@pytest.mark.parametrize(
    ("lang", "titles"),
    [
        (
            "en",
            [
                "Summary",
                "Who applied",
                "Ranking: Seleksi pitch",
                "Ranking: Demo day",
                "Mentoring, attendance and KPIs",
                "Growth across gates",
                "From Seleksi pitch to Demo day",
                "Startups in the programme (5)",
            ],
        ),
        (
            "id",
            [
                "Ringkasan",
                "Siapa yang mendaftar",
                "Peringkat: Seleksi pitch",
                "Peringkat: Demo day",
                "Pendampingan, kehadiran, dan KPI",
                "Pertumbuhan antargerbang",
                "Dari Seleksi pitch ke Demo day",
                "Startup dalam program (5)",
            ],
        ),
    ],
)
def test_cohort_report_outline_has_a_bookmark_per_part_and_startup(client, demo, lang, titles):
    data = client.get(f"/cohorts/{demo}/report.pdf?lang={lang}").data
    levels = [1, 1, 1, 1, 1, 1, 2, 1]
    assert _outline(data) == [
        *((level, title, page) for level, title, page in zip(levels, titles, [1, 2, 3, 4, 5, 6, 6, 7], strict=True)),
        *((2, name, 7 + n) for n, name in enumerate(PROGRAMME)),
    ]


def test_cohort_report_charts_name_both_axes_and_label_every_bin(app, demo):
    from incubator.reports.cohort_pdf import cohort_report_html
    from incubator.reports.cohort_report import cohort_report

    with app.test_request_context("/?lang=en"):
        html = cohort_report_html(cohort_report(_db.session.get(Cohort, demo)))
    charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    # Stage, focus area, city, business stage; a histogram per round; the cohort's revenue; the growth
    # chart; a revenue line per programme startup.
    assert len(charts) == 4 + 2 + 1 + 1 + 5
    for chart in charts:
        names = re.findall(r'<text class="axis-title"[^>]*>([^<]*)</text>', chart)
        assert len(names) == 2 and all(names), (names, chart[:200])
    histograms = [c for c in charts if "Raw score (0–100)" in c]
    assert len(histograms) == 2
    for chart in histograms:
        bins = [f"{i}–{i + 10}" for i in range(0, 100, 10)]
        assert re.findall(r'text-anchor="middle" fill="#1d2327">(\d+–\d+)</text>', chart) == bins
    assert re.findall(r'<text class="axis-title"[^>]*>([^<]*)</text>', histograms[0]) == [
        "Applications",
        "Raw score (0–100)",
    ]


def test_cohort_report_lists_the_top_of_a_long_ranking_and_counts_the_rest(client, demo, monkeypatch):
    from incubator.reports import cohort_report

    monkeypatch.setattr(cohort_report, "RANKING_ROWS", 5)
    page = _page(pdf_pages(client.get(f"/cohorts/{demo}/report.pdf?lang=en").data), "Ranking: Seleksi pitch")
    lines = _section(page, "Ranking: the top 5 of 12")
    assert lines[0] == "Rank Startup Raw Normalised Judges Spread Flags Decision"
    assert [line.split()[0] for line in lines[1:6]] == ["1", "2", "3", "4", "5"]
    assert lines[6] == (
        "The other 7 applications are in the round’s ranking page and its ranking.csv; the counts above cover them all."
    )
    # The counts still cover the whole round.
    assert "12\nApplications\n12 ranked" in page and "8\nDecided\n5 advanced" in page


def test_cohort_profile_adds_up_the_cities_past_the_printed_rows(app, demo, monkeypatch):
    from incubator.reports import cohort_summary

    monkeypatch.setattr(cohort_summary, "GROUP_ROWS", 3)
    with app.test_request_context("/?lang=en"):
        profile = cohort_summary.cohort_profile(demo)
    rows = [(g.label, g.startups, g.programme, g.women_led, g.youth_led) for g in profile.cities]
    assert rows[:2] == [("Surakarta", 4, 1, 2, 4), ("Boyolali", 2, 0, 1, 1)]
    # Klaten, Sukoharjo, Banyumas, Jepara and Sragen.
    assert rows[2][:3] == ("Other cities (5)", 7, 4)
    assert sum(r[1] for r in rows) == profile.total.startups == 13 and profile.city_count == 7
    stages = [(g.label, g.startups) for g in profile.business_stages]
    assert stages == [("Idea", 4), ("MVP", 4), ("Early revenue", 4), ("Growth", 1)]


def test_cohort_report_names_the_startups_yet_to_report_kpis_in_one_line(app, client, demo):
    from sqlalchemy import delete

    from incubator.kpis.models import KpiReport

    with app.app_context():
        topeng = _db.session.scalar(
            select(CohortStartup.id)
            .join(Startup, Startup.id == CohortStartup.startup_id)
            .where(CohortStartup.cohort_id == demo, Startup.name == "Topeng Interaktif")
        )
        _db.session.execute(delete(KpiReport).where(KpiReport.cohort_startup_id == topeng))
        _db.session.commit()
    pages = pdf_pages(client.get(f"/cohorts/{demo}/report.pdf?lang=en").data)
    lines = _section(_page(pages, "Mentoring, attendance and KPIs"), "KPIs")
    assert lines[0] == "Startup Latest month Revenue Growth Paying customers Growth"
    # The startup, then its latest month ("November 2026": the demo's months follow the calendar).
    assert [re.match(r"(.+?) [A-Z][a-z]+ \d{4} Rp ", line).group(1) for line in lines[1:5]] == PROGRAMME[:4]
    assert lines[5] == "No report yet (1): Topeng Interaktif."
    assert "Startups reporting 4 " in pages[0]
