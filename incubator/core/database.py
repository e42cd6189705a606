"""Database set-up: SQLite pragmas, a UTC timestamp type, model registration, and the end of a
read-only request's transaction on PostgreSQL."""

from collections.abc import Iterator, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from functools import cache

from flask import Flask
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from incubator.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


def chunks(values: Sequence, size: int = 500) -> Iterator[Sequence]:
    """Slices of `values` short enough for an IN (...) list on every database."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


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


# --- integers on PostgreSQL ----------------------------------------------------------------------
#
# psycopg sends a Python int as the smallest type that holds it, a smallint below 32,768. SQLAlchemy
# writes every parameter with its column's type (`$1::INTEGER`), so a prepared statement's generic
# plan converts a smallint on every row it filters, costs more than a plan made for the value, and
# PostgreSQL plans the statement anew on every run. Sent as integer, or bigint when they need it,
# the conversion is a no-op, and a statement that ran a few times is planned once per connection.


@cache
def _wider_int_dumpers():
    """psycopg's int dumpers (text and binary), choosing integer where psycopg chose smallint."""
    from psycopg.types.numeric import IntBinaryDumper, IntDumper

    class WideIntDumper(IntDumper):
        def upgrade(self, obj, format):
            return self._int4_dumper if -(2**15) <= obj < 2**15 else super().upgrade(obj, format)

    class WideIntBinaryDumper(IntBinaryDumper):
        def upgrade(self, obj, format):
            return self._int4_dumper if -(2**15) <= obj < 2**15 else super().upgrade(obj, format)

    return WideIntDumper, WideIntBinaryDumper


@event.listens_for(Engine, "connect")
def _psycopg_integers(dbapi_connection, connection_record):
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    for dumper in _wider_int_dumpers():
        dbapi_connection.adapters.register_dumper(int, dumper)


# --- read-only transactions on PostgreSQL ------------------------------------------------------
#
# psycopg prepares a statement (PostgreSQL parses and plans it once per connection) after it has
# run a few times, and forgets every prepared statement on ROLLBACK. A request's transaction ends
# with a rollback when the session is removed, so nothing would ever stay prepared and every
# query of every page would be planned anew; for a list page's joins, planning costs more than
# running. A transaction that only read ends with COMMIT instead, which for it is the same thing.

WROTE = "incubator_wrote"  # Connection.info key: this transaction ran something other than a read


@event.listens_for(Session, "after_begin")
def _transaction_began(session, transaction, connection):
    connection.info[WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany):
    if not conn.info.get(WROTE) and statement.lstrip()[:6].upper() != "SELECT":
        conn.info[WROTE] = True


def _end_read_only_transaction(exc) -> None:
    """Commit the request's transaction if it only read (PostgreSQL only: see above); the session's
    removal that follows rolls back anything else, as before, and whatever a lost connection left."""
    if exc is not None or not db.session.registry.has():
        return
    session = db.session()
    with suppress(SQLAlchemyError):
        if db.engine.dialect.name != "postgresql" or not session.in_transaction():
            return
        if session.new or session.dirty or session.deleted or session.connection().info.get(WROTE, True):
            return
        # The objects stay readable after the session goes, as they do after its removal alone.
        session.expire_on_commit = False
        session.commit()


def import_models() -> None:
    """Import every model module so the metadata is complete (app and migrations)."""
    from incubator.activities import models as _activities  # noqa: F401
    from incubator.applications import models as _applications  # noqa: F401
    from incubator.audit import models as _audit  # noqa: F401
    from incubator.auth import models as _auth  # noqa: F401
    from incubator.cohorts import models as _cohorts  # noqa: F401
    from incubator.core import stash as _stash  # noqa: F401
    from incubator.growth import models as _growth  # noqa: F401
    from incubator.jobs import models as _jobs  # noqa: F401
    from incubator.judging import models as _judging  # noqa: F401
    from incubator.judging.assignments import models as _assignments  # noqa: F401
    from incubator.judging.conflicts import models as _conflicts  # noqa: F401
    from incubator.judging.guests import models as _guests  # noqa: F401
    from incubator.kpis import models as _kpis  # noqa: F401
    from incubator.mail import models as _mail  # noqa: F401
    from incubator.mentoring import models as _mentoring  # noqa: F401
    from incubator.milestones import models as _milestones  # noqa: F401
    from incubator.privacy import models as _privacy  # noqa: F401
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
    # Registered after Flask-SQLAlchemy's own teardown, so it runs before the session is removed.
    app.teardown_appcontext(_end_read_only_transaction)
