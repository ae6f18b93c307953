"""Reading and writing the rows the register derives and keeps beside its own: partnership
digests (lists read them in the same query as the partnerships, see ``partnerships``), the lines
of party timelines and the version each derived table was computed with. What goes in them is computed
by ``register.derived``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute, Session

from twinlink.store.chunks import chunks
from twinlink.store.engine import column_rows
from twinlink.store.tables import DerivedVersion, PartnershipDigest, PartyTimelineLine


def _upsert_rows(session: Session, key: InstrumentedAttribute[str], rows: Mapping[str, Mapping[str, Any]]) -> None:
    """Store each row (its columns by name) under its key, replacing any there (an upsert: writers
    at the same time on a server database do not trip over each other)."""
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


@dataclass(frozen=True, slots=True)
class TimelineLine:
    """A line of a party's timeline as stored: its event's date (0 for a part not known), which
    with the event's id orders the timeline, and the line itself (JSON, see
    ``register.derived.timelines``)."""

    year: int
    month: int
    day: int
    line: str


LineKey = tuple[str, str]  # (party id, event id)


def replace_event_lines(session: Session, event_ids: Iterable[str], lines: Mapping[LineKey, TimelineLine]) -> None:
    """Put ``lines`` in place of every stored line of these events, whichever parties had them."""
    _delete(session, PartyTimelineLine.event_id, event_ids)
    insert_timeline_lines(session, lines)


def insert_timeline_lines(session: Session, lines: Mapping[LineKey, TimelineLine]) -> None:
    rows = [
        {"party_id": party_id, "event_id": event_id, "year": t.year, "month": t.month, "day": t.day, "line": t.line}
        for (party_id, event_id), t in sorted(lines.items())
    ]
    for chunk in chunks(rows):
        session.execute(insert(PartyTimelineLine), chunk)


def delete_timeline_lines(session: Session, keys: Iterable[LineKey]) -> None:
    columns = tuple_(PartyTimelineLine.party_id, PartyTimelineLine.event_id)
    for chunk in chunks(sorted(set(keys))):
        session.execute(delete(PartyTimelineLine).where(columns.in_(chunk)))


def delete_party_timelines(session: Session, party_ids: Iterable[str]) -> None:
    """Every line of these parties' timelines."""
    _delete(session, PartyTimelineLine.party_id, party_ids)


def all_timeline_lines(session: Session) -> dict[LineKey, TimelineLine]:
    query = select(
        PartyTimelineLine.party_id,
        PartyTimelineLine.event_id,
        PartyTimelineLine.year,
        PartyTimelineLine.month,
        PartyTimelineLine.day,
        PartyTimelineLine.line,
    )
    return {(row[0], row[1]): TimelineLine(*row[2:]) for row in column_rows(session, query)}


_PARTY_LINES = (
    select(PartyTimelineLine.line)
    .where(PartyTimelineLine.party_id == bindparam("id"))
    .order_by(PartyTimelineLine.year, PartyTimelineLine.month, PartyTimelineLine.day, PartyTimelineLine.event_id)
)


def party_timeline_lines(session: Session, party_id: str) -> list[str]:
    """The lines of the party's stored timeline, oldest first."""
    return [row[0] for row in column_rows(session, _PARTY_LINES, {"id": party_id})]


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
