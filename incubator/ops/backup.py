"""Backup and restore of the live database and the uploaded files (`flask backup` / `flask restore`).

SQLite is copied with the online backup API, so the app keeps writing meanwhile; PostgreSQL
with `pg_dump --format=custom` (the password goes through PGPASSWORD, never the command line).
The database is copied first, then the uploads, so every deck the copied rows name is there.
Restore checks the whole archive first (see archive.py), then replaces the database and the
uploads, and runs the migrations so an older backup is brought up to date.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from incubator.extensions import db
from incubator.ops.archive import (
    DATABASE_FILES,
    UPLOADS,
    BackupError,
    Manifest,
    read_archive,
    replace_folder_contents,
    write_archive,
)

# Top-level folders of UPLOAD_FOLDER that hold only temporary files (finished exports,
# imports waiting for confirmation): neither backed up nor touched by a restore.
TEMPORARY_FOLDERS = ("exports", "imports")
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def database_kind() -> str:
    """`sqlite` or `postgresql` (anything else cannot be backed up)."""
    backend = database_url().get_backend_name()
    if backend not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def create_backup(out: Path, force: bool = False) -> Manifest:
    """Write a backup of the configured database and the uploads to `out`; refuses to overwrite an
    existing file unless `force`. Returns the manifest written into it."""
    if out.exists() and not force:
        raise BackupError(f"{out} already exists; use --force to overwrite it.")
    if out.exists() and not out.is_file():
        raise BackupError(f"{out} is not a file.")
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    kind = database_kind()
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=out.parent) as work:
        dump = Path(work) / DATABASE_FILES[kind]
        revision = _dump_sqlite(dump) if kind == "sqlite" else _dump_postgresql(dump)
        manifest = Manifest(database_kind=kind, migration_revision=revision)
        write_archive(out, manifest, [(dump.name, dump), *_upload_sources()])
    return manifest


def _upload_sources() -> list[tuple[str, Path]]:
    """(archive path, file) of every uploaded file, temporary folders and hidden entries left out."""
    root = upload_folder()
    if not root.is_dir():
        return []
    sources = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in TEMPORARY_FOLDERS or any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.is_symlink():
            sources.append((f"{UPLOADS}/{relative.as_posix()}", path))
    return sources


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_file() -> Path:
    name = database_url().database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("The configured SQLite database is in memory: there is no file to back up or restore.")
    return Path(name)


def _dump_sqlite(dump: Path) -> str:
    """Copy the live database with the online backup API (one step: a consistent snapshot while
    writers continue in WAL mode); returns the Alembic revision of the copy."""
    source_file = _sqlite_file()
    if not source_file.is_file():
        raise BackupError(f"The database file {source_file} does not exist.")
    with closing(sqlite3.connect(source_file, timeout=30)) as source, closing(sqlite3.connect(dump)) as target:
        source.backup(target)
    return _sqlite_revision(dump)


def _sqlite_revision(path: Path) -> str:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The database has no schema version ({exc}); run `flask db upgrade` first.") from None
    if not row:
        raise BackupError("The database has no schema version; run `flask db upgrade` first.")
    return row[0]


def _restore_sqlite(dump: Path) -> None:
    """Copy the backup into the configured file with the backup API, in one write transaction: other
    connections (and the WAL) stay coherent, and a failure leaves the old database as it was."""
    try:
        with closing(sqlite3.connect(f"file:{dump}?mode=ro", uri=True)) as check:
            result = check.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The database in the backup is not a valid SQLite database: {exc}") from None
    if result != ("ok",):
        raise BackupError(f"The database in the backup fails SQLite's integrity check: {result[0]}")
    target_file = _sqlite_file()
    target_file.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(dump)) as source, closing(sqlite3.connect(target_file, timeout=30)) as target:
        source.backup(target)


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq settings from the SQLAlchemy URL, passed as environment (the password never shows in `ps`)."""
    url = database_url()
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host or url.query.get("host")),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
        ("PGSSLMODE", url.query.get("sslmode")),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    tool = args[0]
    if shutil.which(tool) is None:
        raise BackupError(f"`{tool}` is not installed; install the PostgreSQL client tools (postgresql-client).")
    result = subprocess.run(args, env=_pg_env(), capture_output=True, check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() if isinstance(result.stderr, bytes) else ""
        raise BackupError(f"`{tool}` failed: {message or result.returncode}")
    return result


def _dump_postgresql(dump: Path) -> str:
    """`pg_dump --format=custom` of the configured database (one consistent snapshot); returns its revision."""
    revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.rollback()
    if not revision:
        raise BackupError("The database has no schema version; run `flask db upgrade` first.")
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
    return revision


def _is_table(parts: list[str]) -> bool:
    """A `pg_restore --list` line of a table: `id; oid oid TABLE schema name owner`."""
    return len(parts) > 5 and not parts[0].startswith(";") and parts[3] == "TABLE"


def _restore_postgresql(dump: Path) -> None:
    """Replace the configured database's tables with the dump's, in one transaction: tables the dump
    lacks (from newer migrations) are dropped first, then the dump's `pg_restore --clean --if-exists
    --no-owner` script runs in psql with ON_ERROR_STOP, so a failure leaves the database as it was."""
    listing = _run(["pg_restore", "--list", str(dump)]).stdout.decode("utf-8", "replace")
    dumped = {parts[parts.index("TABLE") + 2] for parts in map(str.split, listing.splitlines()) if _is_table(parts)}
    current = set(db.session.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).all())
    db.session.rollback()
    db.engine.dispose()  # no pooled connection may hold a lock on the tables
    script = _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-", str(dump)])
    preamble = "".join(f'DROP TABLE IF EXISTS "{name}" CASCADE;\n' for name in sorted(current - dumped))
    _run(
        ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1", "--file=-"],
        input=preamble.encode() + script.stdout,
    )


# --- restore -----------------------------------------------------------------------------------


def check_backup(path: Path, into: Path) -> Manifest:
    """Check the archive (format, checksums), that it is for this database kind and that its
    migration revision is one this app knows; its files are extracted under `into`."""
    manifest = read_archive(path, into)
    kind = database_kind()
    if manifest.database_kind != kind:
        raise BackupError(
            f"This backup holds a {KIND_NAMES[manifest.database_kind]} database; the configured database is "
            f"{KIND_NAMES[kind]}. Restore it into a {KIND_NAMES[manifest.database_kind]} database instead."
        )
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        known = scripts.get_revision(manifest.migration_revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        known = False
    if not known:
        raise BackupError(
            f"The backup's schema revision {manifest.migration_revision!r} is unknown to this version of the "
            "app (a backup from a newer version?)."
        )
    return manifest


def restore_backup(path: Path, confirm=None) -> Manifest:
    """Check the backup at `path`, ask `confirm(manifest)` (when given; False stops with nothing
    changed), then replace the database and the uploads, and upgrade the schema to the latest revision."""
    root = upload_folder()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=root) as work:
        staging = Path(work)
        manifest = check_backup(path, staging)
        if confirm is not None and not confirm(manifest):
            raise BackupError("Restore cancelled; nothing was changed.")
        dump = staging / manifest.database_file
        db.session.remove()
        db.engine.dispose()
        if manifest.database_kind == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        db.engine.dispose()  # connections opened before the restore may cache the old tables
        replace_folder_contents(root, staging / UPLOADS, keep=TEMPORARY_FOLDERS)
    _upgrade()
    return manifest


def _upgrade() -> None:
    """The `flask db upgrade` logic: bring a restored older schema to the latest revision."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)
    db.engine.dispose()
