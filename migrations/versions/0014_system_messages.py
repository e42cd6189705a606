"""system_messages: what the system writes for people to read later, kept as a message key

A stage change's reason given by a decision and a failed export's error were stored as text in
the language of whoever acted. These columns keep the message's key and values instead
(incubator.core.messages), shown in each reader's language; typed text stays in the old columns.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_message", sa.JSON(), nullable=True))
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error_message", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.drop_column("error_message")
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.drop_column("reason_message")
