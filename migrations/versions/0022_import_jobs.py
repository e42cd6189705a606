"""export_jobs.dedupe_key and round_late_entries: one job per export and data; imported applications
stay out of rounds already closed

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 05:30:00

`export_jobs.dedupe_key` names what a job makes (its kind, parameters, language and the data it
reads): a second request for the same file finds the job instead of starting another.
`round_late_entries` lists the applications imported into a cohort after one of its rounds had
closed: that round does not rank them; they wait for the next open round of their stage.
A column and a table added, nothing copied (SQLite).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("export_jobs", sa.Column("dedupe_key", sa.String(length=64), nullable=True))
    op.create_index("ix_export_jobs_dedupe_key", "export_jobs", ["dedupe_key"], unique=True)
    op.create_table(
        "round_late_entries",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_late_entries_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_round_late_entries_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "application_id", name=op.f("pk_round_late_entries")),
    )
    op.create_index("ix_round_late_entries_application_id", "round_late_entries", ["application_id"], unique=False)


def downgrade():
    op.drop_index("ix_round_late_entries_application_id", table_name="round_late_entries")
    op.drop_table("round_late_entries")
    op.drop_index("ix_export_jobs_dedupe_key", table_name="export_jobs")
    op.drop_column("export_jobs", "dedupe_key")
