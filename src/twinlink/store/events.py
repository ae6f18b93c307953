"""Reading events and the parties they connect."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Executable, and_, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from twinlink.store.chunks import chunks
from twinlink.store.claims import CLAIM_ROW_COLUMNS as _CLAIM_COLUMNS
from twinlink.store.claims import ClaimRow
from twinlink.store.engine import column_rows
from twinlink.store.tables import Claim, Event, EventParty, Party

_OLDEST_FIRST = (Event.year, func.coalesce(Event.month, 0), func.coalesce(Event.day, 0), Event.id)


@dataclass(slots=True)  # see ClaimRow
class EventRow:
    """An event's columns without the ORM object: for reading many at once."""

    id: str
    year: int
    month: int | None
    day: int | None
    kind: str
    description: str


def list_events_with(session: Session, party_ids: Sequence[str]) -> list[Event]:
    """Events that involve every one of the given parties, oldest first."""
    ids = sorted(set(party_ids))
    having = (
        select(EventParty.event_id)
        .where(EventParty.party_id.in_(ids))
        .group_by(EventParty.event_id)
        .having(func.count(EventParty.party_id) == len(ids))
    )
    query = select(Event).where(Event.id.in_(having)).order_by(*_OLDEST_FIRST)
    return list(session.scalars(query))


@dataclass(slots=True)
class TimelineRow:
    event: EventRow
    claims: list[ClaimRow]  # the claims that it occurred, oldest first
    parties: list[tuple[str, str]]  # (id, name) of every party it involves


def _timeline_statements(count: int) -> tuple[Executable, Executable]:
    """Two of the queries of a timeline of ``count`` parties (bound as p0, p1): its events with
    their claims of having occurred, and the parties of those events (ids only, from the index:
    a few partners recur across many events, so their names are read once each)."""
    events = select(
        Event.id, Event.year, Event.month, Event.day, Event.kind, Event.description, *_CLAIM_COLUMNS
    ).outerjoin(
        Claim,
        and_(Claim.subject_type == "event", Claim.subject_id == Event.id, Claim.property == "occurred"),
    )
    parties = select(EventParty.event_id, EventParty.party_id)
    for i in range(count):
        mine = aliased(EventParty, name=f"mine{i}")
        events = events.join(mine, and_(mine.event_id == Event.id, mine.party_id == bindparam(f"p{i}")))
        parties = parties.join(mine, and_(mine.event_id == EventParty.event_id, mine.party_id == bindparam(f"p{i}")))
    return (
        events.order_by(*_OLDEST_FIRST, Claim.id),
        parties,
    )


# built once: building a statement costs more than SQLite takes to answer it
_TIMELINE = {count: _timeline_statements(count) for count in (1, 2)}
_EVENTS_BY_ID: Executable = (
    select(Event.id, Event.year, Event.month, Event.day, Event.kind, Event.description, *_CLAIM_COLUMNS)
    .outerjoin(
        Claim,
        and_(Claim.subject_type == "event", Claim.subject_id == Event.id, Claim.property == "occurred"),
    )
    .where(Event.id.in_(bindparam("ids", expanding=True)))
    .order_by(*_OLDEST_FIRST, Claim.id)
)
_NAMES = select(Party.id, Party.name).where(Party.id.in_(bindparam("ids", expanding=True)))


def timeline_rows(session: Session, party_ids: Sequence[str], *, with_parties: bool = True) -> list[TimelineRow]:
    """Events involving every one of the parties, oldest first, with their claims of having
    occurred and, unless ``with_parties`` is false, their parties: in one query, or three."""
    ids = sorted(set(party_ids))
    if len(ids) not in _TIMELINE:
        raise ValueError("a timeline is of one party or of two")
    events, parties = _TIMELINE[len(ids)]
    params = {f"p{i}": pid for i, pid in enumerate(ids)}
    rows: list[TimelineRow] = []
    for r in column_rows(session, events, params):
        if not rows or rows[-1].event.id != r[0]:  # ordered by event: its claims come together
            rows.append(TimelineRow(EventRow(*r[:6]), [], []))
        if r[6] is not None:
            rows[-1].claims.append(ClaimRow(*r[6:]))
    if not with_parties:
        return rows
    members = column_rows(session, parties, params)
    names: dict[str, str] = {}
    for chunk in chunks(sorted({party_id for _, party_id in members})):
        names.update((party_id, name) for party_id, name in column_rows(session, _NAMES, {"ids": chunk}))
    by_id = {row.event.id: row for row in rows}
    for event_id, party_id in members:
        by_id[event_id].parties.append((party_id, names[party_id]))
    for row in rows:
        row.parties.sort()
    return rows


def timeline_rows_of_events(session: Session, event_ids: Iterable[str]) -> list[TimelineRow]:
    """These events as timeline rows (oldest first, with their claims of having occurred and their
    parties' ids, names left blank): what a party's stored timeline needs of events that changed."""
    rows: list[TimelineRow] = []
    for chunk in chunks(sorted(set(event_ids))):
        for r in column_rows(session, _EVENTS_BY_ID, {"ids": chunk}):
            if not rows or rows[-1].event.id != r[0]:
                rows.append(TimelineRow(EventRow(*r[:6]), [], []))
            if r[6] is not None:
                rows[-1].claims.append(ClaimRow(*r[6:]))
    members = event_members(session, events=[row.event.id for row in rows])
    for row in rows:
        row.parties = sorted((party_id, "") for party_id in members.get(row.event.id, ()))
    return rows


def event_members(
    session: Session, *, events: Iterable[str] | None = None, parties: Iterable[str] | None = None
) -> dict[str, set[str]]:
    """The parties of each event: of the given events, or of every event one of the given parties
    is in (only those parties then)."""
    column, wanted = (EventParty.event_id, events) if events is not None else (EventParty.party_id, parties)
    members: dict[str, set[str]] = {}
    for chunk in chunks(sorted(set(wanted or []))):
        rows = session.execute(select(EventParty.event_id, EventParty.party_id).where(column.in_(chunk)))
        for event_id, party_id in rows:
            members.setdefault(event_id, set()).add(party_id)
    return members


def list_events_of_pairs(session: Session, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[Event]]:
    """For each pair of parties, the events that involve both, oldest first, in two queries."""
    parties = sorted({p for pair in pairs for p in pair})
    out: dict[tuple[str, str], list[Event]] = {pair: [] for pair in pairs}
    if not parties:
        return out
    members = event_members(session, parties=parties)
    events_of: dict[str, set[str]] = {}
    for eid, party_ids in members.items():
        if len(party_ids) >= 2:
            for party_id in party_ids:
                events_of.setdefault(party_id, set()).add(eid)
    found = {(a, b): events_of.get(a, set()) & events_of.get(b, set()) for a, b in pairs}
    events: dict[str, Event] = {}
    for chunk in chunks(sorted(set().union(*found.values()))):
        for event in session.scalars(select(Event).where(Event.id.in_(chunk))):
            events[event.id] = event
    for pair, ids in found.items():
        out[pair] = sorted((events[eid] for eid in ids), key=lambda e: (e.year, e.month or 0, e.day or 0, e.id))
    return out


def event_dates(session: Session, event_ids: Iterable[str]) -> dict[str, tuple[int, int | None, int | None, str]]:
    """(year, month, day, kind) of each of these events."""
    out = {}
    for chunk in chunks(sorted(set(event_ids))):
        query = select(Event.id, Event.year, Event.month, Event.day, Event.kind).where(Event.id.in_(chunk))
        for event_id, year, month, day, kind in column_rows(session, query):
            out[event_id] = (year, month, day, kind)
    return out


def all_event_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Event.id)))


def event_party_ids(session: Session, event_id: str) -> set[str]:
    return set(session.scalars(select(EventParty.party_id).where(EventParty.event_id == event_id)))


def involving(event: Event, party_id: str) -> EventParty:
    """The row that puts a party in an event."""
    return EventParty(event_id=event.id, party_id=party_id, year=event.year, kind=event.kind)


_MINE, _MEMBER = aliased(EventParty, name="mine"), aliased(EventParty, name="member")
_CANDIDATES: Executable = (
    select(Event.id, Event.month, Event.day, _MEMBER.party_id)
    .select_from(_MINE)
    .join(Event, Event.id == _MINE.event_id)
    .join(_MEMBER, _MEMBER.event_id == Event.id)
    .where(
        _MINE.party_id.in_(bindparam("wanted", expanding=True)),
        _MINE.year == bindparam("year"),
        _MINE.kind == bindparam("kind"),
    )
)


@dataclass(frozen=True, slots=True)
class EventCandidate:
    """What telling whether a new account is of a known event needs: its date's parts and parties."""

    id: str
    month: int | None
    day: int | None
    parties: frozenset[str]


def events_of_kind_in_year_with(
    session: Session, year: int, kind: str, party_ids: Sequence[str]
) -> list[EventCandidate]:
    """The events of a kind in a year that share a party with ``party_ids`` (every event has one),
    by id, each with all its parties: in one query through the index on parties, years and kinds,
    so the cost does not grow with the register or with how many events the parties have."""
    params = {"year": year, "kind": kind, "wanted": sorted(set(party_ids))}
    found: dict[str, tuple[int | None, int | None, set[str]]] = {}
    for event_id, month, day, party_id in column_rows(session, _CANDIDATES, params):
        found.setdefault(event_id, (month, day, set()))[2].add(party_id)
    return [EventCandidate(eid, month, day, frozenset(ps)) for eid, (month, day, ps) in sorted(found.items())]


def list_latest_events(session: Session, limit: int) -> list[Event]:
    """The most recent events, latest first."""
    query = select(Event).order_by(Event.year.desc(), Event.month.desc(), Event.id).limit(limit)
    return list(session.scalars(query))
