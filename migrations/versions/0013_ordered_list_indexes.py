"""ordered_list_indexes: the application list's order on PostgreSQL, the cohort dashboard's by name

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 17:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # Newest submission first with drafts last is "DESC NULLS LAST": PostgreSQL reads a page
        # of it in index order only from an index that says so (SQLite reads 0012's backwards).
        op.execute(
            "CREATE INDEX ix_applications_cohort_id_submitted_at_desc "
            "ON applications (cohort_id, submitted_at DESC NULLS LAST, id DESC)"
        )
    # The cohort dashboard and the other lists of startups by name read a page in index order.
    op.create_index("ix_startups_name", "startups", ["name"], unique=False)


def downgrade():
    op.drop_index("ix_startups_name", table_name="startups")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_applications_cohort_id_submitted_at_desc", table_name="applications")
