"""Growth across gates in documents and the rubric builder, on the seeded two-gate cohort of
tests/growth_world.py: rubric links, the cohort report's growth section, the next gate's scorecard,
and the demo (`seed-demo`) showing growth and proposals."""

import pytest
from sqlalchemy import select

from incubator.extensions import db as _db
from tests import growth_world
from tests.snapshots import kept_world
from tests.test_growth import _act, _growth_rows, _proposals


@pytest.fixture
def world(app, create_user, create_cohort):
    return kept_world(app, "growth-two-gates", lambda: growth_world.build(app, create_user, create_cohort))


def test_rubric_links_show_shared_criteria_and_a_change_breaks_one_link(app, db, world):
    from decimal import Decimal

    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort
    from incubator.growth.figures import gate_criteria, shared_lines
    from incubator.growth.queries import rubric_links
    from incubator.judging.models import Criterion, Round
    from incubator.judging.rounds import services
    from incubator.judging.rounds.rubric import Scale

    def third_gate():
        actor = _db.session.get(User, world.director_id)
        cohort = _db.session.get(Cohort, world.cohort_id)
        third = growth_world._round(services, cohort, actor, "Graduation review", "incubation")
        services.share_rubric(_db.session.get(Round, world.gates[1]), third, actor)
        market = third.rubric.criteria[1]
        # A new weight keeps the link; a new scale breaks it.
        for weight, top in ((Decimal(3), Decimal(5)), (Decimal(3), Decimal(10))):
            services.save_criterion(
                third.rubric,
                market,
                name="Market",
                description="",
                weight=weight,
                scale=Scale(Decimal(1), top, Decimal(1)),
                descriptors={},
                actor=actor,
            )
        return third.id

    third = _act(app, third_gate)
    problem, market, team = world.criteria[0]
    with app.test_request_context("/?lang=en"):
        round_ = _db.session.get(Round, third)
        links = rubric_links(round_.rubric)
        rows = [(c.criterion.name, c.source.id if c.source else None, c.broken) for c in links.criteria]
        assert rows == [("Problem", problem, False), ("Market", market, True), ("Team", team, False)]
        assert [r.name for r in links.sharing_rounds] == ["Pitch selection", "Demo day"]
        gates = gate_criteria([world.gates[0], world.gates[1], third])
        new_market = _db.session.scalar(
            select(Criterion.id).where(Criterion.rubric_id == round_.rubric.id, Criterion.name == "Market")
        )
        assert shared_lines(gates) == {problem, market, team, new_market} - {new_market}
        assert set(gates[third]) == {problem, new_market, team}
    from incubator.audit.models import AuditEvent

    actions = db.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.action.in_(("rubric.shared", "criterion.unlinked")))
        .order_by(AuditEvent.id)
    )
    assert actions == ["rubric.shared", "rubric.shared", "criterion.unlinked"]


def test_share_rubric_refuses_a_round_not_yet_opened_or_of_another_cohort(app, world, create_cohort):
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort
    from incubator.core.errors import ServiceError
    from incubator.judging.models import Round
    from incubator.judging.rounds import services

    with app.test_request_context("/?lang=en"):
        actor = _db.session.get(User, world.director_id)
        cohort = _db.session.get(Cohort, world.cohort_id)
        draft = growth_world._round(services, cohort, actor, "Graduation review", "incubation")
        other = growth_world._round(services, cohort, actor, "Second look", "incubation")
        with pytest.raises(ServiceError, match="opened for scoring"):
            services.share_rubric(draft, other, actor)
        with pytest.raises(ServiceError, match="frozen"):
            services.share_rubric(draft, _db.session.get(Round, world.gates[1]), actor)
        _db.session.rollback()


def test_cohort_report_growth_section_has_the_exact_figures(app, world, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(
        args=["export-cohort-report", str(world.cohort_id), "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    pages = [page.extract_text() for page in PdfReader(out).pages]
    growth = next(text for text in pages if "Proposed action items per mentor" in text)  # not the summary
    lines = growth.split("\n")
    start = lines.index(
        "Criterion Cohort mean at Pitch selection Cohort mean at Demo day Startups Mean change (points)"
    )
    # Gate 2's means on 0-100: Problem 83.33, Market 70.83, Team 58.33; the startups' changes: Alpha
    # (0 + 25 + 0) / 3 = 8.33, Beta (0 + 37.5 + 0) / 3 = 12.50, Gamma (25 + 0 + 25) / 3 = 16.67.
    assert lines[start + 1 : start + 18] == [
        "Problem 62.50 83.33 3 +8.33",
        "Market 43.75 70.83 3 +20.83",
        "Team 43.75 58.33 3 +8.33",
        "Grew most Change (points) Grew least Change (points)",
        "Gamma +16.67 Alpha +8.33",
        "Group Value Startups Mean change (points)",
        "Women-led Yes 2 +10.42",
        "No 1 +16.67",
        "Youth-led Yes 2 +12.50",
        "No 1 +12.50",
        "City or regency Surakarta 2 +10.42",
        "Semarang 1 +16.67",
        "Proposed action items per mentor",
        "Mentor Waiting Accepted Dismissed Closed before the next gate",
        "Mentor Growth 3 0 0 0",
        "Demo day Pitch selectionCriterion",  # the chart: its legend and its rows' axis, then its scale
        "0",
    ]
    assert "3 startups scored at both gates." in growth


def test_seed_demo_shares_the_rubric_and_shows_growth_and_proposals(app, db, client, login_as):
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.growth.models import ActionProposal
    from incubator.judging.models import Criterion, Round, Rubric
    from incubator.startups.models import Startup
    from tests.snapshots import demo_world

    demo_world(app)
    cohort = db.scalar(select(Cohort.id).where(Cohort.name == "Hetero for Startup Solo 2026"))
    rounds = {r.name: r.id for r in db.scalars(select(Round).where(Round.cohort_id == cohort))}
    linked = db.scalars(
        select(Criterion.same_as_id)
        .join(Rubric, Rubric.id == Criterion.rubric_id)
        .where(Rubric.round_id == rounds["Demo day"])
        .order_by(Criterion.position)
    )
    first = db.scalars(
        select(Criterion.id)
        .join(Rubric, Rubric.id == Criterion.rubric_id)
        .where(Rubric.round_id == rounds["Seleksi pitch"])
        .order_by(Criterion.position)
    )
    assert linked == first and len(first) == 7
    statuses = sorted(p.status for p in db.scalars(select(ActionProposal)))
    assert statuses == ["accepted", "dismissed", "proposed", "proposed", "proposed"]
    batik = db.scalar(
        select(CohortStartup.id)
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .where(CohortStartup.cohort_id == cohort, Startup.name == "Batik Lurik Nusantara")
    )
    login_as(client, db.scalar(select(User).where(User.email == "director@example.org")))
    rows = _growth_rows(client, f"/cohort-startups/{batik}?lang=en")
    assert rows[0] == ["Masalah dan solusi", "91.67 (60.00)", "87.50 (83.33)"]
    assert len(rows) == 7
    login_as(client, db.scalar(select(User).where(User.email == "founder1@example.org")))
    rows = _growth_rows(client, f"/cohort-startups/{batik}?lang=en")
    assert rows[0] == ["Masalah dan solusi", "91.67 (60.00)", "not released"]
    login_as(client, db.scalar(select(User).where(User.email == "mentor1@example.org")))
    page = client.get("/proposals?lang=en").get_data(as_text=True)
    # The header and three rows: Topeng Interaktif's two proposals are mentor2's.
    assert page.count("<tr>") == 1 + 3


def test_next_gates_scorecard_shows_the_items_proposed_at_the_previous_gate(app, db, client, world, login_as):
    from incubator.auth.models import User
    from incubator.growth import proposals
    from incubator.growth.models import ActionProposal
    from incubator.mentoring.queries import today_wib
    from incubator.mentoring.services import set_item_status
    from tests.test_cohort_report import pdf_pages

    def answer():
        mentor = _db.session.get(User, world.mentor_id)
        beta, team, problem = (_db.session.get(ActionProposal, p.id) for p in _proposals(_db.session))
        item = proposals.accept(beta, mentor, title="Hitung pasar", owner_id=None, due_on=today_wib())
        set_item_status(item, mentor, "done")
        proposals.dismiss(team, mentor, reason="Tim sudah lengkap.")
        proposals.accept(problem, mentor, title="Wawancarai 20 pengguna", owner_id=None, due_on=today_wib())

    _act(app, answer)
    login_as(client, db.scalar(select(User).where(User.id == world.director_id)))
    gate = world.gates[1]

    def items_table(application, version=""):
        url = f"/rounds/{gate}/applications/{world.apps[application]}/scorecard.pdf?lang=en{version}"
        lines = "\n".join(pdf_pages(client.get(url).data)).split("\n")
        start = lines.index("Action items since the previous gate") + 1
        end = next(i for i in range(start, len(lines)) if lines[i] in ("Recommendations", "Comments"))
        return lines[start:end]

    assert items_table("Beta") == [
        "Criterion Action item Status Done before this gate",
        "Market Hitung pasar (Pitch selection) Accepted · Done Yes",
    ]
    assert items_table("Gamma") == [
        "Criterion Action item Status Done before this gate",
        "Team Work on “Team” (Pitch selection) Dismissed –",
        "Problem Wawancarai 20 pengguna (Pitch selection) Accepted · Open No",
    ]
    # Founders' copy: only the items accepted (the dismissed proposal is the mentors' business).
    assert items_table("Gamma", "&version=founder") == [
        "Criterion Action item Status Done before this gate",
        "Problem Wawancarai 20 pengguna (Pitch selection) Accepted · Open No",
    ]


def test_rubric_builder_shares_an_earlier_rounds_rubric(app, db, client, world, login_as):
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort
    from incubator.judging.models import Criterion, Round
    from incubator.judging.rounds import services
    from tests.conftest import csrf_token

    def draft():
        actor = _db.session.get(User, world.director_id)
        return growth_world._round(
            services, _db.session.get(Cohort, world.cohort_id), actor, "Graduation", "incubation"
        ).rubric.id

    rubric_id = _act(app, draft)
    login_as(client, db.scalar(select(User).where(User.id == world.director_id)))
    page = client.get(f"/rubrics/{rubric_id}?lang=en").get_data(as_text=True)
    assert "No other round shares this rubric" in page and '<label for="source_id">Share the rubric of</label>' in page
    response = client.post(
        f"/rubrics/{rubric_id}/share?lang=en",
        data={"csrf_token": csrf_token(client, f"/rubrics/{rubric_id}"), "source_id": str(world.gates[1])},
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/rubrics/{rubric_id}"
    page = client.get(f"/rubrics/{rubric_id}?lang=en").get_data(as_text=True)
    assert "This round now shares the rubric of “Demo day”." in page
    assert page.count("Same as in Pitch selection") == 3
    assert "Shares criteria with: Pitch selection, Demo day." in page
    linked = db.scalars(
        select(Criterion.same_as_id).where(Criterion.rubric_id == rubric_id).order_by(Criterion.position)
    )
    assert linked == world.criteria[0]
    assert db.scalar(select(Round.phase).where(Round.id == world.gates[1])) == "closed"
