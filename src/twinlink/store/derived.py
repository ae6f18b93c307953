"""Reading and writing the rows the register derives and keeps beside its own: partnership
digests (lists read them in the same query as the partnerships, see ``partnerships``), party
timelines and the version each derived table was computed with. What goes in them is computed
by ``register.derived``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute, Session

from twinlink.store.chunks import chunks
from twinlink.store.engine import column_rows
from twinlink.store.tables import DerivedVersion, PartnershipDigest, PartyTimeline


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


def _delete(session: Session, key: InstrumentedAttribute[str], ids: Iterable[str]) -> None:
    for chunk in chunks(sorted(set(ids))):
        session.execute(delete(key.class_).where(key.in_(chunk)))


def save_digests(session: Session, digests: Mapping[str, str]) -> None:
    """Store these partnerships' digests, replacing any there."""
    _upsert(session, PartnershipDigest.partnership_id, PartnershipDigest.digest, digests)


def delete_digests(session: Session, partnership_ids: Iterable[str]) -> None:
    _delete(session, PartnershipDigest.partnership_id, partnership_ids)


def all_stored_digests(session: Session) -> dict[str, str]:
    return {k: v for k, v in column_rows(session, select(PartnershipDigest.partnership_id, PartnershipDigest.digest))}


def save_party_timelines(session: Session, timelines: Mapping[str, str]) -> None:
    """Store these parties' timelines, replacing any there."""
    _upsert(session, PartyTimeline.party_id, PartyTimeline.timeline, timelines)


def delete_party_timelines(session: Session, party_ids: Iterable[str]) -> None:
    _delete(session, PartyTimeline.party_id, party_ids)


def all_stored_party_timelines(session: Session) -> dict[str, str]:
    return {k: v for k, v in column_rows(session, select(PartyTimeline.party_id, PartyTimeline.timeline))}


_TIMELINE = select(PartyTimeline.timeline).where(PartyTimeline.party_id == bindparam("id"))


def stored_party_timelines(session: Session, party_ids: Iterable[str]) -> dict[str, str]:
    """The stored timelines of these parties that have one."""
    found: dict[str, str] = {}
    for chunk in chunks(sorted(set(party_ids))):
        query = select(PartyTimeline.party_id, PartyTimeline.timeline).where(PartyTimeline.party_id.in_(chunk))
        found.update((k, v) for k, v in column_rows(session, query))
    return found


def stored_party_timeline(session: Session, party_id: str) -> str | None:
    """The party's stored timeline, None if there is none."""
    rows = column_rows(session, _TIMELINE, {"id": party_id})
    return rows[0][0] if rows else None


def derived_versions(session: Session) -> dict[str, int]:
    """The version each derived table was last computed with (none for a register from before
    versions were kept)."""
    return {k: v for k, v in column_rows(session, select(DerivedVersion.name, DerivedVersion.version))}


def set_derived_version(session: Session, name: str, version: int) -> None:
    row = session.get(DerivedVersion, name)
    if row is None:
        session.add(DerivedVersion(name=name, version=version))
    else:
        row.version = version
