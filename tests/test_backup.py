"""`flask backup --out PATH` and `flask restore PATH`: a consistent copy of the database and the
uploaded files, and its restore, on the suite's database (SQLite or PostgreSQL)."""

import hashlib
import io
import json
import sqlite3
import tarfile
import threading
from contextlib import closing
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from incubator.auth.models import User
from incubator.extensions import db as _db
from incubator.startups.models import Startup

DECK = b"%PDF-1.4 the deck of Batik Lurik\n" + bytes(range(256)) * 40


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args, **kwargs):
        return runner.invoke(args=list(args), **kwargs)

    return invoke


@pytest.fixture
def uploads(app):
    """The upload folder, emptied before and after the test (the suite shares it: earlier tests may
    have left decks, imports or exports in it)."""
    import shutil

    def empty(folder: Path) -> None:
        for entry in folder.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    empty(folder)
    yield folder
    empty(folder)


@pytest.fixture
def world(app, db, create_user, uploads):
    """A founder, a startup named "Batik Lurik" and a stored deck; returns their ids and the deck's path."""
    from incubator.applications.uploads import deck_path, store_deck

    founder = create_user(email="founder@example.org", roles=["applicant"])
    with db.session() as session:
        startup = Startup(name="Batik Lurik", city="Surakarta", owner_id=founder.id)
        session.add(startup)
        session.flush()
        startup_id = startup.id
    with app.app_context():
        deck = deck_path(store_deck(BytesIO(DECK)))
    return {"founder_id": founder.id, "startup_id": startup_id, "deck": deck}


def head_revision(app) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(app.extensions["migrate"].directory).get_current_head()


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {info.name: tar.extractfile(info).read() for info in tar}


def write_tar(path: Path, files: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def user_emails(db) -> list[str]:
    return db.scalars(select(User.email).order_by(User.email))


def dialect(app) -> str:
    with app.app_context():
        return _db.engine.dialect.name


# --- backup ------------------------------------------------------------------------------------


def test_backup_then_restore_brings_back_rows_and_decks(app, db, cli, world, create_user, uploads, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    result = cli("backup", "--out", str(archive))
    assert result.exit_code == 0, result.output
    assert f"Backup written to {archive}" in result.output

    create_user(email="after-backup@example.org")
    with db.session() as session:
        session.get(Startup, world["startup_id"]).name = "Renamed Later"
    world["deck"].unlink()
    (world["deck"].parent / ("f" * 32 + ".pdf")).write_bytes(b"%PDF-1.4 uploaded after the backup")
    (uploads / "exports").mkdir()
    (uploads / "exports" / "report.pdf").write_bytes(b"temporary export")

    result = cli("restore", str(archive), "--yes")
    assert result.exit_code == 0, result.output
    assert "the schema is up to date" in result.output

    assert user_emails(db) == ["founder@example.org"]
    assert db.scalar(select(Startup.name).where(Startup.id == world["startup_id"])) == "Batik Lurik"
    assert world["deck"].read_bytes() == DECK
    assert sorted(p.name for p in world["deck"].parent.iterdir()) == [world["deck"].name]
    assert (uploads / "exports" / "report.pdf").read_bytes() == b"temporary export"  # temporary files untouched
    assert sorted(p.name for p in uploads.iterdir()) == ["decks", "exports"]  # no staging folder left behind
    assert db.scalar(text("SELECT version_num FROM alembic_version")) == head_revision(app)
    # the app works on the restored database: new rows get fresh ids
    later = create_user(email="after-restore@example.org")
    assert later.id == world["founder_id"] + 1


def test_backup_manifest_lists_every_file_with_size_and_checksum(app, cli, world, uploads, tmp_path):
    (uploads / "exports").mkdir()
    (uploads / "exports" / "report.pdf").write_bytes(b"temporary export")
    (uploads / "imports").mkdir()
    (uploads / "imports" / "pending.csv").write_bytes(b"name\n")
    archive = tmp_path / "backup.tar.gz"
    before = datetime.now(UTC).replace(microsecond=0)
    assert cli("backup", "--out", str(archive)).exit_code == 0

    files = members(archive)
    kind = dialect(app)
    database_file = "database.sqlite3" if kind == "sqlite" else "database.pgdump"
    deck_name = f"uploads/decks/{world['deck'].name}"
    assert list(files) == ["manifest.json", database_file, deck_name]
    manifest = json.loads(files["manifest.json"])
    created = datetime.strptime(manifest.pop("created_at"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= created <= datetime.now(UTC) + timedelta(seconds=1)
    assert manifest == {
        "format": "hetero-incubator-backup",
        "format_version": 1,
        "database": {"kind": kind, "file": database_file},
        "migration_revision": head_revision(app),
        "files": [
            {
                "path": database_file,
                "size": len(files[database_file]),
                "sha256": hashlib.sha256(files[database_file]).hexdigest(),
            },
            {"path": deck_name, "size": len(DECK), "sha256": hashlib.sha256(DECK).hexdigest()},
        ],
    }
    if kind == "sqlite":
        assert files[database_file].startswith(b"SQLite format 3\x00")
    else:
        assert files[database_file].startswith(b"PGDMP")


def test_backup_refuses_an_existing_file_without_force(cli, world, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"keep me")

    result = cli("backup", "--out", str(archive))
    assert result.exit_code == 1
    assert f"Error: {archive} already exists; use --force to overwrite it." in result.output
    assert archive.read_bytes() == b"keep me"

    result = cli("backup", "--out", str(archive), "--force")
    assert result.exit_code == 0, result.output
    assert list(members(archive))[0] == "manifest.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.tar.gz"]  # no partial file left


def test_backup_refuses_a_missing_folder(cli, world, tmp_path):
    result = cli("backup", "--out", str(tmp_path / "nowhere" / "backup.tar.gz"))
    assert result.exit_code == 1
    assert f"Error: The folder {tmp_path / 'nowhere'} does not exist." in result.output


def test_sqlite_backup_while_another_thread_writes_is_consistent(app, db, cli, create_user, uploads, tmp_path):
    if dialect(app) != "sqlite":
        pytest.skip("the online backup API is SQLite's")
    create_user(email="first@example.org")
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    stop = threading.Event()
    committed = []

    def write():  # transactions of 10 users each, as fast as they go
        with closing(sqlite3.connect(database, timeout=30)) as conn:
            batch = 0
            while not stop.is_set():
                batch += 1
                with conn:
                    conn.executemany(
                        "INSERT INTO users (email, name, locale, active, created_at) "
                        "VALUES (?, 'W', 'id', 1, CURRENT_TIMESTAMP)",
                        [(f"w{batch}-{i}@example.org",) for i in range(10)],
                    )
                committed.append(batch)

    writer = threading.Thread(target=write)
    writer.start()
    counts = []
    try:
        for n in range(5):
            archive = tmp_path / f"backup-{n}.tar.gz"
            result = cli("backup", "--out", str(archive))
            assert result.exit_code == 0, result.output
            copy = tmp_path / f"copy-{n}.sqlite3"
            copy.write_bytes(members(archive)["database.sqlite3"])
            with closing(sqlite3.connect(copy)) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                counts.append(conn.execute("SELECT count(*) FROM users").fetchone()[0])
    finally:
        stop.set()
        writer.join()
    assert committed, "the writer never committed"
    assert all((count - 1) % 10 == 0 for count in counts), counts  # whole transactions only
    assert counts == sorted(counts)
    assert counts[-1] > 1  # the copies did see the writer's work
    assert db.scalar(select(func.count()).select_from(User)) == 1 + 10 * len(committed)


# --- restore -----------------------------------------------------------------------------------


@pytest.fixture
def archive(cli, world, create_user, tmp_path):
    """A good backup of the world, then a user added after it (who must survive refused restores)."""
    path = tmp_path / "backup.tar.gz"
    assert cli("backup", "--out", str(path)).exit_code == 0
    create_user(email="after-backup@example.org")
    return path


def assert_nothing_restored(db, world):
    assert user_emails(db) == ["after-backup@example.org", "founder@example.org"]
    assert world["deck"].read_bytes() == DECK


def test_restore_refuses_a_missing_file(cli, archive, db, world, tmp_path):
    result = cli("restore", str(tmp_path / "nothing.tar.gz"), "--yes")
    assert result.exit_code == 1
    assert f"Error: No backup file at {tmp_path / 'nothing.tar.gz'}." in result.output
    assert_nothing_restored(db, world)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_restore_refuses_a_corrupt_archive(cli, archive, db, world, damage):
    data = archive.read_bytes()
    archive.write_bytes(b"this is not an archive" * 100 if damage == "garbage" else data[: len(data) // 2])
    result = cli("restore", str(archive), "--yes")
    assert result.exit_code == 1
    assert "Error: The backup file is corrupt or not a .tar.gz archive" in result.output
    assert_nothing_restored(db, world)


def test_restore_refuses_a_checksum_mismatch(cli, archive, db, world):
    files = members(archive)
    deck_name = f"uploads/decks/{world['deck'].name}"
    files[deck_name] = files[deck_name].replace(b"Batik", b"Tenun")  # same size, other bytes
    write_tar(archive, files)
    result = cli("restore", str(archive), "--yes")
    assert result.exit_code == 1
    assert f"Error: Checksum mismatch for {deck_name}: the backup is damaged or was altered." in result.output
    assert_nothing_restored(db, world)


def test_restore_refuses_a_backup_of_another_database_kind(app, cli, archive, db, world):
    files = members(archive)
    manifest = json.loads(files.pop("manifest.json"))
    (old_name,) = [name for name in files if name.startswith("database.")]
    data = files.pop(old_name)
    other = "postgresql" if dialect(app) == "sqlite" else "sqlite"
    new_name = "database.pgdump" if other == "postgresql" else "database.sqlite3"
    manifest["database"] = {"kind": other, "file": new_name}
    manifest["files"][0]["path"] = new_name
    write_tar(archive, {"manifest.json": json.dumps(manifest).encode(), new_name: data, **files})

    result = cli("restore", str(archive), "--yes")
    assert result.exit_code == 1
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert (
        f"Error: This backup holds a {names[other]} database; the configured database is "
        f"{names[dialect(app)]}. Restore it into a {names[other]} database instead."
    ) in result.output
    assert_nothing_restored(db, world)


def test_restore_refuses_an_unknown_migration_revision(cli, archive, db, world):
    files = members(archive)
    manifest = json.loads(files["manifest.json"])
    manifest["migration_revision"] = "9999_from_the_future"
    files["manifest.json"] = json.dumps(manifest).encode()
    write_tar(archive, files)
    result = cli("restore", str(archive), "--yes")
    assert result.exit_code == 1
    assert "Error: The backup's schema revision '9999_from_the_future' is unknown" in result.output
    assert_nothing_restored(db, world)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("uploads/../../escape.pdf", "Error: Refused: the archive holds 'uploads/../../escape.pdf'"),
        ("notes.txt", "Error: Refused: the archive holds 'notes.txt'"),
    ],
)
def test_restore_refuses_a_file_its_manifest_does_not_list(cli, archive, db, world, name, message):
    files = members(archive)
    files[name] = b"sneaked in"
    write_tar(archive, files)
    result = cli("restore", str(archive), "--yes")
    assert result.exit_code == 1
    assert message in result.output
    assert_nothing_restored(db, world)


def test_restore_refuses_a_tar_that_is_not_a_backup(cli, archive, db, world):
    write_tar(archive, {"hello.txt": b"hi"})
    result = cli("restore", str(archive), "--yes")
    assert result.exit_code == 1
    assert "Error: The archive does not start with its manifest" in result.output
    assert_nothing_restored(db, world)


def test_restore_asks_first_and_changes_nothing_on_no(cli, archive, db, world):
    result = cli("restore", str(archive), input="n\n")
    assert result.exit_code == 1
    assert "This REPLACES the current database and uploaded files. Continue? [y/N]" in result.output
    assert_nothing_restored(db, world)

    result = cli("restore", str(archive), input="y\n")
    assert result.exit_code == 0, result.output
    assert user_emails(db) == ["founder@example.org"]


def test_restore_of_an_older_backup_upgrades_the_schema(app, db, cli, world, tmp_path):
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade, upgrade

    head = head_revision(app)
    previous = ScriptDirectory(app.extensions["migrate"].directory).get_revision(head).down_revision
    archive = tmp_path / "old.tar.gz"
    with app.app_context():
        downgrade(revision=previous)
    try:
        result = cli("backup", "--out", str(archive))
        assert result.exit_code == 0, result.output
    finally:
        with app.app_context():
            upgrade()
            _db.engine.dispose()
    assert json.loads(members(archive)["manifest.json"])["migration_revision"] == previous

    result = cli("restore", str(archive), "--yes")
    assert result.exit_code == 0, result.output
    assert db.scalar(text("SELECT version_num FROM alembic_version")) == head
    with app.app_context():
        assert set(_db.metadata.tables) <= set(inspect(_db.engine).get_table_names())
    assert db.scalar(select(Startup.name).where(Startup.id == world["startup_id"])) == "Batik Lurik"


def test_postgresql_settings_go_through_the_environment(app):
    from incubator.ops.backup import _pg_env

    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://incubator:s%40cret@db.example:6543/programme"
    with app.app_context():
        env = _pg_env()
    assert {k: env[k] for k in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")} == {
        "PGHOST": "db.example",
        "PGPORT": "6543",
        "PGUSER": "incubator",
        "PGPASSWORD": "s@cret",
        "PGDATABASE": "programme",
    }
