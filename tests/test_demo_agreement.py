"""On the demo data, the ranking page, both CSVs, the XLSX and the explain view agree to the cent."""

from sqlalchemy import select

from incubator.judging.models import Round
from tests.test_ranking_pages import body_rows, csv_rows, facts, xlsx_rows


def test_demo_round_agrees_everywhere(app, client, db, login_as):
    app.test_cli_runner().invoke(args=["seed-demo"])
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
