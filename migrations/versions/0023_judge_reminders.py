"""judge_reminders: when each judge was last reminded of a round

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 06:50:00

A judge gets at most one reminder per round per interval (JUDGE_REMINDER_INTERVAL_HOURS), however
many presses of the button and `flask send-reminders` runs ask; the round page says when the last
one went. A table added, nothing copied (SQLite).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "judge_reminders",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_judge_reminders_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["judge_id"], ["users.id"], name=op.f("fk_judge_reminders_judge_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "judge_id", name=op.f("pk_judge_reminders")),
    )
    op.create_index(op.f("ix_judge_reminders_judge_id"), "judge_reminders", ["judge_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_judge_reminders_judge_id"), table_name="judge_reminders")
    op.drop_table("judge_reminders")
