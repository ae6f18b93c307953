"""Timelines: the dated events of a party, or of two parties together, oldest first, each with the
claims in force that it occurred. A party's own timeline is also stored, a line an event, and
the lines of an event are refreshed in the same transaction as any write that changes it (see
``refresh``), so that a party's page reads its lines instead of every event and claim, and a
write costs what it changed, not the length of its parties' timelines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.orm import Session

from twinlink.register.derive import date_iso, date_label, in_force
from twinlink.register.derived.digests import SourceRef, source_ref
from twinlink.register.queries import plain
from twinlink.store.chunks import chunks
from twinlink.store.claims import ClaimRow
from twinlink.store.derived import LineKey, TimelineLine, party_timeline_lines
from twinlink.store.events import TimelineRow, timeline_rows, timeline_rows_of_events
from twinlink.store.parties import PartyLike, party_refs

# 2: the version kept per table, not per row; 3: each line ends with its event's order key;
# 4: an event's sources in the order of their ids, whatever order they came in; 5: a row a line
VERSION = 5


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
        lines = [orjson.loads(line) for line in party_timeline_lines(session, party.id)]
        return _entries_of_stored(session, lines, with_parties)
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
# review state, document id], ...]]; party names are read when the timeline is, so that renaming a
# party needs no refresh. The row holding it orders it by its event's date and id.
_Line = list[Any]


def _line(row: TimelineRow, standing: Sequence[ClaimRow]) -> _Line:
    return [
        *_dates(row),
        row.event.kind,
        row.event.description,
        [party_id for party_id, _ in row.parties],
        [[s.source, s.quote, s.method, s.claim_id, s.review_state, s.document_id] for s in map(source_ref, standing)],
    ]


def _entries_of_stored(session: Session, lines: Sequence[_Line], with_parties: bool) -> list[TimelineEntry]:
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
        for when, label, kind, description, party_ids, sources in lines
    ]


def event_lines(session: Session, event_ids: Iterable[str]) -> dict[LineKey, TimelineLine]:
    """The timeline lines of these events, one for each of their parties, keyed by (party, event):
    an event whose every claim was rejected or superseded has none."""
    lines: dict[LineKey, TimelineLine] = {}
    for chunk in chunks(sorted(set(event_ids))):
        for row, standing in _standing(timeline_rows_of_events(session, chunk)):
            event = row.event
            stored = TimelineLine(
                event.year, event.month or 0, event.day or 0, orjson.dumps(_line(row, standing)).decode()
            )
            for party_id, _ in row.parties:
                lines[party_id, event.id] = stored
    return lines
