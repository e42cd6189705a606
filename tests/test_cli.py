"""The command line of CONTRACT.md."""

from sqlalchemy import func, select

from incubator.audit.models import AuditEvent
from incubator.auth.models import User
from incubator.auth.passwords import verify_password


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
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded." in first.output
    assert "director@example.org" in first.output
    counts = (db.scalar(select(func.count(User.id))), db.scalar(select(func.count(AuditEvent.id))))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    assert (db.scalar(select(func.count(User.id))), db.scalar(select(func.count(AuditEvent.id)))) == counts
    emails = set(db.scalars(select(User.email)))
    assert emails == {
        "director@example.org",
        "judge1@example.org",
        "judge2@example.org",
        "judge3@example.org",
        "mentor1@example.org",
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
    (cohort,) = db.scalars(select(Cohort))
    assert cohort.name == "Hetero for Startup Solo 2026"
    assert [(r.name, r.decides_stage, r.phase) for r in db.scalars(select(Round).order_by(Round.position))] == [
        ("Seleksi pitch", "applied", "draft"),
        ("Demo day", "pre_incubation", "draft"),
        ("Tinjauan kelulusan", "incubation", "draft"),
    ]
    template = db.scalar(select(Rubric).where(Rubric.round_id.is_(None)))
    with app.app_context():
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
    from incubator.applications.models import Application

    assert sorted((a.status, a.funding_need) for a in db.scalars(select(Application)))[:2] == [
        ("submitted", 30_000_000),
        ("submitted", 35_000_000),
    ]
    assert len(db.scalars(select(Application))) == 8
    stages = sorted(s.stage for s in db.scalars(select(CohortStartup)))
    assert stages == sorted(
        ["pre_incubation", "pre_incubation", "applied", "applied", "applied", "applied", "not_selected", "withdrawn"]
    )


def test_list_rounds_is_tab_separated(app, db):
    from incubator.judging.models import Round

    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    ids = [r.id for r in db.scalars(select(Round).order_by(Round.position))]
    result = runner.invoke(args=["list-rounds"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"{ids[0]}\t1\tHetero for Startup Solo 2026\tSeleksi pitch\tdraft",
        f"{ids[1]}\t1\tHetero for Startup Solo 2026\tDemo day\tdraft",
        f"{ids[2]}\t1\tHetero for Startup Solo 2026\tTinjauan kelulusan\tdraft",
    ]
