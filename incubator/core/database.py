"""Database set-up: SQLite pragmas, a UTC timestamp type, model registration."""

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from incubator.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timestamps stored as UTC and always read back timezone-aware.

    SQLite keeps no time zone, so values are stored naive in UTC and the zone is
    put back on load; PostgreSQL gets `timestamp with time zone`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL for concurrent readers, and wait rather than fail on a lock."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def import_models() -> None:
    """Import every model module so the metadata is complete (app and migrations)."""
    from incubator.activities import models as _activities  # noqa: F401
    from incubator.applications import models as _applications  # noqa: F401
    from incubator.audit import models as _audit  # noqa: F401
    from incubator.auth import models as _auth  # noqa: F401
    from incubator.cohorts import models as _cohorts  # noqa: F401
    from incubator.core import stash as _stash  # noqa: F401
    from incubator.jobs import models as _jobs  # noqa: F401
    from incubator.judging import models as _judging  # noqa: F401
    from incubator.judging import ranking_cache as _ranking_cache  # noqa: F401  (watches writes)
    from incubator.kpis import models as _kpis  # noqa: F401
    from incubator.mail import models as _mail  # noqa: F401
    from incubator.mentoring import models as _mentoring  # noqa: F401
    from incubator.milestones import models as _milestones  # noqa: F401
    from incubator.startups import models as _startups  # noqa: F401


def init_app(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:////:memory:"):
        from pathlib import Path

        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if uri.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; accept the short form operators often paste.
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    import_models()
    db.init_app(app)
