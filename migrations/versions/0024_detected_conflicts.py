"""detected_conflicts: conflicts found in the data, stored by their one writer

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 12:40:00

Pages read a judge's conflicts found in the data (owner, team member, mentor, shared e-mail
domain) from this table instead of computing them on every request; the writers of the team,
mentoring and accounts keep it current. The upgrade fills it from the data as it is, by the same
rule (judging.conflicts.rules, pure), so the next refresh of an open round counts what it did.
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "detected_conflicts",
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=True),
        sa.CheckConstraint(
            "kind IN ('owner', 'team', 'mentor', 'domain')", name=op.f("ck_detected_conflicts_kind")
        ),
        sa.ForeignKeyConstraint(
            ["judge_id"], ["users.id"], name=op.f("fk_detected_conflicts_judge_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["startup_id"], ["startups.id"], name=op.f("fk_detected_conflicts_startup_id_startups"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("judge_id", "startup_id", name=op.f("pk_detected_conflicts")),
    )
    op.create_index("ix_detected_conflicts_startup_id", "detected_conflicts", ["startup_id"], unique=False)
    _fill(table)


def _fill(table) -> None:
    from incubator.judging.conflicts.rules import find

    run = op.get_bind().execute
    judges = dict(
        run(
            sa.text(
                "SELECT id, email FROM users WHERE id IN (SELECT user_id FROM user_roles WHERE role = 'judge' "
                "UNION SELECT judge_id FROM assignments UNION SELECT judge_id FROM score_sheets)"
            )
        ).all()
    )
    if not judges:
        return
    owners = dict(run(sa.text("SELECT id, owner_id FROM startups")).all())
    people = defaultdict(set)
    for startup_id, email in run(
        sa.text(
            "SELECT startup_id, email FROM team_members WHERE email <> '' UNION ALL "
            "SELECT startups.id, users.email FROM startups JOIN users ON users.id = startups.owner_id"
        )
    ):
        if email:
            people[startup_id].add(email)
    mentored = {
        tuple(row)
        for row in run(
            sa.text(
                "SELECT mentor_assignments.mentor_id, cohort_startups.startup_id FROM mentor_assignments "
                "JOIN cohort_startups ON cohort_startups.id = mentor_assignments.cohort_startup_id"
            )
        )
    }
    found = find(judges, owners, people, mentored)
    if found:
        op.bulk_insert(
            table, [{"judge_id": j, "startup_id": s, "kind": f.kind, "domain": f.domain} for (j, s), f in found.items()]
        )


def downgrade():
    op.drop_index("ix_detected_conflicts_startup_id", table_name="detected_conflicts")
    op.drop_table("detected_conflicts")
