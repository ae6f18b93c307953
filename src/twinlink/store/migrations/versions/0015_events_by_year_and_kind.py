"""An index on events by year and kind: finding whether a new account is of a known event looks
only at events of its year and kind

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 19:55:00
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_year_kind", "events", ["year", "kind"])


def downgrade() -> None:
    op.drop_index("ix_events_year_kind", table_name="events")
