"""judge_tallies: each judge's places in a round, stored for the assignment board

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 23:00:00

The board counted every place and sheet of the round, per judge, on every view. The counts are now
written beside the round's (round_tallies) by judging.assignments.tallies. The round rows written
before this revision are removed: a round without one is counted when read, as before, until
`flask refresh-results` or its next change writes both.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "judge_tallies",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("assigned", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("drafts", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["judge_id"], ["users.id"], name=op.f("fk_judge_tallies_judge_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name=op.f("fk_judge_tallies_round_id_rounds"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("round_id", "judge_id", name=op.f("pk_judge_tallies")),
    )
    op.execute("DELETE FROM round_tallies")


def downgrade():
    op.drop_table("judge_tallies")
