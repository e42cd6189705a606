"""The judging journey end to end, on phones (360 px): two judges open their queue, one scores an
application and submits, the other declares a conflict of interest on it instead; the director closes
the round (confirming its incomplete applications), checks the ranking, advances the top 2 in bulk
through the preview, and downloads ranking.csv and scores.csv from the browser. Every page passes
axe and never scrolls sideways."""

import csv
import io

from sqlalchemy import select

from incubator.extensions import db as _db
from incubator.judging.models import ConflictDeclaration, Decision, Round, ScoreSheet
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.conftest import DEFAULT_PASSWORD
from tests.test_decisions import world  # noqa: F401 - the fixture: an open round of seven applications

RANKING_HEADER = (
    "rank,application_id,startup,raw_score,normalized_score,judges_counted,spread,disagreement,incomplete,decision"
)
SCORES_HEADER = "application_id,startup,judge_email,criterion,weight,scale_min,scale_max,score,counted"


def _sign_in(page, email):
    page.goto("/auth/login?lang=en")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def _check(page, check_accessible):
    check_accessible(page)
    assert_no_horizontal_scroll(page)


def _phone(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 780}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _download(page, link_name) -> tuple[str, str]:
    with page.expect_download() as info:
        page.locator("main").get_by_role("link", name=link_name, exact=True).first.click()
    download = info.value
    with open(download.path(), encoding="utf-8", newline="") as handle:
        return download.suggested_filename, handle.read()


def test_judges_score_and_director_decides_and_downloads(
    app,
    browser,
    base_url,
    phone,
    client,
    login_as,
    check_accessible,
    world,  # noqa: F811
):
    from playwright.sync_api import expect

    round_id, apps = world["round"], world["apps"]
    problem, team = world["criteria"]
    anyaman = apps["Anyaman"]
    maya, hendra = world["judges"][1], world["judges"][2]

    # --- Maya scores Anyaman from her phone and submits -----------------------------------------
    page = phone
    _sign_in(page, maya.email)
    page.goto(f"/rounds/{round_id}/queue?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your queue: Seleksi pitch")
    _check(page, check_accessible)
    page.get_by_role("link", name="Score Anyaman").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anyaman")
    _check(page, check_accessible)
    page.locator(f"#score-{problem}-4").check()
    page.locator(f"#score-{team}-4").check()
    page.get_by_label("Comment on Problem").fill("Strong weavers' network")
    page.get_by_label("Maybe").check()
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("main")).to_contain_text("Your scores for Anyaman are submitted and locked.")
    _check(page, check_accessible)

    # --- Hendra declares a conflict on Anyaman instead of scoring it -----------------------------
    context, other = _phone(browser, base_url)
    try:
        _sign_in(other, hendra.email)
        other.goto(f"/rounds/{round_id}/queue?lang=en")
        item = other.locator(f"#application-{anyaman}")
        item.get_by_text("Declare a conflict of interest").click()
        item.get_by_label("Why can you not judge Anyaman fairly?").fill("My cousin weaves for them")
        item.get_by_role("button", name="Declare the conflict").click()
        expect(other.locator(f"#application-{anyaman}")).to_contain_text("Conflict declared")
        _check(other, check_accessible)
    finally:
        context.close()
    with app.app_context():
        sheet = _db.session.scalar(
            select(ScoreSheet).where(ScoreSheet.judge_id == maya.id, ScoreSheet.application_id == anyaman)
        )
        assert sheet.status == "final"
        assert {s.criterion_id: s.value for s in sheet.scores} == {problem: 4, team: 4}
        declared = _db.session.scalar(select(ConflictDeclaration).where(ConflictDeclaration.judge_id == hendra.id))
        assert (declared.application_id, declared.reason) == (anyaman, "My cousin weaves for them")

    # --- the director closes the round, checks the ranking, advances the top 2 -------------------
    context, page = _phone(browser, base_url)
    try:
        _sign_in(page, world["director"].email)
        page.goto(f"/rounds/{round_id}?lang=en")
        page.locator("main").get_by_role("button", name="Close scoring").click()
        table = page.get_by_role("region", name="Incomplete applications").inner_text()
        assert "Anyaman\t2 / 3" in table and "Kopi Merapi\t0 / 3" in table
        _check(page, check_accessible)
        page.get_by_role("button", name="Close scoring anyway").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Decisions: Seleksi pitch")
        with app.app_context():
            assert _db.session.get(Round, round_id).phase == "closed"

        page.goto(f"/rounds/{round_id}/ranking?lang=en")
        _check(page, check_accessible)
        rows = page.locator("table tbody tr")
        shown = [rows.nth(i).locator("td").all_inner_texts()[:7] for i in range(rows.count())]
        assert [r[:3] + r[4:6] for r in shown] == [
            ["1", "Batik Lurik", "100.00", "3 / 3", "0.00"],
            ["2", "GamelanVerse", "75.00", "3 / 3", "0.00"],
            ["2", "Sanggar Digital", "75.00", "3 / 3", "0.00"],
            ["4", "TaniTech", "50.00", "3 / 3", "0.00"],
            ["4", "Wayang AR", "50.00", "3 / 3", "40.82"],
            ["4", "Anyaman", "50.00", "2 / 3", "25.00"],
            ["–", "Kopi Merapi", "–", "0 / 3", "–"],
        ]
        assert shown[5][6].split() == ["Disagreement", "Incomplete"]

        page.goto(f"/rounds/{round_id}/decisions?lang=en")
        page.get_by_label("How many to advance (the top N)").fill("2")
        page.get_by_role("button", name="Preview the top N").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Preview of the decisions")
        expect(page.locator("main")).to_contain_text(
            "3 applications advance · 0 applications are not selected · 3 e-mails will be queued"
        )
        _check(page, check_accessible)
        with app.app_context():
            assert _db.session.scalar(select(Decision)) is None  # the preview wrote nothing
        page.get_by_role("button", name="Confirm 3 decisions").click()
        expect(page.locator("main")).to_contain_text("3 decisions have been recorded. 3 e-mails are queued.")
        _check(page, check_accessible)

        # --- both CSVs, downloaded from the ranking page -------------------------------------------
        page.goto(f"/rounds/{round_id}/ranking?lang=en")
        name, ranking_csv = _download(page, "ranking.csv")
        assert name == f"round-{round_id}-seleksi-pitch-ranking.csv"
        name, scores_csv = _download(page, "scores.csv")
        assert name == f"round-{round_id}-seleksi-pitch-scores.csv"
    finally:
        context.close()

    ranking_rows = list(csv.reader(io.StringIO(ranking_csv)))
    assert ranking_csv.splitlines()[0] == RANKING_HEADER
    picked = [[r[0], r[2], r[3], r[5], r[6], r[7], r[8], r[9]] for r in ranking_rows[1:]]
    assert picked == [
        ["1", "Batik Lurik", "100.00", "3", "0.00", "0", "0", "advance"],
        ["2", "GamelanVerse", "75.00", "3", "0.00", "0", "0", "advance"],
        ["2", "Sanggar Digital", "75.00", "3", "0.00", "0", "0", "advance"],
        ["4", "TaniTech", "50.00", "3", "0.00", "0", "0", ""],
        ["4", "Wayang AR", "50.00", "3", "40.82", "1", "0", ""],
        ["4", "Anyaman", "50.00", "2", "25.00", "1", "1", ""],
        ["", "Kopi Merapi", "", "0", "", "0", "1", ""],
    ]
    assert [int(r[1]) for r in ranking_rows[1:]] == [apps[r[1]] for r in picked]

    assert scores_csv.splitlines()[0] == SCORES_HEADER
    score_rows = list(csv.DictReader(io.StringIO(scores_csv)))
    assert len(score_rows) == 2 * (3 * 5 + 2)  # two criteria × (3 sheets on five startups + 2 on Anyaman)
    assert [
        (r["judge_email"], r["criterion"], r["weight"], r["score"], r["counted"])
        for r in score_rows
        if r["startup"] == "Anyaman"
    ] == [
        ("agus.juri@gmail.com", "Problem", "2", "2", "1"),
        ("agus.juri@gmail.com", "Team", "1", "2", "1"),
        ("maya.juri@yahoo.com", "Problem", "2", "4", "1"),
        ("maya.juri@yahoo.com", "Team", "1", "4", "1"),
    ]

    # The files the browser saved are the exports the server makes, byte for byte.
    login_as(client, world["director"])
    assert client.get(f"/rounds/{round_id}/ranking.csv").get_data(as_text=True) == ranking_csv
    assert client.get(f"/rounds/{round_id}/scores.csv").get_data(as_text=True) == scores_csv
