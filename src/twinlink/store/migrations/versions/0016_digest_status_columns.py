"""Columns of a partnership's digest that its status and facets are counted from in SQL

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 20:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COLUMNS = (
    ("asserted", sa.Boolean()),
    ("ended", sa.Boolean()),
    ("said_dormant", sa.Boolean()),
    ("said_active", sa.Boolean()),
    ("settled_from", sa.Integer()),
    ("latest_day", sa.Integer()),
    ("founding_only", sa.Boolean()),
    ("established_min", sa.Integer()),
)


def upgrade() -> None:
    # filled by the digests' rebuild, which their new version brings on when the register opens
    with op.batch_alter_table("partnership_digests") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partnership_digests") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
