"""round_results: each final sheet's total, and a round's stored results and judge statistics

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:10:00

The totals of the final sheets already written are filled in here, by the one function that
computes a total (incubator.judging.scoring.sheet_total: plain numbers, no models, no database),
so no second copy of the scoring rule exists. The rounds' results are built from them by
`flask refresh-results` (judging.results.rebuild_all), which needs the application code.
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # A column added alone is an ALTER TABLE on SQLite too. Anything that makes batch mode copy
    # the table (a CHECK constraint) must not be added here: SQLite's DROP TABLE of the old copy
    # deletes its rows first, and with foreign keys on, that cascades to every sheet's scores.
    with op.batch_alter_table("score_sheets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("total", sa.Float(), nullable=True))

    op.create_table(
        "round_results",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Float(), nullable=True),
        sa.Column("normalized", sa.Float(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("judges_counted", sa.Integer(), nullable=False),
        sa.Column("spread", sa.Float(), nullable=True),
        sa.Column("disagreement", sa.Boolean(), nullable=False),
        sa.Column("incomplete", sa.Boolean(), nullable=False),
        sa.CheckConstraint("judges_counted >= 0", name=op.f("ck_round_results_judges_counted")),
        sa.CheckConstraint("rank IS NULL OR rank >= 1", name=op.f("ck_round_results_rank")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_round_results_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_results_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "application_id", name=op.f("pk_round_results")),
    )
    with op.batch_alter_table("round_results", schema=None) as batch_op:
        batch_op.create_index("ix_round_results_application_id", ["application_id"], unique=False)
        batch_op.create_index("ix_round_results_round_id_rank", ["round_id", "rank", "application_id"], unique=False)

    op.create_table(
        "round_judge_stats",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("sheets", sa.Integer(), nullable=False),
        sa.Column("mean", sa.Float(), nullable=False),
        sa.Column("spread", sa.Float(), nullable=False),
        sa.Column("difference", sa.Float(), nullable=False),
        sa.Column("step", sa.String(length=10), nullable=False),
        sa.CheckConstraint("sheets >= 1", name=op.f("ck_round_judge_stats_sheets")),
        sa.ForeignKeyConstraint(
            ["judge_id"], ["users.id"], name=op.f("fk_round_judge_stats_judge_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_judge_stats_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "judge_id", name=op.f("pk_round_judge_stats")),
    )
    with op.batch_alter_table("round_judge_stats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_judge_stats_judge_id"), ["judge_id"], unique=False)

    _fill_totals()


def _fill_totals():
    from incubator.judging.scoring import Criterion, sheet_total

    bind = op.get_bind()
    criteria = defaultdict(list)  # round id -> its criteria, in the rubric's order
    for round_id, criterion_id, weight, low, high in bind.execute(
        sa.text(
            "SELECT r.round_id, c.id, c.weight, c.scale_min, c.scale_max FROM criteria c "
            "JOIN rubrics r ON r.id = c.rubric_id WHERE r.round_id IS NOT NULL ORDER BY c.position, c.id"
        )
    ):
        criteria[round_id].append(Criterion(criterion_id, float(weight), float(low), float(high)))
    sheets = {
        sheet_id: (round_id, {})
        for sheet_id, round_id in bind.execute(sa.text("SELECT id, round_id FROM score_sheets WHERE status = 'final'"))
    }
    for sheet_id, criterion_id, value in bind.execute(
        sa.text(
            "SELECT s.sheet_id, s.criterion_id, s.value FROM scores s JOIN score_sheets h ON h.id = s.sheet_id "
            "WHERE h.status = 'final' AND s.value IS NOT NULL"
        )
    ):
        sheets[sheet_id][1][criterion_id] = float(value)
    totals = [
        {"sheet_id": sheet_id, "total": sheet_total(criteria[round_id], scores)}
        for sheet_id, (round_id, scores) in sheets.items()
    ]
    if totals:
        bind.execute(sa.text("UPDATE score_sheets SET total = :total WHERE id = :sheet_id"), totals)


def downgrade():
    with op.batch_alter_table("round_judge_stats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_judge_stats_judge_id"))
    op.drop_table("round_judge_stats")
    with op.batch_alter_table("round_results", schema=None) as batch_op:
        batch_op.drop_index("ix_round_results_round_id_rank")
        batch_op.drop_index("ix_round_results_application_id")
    op.drop_table("round_results")
    # Not through batch mode: on SQLite it would copy the table, and dropping the old copy
    # deletes the scores (see upgrade). SQLite drops a column in place since 3.35.
    op.execute("ALTER TABLE score_sheets DROP COLUMN total")
