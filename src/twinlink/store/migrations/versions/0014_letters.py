"""Letters made for delegations; members' date of birth and gender (letters need them)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 17:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delegation_members") as batch:
        batch.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))
        batch.add_column(sa.Column("gender", sa.String(20), nullable=False, server_default=""))
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegation_id", sa.Integer(), sa.ForeignKey("delegations.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("file_format", sa.String(5), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("made_by", sa.String(100), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_letters_delegation_id", "letters", ["delegation_id"])


def downgrade() -> None:
    op.drop_table("letters")
    with op.batch_alter_table("delegation_members") as batch:
        batch.drop_column("gender")
        batch.drop_column("date_of_birth")
