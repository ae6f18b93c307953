"""Writing what the register derives and keeps beside its rows: partnership digests (lists read
them in the same query as the partnerships, see ``partnerships``) and party timelines."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute, Session

from twinlink.store.chunks import chunks
from twinlink.store.engine import column_rows
from twinlink.store.tables import PartnershipDigest, PartyTimeline


def _upsert(
    session: Session, key: InstrumentedAttribute[str], column: InstrumentedAttribute[str], values: Mapping[str, str]
) -> None:
    """Store each value under its key, replacing any there (an upsert: writers at the same time on
    a server database do not trip over each other)."""
    dialect = session.get_bind().dialect.name
    upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    ids = sorted(values)
    for chunk in chunks(ids):
        statement = upsert(key.class_).values([{key.key: k, column.key: values[k]} for k in chunk])
        session.execute(
            statement.on_conflict_do_update(index_elements=[key], set_={column.key: statement.excluded[column.key]})
        )


def save_digests(session: Session, digests: Mapping[str, str]) -> None:
    """Store these partnerships' digests, replacing any there."""
    _upsert(session, PartnershipDigest.partnership_id, PartnershipDigest.digest, digests)


def save_party_timelines(session: Session, timelines: Mapping[str, str]) -> None:
    """Store these parties' timelines, replacing any there."""
    _upsert(session, PartyTimeline.party_id, PartyTimeline.timeline, timelines)


_TIMELINE = select(PartyTimeline.timeline).where(PartyTimeline.party_id == bindparam("id"))


def stored_party_timeline(session: Session, party_id: str) -> str | None:
    """The party's stored timeline, None if there is none."""
    rows = column_rows(session, _TIMELINE, {"id": party_id})
    return rows[0][0] if rows else None
