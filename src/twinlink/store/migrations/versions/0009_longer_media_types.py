"""documents: room for long media types (a Word file's is 71 characters)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # SQLite does not hold a text column to its declared length
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("media_type", type_=sa.String(255), existing_type=sa.String(60), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("media_type", type_=sa.String(60), existing_type=sa.String(255), existing_nullable=False)
