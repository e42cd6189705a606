"""The director's ranking page, the explain view, judge statistics and the CSV/XLSX exports.

The round is test_scoring.py's, built through the database: one harsh judge (Ani: 40 50 60),
one lenient (Budi: 70 80 90), one flat (Citra: 70 70 70), one with a single sheet (Dewi: 100),
one conflicted (Eko, declared after submitting) and one with a draft (Fajar). Two criteria on
0-100 weighted 3 and 1, so T = (3·s1 + s2) / 4. Counted totals 40 50 60 70 80 90 70 70 70 100:
μ = 70, σ = √280 = 16.73; μ_j 50 / 80 / 70 / 100, σ_j 8.16 / 8.16 / 0 / 0.
"""

import csv
import io
import re
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from incubator.extensions import db as _db
from incubator.judging.rounds.rubric import Scale
from tests.conftest import count_queries

JUDGES = ["Ani", "Budi", "Citra", "Dewi", "Eko", "Fajar"]
STARTUPS = ["Batik Lurik", "GamelanVerse", "Kopi Nusantara", "Wayang Digital", "Zamrud Craft"]
# (judge, startup): (Problem and solution, Team), both 0-100 in steps of 5; None: a draft with no score yet.
SHEETS = {
    ("Ani", "Batik Lurik"): (30, 70),  # T 40
    ("Ani", "GamelanVerse"): (50, 50),  # T 50
    ("Ani", "Kopi Nusantara"): (60, 60),  # T 60
    ("Budi", "Batik Lurik"): (70, 70),  # T 70
    ("Budi", "GamelanVerse"): (80, 80),  # T 80
    ("Budi", "Kopi Nusantara"): (100, 60),  # T 90
    ("Citra", "Batik Lurik"): (70, 70),
    ("Citra", "GamelanVerse"): (60, 100),  # T 70
    ("Citra", "Kopi Nusantara"): (70, 70),
    ("Dewi", "Wayang Digital"): (100, 100),  # T 100
    ("Eko", "Batik Lurik"): (0, 0),  # conflicted: does not count
    ("Fajar", "Wayang Digital"): None,  # a draft: does not count
}


def _build_round(app, create_user, create_cohort, names=STARTUPS, sheets=SHEETS, judges=JUDGES, conflict=True, tag=""):
    """A closed round with the given sheets saved through sheets.save_sheet; returns the ids.
    `tag` keeps a second round's cohort, space and judges' e-mails apart from the first's."""
    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.models import Assignment, ConflictDeclaration, Decision, Round
    from incubator.judging.rounds import services
    from incubator.judging.sheets.services import Entry, save_sheet
    from incubator.startups.models import Startup

    made = create_cohort(
        name=f"Hetero for Startup Solo 2026{tag}", areas=((f"crafts{tag}", "Kriya", "Crafts"),), space=f"Solo{tag}"
    )
    users = {name: create_user(email=f"{name.lower()}{tag}@example.org", roles=["judge"], name=name) for name in judges}
    with app.test_request_context("/?lang=en"):
        actor = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        round_ = services.save_round(
            None,
            cohort,
            name="Pitch selection",
            decides_stage="applied",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=3,
            ranking_basis="raw",
            judges_see_scores_after_close=False,
            disagreement_threshold=D(14),
            actor=actor,
        )
        criteria = [
            services.save_criterion(
                round_.rubric,
                None,
                name=name,
                description="",
                weight=D(weight),
                scale=Scale(D(0), D(100), D(5)),
                descriptors={},
                actor=actor,
            )
            for name, weight in (("Problem and solution", 3), ("Team", 1))
        ]
        apps = {}
        for name in names:
            startup = Startup(name=name, city="Solo")
            _db.session.add(startup)
            application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
            _db.session.add(application)
            _db.session.flush()
            change_stage(startup, cohort, "applied", None, system=True)
            apps[name] = application
        for judge, startup in sheets:
            _db.session.add(Assignment(round_id=round_.id, application_id=apps[startup].id, judge_id=users[judge].id))
        services.set_phase(round_, "open", actor)
        _db.session.commit()
        for (judge, startup), values in sheets.items():
            save_sheet(
                round_.id,
                _db.session.get(Application, apps[startup].id),
                _db.session.get(User, users[judge].id),
                {c.id: Entry(str(v) if values else "") for c, v in zip(criteria, values or ("", ""), strict=True)},
                overall_comment="",
                recommendation="advance" if values else None,
                expected_version=0,
                submit=values is not None,
            )
            _db.session.commit()
        round_ = _db.session.get(Round, round_.id)
        if conflict:
            _db.session.add(
                ConflictDeclaration(
                    round_id=round_.id,
                    application_id=apps["Batik Lurik"].id,
                    judge_id=users["Eko"].id,
                    source="director",
                    reason="Mentored the founder last year",
                )
            )
            _db.session.add(Decision(round_id=round_.id, application_id=apps["Wayang Digital"].id, outcome="advance"))
            _db.session.add(Decision(round_id=round_.id, application_id=apps["Batik Lurik"].id, outcome="not_selected"))
        services.set_phase(round_, "closed", _db.session.merge(made.director))
        _db.session.commit()
        return {
            "round": round_.id,
            "apps": {name: a.id for name, a in apps.items()},
            "criteria": [c.id for c in criteria],
            "judges": {name: u.id for name, u in users.items()},
            "director": made.director,
        }


@pytest.fixture
def world(app, create_user, create_cohort):
    return _build_round(app, create_user, create_cohort)


@pytest.fixture
def director(client, login_as, world):
    return login_as(client, world["director"])


class _Tables(HTMLParser):
    """Each <table id=...>'s rows as lists of cell texts, whitespace collapsed."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.current = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables(response) -> dict[str, list[list[str]]]:
    assert response.status_code == 200, response.status_code
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser.tables


def body_rows(response, table_id):
    return tables(response)[table_id][1:]


def facts(response, dl_id) -> dict[str, str]:
    html = response.get_data(as_text=True)
    block = re.search(rf'<dl[^>]*id="{dl_id}"[^>]*>(.*?)</dl>', html, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)
    return {dt: " ".join(re.sub(r"<[^>]+>", " ", dd).split()) for dt, dd in pairs}


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8"), newline="")))


def xlsx_rows(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.get_data()))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


# --- expected figures -----------------------------------------------------------------

RANKING_HEADER = [
    "rank",
    "application_id",
    "startup",
    "raw_score",
    "normalized_score",
    "judges_counted",
    "spread",
    "disagreement",
    "incomplete",
    "decision",
]
# rank, startup, raw, normalised, judges counted, spread, disagreement, incomplete, decision
EXPECTED = [
    ("1", "Wayang Digital", "100.00", "100.00", "1", "0.00", "0", "1", "advance"),
    ("2", "Kopi Nusantara", "73.33", "83.66", "3", "12.47", "0", "0", ""),
    ("3", "GamelanVerse", "66.67", "70.00", "3", "12.47", "0", "0", ""),
    ("4", "Batik Lurik", "60.00", "56.34", "3", "14.14", "1", "0", "not_selected"),
    ("", "Zamrud Craft", "", "", "0", "", "0", "1", ""),
]


def _expected_csv(world):
    return [[rank, str(world["apps"][name]), name, *rest] for rank, name, *rest in EXPECTED]


def _page_row(world, rank, name, raw, normalized, counted, spread, disagreement, incomplete, decision, decimal="."):
    flags = " ".join(
        f
        for f in (
            "Disagreement" if disagreement == "1" else "",
            "Incomplete" if incomplete == "1" else "",
            "Not ranked" if not rank else "",
        )
        if f
    )
    return [
        rank or "–",
        name,
        (raw or "–").replace(".", decimal),
        (normalized or "–").replace(".", decimal),
        f"{counted} / 3",
        (spread or "–").replace(".", decimal),
        flags,
        {"advance": "Advance", "not_selected": "Not selected", "": ""}[decision],
        f"Explain {name}",
    ]


# --- the ranking page -----------------------------------------------------------------


def test_ranking_page_shows_every_figure(client, world, director):
    response = client.get(f"/rounds/{world['round']}/ranking?lang=en")
    assert body_rows(response, "ranking") == [_page_row(world, *row) for row in EXPECTED]
    assert facts(response, "summary") == {
        "Ranked by": "Raw scores",
        "Applications": "5",
        "Ranked": "4",
        "Judges disagree": "1",
        "Incomplete": "2",
        "Decided": "2",
        "Round mean μ": "70.00",
        "Round spread σ": "16.73",
    }
    html = response.get_data(as_text=True)
    assert html.count("<h1>") == 1
    for url in (
        f"/rounds/{world['round']}/ranking.csv",
        f"/rounds/{world['round']}/ranking.xlsx",
        f"/rounds/{world['round']}/scores.csv",
        f"/rounds/{world['round']}/scores.xlsx",
        f"/rounds/{world['round']}/judges",
        f"/rounds/{world['round']}/applications/{world['apps']['Batik Lurik']}/explain",
    ):
        assert f'href="{url}"' in html


def test_ranking_page_in_indonesian_uses_a_decimal_comma(client, world, director):
    response = client.get(f"/rounds/{world['round']}/ranking?lang=id")
    rows = body_rows(response, "ranking")
    assert [r[:6] for r in rows[:4]] == [
        ["1", "Wayang Digital", "100,00", "100,00", "1 / 3", "0,00"],
        ["2", "Kopi Nusantara", "73,33", "83,66", "3 / 3", "12,47"],
        ["3", "GamelanVerse", "66,67", "70,00", "3 / 3", "12,47"],
        ["4", "Batik Lurik", "60,00", "56,34", "3 / 3", "14,14"],
    ]


def test_ranking_csv_is_exactly_the_contract(client, world, director):
    response = client.get(f"/rounds/{world['round']}/ranking.csv?lang=id")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=round-{world['round']}-pitch-selection-ranking.csv"
    )
    assert csv_rows(response) == [RANKING_HEADER, *_expected_csv(world)]  # a dot, whatever the page language


def test_scores_csv_has_every_criterion_of_every_final_sheet(client, world, director):
    response = client.get(f"/rounds/{world['round']}/scores.csv")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=round-{world['round']}-pitch-selection-scores.csv"
    )
    ids = world["apps"]

    def sheet(startup, judge, problem, team, counted="1"):
        common = [str(ids[startup]), startup, f"{judge.lower()}@example.org"]
        return [
            [*common, "Problem and solution", "3", "0", "100", str(problem), counted],
            [*common, "Team", "1", "0", "100", str(team), counted],
        ]

    expected = [
        [
            "application_id",
            "startup",
            "judge_email",
            "criterion",
            "weight",
            "scale_min",
            "scale_max",
            "score",
            "counted",
        ],
        # rank order, then judge e-mail; Fajar's draft is not final, so it is not here
        *sheet("Wayang Digital", "Dewi", 100, 100),
        *sheet("Kopi Nusantara", "Ani", 60, 60),
        *sheet("Kopi Nusantara", "Budi", 100, 60),
        *sheet("Kopi Nusantara", "Citra", 70, 70),
        *sheet("GamelanVerse", "Ani", 50, 50),
        *sheet("GamelanVerse", "Budi", 80, 80),
        *sheet("GamelanVerse", "Citra", 60, 100),
        *sheet("Batik Lurik", "Ani", 30, 70),
        *sheet("Batik Lurik", "Budi", 70, 70),
        *sheet("Batik Lurik", "Citra", 70, 70),
        *sheet("Batik Lurik", "Eko", 0, 0, counted="0"),
    ]
    assert csv_rows(response) == expected


def test_xlsx_files_hold_the_csv_rows_with_numbers_as_numbers(client, world, director):
    ranking = xlsx_rows(client.get(f"/rounds/{world['round']}/ranking.xlsx"))
    assert ranking[0] == RANKING_HEADER
    assert ranking[1] == [1, world["apps"]["Wayang Digital"], "Wayang Digital", 100, 100, 1, 0, 0, 1, "advance"]
    assert ranking[4] == [4, world["apps"]["Batik Lurik"], "Batik Lurik", 60, 56.34, 3, 14.14, 1, 0, "not_selected"]
    assert ranking[5] == [None, world["apps"]["Zamrud Craft"], "Zamrud Craft", None, None, 0, None, 0, 1, None]

    def as_csv(value):
        if value is None:
            return ""
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    # Every cell agrees with the CSV: the two-decimal columns to the cent, the others exactly.
    as_text = [
        [("" if v is None else f"{v:.2f}") if i in (3, 4, 6) else as_csv(v) for i, v in enumerate(row)]
        for row in ranking[1:]
    ]
    assert as_text == _expected_csv(world)

    scores = xlsx_rows(client.get(f"/rounds/{world['round']}/scores.xlsx"))
    from_csv = csv_rows(client.get(f"/rounds/{world['round']}/scores.csv"))
    assert scores[0] == from_csv[0]
    assert [[as_csv(v) for v in row] for row in scores[1:]] == from_csv[1:]
    assert scores[1] == [
        world["apps"]["Wayang Digital"],
        "Wayang Digital",
        "dewi@example.org",
        "Problem and solution",
        3,
        0,
        100,
        100,
        1,
    ]


# --- the explain view -------------------------------------------------------------------


def test_explain_shows_criterion_weight_judge_and_the_normalisation(client, world, director):
    url = f"/rounds/{world['round']}/applications/{world['apps']['Batik Lurik']}/explain?lang=en"
    response = client.get(url)
    assert tables(response)["explain"] == [
        ["Criterion", "Weight", "Scale", "Ani", "Budi", "Citra", "Eko Not counted", "Mean of counted sheets"],
        ["Problem and solution", "3", "0–100", "30", "70", "70", "0", "56.67"],
        ["Team", "1", "0–100", "70", "70", "70", "0", "70.00"],
        ["Sheet total T", "40.00", "70.00", "70.00", "0.00", "60.00"],
        ["Judge's counted sheets in the round", "3", "3", "3", "–", ""],
        ["Judge's mean μ_j", "50.00", "80.00", "70.00", "–", ""],
        ["Judge's spread σ_j", "8.16", "8.16", "0.00", "–", ""],
        ["Normalisation step", "z-score", "z-score", "flat (σ_j = 0): T′ = μ", "–", ""],
        ["Normalised total T′", "49.51", "49.51", "70.00", "–", "56.34"],
    ]
    assert facts(response, "result") == {
        "Rank": "4 of 4",
        "Raw score": "60.00",
        "Normalised score": "56.34",
        "Judges counted": "3 / 3",
        "Spread": "14.14",
        "Flags": "Disagreement",
        "Decision": "Not selected",
        "Ranked by": "Raw scores",
    }
    assert facts(response, "round-figures") == {"Round mean μ": "70.00", "Round spread σ": "16.73"}
    html = response.get_data(as_text=True)
    assert "T = 100 × Σ w·(s − min) / (max − min) / Σ w" in html
    assert "T′ = μ + σ × (T − μ_j) / σ_j" in html
    excluded = re.search(r'<ul class="plain-list" id="excluded">(.*?)</ul>', html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", excluded).split()) == (
        "Eko (Submitted): Conflict of interest: Mentored the founder last year"
    )


def test_explain_a_single_sheet_and_a_draft(client, world, director):
    url = f"/rounds/{world['round']}/applications/{world['apps']['Wayang Digital']}/explain?lang=en"
    response = client.get(url)
    rows = tables(response)["explain"]
    assert rows[0] == ["Criterion", "Weight", "Scale", "Dewi", "Fajar Not counted", "Mean of counted sheets"]
    assert rows[3:] == [
        ["Sheet total T", "100.00", "–", "100.00"],
        ["Judge's counted sheets in the round", "1", "–", ""],
        ["Judge's mean μ_j", "100.00", "–", ""],
        ["Judge's spread σ_j", "0.00", "–", ""],
        ["Normalisation step", "fewer than 3 sheets: T′ = T", "–", ""],
        ["Normalised total T′", "100.00", "–", "100.00"],
    ]
    assert "<strong>Fajar</strong> (Draft): Not submitted (draft)." in response.get_data(as_text=True)


def test_explain_an_application_without_sheets(client, world, director):
    url = f"/rounds/{world['round']}/applications/{world['apps']['Zamrud Craft']}/explain?lang=en"
    response = client.get(url)
    assert response.status_code == 200
    assert facts(response, "result")["Rank"] == "Not ranked"
    assert "No judge has a score sheet for this application yet." in response.get_data(as_text=True)


def test_page_csv_xlsx_and_explain_agree_to_the_cent(client, world, director):
    from_csv = {row[1]: row for row in csv_rows(client.get(f"/rounds/{world['round']}/ranking.csv"))[1:]}
    from_xlsx = {row[1]: row for row in xlsx_rows(client.get(f"/rounds/{world['round']}/ranking.xlsx"))[1:]}
    page = body_rows(client.get(f"/rounds/{world['round']}/ranking?lang=en"), "ranking")
    for row in page:
        application_id = world["apps"][row[1]]
        line = from_csv[str(application_id)]
        cells = from_xlsx[application_id]
        explained = facts(
            client.get(f"/rounds/{world['round']}/applications/{application_id}/explain?lang=en"), "result"
        )
        for page_value, csv_value, xlsx_value, explain_value in (
            (row[2], line[3], cells[3], explained["Raw score"]),
            (row[3], line[4], cells[4], explained["Normalised score"]),
            (row[5], line[6], cells[6], explained["Spread"]),
        ):
            assert page_value == explain_value == (csv_value or "–")
            assert (f"{xlsx_value:.2f}" if xlsx_value is not None else "") == csv_value


# --- judge statistics -------------------------------------------------------------------


def test_judge_statistics_show_harsh_and_lenient_judges(client, world, director):
    response = client.get(f"/rounds/{world['round']}/judges?lang=en")
    assert body_rows(response, "judges") == [
        [
            "Ani ani@example.org",
            "3",
            "0",
            "50.00",
            "8.16",
            "−20.00",
            "z-score",
            "Harsher than the panel by 20.00 points.",
        ],
        [
            "Citra citra@example.org",
            "3",
            "0",
            "70.00",
            "0.00",
            "0.00",
            "flat (σ_j = 0): T′ = μ",
            "In line with the panel.",
        ],
        [
            "Budi budi@example.org",
            "3",
            "0",
            "80.00",
            "8.16",
            "+10.00",
            "z-score",
            "More lenient than the panel by 10.00 points.",
        ],
        [
            "Dewi dewi@example.org",
            "1",
            "0",
            "100.00",
            "0.00",
            "+30.00",
            "fewer than 3 sheets: T′ = T",
            "More lenient than the panel by 30.00 points.",
        ],
        ["Eko eko@example.org", "0", "1", "–", "–", "–", "–", "No counted sheets yet."],
        ["Fajar fajar@example.org", "0", "1", "–", "–", "–", "–", "No counted sheets yet."],
    ]
    assert facts(response, "panel") == {"Panel mean μ": "70.00", "Panel spread σ": "16.73"}


# --- sorting, filtering, pagination -------------------------------------------------------


def _names(client, url):
    return [row[1] for row in body_rows(client.get(url), "ranking")]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ["Wayang Digital", "Kopi Nusantara", "GamelanVerse", "Batik Lurik", "Zamrud Craft"]),
        ("sort=bogus", ["Wayang Digital", "Kopi Nusantara", "GamelanVerse", "Batik Lurik", "Zamrud Craft"]),
        ("sort=normalized", ["Wayang Digital", "Kopi Nusantara", "GamelanVerse", "Batik Lurik", "Zamrud Craft"]),
        # equal spreads (12.47) keep the application order; no spread comes last
        ("sort=spread", ["Batik Lurik", "GamelanVerse", "Kopi Nusantara", "Wayang Digital", "Zamrud Craft"]),
        ("sort=name", ["Batik Lurik", "GamelanVerse", "Kopi Nusantara", "Wayang Digital", "Zamrud Craft"]),
        ("flag=disagreement", ["Batik Lurik"]),
        ("flag=incomplete", ["Wayang Digital", "Zamrud Craft"]),
        ("flag=unranked", ["Zamrud Craft"]),
        ("q=kopi", ["Kopi Nusantara"]),
        ("q=++GAMELAN++", ["GamelanVerse"]),
        ("flag=incomplete&sort=name&q=a", ["Wayang Digital", "Zamrud Craft"]),
        ("q=nothing+like+this", []),
    ],
)
def test_ranking_sort_and_filter(client, world, director, query, names):
    url = f"/rounds/{world['round']}/ranking?lang=en&{query}"
    if not names:
        assert body_rows(client.get(url), "ranking") == [["No applications match."]]
    else:
        assert _names(client, url) == names


def test_ranking_is_paginated(app, client, world, director):
    app.config["PER_PAGE"] = 2
    base = f"/rounds/{world['round']}/ranking?lang=en"
    assert _names(client, base) == ["Wayang Digital", "Kopi Nusantara"]
    second = client.get(base + "&page=2")
    assert [r[1] for r in body_rows(second, "ranking")] == ["GamelanVerse", "Batik Lurik"]
    html = second.get_data(as_text=True)
    assert "Page 2 of 3" in html
    assert re.search(r'href="[^"]*page=3[^"]*" rel="next"', html)
    assert _names(client, base + "&page=3") == ["Zamrud Craft"]
    assert _names(client, base + "&page=99") == ["Zamrud Craft"]  # past the end: the last page
    assert _names(client, base + "&flag=incomplete&page=1") == ["Wayang Digital", "Zamrud Craft"]


# --- spreadsheet formula injection ---------------------------------------------------------


def test_text_cells_are_neutralised_against_formulas(app, client, db, world, director):
    from incubator.auth.models import User
    from incubator.judging.models import Criterion
    from incubator.startups.models import Startup

    evil = '=HYPERLINK("http://evil.example","klik")'
    with db.session() as session:
        startup_id = session.scalar(
            select(Startup.id).where(Startup.name == "Batik Lurik"),
        )
        session.execute(update(Startup).where(Startup.id == startup_id).values(name=evil))
        session.execute(update(Criterion).where(Criterion.id == world["criteria"][1]).values(name="+Team"))
        session.execute(update(User).where(User.id == world["judges"]["Ani"]).values(email="-ani@example.org"))
        session.execute(update(Startup).where(Startup.name == "Zamrud Craft").values(name="@Zamrud\x07 Craft"))

    ranking = csv_rows(client.get(f"/rounds/{world['round']}/ranking.csv"))
    assert ranking[4][2] == "'" + evil
    assert ranking[5][2] == "'@Zamrud Craft"  # and the control character dropped
    scores = csv_rows(client.get(f"/rounds/{world['round']}/scores.csv"))
    batik = [row for row in scores if row[0] == str(world["apps"]["Batik Lurik"])]
    assert batik[0][:4] == [str(world["apps"]["Batik Lurik"]), "'" + evil, "'-ani@example.org", "Problem and solution"]
    assert batik[1][3] == "'+Team"

    book = load_workbook(io.BytesIO(client.get(f"/rounds/{world['round']}/ranking.xlsx").get_data()))
    cell = book.worksheets[0]["C5"]
    assert (cell.value, cell.data_type) == ("'" + evil, "s")
    # The page shows the name as typed, escaped.
    html = client.get(f"/rounds/{world['round']}/ranking?lang=en").get_data(as_text=True)
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;klik&#34;)" in html


def test_numbers_are_not_neutralised():
    from incubator.core.spreadsheets import to_csv
    from incubator.judging import scoring
    from incubator.judging.ranking import exports

    result = scoring.ApplicationResult(7)
    entry = exports.RankingEntry(
        rank=3,
        application_id=7,
        startup="-Minus Studio",
        raw=D("1.50"),
        normalized=D("-3.25"),
        judges_counted=3,
        spread=D("0.00"),
        disagreement=False,
        incomplete=False,
        decision=None,
        result=result,
    )
    data = to_csv(exports.RANKING_COLUMNS, exports.ranking_rows([entry])).decode()
    assert data.splitlines()[1] == "3,7,'-Minus Studio,1.50,-3.25,3,0.00,0,0,"


# --- scoring fixes found while building these pages ---------------------------------------


def test_a_judge_with_equal_totals_is_flat_despite_float_noise():
    from incubator.judging.scoring import STEP_FLAT, Criterion, Sheet, compute_round

    criteria = [Criterion(1, 2.0, 1.0, 5.0), Criterion(2, 1.0, 0.0, 10.0), Criterion(3, 3.0, 1.0, 5.0)]
    # Seven sheets of 98.33…: their float mean is one step off, which once gave σ_j = 1.4e-14.
    sheets = [Sheet(i, 1, i, {1: 5, 2: 5, 3: 5}) for i in range(1, 8)]
    sheets += [Sheet(100 + i, 2, i, {1: 1 + i % 5, 2: 3, 3: 2}) for i in range(1, 8)]
    result = compute_round(criteria, sheets, range(1, 8), judges_per_application=2)
    assert result.judges[1].spread == 0.0
    assert result.judges[1].step == STEP_FLAT
    flat = [r for a in result.applications for r in a.sheets if r.sheet.judge_id == 1]
    assert {(r.step, r.normalized) for r in flat} == {(STEP_FLAT, result.mean)}


def test_rounding_never_shows_minus_zero():
    from incubator.core.figures import rounded

    assert str(rounded(-0.001)) == "0.00"
    assert str(rounded(-0.005)) == "-0.01"


# --- queries do not grow with the rows ----------------------------------------------------


@pytest.mark.parametrize("page", ["ranking", "judges"])
def test_ranking_page_queries_do_not_grow_with_applications(app, client, create_user, create_cohort, login_as, page):
    def round_of(size, tag):
        names = [f"Startup {tag}{n:02d}" for n in range(size)]
        judges = ["Ani", "Budi", "Citra"]
        sheets = {(judge, name): (50 + n % 9 * 5, 40) for n, name in enumerate(names) for judge in judges}
        return _build_round(
            app, create_user, create_cohort, names=names, sheets=sheets, judges=judges, conflict=False, tag=tag
        )

    small, large = round_of(1, "a"), round_of(30, "b")
    login_as(client, "director")
    client.get("/?lang=en")
    small_count = count_queries(app, client, f"/rounds/{small['round']}/{page}")
    large_count = count_queries(app, client, f"/rounds/{large['round']}/{page}")
    assert large_count == small_count
