"""list_indexes: indexes for the application list's default order and the cohort funnel

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    # The director's application list, newest submission first, reads a page in index order.
    op.create_index(
        "ix_applications_cohort_id_submitted_at", "applications", ["cohort_id", "submitted_at", "id"], unique=False
    )
    # The cohort dashboard counts startups by stage from the index alone.
    op.create_index("ix_cohort_startups_cohort_id_stage", "cohort_startups", ["cohort_id", "stage"], unique=False)


def downgrade():
    op.drop_index("ix_cohort_startups_cohort_id_stage", table_name="cohort_startups")
    op.drop_index("ix_applications_cohort_id_submitted_at", table_name="applications")
