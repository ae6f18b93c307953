"""partnership digests keep their activity in date order

No change to the tables: the digests are written anew (``store.schema`` fills them after upgrading).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:00:00
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
