"""partnership digests

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partnership_digests",
        sa.Column(
            "partnership_id", sa.String(64), sa.ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("digest", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("partnership_id"),
    )


def downgrade() -> None:
    op.drop_table("partnership_digests")
