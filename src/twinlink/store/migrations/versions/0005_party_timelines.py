"""party timelines

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "party_timelines",
        sa.Column("party_id", sa.String(64), sa.ForeignKey("parties.id", ondelete="CASCADE"), nullable=False),
        sa.Column("timeline", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("party_id"),
    )


def downgrade() -> None:
    op.drop_table("party_timelines")
