"""Timelines: the dated events of a party, or of two parties together, oldest first, each with the
claims in force that it occurred. A party's own timeline is also stored beside the party and
refreshed in the same transaction as any write that changes one of its events (see ``refresh``),
so that its page reads one row instead of every event and claim."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.orm import Session

from twinlink.register.derive import date_iso, date_label, in_force
from twinlink.register.derived.digests import SourceRef, source_ref
from twinlink.register.queries import plain
from twinlink.store.chunks import chunks
from twinlink.store.claims import ClaimRow
from twinlink.store.derived import stored_party_timeline, stored_party_timelines
from twinlink.store.events import TimelineRow, timeline_rows, timeline_rows_of_events
from twinlink.store.parties import PartyLike, party_refs

VERSION = 4  # 2: the version kept per table, not per row; 3: each line ends with its event's order key; 4: an event's sources in the order of their ids, whatever order they came in


@dataclass(slots=True)  # not frozen: a party's timeline makes hundreds
class TimelineEntry:
    date: str
    label: str
    kind: str
    description: str
    parties: list[str]
    sources: list[SourceRef] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def timeline(
    session: Session, party: PartyLike, partner: PartyLike | None = None, *, with_parties: bool = True
) -> list[TimelineEntry]:
    """Dated events of a party (with a partner, if given), oldest first, each with its sources and,
    unless ``with_parties`` is false, the names of its parties. A party's own timeline is the one
    stored for it (a party without one has no dated events)."""
    if partner is None:
        return _entries_of_stored(session, _decode(stored_party_timeline(session, party.id)), with_parties)
    ids = [party.id] + ([partner.id] if partner else [])
    return [
        TimelineEntry(  # positional, in field order: a timeline makes hundreds
            *_dates(row),
            row.event.kind,
            row.event.description,
            [name for _, name in row.parties],
            [source_ref(c) for c in standing],
        )
        for row, standing in _standing(timeline_rows(session, ids, with_parties=with_parties))
    ]


def _standing(rows: Iterable[TimelineRow]) -> Iterator[tuple[TimelineRow, list[ClaimRow]]]:
    """Each event with its claims in force, leaving out events whose every claim was rejected or
    superseded (an event with no claims at all stays: it was entered as it is)."""
    for row in rows:
        standing = in_force(row.claims)
        if standing or not row.claims:
            yield row, standing


def _dates(row: TimelineRow) -> tuple[str, str]:
    event = row.event
    return date_iso(event.year, event.month, event.day), date_label(event.year, event.month, event.day)


# A stored line: [date, label, kind, description, [party ids], [[source, quote, method, claim id,
# review state, document id], ...], [year, month, day, event id]]; party names are read when the
# timeline is, so that renaming a party needs no refresh. The last item orders the lines as the
# query does and names the event, so that a changed event's line can be replaced in place.
_Stored = list[list[Any]]


def _lines(rows: Sequence[TimelineRow]) -> _Stored:
    return [
        [
            *_dates(row),
            row.event.kind,
            row.event.description,
            [party_id for party_id, _ in row.parties],
            [
                [s.source, s.quote, s.method, s.claim_id, s.review_state, s.document_id]
                for s in map(source_ref, standing)
            ],
            [row.event.year, row.event.month or 0, row.event.day or 0, row.event.id],
        ]
        for row, standing in _standing(rows)
    ]


def _encode(rows: Sequence[TimelineRow]) -> str:
    return orjson.dumps(_lines(rows)).decode()


def _decode(text: str | None) -> _Stored:
    if text is None:
        return []
    lines: _Stored = orjson.loads(text)
    return lines


def _entries_of_stored(session: Session, lines: _Stored, with_parties: bool) -> list[TimelineEntry]:
    names: dict[str, str] = {}
    if with_parties:
        names = {pid: ref.name for pid, ref in party_refs(session, {pid for line in lines for pid in line[4]}).items()}
    return [
        TimelineEntry(
            when,
            label,
            kind,
            description,
            [names[pid] for pid in party_ids if pid in names],
            [SourceRef(*source) for source in sources],
        )
        for when, label, kind, description, party_ids, sources, _ in lines
    ]


def iter_encoded_timelines(session: Session, party_ids: Iterable[str]) -> Iterator[dict[str, str]]:
    """These parties' timelines computed afresh and encoded for storing, a chunk at a time."""
    for chunk in chunks(sorted(set(party_ids))):
        yield {pid: _encode(timeline_rows(session, [pid])) for pid in chunk}


def iter_updated_timelines(
    session: Session, changed: set[str], members: Mapping[str, set[str]], party_ids: Iterable[str]
) -> Iterator[dict[str, str]]:
    """These parties' stored timelines with the lines of the ``changed`` events put in afresh
    (``members``: each event's parties now), a chunk at a time: the cost grows with what changed,
    not with how long a party's timeline is. A party that left one of those events needs
    ``iter_encoded_timelines``."""
    fresh = {line[6][3]: line for line in _lines(timeline_rows_of_events(session, changed))}
    for chunk in chunks(sorted(set(party_ids))):
        stored = stored_party_timelines(session, chunk)
        updated = {}
        for pid in chunk:
            kept = [line for line in _decode(stored.get(pid)) if line[6][3] not in changed]
            added = [line for eid, line in fresh.items() if pid in members.get(eid, ())]
            updated[pid] = orjson.dumps(sorted(kept + added, key=lambda line: line[6])).decode()
        yield updated


EMPTY = _encode([])
