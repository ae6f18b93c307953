"""An event's year and kind beside each of its parties: finding whether a new account is of a
known event reads only the events of its year and kind that its parties are in

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 02:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_parties") as batch:
        batch.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("kind", sa.String(20), nullable=True))
    op.execute(
        "UPDATE event_parties SET"
        " year = (SELECT events.year FROM events WHERE events.id = event_parties.event_id),"
        " kind = (SELECT events.kind FROM events WHERE events.id = event_parties.event_id)"
    )
    with op.batch_alter_table("event_parties") as batch:
        batch.alter_column("year", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("kind", existing_type=sa.String(20), nullable=False)
        batch.drop_index("ix_event_parties_party_id")
        batch.create_index("ix_event_parties_party_year_kind", ["party_id", "year", "kind", "event_id"])


def downgrade() -> None:
    with op.batch_alter_table("event_parties") as batch:
        batch.drop_index("ix_event_parties_party_year_kind")
        batch.create_index("ix_event_parties_party_id", ["party_id", "event_id"])
        batch.drop_column("kind")
        batch.drop_column("year")
