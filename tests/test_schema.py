"""The migrations make exactly the schema the models describe, and the database enforces invariants."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from incubator.extensions import db as _db


# SQLite cannot hold the PostgreSQL-only index written with "NULLS LAST" (applications.models),
# so Alembic skips comparing it there, with this warning.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(app):
    with app.app_context(), _db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, _db.metadata)
    assert diff == []


def test_migrations_are_a_single_line(app):
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate  # noqa: F401 - the config below is Flask-Migrate's

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ({uid}, 'superuser', CURRENT_TIMESTAMP)",
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ({uid}, 'judge', CURRENT_TIMESTAMP)",
        "INSERT INTO users (email, name, locale, active, created_at) VALUES ('a@example.org', 'A', 'fr', true, "
        "CURRENT_TIMESTAMP)",
        "INSERT INTO outbox_messages (recipient, subject, body, kind, status, attempts, created_at) "
        "VALUES ('a@example.org', 's', 'b', 'k', 'lost', 0, CURRENT_TIMESTAMP)",
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES (999999, 'mentor', CURRENT_TIMESTAMP)",
    ],
)
def test_database_refuses_invalid_rows(app, create_user, statement):
    user = create_user(roles=["judge"])
    with app.app_context():
        with pytest.raises(IntegrityError):
            _db.session.execute(text(statement.format(uid=user.id)))
            _db.session.flush()
        _db.session.rollback()
