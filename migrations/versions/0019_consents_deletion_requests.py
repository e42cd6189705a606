"""consents and deletion_requests: consent to the privacy notice per person, and requests for erasure

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 05:10:00

UU No. 27 Tahun 2022: each acceptance of the privacy notice (version, time, where, language) and an
applicant's request that their personal data be erased, with the director's answer. New tables only.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.CheckConstraint("source IN ('register', 'apply', 'sign_in')", name=op.f("ck_consents_source")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consents_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_user_id", "consents", ["user_id"], unique=False)
    op.create_table(
        "deletion_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.String(length=1000), nullable=False),
        sa.Column("erased", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "status = 'pending' OR decided_at IS NOT NULL", name=op.f("ck_deletion_requests_decided_at")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'refused', 'cancelled')", name=op.f("ck_deletion_requests_status")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_deletion_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_deletion_requests_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_requests")),
    )
    op.create_index(
        "ix_deletion_requests_status_requested_at", "deletion_requests", ["status", "requested_at"], unique=False
    )
    op.create_index("ix_deletion_requests_user_id", "deletion_requests", ["user_id"], unique=False)


def downgrade():
    op.drop_index("ix_deletion_requests_user_id", table_name="deletion_requests")
    op.drop_index("ix_deletion_requests_status_requested_at", table_name="deletion_requests")
    op.drop_table("deletion_requests")
    op.drop_index("ix_consents_user_id", table_name="consents")
    op.drop_table("consents")
