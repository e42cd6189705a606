"""On the demo data, the ranking page, both CSVs, the XLSX and the explain view agree to the cent."""

from sqlalchemy import select

from incubator.judging.models import Round
from tests.snapshots import demo_world
from tests.test_ranking_pages import body_rows, csv_rows, facts, xlsx_rows


def test_demo_round_agrees_everywhere(app, client, db, login_as):
    demo_world(app)
    from incubator.auth.models import User

    login_as(client, db.scalar(select(User).where(User.email == "director@example.org")))
    from incubator.cohorts.models import Cohort

    round_id = db.scalar(
        select(Round.id)
        .join(Cohort, Round.cohort_id == Cohort.id)
        .where(Round.name == "Seleksi pitch", Cohort.name == "Hetero for Startup Solo 2026")
    )
    ranking = csv_rows(client.get(f"/rounds/{round_id}/ranking.csv"))[1:]
    by_name = {row[2]: row for row in ranking}
    xlsx = {row[1]: row for row in xlsx_rows(client.get(f"/rounds/{round_id}/ranking.xlsx"))[1:]}
    page = body_rows(client.get(f"/rounds/{round_id}/ranking?lang=en"), "ranking")
    assert len(page) == len(ranking) >= 10
    assert sum(1 for row in ranking if row[7] == "1") >= 1  # a disagreement in the demo
    scores = csv_rows(client.get(f"/rounds/{round_id}/scores.csv"))[1:]
    assert any(row[8] == "0" for row in scores)  # a conflicted sheet that does not count
    for row in page:
        line = by_name[row[1]]
        explained = facts(client.get(f"/rounds/{round_id}/applications/{line[1]}/explain?lang=en"), "result")
        for page_value, csv_value, xlsx_value, explain_value in (
            (row[2], line[3], xlsx[int(line[1])][3], explained["Raw score"]),
            (row[3], line[4], xlsx[int(line[1])][4], explained["Normalised score"]),
            (row[5], line[6], xlsx[int(line[1])][6], explained["Spread"]),
        ):
            assert page_value == explain_value == (csv_value or "–")
            assert (f"{xlsx_value:.2f}" if xlsx_value is not None else "") == csv_value


def test_demo_scorecards_show_the_ranking_exports_figures(app, client, db, login_as, tmp_path):
    """Every scorecard in the batch PDF (export-scorecards) and a single one over HTTP carry the
    raw score, normalised score, rank of N, judges counted and spread of ranking.csv."""
    import io
    import re

    from pypdf import PdfReader

    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort

    demo_world(app)
    round_id = db.scalar(
        select(Round.id)
        .join(Cohort, Round.cohort_id == Cohort.id)
        .where(Round.name == "Seleksi pitch", Cohort.name == "Hetero for Startup Solo 2026")
    )
    login_as(client, db.scalar(select(User).where(User.email == "director@example.org")))
    ranking = csv_rows(client.get(f"/rounds/{round_id}/ranking.csv"))[1:]
    ranked = sum(1 for row in ranking if row[0])

    out = tmp_path / "scorecards.pdf"
    result = app.test_cli_runner().invoke(args=["export-scorecards", str(round_id), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{len(ranking)} scorecards written to {out}\n"
    pages = [page.extract_text() for page in PdfReader(out).pages]
    cards = "\n".join(pages).split("Hetero for Startup\nHetero for Startup Solo 2026 · Seleksi pitch")[1:]
    assert len(cards) == len(ranking)

    def figures(text: str) -> list[str]:
        found = re.search(
            r"Result\n(\S+)\nRaw score\n(\S+)\nNormalised score\n(.+)\nRank\n(\d+) / 3\nJudges counted\n(\S+)\nSpread",
            text,
        )
        return list(found.groups())

    for card, row in zip(cards, ranking, strict=True):
        assert card.split("\n")[1] == row[2]  # the startup, in rank order
        rank = f"{row[0]} of {ranked}" if row[0] else "–"
        assert figures(card) == [row[3] or "–", row[4] or "–", rank, row[5], row[6] or "–"]

    first = ranking[0]
    response = client.get(f"/rounds/{round_id}/applications/{first[1]}/scorecard.pdf?lang=en")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    single = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert figures(single) == [first[3], first[4], f"1 of {ranked}", first[5], first[6]]
    assert "Internal: not for founders" in single
