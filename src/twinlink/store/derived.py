"""Reading and writing the rows the register derives and keeps beside its own: partnership
digests (lists read them in the same query as the partnerships, see ``partnerships``), party
timelines and the version each derived table was computed with. What goes in them is computed
by ``register.derived``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

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
    _upsert_rows(session, key, {k: {column.key: v} for k, v in values.items()})


def _upsert_rows(session: Session, key: InstrumentedAttribute[str], rows: Mapping[str, Mapping[str, Any]]) -> None:
    """Store each row (its columns by name) under its key, replacing any there."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    ids = sorted(rows)
    names = list(rows[ids[0]])
    for chunk in chunks(ids):
        statement = upsert(key.class_).values([{key.key: k, **rows[k]} for k in chunk])
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[key], set_={name: statement.excluded[name] for name in names}
            )
        )


def _delete(session: Session, key: InstrumentedAttribute[str], ids: Iterable[str]) -> None:
    for chunk in chunks(sorted(set(ids))):
        session.execute(delete(key.class_).where(key.in_(chunk)))


@dataclass(frozen=True)
class StoredDigest:
    """A partnership's digest as stored: its JSON and the columns lists count from."""

    digest: str
    asserted: bool
    ended: bool
    said_dormant: bool
    said_active: bool
    settled_from: int | None
    latest_day: int | None
    founding_only: bool
    established_min: int | None


_DIGEST_COLUMNS = tuple(f.name for f in fields(StoredDigest))


def save_digests(session: Session, digests: Mapping[str, StoredDigest]) -> None:
    """Store these partnerships' digests, replacing any there."""
    rows = {pid: {name: getattr(d, name) for name in _DIGEST_COLUMNS} for pid, d in digests.items()}
    _upsert_rows(session, PartnershipDigest.partnership_id, rows)


def delete_digests(session: Session, partnership_ids: Iterable[str]) -> None:
    _delete(session, PartnershipDigest.partnership_id, partnership_ids)


def all_stored_digests(session: Session) -> dict[str, StoredDigest]:
    columns = [getattr(PartnershipDigest, name) for name in _DIGEST_COLUMNS]
    rows = column_rows(session, select(PartnershipDigest.partnership_id, *columns))
    return {row[0]: StoredDigest(*row[1:]) for row in rows}


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
