"""criteria shared across gates, and proposed action items from a round's weakest criteria

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 12:30:00

`criteria.same_as_id` links a round's criterion to the same criterion of an earlier round (the
rubric is shared, not copied), `criteria.link_broken_at` records when a change broke that link.
`action_proposals` holds what the release of a round's feedback proposes to the mentors of each
advanced startup. Columns and a table added, nothing copied (SQLite adds the columns in place).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("criteria", sa.Column("same_as_id", sa.Integer(), nullable=True))
    op.add_column("criteria", sa.Column("link_broken_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_criteria_same_as_id"), "criteria", ["same_as_id"], unique=False)
    op.create_table(
        "action_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("cohort_startup_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("round_mean", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("action_item_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("position >= 1", name=op.f("ck_action_proposals_position")),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'dismissed')", name=op.f("ck_action_proposals_status")
        ),
        sa.CheckConstraint(
            "status = 'proposed' OR decided_at IS NOT NULL", name=op.f("ck_action_proposals_decided_at")
        ),
        sa.CheckConstraint("status != 'dismissed' OR reason != ''", name=op.f("ck_action_proposals_dismissed_reason")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_action_proposals_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_action_proposals_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cohort_startup_id"],
            ["cohort_startups.id"],
            name=op.f("fk_action_proposals_cohort_startup_id_cohort_startups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"], ["criteria.id"], name=op.f("fk_action_proposals_criterion_id_criteria"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["action_item_id"],
            ["action_items.id"],
            name=op.f("fk_action_proposals_action_item_id_action_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_action_proposals_decided_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_proposals")),
        sa.UniqueConstraint(
            "round_id", "application_id", "criterion_id", name=op.f("uq_action_proposals_round_id_application_id_criterion_id")
        ),
    )
    op.create_index(op.f("ix_action_proposals_application_id"), "action_proposals", ["application_id"], unique=False)
    op.create_index(
        op.f("ix_action_proposals_cohort_startup_id"), "action_proposals", ["cohort_startup_id"], unique=False
    )
    op.create_index(op.f("ix_action_proposals_criterion_id"), "action_proposals", ["criterion_id"], unique=False)
    op.create_index(op.f("ix_action_proposals_decided_by_id"), "action_proposals", ["decided_by_id"], unique=False)
    op.create_index("ix_action_proposals_round_id_status", "action_proposals", ["round_id", "status"], unique=False)


def downgrade():
    op.drop_table("action_proposals")
    op.drop_index(op.f("ix_criteria_same_as_id"), table_name="criteria")
    op.drop_column("criteria", "link_broken_at")
    op.drop_column("criteria", "same_as_id")
