"""startups by lower(name), id: the index the assignment board walks for its page

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 22:40:00

The assignment board lists a round's applications by startup name, case left aside. It sorted the
whole round for every page; with this index it walks the startups in that order and stops after
the page (startups.models.by_name_walk_pays says when that pays).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_startups_lower_name", "startups", [sa.text("lower(name)"), "id"], unique=False)


def downgrade():
    op.drop_index("ix_startups_lower_name", table_name="startups")
