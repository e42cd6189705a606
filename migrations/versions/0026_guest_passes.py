"""guest_passes: guest judges' single-use sign-in links to one round

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 12:30:00

A guest judge is a judge account with no password, tied to one round by its pass; the pass keeps
only the hash of the sign-in link, and when it was used or revoked. A table added, nothing copied.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "guest_passes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_guest_passes_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_guest_passes_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_guest_passes_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guest_passes")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_guest_passes_token_hash")),
        sa.UniqueConstraint("user_id", name=op.f("uq_guest_passes_user_id")),
    )
    op.create_index(op.f("ix_guest_passes_round_id"), "guest_passes", ["round_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_guest_passes_round_id"), table_name="guest_passes")
    op.drop_table("guest_passes")
