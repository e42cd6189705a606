"""ranking_stamps: the stamp that says when a kept ranking is out of date

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 13:20:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "ranking_stamps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.token_hex(16), "generation": 0}])


def downgrade():
    op.drop_table("ranking_stamps")
