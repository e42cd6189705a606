"""round_figures counts: how many applications a round ranks, and how many are ranked, disputed and incomplete

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 21:00:00

The ranking's heading counted the round's stored results on every view. refresh writes the counts
beside μ and σ, from the figures it writes the rows with. New nullable columns only (SQLite adds
them in place); a round whose row has none yet is counted when read, until `flask refresh-results`
or its next refresh.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

COLUMNS = ("applications", "ranked", "disagreement", "incomplete")


def upgrade():
    for name in COLUMNS:
        op.add_column("round_figures", sa.Column(name, sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("round_figures") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
