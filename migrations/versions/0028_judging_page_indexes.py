"""judging_page_indexes: a judge's assignments and sheets in a round, the ranking's counts, team e-mails

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 12:40:00

The judge's queue counts and pages one judge's assignments and submitted sheets in a round, the
assignment overview counts each judge's, and the ranking counts a round's flags, each from an
index alone; conflicts found in the data look team members up by e-mail in any case. Indexes
only, nothing copied.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_assignments_round_id_judge_id", "assignments", ["round_id", "judge_id", "application_id"], unique=False
    )
    op.create_index(
        "ix_score_sheets_round_id_judge_id", "score_sheets", ["round_id", "judge_id", "status"], unique=False
    )
    op.create_index(
        "ix_round_results_round_id_flags",
        "round_results",
        ["round_id", "disagreement", "incomplete", "rank"],
        unique=False,
    )
    op.create_index("ix_team_members_lower_email", "team_members", [sa.text("lower(email)")], unique=False)


def downgrade():
    op.drop_index("ix_team_members_lower_email", table_name="team_members")
    op.drop_index("ix_round_results_round_id_flags", table_name="round_results")
    op.drop_index("ix_score_sheets_round_id_judge_id", table_name="score_sheets")
    op.drop_index("ix_assignments_round_id_judge_id", table_name="assignments")
