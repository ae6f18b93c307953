"""Party merges and splits; site settings

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "party_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("party_id", sa.String(64), nullable=False),
        sa.Column("other_id", sa.String(64), nullable=False),
        sa.Column("documents", sa.Text(), nullable=False),
        sa.Column("moves", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("undone_by", sa.String(100), nullable=True),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_party_changes_party_id", "party_changes", ["party_id"])
    op.create_index("ix_party_changes_other_id", "party_changes", ["other_id"])
    op.create_table(
        "site_settings",
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("site_settings")
    op.drop_table("party_changes")
