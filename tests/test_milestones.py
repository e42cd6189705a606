"""Milestones: the director's per-stage checklist, founders' ticks with evidence (unsafe links
refused), verification by an assigned mentor or a director, and who may do what."""

from sqlalchemy import func, select

from incubator.extensions import db as _db
from incubator.milestones.evidence import link_problem
from incubator.milestones.models import Milestone, MilestoneProgress
from tests import kpi_helpers
from tests.conftest import post_form
from tests.kpi_helpers import assign_mentor

incubating = kpi_helpers.incubating  # the fixture


def _milestones(app, cohort_id):
    from incubator.cohorts.models import Cohort
    from incubator.milestones import services

    with app.test_request_context():
        cohort = _db.session.get(Cohort, cohort_id)
        kw = {"description": "", "position": None, "actor": None}
        made = [
            services.save_milestone(cohort, None, stage="pre_incubation", title="NIB terdaftar", **kw),
            services.save_milestone(cohort, None, stage="pre_incubation", title="MVP diluncurkan", **kw),
            services.save_milestone(cohort, None, stage="incubation", title="Pendanaan pertama", **kw),
        ]
        _db.session.commit()
        return [m.id for m in made]


def test_link_problem_refuses_unsafe_schemes():
    assert link_problem("https://oss.go.id/nib/123") is None
    assert link_problem("http://toko.example/batik") is None
    assert link_problem("") is None
    assert link_problem("javascript:alert(1)") == "scheme"
    assert link_problem(" JavaScript:alert(1)") == "scheme"
    assert link_problem("java\tscript:alert(1)") == "scheme"
    assert link_problem("data:text/html,<script>alert(1)</script>") == "scheme"
    assert link_problem("ftp://files.example/x") == "scheme"
    assert link_problem("https://") == "host"


def test_director_defines_checklist_per_stage(app, client, db, login_as, incubating):
    world = incubating()
    login_as(client, world.director)
    url = f"/cohorts/{world.cohort_id}/milestones?lang=en"
    data = {"stage": "pre_incubation", "title": "NIB terdaftar", "description": "Nomor Induk Berusaha", "position": ""}
    assert post_form(client, url, data).status_code == 302
    assert post_form(client, url, {**data, "title": "MVP diluncurkan", "position": "abc"}).status_code == 200
    page = post_form(client, url, {**data, "title": "nib terdaftar"}).get_data(as_text=True)
    assert "This stage already has a milestone with that title." in page
    assert post_form(client, url, {**data, "stage": "incubation", "title": "Pendanaan"}).status_code == 302
    rows = db.scalars(select(Milestone).order_by(Milestone.id))
    assert [(m.stage, m.title, m.position) for m in rows] == [
        ("pre_incubation", "NIB terdaftar", 1),
        ("incubation", "Pendanaan", 1),
    ]
    edit = f"/cohorts/{world.cohort_id}/milestones/{rows[0].id}/edit"
    assert post_form(client, edit, {**data, "title": "NIB terbit", "position": "5"}).status_code == 302
    assert db.scalar(select(Milestone.title).where(Milestone.id == rows[0].id)) == "NIB terbit"
    remove = f"/cohorts/{world.cohort_id}/milestones/{rows[1].id}/remove"
    assert "Remove the milestone" in post_form(client, remove, page=url).get_data(as_text=True)
    assert post_form(client, remove, {"confirm": "1"}, page=url).status_code == 302
    assert db.scalar(select(func.count(Milestone.id))) == 1


def test_founder_ticks_with_evidence_and_unsafe_link_is_refused(app, client, db, login_as, incubating):
    world = incubating()
    cs = world.startups[0]
    nib, mvp, funding = _milestones(app, world.cohort_id)
    login_as(client, cs.founder)
    page_url = f"/cohort-startups/{cs.id}/milestones?lang=en"
    tick = f"/cohort-startups/{cs.id}/milestones/{nib}/tick?lang=en"
    page = post_form(
        client, tick, {f"m{nib}-evidence_url": "javascript:alert(1)", f"m{nib}-evidence_note": "NIB ok"}, page=page_url
    )
    assert "Only http:// and https:// links are accepted." in page.get_data(as_text=True)
    assert "NIB ok" in page.get_data(as_text=True)  # nothing typed is lost
    page = post_form(client, tick, {}, page=page_url).get_data(as_text=True)
    assert "Give a link or a short note as evidence." in page
    assert db.scalar(select(func.count(MilestoneProgress.id))) == 0
    response = post_form(client, tick, {f"m{nib}-evidence_url": "https://oss.go.id/nib/9120"}, page=page_url)
    assert response.status_code == 302
    progress = db.scalar(select(MilestoneProgress))
    assert (progress.milestone_id, progress.evidence_url, progress.verified_at) == (
        nib,
        "https://oss.go.id/nib/9120",
        None,
    )
    # A milestone of a later stage cannot be ticked yet.
    later = f"/cohort-startups/{cs.id}/milestones/{funding}/tick?lang=en"
    page = post_form(client, later, {f"m{funding}-evidence_note": "Dana hibah"}, page=page_url).get_data(as_text=True)
    assert "This milestone belongs to a later stage than your startup" in page
    # Untick while not verified.
    untick = f"/cohort-startups/{cs.id}/milestones/{nib}/untick"
    assert post_form(client, untick, page=page_url).status_code == 302
    assert db.scalar(select(func.count(MilestoneProgress.id))) == 0
    assert mvp


def test_assigned_mentor_verifies_and_founder_cannot_untick(app, client, db, create_user, login_as, incubating):
    world = incubating(names=("Batik Lurik", "TaniTech"))
    cs, other = world.startups
    nib, _mvp, _funding = _milestones(app, world.cohort_id)
    mentor = create_user(email="mentor@example.org", roles=["mentor"])
    assign_mentor(app, mentor, cs.id)
    login_as(client, cs.founder)
    page_url = f"/cohort-startups/{cs.id}/milestones?lang=en"
    post_form(
        client,
        f"/cohort-startups/{cs.id}/milestones/{nib}/tick",
        {f"m{nib}-evidence_note": "NIB terbit 2 Mei"},
        page=page_url,
    )
    verify = f"/cohort-startups/{cs.id}/milestones/{nib}/verify"
    assert post_form(client, verify, page=page_url).status_code == 403  # a founder does not verify
    login_as(client, mentor)
    assert client.get(f"/cohort-startups/{other.id}/milestones").status_code == 404
    assert post_form(client, f"/cohort-startups/{other.id}/milestones/{nib}/verify", page=page_url).status_code == 404
    assert post_form(client, verify, page=page_url).status_code == 302
    progress = db.scalar(select(MilestoneProgress))
    assert progress.verified_by_id == mentor.id
    login_as(client, cs.founder)
    client.get(page_url)
    post_form(client, f"/cohort-startups/{cs.id}/milestones/{nib}/untick", page=page_url)
    assert db.scalar(select(func.count(MilestoneProgress.id))) == 1
    page = client.get(page_url).get_data(as_text=True)
    assert "ask your mentor to withdraw the verification first" in page
    assert "1 of 3 done, 1 verified." in page
    login_as(client, create_user(roles=["judge"]))
    assert client.get(page_url).status_code == 404


def test_cohort_overview_counts_each_startup(app, client, login_as, incubating):
    from incubator.cohorts.models import CohortStartup
    from incubator.milestones import queries, services

    world = incubating(names=("Batik Lurik", "TaniTech"))
    nib, mvp, _funding = _milestones(app, world.cohort_id)
    with app.test_request_context():
        cs = _db.session.get(CohortStartup, world.startups[0].id)
        progress = services.tick(cs, _db.session.get(Milestone, nib), "", "NIB", None)
        services.tick(cs, _db.session.get(Milestone, mvp), "https://batik.example", "", None)
        services.verify(progress, None)
        _db.session.commit()
        rows = queries.cohort_overview(cs.cohort)
        assert [(r.cohort_startup.startup.name, r.ticked, r.verified, r.total) for r in rows] == [
            ("Batik Lurik", 2, 1, 2),
            ("TaniTech", 0, 0, 2),
        ]
        summary = queries.milestone_summary(cs)
        assert (summary.done, summary.verified, summary.total) == (2, 1, 3)
    login_as(client, world.director)
    page = client.get(f"/cohorts/{world.cohort_id}/milestones").get_data(as_text=True)
    assert "Batik Lurik" in page and "TaniTech" in page
