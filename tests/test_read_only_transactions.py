"""On PostgreSQL a request whose transaction only read ends it with COMMIT, so that psycopg keeps
the statements it prepared (a ROLLBACK makes it forget them all); anything that wrote still ends
with the rollback of the session's removal. SQLite has nothing to keep: there every request's
transaction ends as before."""

import pytest
from sqlalchemy import func, insert, select, text

from incubator.core import database
from incubator.extensions import db as _db


@pytest.fixture
def postgres(app):
    with app.app_context():
        if _db.engine.dialect.name != "postgresql":
            pytest.skip("psycopg's prepared statements are PostgreSQL's")
    return app


def _end(app, exc=None) -> bool:
    """End the request as the app does; whether its transaction was still open for the removal."""
    database._end_read_only_transaction(exc)
    still_open = _db.session().in_transaction()
    _db.session.remove()
    return still_open


def _spaces() -> int:
    from incubator.cohorts.models import Space

    return _db.session.scalar(select(func.count(Space.id)))


def test_a_transaction_that_only_read_is_committed(postgres):
    with postgres.test_request_context("/"):
        _spaces()
        assert not _end(postgres)


def test_a_transaction_that_wrote_is_rolled_back(postgres):
    from incubator.cohorts.models import Space

    with postgres.test_request_context("/"):
        _spaces()
        _db.session.execute(insert(Space).values(name="Hetero Space Pekalongan", city="Pekalongan"))
        assert _end(postgres)
    with postgres.test_request_context("/"):
        assert _spaces() == 0


def test_pending_objects_and_failed_requests_are_rolled_back(postgres):
    from incubator.cohorts.models import Space

    with postgres.test_request_context("/"):
        _spaces()
        _db.session.add(Space(name="Hetero Space Tegal", city="Tegal"))
        assert _end(postgres)
    with postgres.test_request_context("/"):
        _spaces()
        assert _end(postgres, exc=RuntimeError("the view failed"))
    with postgres.test_request_context("/"):
        assert _spaces() == 0


def test_statements_stay_prepared_across_requests(postgres, client, login_as):
    with postgres.app_context():
        # Earlier tests may have left several connections in the pool, which would share the
        # requests out between them; with none left, one connection serves them all in turn.
        _db.engine.dispose()
    login_as(client, "director")
    for _ in range(8):  # psycopg prepares a statement from its sixth run on a connection
        assert client.get("/cohorts").status_code == 200
    with postgres.app_context():
        assert _db.engine.pool.checkedin() == 1  # the connection the requests used
        prepared = _db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared > 0
