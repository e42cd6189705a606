"""Drop ranking_stamps: rankings are stored by their writer, none is kept by a process any more

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 04:00:00

The stamp told each process when a ranking it kept was out of date (judging.ranking_cache, gone):
every page now reads the stored results (round_results and the rest) on each request.
"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("ranking_stamps")


def downgrade():
    table = op.create_table(
        "ranking_stamps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.token_hex(16), "generation": 0}])
