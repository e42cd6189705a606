"""pitch_days, pitch_slots, pitch_reminders: the live mode of an open round

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 12:12:06

A round's pitch day (room, start in WIB, slot length, the room's language, what is on stage now and
whether the results are released), its pitches in order (one slot per application and per place),
and the director's last reminder to each judge. Tables added, nothing copied.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pitch_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(length=120), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pitch_minutes", sa.Integer(), nullable=False),
        sa.Column("questions_minutes", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("results_top", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("current_position", sa.Integer(), nullable=True),
        sa.Column("slot_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("results_released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("language IN ('id', 'en')", name=op.f("ck_pitch_days_language")),
        sa.CheckConstraint("state IN ('ready', 'live', 'paused', 'finished')", name=op.f("ck_pitch_days_state")),
        sa.CheckConstraint(
            "current_position IS NULL OR current_position >= 0", name=op.f("ck_pitch_days_current_position")
        ),
        sa.CheckConstraint("pitch_minutes >= 1 AND pitch_minutes <= 120", name=op.f("ck_pitch_days_pitch_minutes")),
        sa.CheckConstraint(
            "questions_minutes >= 0 AND questions_minutes <= 120", name=op.f("ck_pitch_days_questions_minutes")
        ),
        sa.CheckConstraint("results_top >= 1", name=op.f("ck_pitch_days_results_top")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_pitch_days_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_pitch_days_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pitch_days")),
        sa.UniqueConstraint("round_id", name=op.f("uq_pitch_days_round_id")),
    )
    op.create_table(
        "pitch_reminders",
        sa.Column("pitch_day_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["judge_id"], ["users.id"], name=op.f("fk_pitch_reminders_judge_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pitch_day_id"],
            ["pitch_days.id"],
            name=op.f("fk_pitch_reminders_pitch_day_id_pitch_days"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pitch_day_id", "judge_id", name=op.f("pk_pitch_reminders")),
    )
    with op.batch_alter_table("pitch_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pitch_reminders_judge_id"), ["judge_id"], unique=False)

    op.create_table(
        "pitch_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pitch_day_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_pitch_slots_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pitch_day_id"], ["pitch_days.id"], name=op.f("fk_pitch_slots_pitch_day_id_pitch_days"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pitch_slots")),
        sa.UniqueConstraint("pitch_day_id", "application_id", name=op.f("uq_pitch_slots_pitch_day_id_application_id")),
        sa.UniqueConstraint("pitch_day_id", "position", name=op.f("uq_pitch_slots_pitch_day_id_position")),
    )
    with op.batch_alter_table("pitch_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pitch_slots_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pitch_slots_pitch_day_id"), ["pitch_day_id"], unique=False)


def downgrade():
    with op.batch_alter_table("pitch_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pitch_slots_pitch_day_id"))
        batch_op.drop_index(batch_op.f("ix_pitch_slots_application_id"))

    op.drop_table("pitch_slots")
    with op.batch_alter_table("pitch_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pitch_reminders_judge_id"))

    op.drop_table("pitch_reminders")
    op.drop_table("pitch_days")
