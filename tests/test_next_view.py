# ruff: noqa: F811 - the world and director fixtures are test_ranking_pages.py's, imported
"""Every page shows every change on the next view: nothing is kept between requests.

A page is written for each request from the database: the ranking from the stored results
(which each change's service writes again in its transaction, judging.ranking.results), the other pages
from their own queries. After a change, however it is made, the next view differs from the one
before and equals a view written after it. The round is test_ranking_pages.py's.
"""

import re
from decimal import Decimal as D

import pytest
from sqlalchemy import delete, select, update

from incubator.extensions import db as _db
from tests.conftest import recorded_statements
from tests.test_ranking_pages import body_rows, director, world  # noqa: F401


def _ranking(client, world):
    return body_rows(client.get(f"/rounds/{world['round']}/ranking?lang=en"), "ranking")


def _reads_sheets(statements) -> bool:
    return any(" score_sheets" in s or " scores" in s for s in statements)


def test_the_ranking_page_reads_no_sheet_and_no_score(app, client, world, director):
    """It reads the stored results (judging.ranking.standings)."""
    first = _ranking(client, world)
    with recorded_statements(app) as statements:
        assert _ranking(client, world) == first
    assert not _reads_sheets(statements)


# --- every change a ranking reads ------------------------------------------------------------


def _score(world, judge, startup, criterion=0):
    from incubator.judging.models import Score, ScoreSheet

    return _db.session.scalar(
        select(Score)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .where(
            ScoreSheet.judge_id == world["judges"][judge],
            ScoreSheet.application_id == world["apps"][startup],
            Score.criterion_id == world["criteria"][criterion],
        )
    )


def _change_score(world):
    _score(world, "Ani", "Kopi Nusantara").value = D(100)


def _stored_again(world):
    """What every service that moves a figure does in its transaction: the conflicts found in the
    data (judging.conflicts.found), the final sheets' totals and the round's stored results written
    again (judging.ranking.results)."""
    from incubator.judging.conflicts import found
    from incubator.judging.models import Round, ScoreSheet
    from incubator.judging.ranking import results

    _db.session.flush()
    _db.session.expire_all()
    found.rebuild_all()
    round_ = _db.session.get(Round, world["round"])
    criteria = list(round_.rubric.criteria)
    final = select(ScoreSheet).where(ScoreSheet.round_id == round_.id, ScoreSheet.status == "final")
    for sheet in _db.session.scalars(final):
        sheet.total = results.sheet_total(criteria, sheet)
    results.refresh(round_)


def _bulk_update_scores(world):
    from incubator.judging.models import Score

    _db.session.execute(update(Score).where(Score.criterion_id == world["criteria"][1]).values(value=D(0)))


def _delete_a_sheet(world):
    from incubator.judging.models import ScoreSheet

    _db.session.execute(delete(ScoreSheet).where(ScoreSheet.judge_id == world["judges"]["Budi"]))


def _rename_startup(world):
    from incubator.applications.models import Application

    _db.session.get(Application, world["apps"]["GamelanVerse"]).startup.name = "GamelanVerse Nusantara"


def _decide(world):
    from incubator.judging.models import Decision

    _db.session.add(Decision(round_id=world["round"], application_id=world["apps"]["GamelanVerse"], outcome="advance"))


def _declare_conflict(world):
    from incubator.judging.models import ConflictDeclaration

    _db.session.add(
        ConflictDeclaration(
            round_id=world["round"],
            application_id=world["apps"]["Kopi Nusantara"],
            judge_id=world["judges"]["Ani"],
            source="judge",
            reason="Paman saya pendirinya",
        )
    )


def _judge_joins_the_team(world):
    from incubator.applications.models import Application
    from incubator.startups.models import TeamMember

    startup = _db.session.get(Application, world["apps"]["Kopi Nusantara"]).startup
    _db.session.add(TeamMember(startup_id=startup.id, name="Ani", email="ANI@example.org"))


def _judge_changes_e_mail_to_the_teams_domain(world):
    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.startups.models import TeamMember

    startup = _db.session.get(Application, world["apps"]["GamelanVerse"]).startup
    _db.session.add(TeamMember(startup_id=startup.id, name="Sari", email="sari@gamelan.co.id"))
    _db.session.flush()
    _db.session.commit()
    _db.session.get(User, world["judges"]["Budi"]).email = "budi@gamelan.co.id"


def _judge_mentors_the_startup(world):
    from incubator.applications.models import Application
    from incubator.mentoring.models import MentorAssignment

    application = _db.session.get(Application, world["apps"]["Kopi Nusantara"])
    _db.session.add(MentorAssignment(cohort_startup_id=application.membership.id, mentor_id=world["judges"]["Citra"]))


def _reopen_to_draft(world):
    from incubator.applications.models import Application

    _db.session.get(Application, world["apps"]["GamelanVerse"]).status = "draft"


def _move_on_an_unjudged_startup(world):
    from incubator.applications.models import Application

    _db.session.get(Application, world["apps"]["Zamrud Craft"]).membership.stage = "withdrawn"


def _lower_the_disagreement_threshold(world):
    from incubator.judging.models import Round

    _db.session.get(Round, world["round"]).disagreement_threshold = D(10)


def _reweigh_a_criterion(world):
    from incubator.judging.models import Criterion

    _db.session.get(Criterion, world["criteria"][1]).weight = D(3)


def _submit_a_draft(world):
    from incubator.judging.models import ScoreSheet

    sheet = _db.session.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == world["judges"]["Fajar"]))
    sheet.status = "final"
    for score, value in zip(sheet.scores, (D(0), D(0)), strict=True):
        score.value = value


CHANGES = [
    _change_score,
    _bulk_update_scores,
    _delete_a_sheet,
    _rename_startup,
    _decide,
    _declare_conflict,
    _judge_joins_the_team,
    _judge_changes_e_mail_to_the_teams_domain,
    _judge_mentors_the_startup,
    _reopen_to_draft,
    _move_on_an_unjudged_startup,
    _lower_the_disagreement_threshold,
    _reweigh_a_criterion,
    _submit_a_draft,
]


def _each(changes):
    """Run the test once per change, each named after its function."""
    return pytest.mark.parametrize("change", changes, ids=[c.__name__.strip("_") for c in changes])


def _shows_on_the_next_view(app, world, change, view) -> None:
    """`change`, committed with the stored results its service would write: the next `view()`
    differs from the one before, and a view after it shows the same."""
    before = view()
    with app.test_request_context("/?lang=en"):
        change(world)
        _stored_again(world)
        _db.session.commit()
    after = view()
    assert after != before
    assert view() == after


@_each(CHANGES)
def test_every_change_a_ranking_reads_shows_on_the_next_view(app, client, world, director, change):
    _shows_on_the_next_view(app, world, change, lambda: _ranking(client, world))


# --- what only the assignment board reads -----------------------------------------------------


def _board(client, world) -> str:
    """The assignment page, without its CSRF tokens (signed anew every second)."""
    page = client.get(f"/rounds/{world['round']}/assignments?lang=en").get_data(as_text=True)
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', page)


def _director_becomes_a_judge(world):
    from incubator.auth.models import UserRole

    _db.session.add(UserRole(user_id=world["director"].id, role="judge"))


def _judge_role_taken_away(world):
    from incubator.auth.models import UserRole

    _db.session.delete(
        _db.session.scalar(select(UserRole).where(UserRole.user_id == world["judges"]["Ani"], UserRole.role == "judge"))
    )


def _judge_deactivated(world):
    from incubator.auth.models import User

    _db.session.get(User, world["judges"]["Ani"]).active = False


def _judge_knows_a_focus_area(world):
    from incubator.auth.models import User
    from incubator.cohorts.models import FocusArea
    from incubator.judging.assignments.manual import set_judge_focus_areas

    budi = _db.session.get(User, world["judges"]["Budi"])
    set_judge_focus_areas(budi, _db.session.scalars(select(FocusArea)).all(), world["director"])


def _startup_moves_city(world):
    from incubator.applications.models import Application

    _db.session.get(Application, world["apps"]["Kopi Nusantara"]).startup.city = "Magelang"


BOARD_CHANGES = [
    _director_becomes_a_judge,
    _judge_role_taken_away,
    _judge_deactivated,
    _judge_knows_a_focus_area,
    _startup_moves_city,
]


@_each(BOARD_CHANGES)
def test_every_change_the_assignment_board_reads_shows_on_the_next_view(app, client, world, director, change):
    _shows_on_the_next_view(app, world, change, lambda: _board(client, world))


def test_a_queue_shows_a_startups_new_city(app, client, login_as, world):
    from incubator.auth.models import User

    with app.app_context():
        ani = _db.session.get(User, world["judges"]["Ani"])
    login_as(client, ani)
    address = f"/rounds/{world['round']}/queue?lang=en"
    assert "Magelang" not in client.get(address).get_data(as_text=True)
    with app.test_request_context("/?lang=en"):
        _startup_moves_city(world)
        _db.session.commit()
    assert "Magelang" in client.get(address).get_data(as_text=True)


def test_a_transaction_sees_its_own_changes_before_committing(app, world):
    from incubator.judging.models import Round
    from incubator.judging.ranking.compute import round_ranking

    kopi = world["apps"]["Kopi Nusantara"]
    with app.test_request_context("/?lang=en"):
        round_ = _db.session.get(Round, world["round"])
        assert round_ranking(round_).result.by_application()[kopi].raw == pytest.approx(220 / 3)
        _change_score(world)  # Ani's 60 becomes (3·100 + 60) / 4 = 90
        _stored_again(world)
        assert round_ranking(round_).result.by_application()[kopi].raw == pytest.approx(250 / 3)
        _db.session.rollback()
        round_ = _db.session.get(Round, world["round"])
        assert round_ranking(round_).result.by_application()[kopi].raw == pytest.approx(220 / 3)


def test_reasons_a_sheet_does_not_count_read_in_each_language(app, client, world, director):
    url = f"/rounds/{world['round']}/applications/{world['apps']['Wayang Digital']}/explain"
    for _twice in range(2):
        assert "Not submitted (draft)." in client.get(f"{url}?lang=en").get_data(as_text=True)
        assert "Belum dikirim (draf)." in client.get(f"{url}?lang=id").get_data(as_text=True)


# --- a cohort's figures: its funnel and its number of applications -------------------------


def _cohort_of(app, world) -> int:
    from incubator.judging.models import Round

    with app.app_context():
        return _db.session.get(Round, world["round"]).cohort_id


def _cohort_figures(client, cohort_id) -> tuple:
    """The dashboard's startups by stage (its table for screen readers) and the list's count."""
    dashboard = client.get(f"/cohorts/{cohort_id}?lang=en").get_data(as_text=True)
    listing = client.get(f"/cohorts/{cohort_id}/applications?lang=en").get_data(as_text=True)
    funnel = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', dashboard)
    return tuple(funnel), re.search(r"(\d+) applications?</p>", listing).group(1)


def _withdraw_a_startup(world):
    from incubator.applications.models import Application

    _db.session.get(Application, world["apps"]["Zamrud Craft"]).membership.stage = "withdrawn"


def _a_startup_applies(world):
    from incubator.applications.models import Application
    from incubator.cohorts.models import CohortStartup
    from incubator.startups.models import Startup

    known = _db.session.get(Application, world["apps"]["Zamrud Craft"])
    startup = Startup(name="Tenun Baru", city="Jepara", owner_id=known.startup.owner_id)
    _db.session.add(startup)
    _db.session.flush()
    _db.session.add(
        Application(
            startup_id=startup.id, cohort_id=known.cohort_id, status="submitted", submitted_at=known.submitted_at
        )
    )
    _db.session.add(
        CohortStartup(
            cohort_id=known.cohort_id,
            startup_id=startup.id,
            stage="applied",
            entered_at=known.created_at,
            stage_changed_at=known.created_at,
        )
    )


def _an_application_is_deleted(world):
    from incubator.applications.models import Application

    _db.session.execute(delete(Application).where(Application.id == world["apps"]["Zamrud Craft"]))


COHORT_CHANGES = [_withdraw_a_startup, _a_startup_applies, _an_application_is_deleted]


@_each(COHORT_CHANGES)
def test_a_cohorts_figures_show_every_change_on_the_next_view(app, client, world, director, change):
    cohort_id = _cohort_of(app, world)
    _shows_on_the_next_view(app, world, change, lambda: _cohort_figures(client, cohort_id))


def _startups_by_name(client, cohort_id) -> list[list[str]]:
    """The dashboard's startups table, a list of cells per row."""
    page = client.get(f"/cohorts/{cohort_id}?lang=en").get_data(as_text=True)
    table = page[page.index('<h2 id="startups-h">') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :], re.S)
    cell = r"<t[hd][^>]*>(.*?)</t[hd]>"
    return [[" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in re.findall(cell, row, re.S)] for row in rows]


def _focus_area(world, startup: str):
    """Give the startup the first focus area (the dashboard test gives one to Kopi Nusantara)."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import FocusArea

    area = _db.session.scalar(select(FocusArea).order_by(FocusArea.id).limit(1))
    _db.session.get(Application, world["apps"][startup]).startup.focus_area_id = area.id


def _rename_a_focus_area(world):
    from incubator.cohorts.models import FocusArea

    _db.session.scalar(select(FocusArea).order_by(FocusArea.id).limit(1)).name_en = "Crafts and fashion"


def _give_a_startup_a_focus_area(world):
    _focus_area(world, "GamelanVerse")


DASHBOARD_CHANGES = [
    _rename_startup,
    _startup_moves_city,
    _withdraw_a_startup,
    _a_startup_applies,
    _rename_a_focus_area,
    _give_a_startup_a_focus_area,
]


@_each(DASHBOARD_CHANGES)
def test_the_dashboards_startups_show_every_change_on_the_next_view(app, client, world, director, change):
    cohort_id = _kopi_nusantara_has_a_focus_area(app, world)
    _shows_on_the_next_view(app, world, change, lambda: _startups_by_name(client, cohort_id))


def _kopi_nusantara_has_a_focus_area(app, world) -> int:
    """Give Kopi Nusantara a focus area (so a change of it shows); the round's cohort id."""
    with app.test_request_context("/?lang=en"):
        _focus_area(world, "Kopi Nusantara")
        _db.session.commit()
    return _cohort_of(app, world)


# --- the application list ---------------------------------------------


def _application_list(client, cohort_id, query="", lang="en") -> str:
    """The list below its heading: the filter (its focus areas), the count, the rows and the pager."""
    page = client.get(f"/cohorts/{cohort_id}/applications?lang={lang}{query}").get_data(as_text=True)
    return page[page.index('<details class="filter-box"') : page.index("</main>")]


def _team(world, startup: str):
    from incubator.applications.models import Application

    return _db.session.get(Application, world["apps"][startup]).startup.members[0]


def _funding_need_changes(world):
    from incubator.applications.models import Application

    _db.session.get(Application, world["apps"]["GamelanVerse"]).funding_need = 987_654_321


def _submitted_again(world):
    from datetime import timedelta

    from incubator.applications.models import Application

    application = _db.session.get(Application, world["apps"]["GamelanVerse"])
    application.submitted_at = application.submitted_at - timedelta(days=40)


def _a_founder_is_a_woman(world):
    _team(world, "Kopi Nusantara").is_woman = True


def _a_founder_is_under_30(world):
    _team(world, "Kopi Nusantara").under_30 = True


def _a_member_becomes_a_founder(world):
    _team(world, "Zamrud Craft").is_founder = True


def _startup_declares_women_in_its_team(world):
    from incubator.applications.models import Application

    _db.session.get(Application, world["apps"]["Wayang Digital"]).startup.declared_women_in_team = True


def _cohort_names_another_focus_area(world):
    from incubator.cohorts.models import FocusArea
    from incubator.judging.models import Round

    cohort = _db.session.get(Round, world["round"]).cohort
    cohort.focus_areas.append(_db.session.scalar(select(FocusArea).where(FocusArea.code == "agritech")))


LIST_CHANGES = [
    _rename_startup,
    _startup_moves_city,
    _withdraw_a_startup,
    _a_startup_applies,
    _an_application_is_deleted,
    _rename_a_focus_area,
    _give_a_startup_a_focus_area,
    _funding_need_changes,
    _submitted_again,
    _a_founder_is_a_woman,
    _a_founder_is_under_30,
    _a_member_becomes_a_founder,
    _startup_declares_women_in_its_team,
    _cohort_names_another_focus_area,
]


@pytest.fixture
def teams(app, world):
    """A team member for two startups: Kopi Nusantara's a founder over 30, Zamrud Craft's an
    under-30 member who is not a founder; and a focus area the cohort does not name."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import FocusArea
    from incubator.startups.models import TeamMember

    with app.test_request_context("/?lang=en"):
        for startup, founder, young in (("Kopi Nusantara", True, False), ("Zamrud Craft", False, True)):
            application = _db.session.get(Application, world["apps"][startup])
            _db.session.add(
                TeamMember(startup_id=application.startup_id, name="Sri", is_founder=founder, under_30=young)
            )
        _db.session.add(FocusArea(code="agritech", name_id="Agritek", name_en="Agritech"))
        _db.session.commit()


@_each(LIST_CHANGES)
def test_the_application_list_shows_every_change_on_the_next_view(app, client, world, teams, director, change):
    cohort_id = _kopi_nusantara_has_a_focus_area(app, world)
    _shows_on_the_next_view(app, world, change, lambda: _application_list(client, cohort_id))


def test_the_application_list_is_written_in_the_readers_language(app, client, world, director):
    cohort_id = _cohort_of(app, world)
    listing = _application_list(client, cohort_id)
    assert "Kopi Nusantara" in listing and listing.count("<tr>") == 6  # the heading's row and 5 applications
    for query in ("&q=kopi", "&stage=applied", "&women_led=no"):
        assert "Kopi Nusantara" in _application_list(client, cohort_id, query), query
    english, indonesian = _application_list(client, cohort_id), _application_list(client, cohort_id, lang="id")
    assert "Funding need (Rupiah)" in english and "Kebutuhan pendanaan (Rupiah)" in indonesian


# --- a decided round's figures are a record ----------------------------------------------------


def test_a_conflict_found_after_the_decision_is_shown_and_the_figures_stay(app, client, world, director):
    from incubator.judging.models import Round

    with app.test_request_context("/?lang=en"):
        _db.session.get(Round, world["round"]).phase = "decided"
        _db.session.commit()
    kopi = world["apps"]["Kopi Nusantara"]
    explain = f"/rounds/{world['round']}/applications/{kopi}/explain"

    def figures(rows):  # every cell but the flags
        return [row[:6] + row[7:] for row in rows]

    before = _ranking(client, world)
    explained = client.get(f"{explain}?lang=en").get_data(as_text=True)
    assert "found after the decision" not in explained
    with app.test_request_context("/?lang=en"):
        _declare_conflict(world)  # Ani, on Kopi Nusantara
        _stored_again(world)  # the round is decided: its stored figures stay
        _db.session.commit()
    after = _ranking(client, world)
    assert figures(after) == figures(before)
    flags = {row[1]: row[6] for row in after}
    assert flags["Kopi Nusantara"].endswith("Conflict found after the decision")
    assert [name for name, flag in flags.items() if "after the decision" in flag] == ["Kopi Nusantara"]
    page = client.get(f"{explain}?lang=en").get_data(as_text=True)
    late = page[page.index('<h2 id="found-after-h">') :]
    assert "Conflicts found after the decision" in late
    assert "<strong>Ani</strong>: Conflict of interest: Paman saya pendirinya" in late
    assert re.findall(r"<dd>([\d.,–]+)</dd>", page)[:3] == re.findall(r"<dd>([\d.,–]+)</dd>", explained)[:3]
    indonesian = client.get(f"{explain}?lang=id").get_data(as_text=True)
    assert "Konflik yang ditemukan setelah keputusan" in indonesian
