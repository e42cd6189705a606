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


def _prepared(query_text: str) -> list[tuple[str, int, int]]:
    return _db.session.execute(
        text(
            "SELECT parameter_types::text, generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE :query ORDER BY parameter_types::text"
        ),
        {"query": f"%{query_text}%"},
    ).all()


def test_small_integers_go_as_integers_and_a_repeated_statement_is_planned_once(postgres):
    """psycopg sends an int below 32,768 as a smallint; SQLAlchemy's `$1::INTEGER` would then
    convert it on every row of a generic plan, which so costs more than a plan made for the value,
    and PostgreSQL would plan the statement anew on every run."""
    from incubator.applications.models import Application

    with postgres.app_context():
        _db.engine.dispose()  # one fresh connection, with nothing prepared
        for need in (7, 2**40):  # Rupiah: an integer, and one that needs a bigint
            for _ in range(20):
                _db.session.scalar(select(func.count(Application.id)).where(Application.funding_need > need))
        assert _prepared("applications.funding_need >") == [("{bigint}", 10, 5), ("{integer}", 10, 5)]
