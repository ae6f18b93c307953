"""index event parties by party

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_parties_party_id", "event_parties", ["party_id", "event_id"])


def downgrade() -> None:
    op.drop_index("ix_event_parties_party_id", table_name="event_parties")
