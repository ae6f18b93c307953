"""Reading events and the parties they connect."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinlink.store.tables import Event, EventParty


def list_events_with(session: Session, party_ids: Sequence[str]) -> list[Event]:
    """Events that involve every one of the given parties, oldest first."""
    ids = sorted(set(party_ids))
    having = (
        select(EventParty.event_id)
        .where(EventParty.party_id.in_(ids))
        .group_by(EventParty.event_id)
        .having(func.count(EventParty.party_id) == len(ids))
    )
    query = (
        select(Event)
        .where(Event.id.in_(having))
        .order_by(Event.year, func.coalesce(Event.month, 0), func.coalesce(Event.day, 0), Event.id)
    )
    return list(session.scalars(query))


def event_parties(session: Session, event_ids: Iterable[str]) -> dict[str, list[str]]:
    ids = list(event_ids)
    out: dict[str, list[str]] = {eid: [] for eid in ids}
    for chunk_start in range(0, len(ids), 500):
        rows = session.execute(
            select(EventParty.event_id, EventParty.party_id)
            .where(EventParty.event_id.in_(ids[chunk_start : chunk_start + 500]))
            .order_by(EventParty.event_id, EventParty.party_id)
        )
        for event_id, party_id in rows:
            out[event_id].append(party_id)
    return out


def list_events_of_pairs(session: Session, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[Event]]:
    """For each pair of parties, the events that involve both, oldest first, in two queries."""
    parties = sorted({p for pair in pairs for p in pair})
    out: dict[tuple[str, str], list[Event]] = {pair: [] for pair in pairs}
    if not parties:
        return out
    members: dict[str, set[str]] = {}
    for chunk_start in range(0, len(parties), 500):
        rows = session.execute(
            select(EventParty.event_id, EventParty.party_id).where(
                EventParty.party_id.in_(parties[chunk_start : chunk_start + 500])
            )
        )
        for event_id, party_id in rows:
            members.setdefault(event_id, set()).add(party_id)
    wanted = {eid for eid, ps in members.items() if len(ps) >= 2}
    events: dict[str, Event] = {}
    ids = sorted(wanted)
    for chunk_start in range(0, len(ids), 500):
        for event in session.scalars(select(Event).where(Event.id.in_(ids[chunk_start : chunk_start + 500]))):
            events[event.id] = event
    for pair in pairs:
        a, b = pair
        found = [events[eid] for eid in wanted if eid in events and a in members[eid] and b in members[eid]]
        out[pair] = sorted(found, key=lambda e: (e.year, e.month or 0, e.day or 0, e.id))
    return out
