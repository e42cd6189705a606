"""round_exclusions: the final sheets a round's stored figures leave out for a conflict

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 04:00:00

Written by judging.results.refresh with the round's figures and frozen with them once it is
decided, so that a conflict found after the decision is shown as such. A new table only.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "round_exclusions",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_exclusions_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["score_sheets.id"], name=op.f("fk_round_exclusions_sheet_id_score_sheets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "sheet_id", name=op.f("pk_round_exclusions")),
    )
    op.create_index("ix_round_exclusions_sheet_id", "round_exclusions", ["sheet_id"], unique=False)


def downgrade():
    op.drop_index("ix_round_exclusions_sheet_id", table_name="round_exclusions")
    op.drop_table("round_exclusions")
