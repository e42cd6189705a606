"""erasures: which applications and startup profiles had their personal data erased, and why

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 05:11:00

Written by privacy.erasure on an approved deletion request or by `flask purge-expired`; holds ids
and counts only, so the retention run skips what is already erased. A new table only.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cause", sa.String(length=10), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("startup_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.CheckConstraint("cause IN ('request', 'retention')", name=op.f("ck_erasures_cause")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_erasures_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["deletion_requests.id"],
            name=op.f("fk_erasures_request_id_deletion_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["startup_id"], ["startups.id"], name=op.f("fk_erasures_startup_id_startups"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
        sa.UniqueConstraint("application_id", name=op.f("uq_erasures_application_id")),
    )
    op.create_index("ix_erasures_startup_id", "erasures", ["startup_id"], unique=False)


def downgrade():
    op.drop_index("ix_erasures_startup_id", table_name="erasures")
    op.drop_table("erasures")
