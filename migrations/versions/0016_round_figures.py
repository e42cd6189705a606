"""round_figures: each round's mean μ and spread σ over its counted sheets, stored by refresh

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 03:40:00

A new table only: nothing of an existing table changes (batch mode on SQLite would copy it).
`flask refresh-results` (judging.results.rebuild_all) fills it in for every round not decided;
for a decided round without a row the readers derive μ and σ from its stored totals.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "round_figures",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("mean", sa.Float(), nullable=True),
        sa.Column("sd", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_figures_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_round_figures")),
    )


def downgrade():
    op.drop_table("round_figures")
