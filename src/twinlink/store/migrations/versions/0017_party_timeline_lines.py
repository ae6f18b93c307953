"""A party's timeline kept a line an event, so that a write rewrites only the lines it changed

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # filled by the timelines' rebuild, which their new version brings on when the register opens
    op.create_table(
        "party_timeline_lines",
        sa.Column("party_id", sa.String(64), sa.ForeignKey("parties.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("party_id", "event_id"),
    )
    op.create_index(
        "ix_party_timeline_lines_order", "party_timeline_lines", ["party_id", "year", "month", "day", "event_id"]
    )
    op.create_index("ix_party_timeline_lines_event", "party_timeline_lines", ["event_id"])
    op.drop_table("party_timelines")


def downgrade() -> None:
    op.create_table(
        "party_timelines",
        sa.Column("party_id", sa.String(64), sa.ForeignKey("parties.id", ondelete="CASCADE"), nullable=False),
        sa.Column("timeline", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.drop_table("party_timeline_lines")
