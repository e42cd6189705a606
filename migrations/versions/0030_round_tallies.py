"""round_tallies: the assignment board's figures per round, stored by their one writer

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 21:00:00

How many applications a round ranks, how many it decides and how many of those have all their
judges: counting them read every application and place of the round on each view of the
assignment board. A new table only; `flask refresh-results` fills it in for every round, and until
then the board counts a round that has no row.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "round_tallies",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("filled", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "filled >= 0 AND candidates >= filled AND members >= candidates", name=op.f("ck_round_tallies_counts")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_tallies_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_round_tallies")),
    )


def downgrade():
    op.drop_table("round_tallies")
