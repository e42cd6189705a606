"""The command line of CONTRACT.md."""

from decimal import Decimal

from sqlalchemy import func, select

from incubator.audit.models import AuditEvent
from incubator.auth.models import User
from incubator.auth.passwords import verify_password
from incubator.core.database import utcnow


def _create(runner, *extra, email="new@example.org", password="Gudeg-Jogja-2026"):
    args = ["create-user", "--email", email, "--name", "Nur Hidayah", "--password", password, *extra]
    return runner.invoke(args=args)


def test_create_user_with_several_roles(app, db):
    result = _create(app.test_cli_runner(), "--role", "mentor", "--role", "judge")
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.email == "new@example.org"))
    assert result.output == f"Created user {user.id} <new@example.org> with roles: judge, mentor\n"
    assert user.roles == {"judge", "mentor"}
    assert user.email_confirmed
    assert verify_password(user.password_hash, "Gudeg-Jogja-2026")
    assert user.password_hash.startswith("scrypt:")


def test_create_user_refuses_duplicate_email(app):
    runner = app.test_cli_runner()
    assert _create(runner, "--role", "judge").exit_code == 0
    result = _create(runner, "--role", "judge", email="NEW@example.org")
    assert result.exit_code == 1
    assert result.output == "Error: Akun dengan alamat e-mail ini sudah ada.\n"


def test_create_user_refuses_unknown_role(app, db):
    result = _create(app.test_cli_runner(), "--role", "admin")
    assert result.exit_code == 1
    assert "Peran tidak dikenal: admin. Gunakan salah satu dari: applicant, judge, mentor, director." in result.output
    assert db.scalar(select(func.count(User.id))) == 0


def test_create_user_refuses_weak_password(app):
    result = _create(app.test_cli_runner(), "--role", "judge", password="12345678")
    assert result.exit_code == 1
    assert "Kata sandi ini terlalu umum" in result.output
    short = _create(app.test_cli_runner(), "--role", "judge", password="abc")
    assert short.exit_code == 1
    assert "Gunakan minimal 8 karakter." in short.output


def test_seed_demo_runs_once(app, db):
    from incubator.judging.models import Assignment, Decision, ScoreSheet
    from incubator.mail.models import OutboxMessage

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded." in first.output
    assert "director@example.org" in first.output

    def counts():
        return tuple(
            db.scalar(select(func.count(model.id)))
            for model in (User, AuditEvent, Assignment, ScoreSheet, Decision, OutboxMessage)
        )

    before = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    assert counts() == before
    emails = set(db.scalars(select(User.email)))
    assert emails == {
        "director@example.org",
        "judge1@example.org",
        "judge2@example.org",
        "judge3@example.org",
        "mentor1@example.org",
        "mentor2@example.org",
        "founder1@example.org",
    }


def test_demo_logins_work(app, client):
    from tests.conftest import post_form

    app.test_cli_runner().invoke(args=["seed-demo"])
    response = post_form(client, "/auth/login", {"email": "director@example.org", "password": "demo12345"})
    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_seed_demo_loads_the_programme(app, db):
    from incubator.cohorts.models import Cohort, CohortStartup, Space
    from incubator.judging.models import Round, Rubric

    app.test_cli_runner().invoke(args=["seed-demo"])
    assert [s.name for s in db.scalars(select(Space).order_by(Space.id))] == [
        "Hetero Space Semarang",
        "Hetero Space Solo",
        "Hetero Space Banyumas",
    ]
    assert [c.name for c in db.scalars(select(Cohort).order_by(Cohort.id))] == [
        "Hetero for Startup Solo 2026",
        "Hetero for Startup Semarang 2026",
    ]
    rounds = db.scalars(select(Round).order_by(Round.cohort_id, Round.position))
    assert [(r.cohort_id, r.name, r.decides_stage, r.phase) for r in rounds] == [
        (1, "Seleksi pitch", "applied", "closed"),
        (1, "Demo day", "pre_incubation", "open"),
        (1, "Tinjauan kelulusan", "incubation", "draft"),
        (2, "Seleksi pitch", "applied", "draft"),
    ]
    template = db.scalar(select(Rubric).where(Rubric.round_id.is_(None)))
    with app.app_context():
        from incubator.cohorts.models import Cohort as _Cohort
        from incubator.extensions import db as _db

        template = _db.session.get(Rubric, template.id)
        assert [c.name for c in template.criteria] == [
            "Masalah dan solusi",
            "Pasar",
            "Model bisnis",
            "Tim",
            "Traksi",
            "Dampak sosial dan daerah",
            "Kualitas pitch",
        ]
        assert [len(c.levels) for c in template.criteria] == [3] * 7
        solo, semarang = _db.session.scalars(select(_Cohort).order_by(_Cohort.id))
        assert (solo.call_is_public(), semarang.call_is_public()) == (False, True)
    from incubator.applications.models import Application

    assert sorted((a.status, a.funding_need) for a in db.scalars(select(Application)))[:2] == [
        ("submitted", 30_000_000),
        ("submitted", 35_000_000),
    ]
    assert len(db.scalars(select(Application))) == 13
    # Every stage comes from a real decision of the pitch selection (or the withdrawal).
    stages = sorted(s.stage for s in db.scalars(select(CohortStartup)))
    assert stages == sorted(["pre_incubation"] * 5 + ["not_selected"] * 3 + ["applied"] * 4 + ["withdrawn"])


def test_seed_demo_judges_the_pitch_selection_and_runs_demo_day(app, db, client, login_as):
    """Three judges scored the closed round fully (final sheets), with a disagreement and a declared
    conflict; real decisions moved the top 5 on; Demo day is open now with a few sheets in."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import StageChange
    from incubator.core.figures import rounded
    from incubator.extensions import db as _db
    from incubator.judging.conflicts import detection as conflicts
    from incubator.judging.decisions.bulk import top_n
    from incubator.judging.models import Assignment, ConflictDeclaration, Decision, FeedbackItem, Round, ScoreSheet
    from incubator.judging.permissions import can_score
    from incubator.judging.ranking.compute import round_ranking

    app.test_cli_runner().invoke(args=["seed-demo"])
    with app.test_request_context("/?lang=en"):
        judges = _db.session.scalars(select(User).where(User.email.like("judge%")).order_by(User.email)).all()
        pitch, demo_day = _db.session.scalars(select(Round).where(Round.cohort_id == 1).order_by(Round.position)).all()[
            :2
        ]
        ranking = round_ranking(pitch)
        names = {a.id: a.startup.name for a in ranking.applications.values()}
        assert len(names) == 12 and "Keroncong Live" not in names.values()  # withdrawn before the judging
        # founder1's startup shares example.org with the judges' accounts: a conflict found in the data
        # keeps them from it for as long as that domain counts as a private one.
        batik = next(a for a in ranking.applications.values() if a.startup.name == "Batik Lurik Nusantara")
        found = conflicts.detect(judges, ranking.applications.values())
        assert set(found) <= {(j.id, batik.id) for j in judges}
        sheets = {(s.judge_id, s.application_id): s.status for s in ranking.sheets.values()}
        assert sheets == {(j.id, a): "final" for a in names for j in judges if (j.id, a) not in found}
        assert len(sheets) >= 33
        assignments = _db.session.scalars(select(Assignment).where(Assignment.round_id == pitch.id)).all()
        assert {(a.judge_id, a.application_id) for a in assignments} == set(sheets)

        (declared,) = _db.session.scalars(select(ConflictDeclaration)).all()
        assert (names[declared.application_id], declared.judge_id) == ("TaniTech Banyumas", judges[2].id)
        assert list(ranking.exclusions.values()) == [
            "Conflict of interest: Pernah menjadi mentor TaniTech di program lain."
        ]
        rows = {names[r.application_id]: r for r in ranking.result.applications}
        assert rows["TaniTech Banyumas"].judges_counted == 2 and rows["TaniTech Banyumas"].incomplete
        assert [n for n, r in rows.items() if r.disagreement] == ["Wayang Kulit AR"]
        assert rounded(rows["Wayang Kulit AR"].spread) == Decimal("31.24")
        fully = [n for n, r in rows.items() if r.judges_counted == 3]
        assert len(fully) >= 10

        decided = {names[d.application_id]: d.outcome for d in _db.session.scalars(select(Decision))}
        ranked = [names[r.application_id] for r in ranking.result.applications if r.rank is not None]
        assert {n for n, o in decided.items() if o == "advance"} == {names[i] for i in top_n(ranking, 5)}
        assert {n for n, o in decided.items() if o == "not_selected"} == set(ranked[-3:])
        assert {n for n, o in decided.items() if o == "not_selected"} == {
            "Jamu Gendong Digital",
            "Anyaman Mendong",
            "Tenun Troso Online",
        }
        moved = _db.session.scalars(
            select(StageChange).where(StageChange.to_stage.in_(["pre_incubation", "not_selected"]))
        ).all()
        assert len(moved) == 8  # the system gave the reason: a message, not text in the demo's language
        assert {(c.reason, c.reason_message["key"], c.reason_message["values"]["round"]) for c in moved} == {
            ("", "decision", "Seleksi pitch")
        }
        assert pitch.feedback_released_at is not None and pitch.feedback_overall_comments
        assert _db.session.scalar(select(func.count(FeedbackItem.id))) == 7

        # Demo day: open now, the advanced startups assigned, some sheets final, some drafts.
        assert demo_day.phase == "open"
        assert demo_day.scoring_opens_at < utcnow() < demo_day.scoring_closes_at
        advanced = {a.id for a in round_ranking(demo_day).applications.values()}
        assert {names[i] for i in advanced} == {n for n, o in decided.items() if o == "advance"}
        statuses = sorted(
            s.status for s in _db.session.scalars(select(ScoreSheet).where(ScoreSheet.round_id == demo_day.id))
        )
        assert statuses == ["draft", "draft", "final", "final", "final"]
        judge1 = judges[0]
        mine = _db.session.scalars(
            select(Assignment).where(Assignment.round_id == demo_day.id, Assignment.judge_id == judge1.id)
        ).all()
        scorable = [a for a in mine if can_score(demo_day, _db.session.get(Application, a.application_id), judge1)]
        assert len(scorable) >= 3
        founder_scored = (judges[0].id, batik.id) not in found
    # founder1 reads the pitch selection's feedback once the judges could score the startup.
    login_as(client, db.scalar(select(User).where(User.email == "founder1@example.org")))
    response = client.get(f"/applications/{batik.id}/feedback/{pitch.id}?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if founder_scored:
        assert "Judge C" in page and "judge1@example.org" not in page and "Agus Setiawan" not in page
    else:
        assert "No judge's score sheet counts for this application in this round." in page.replace("&#39;", "'")


def test_seed_demo_applications_adds_a_scored_synthetic_cohort(app, db):
    from collections import Counter

    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.cohorts.models import CohortStartup, StageChange
    from incubator.judging.models import Assignment, Criterion, Round, Rubric, Score, ScoreSheet
    from incubator.judging.ranking.compute import round_ranking

    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--applications", "12", "--judges", "4"])
    assert result.exit_code == 0, result.output
    first_line = result.output.splitlines()[0]
    cohort_id, round_id = (int(part.split("=")[1]) for part in first_line.split())
    assert result.output.splitlines()[1] == (
        "Judges: scale-judge1@example.org ... scale-judge4@example.org (password demo12345)"
    )
    round_ = db.scalar(select(Round).where(Round.id == round_id))
    assert (round_.cohort_id, round_.phase) == (cohort_id, "closed")
    criteria = select(func.count(Criterion.id)).join(Rubric).where(Rubric.round_id == round_id)
    assert db.scalar(criteria) == 8
    apps = db.scalars(select(Application).where(Application.cohort_id == cohort_id))
    assert [a.status for a in apps] == ["submitted"] * 12
    stages = db.scalars(select(CohortStartup.stage).where(CohortStartup.cohort_id == cohort_id))
    assert stages == ["applied"] * 12
    assert (
        db.scalar(select(func.count(StageChange.id)).join(CohortStartup).where(CohortStartup.cohort_id == cohort_id))
        == 12
    )
    sheets = db.scalars(select(ScoreSheet).where(ScoreSheet.round_id == round_id))
    assert len(sheets) == 36 and {s.status for s in sheets} == {"final"}
    assert Counter(s.application_id for s in sheets) == Counter({a.id: 3 for a in apps})
    assert sorted(Counter(s.judge_id for s in sheets).values()) == [9, 9, 9, 9]
    assert db.scalar(select(func.count(Assignment.id)).where(Assignment.round_id == round_id)) == 36
    assert db.scalar(select(func.count(Score.id)).join(ScoreSheet).where(ScoreSheet.round_id == round_id)) == 288
    judges = db.scalars(select(User).where(User.email.like("scale-judge%")).order_by(User.id))
    assert [(u.email, sorted(u.roles)) for u in judges] == [
        (f"scale-judge{i}@example.org", ["judge"]) for i in range(1, 5)
    ]
    with app.test_request_context("/?lang=en"):
        from incubator.extensions import db as _db

        ranking = round_ranking(_db.session.get(Round, round_id))
        assert sum(1 for a in ranking.result.applications if a.rank is not None) == 12
        assert not any(a.incomplete for a in ranking.result.applications)

    again = runner.invoke(args=["seed-demo", "--applications", "3"])
    assert again.exit_code == 0
    assert db.scalar(select(func.count(User.id)).where(User.email.like("scale-judge%"))) == 10  # 4 reused, 6 new
    assert runner.invoke(args=["seed-demo", "--applications", "0"]).exit_code == 2
    assert runner.invoke(args=["seed-demo", "--applications", "5", "--judges", "2"]).exit_code == 2
