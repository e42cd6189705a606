"""applications.version, and team members' phone numbers stored as E.164

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 05:30:00

The application form saves itself as the founder types; each save names the version its page
showed, so two tabs cannot overwrite each other. A new column only (with its check), added in
place on SQLite.

Phone numbers typed before are rewritten in E.164 (`+6281226537781`) where they read as a
phone number; the others are left as typed (a person can correct them on the team page).
"""

import sqlalchemy as sa
from alembic import op

from incubator.core.phones import try_normalise

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("applications", sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False))
    if op.get_bind().dialect.name != "sqlite":  # SQLite would copy the table to add a check
        op.create_check_constraint(op.f("ck_applications_version"), "applications", "version >= 1")
    members = sa.table("team_members", sa.column("id", sa.Integer()), sa.column("phone", sa.String()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(members.c.id, members.c.phone).where(members.c.phone != "")).all()
    for member_id, phone in rows:
        normalised = try_normalise(phone)
        if normalised and normalised != phone:
            bind.execute(sa.update(members).where(members.c.id == member_id).values(phone=normalised))


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_applications_version"), "applications", type_="check")
    # Not through batch mode: on SQLite it would copy the table, and dropping the old copy deletes
    # the rows that point at applications. SQLite drops a column in place since 3.35.
    op.execute("ALTER TABLE applications DROP COLUMN version")
