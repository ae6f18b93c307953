"""Search over parties, partnerships, events and documents, with facet counts on partnerships."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinlink.store.search_index import search_refs
from twinlink.store.tables import Document, Event, Partnership, Party


@dataclass(frozen=True)
class Hit:
    type: str  # party, partnership, event or document
    id: str
    title: str
    detail: str


def search(session: Session, q: str, limit: int = 20, offset: int = 0, home: str = "GB") -> tuple[list[Hit], int]:
    """The best matches of every type from the full-text index, and how many there are (capped)."""
    refs, total = search_refs(session, q, limit, offset)
    hits: list[Hit] = []
    for kind, ref_id in refs:
        hit = _hit(session, kind, ref_id, home)
        if hit is not None:
            hits.append(hit)
    return hits, total


def search_with_refs(
    session: Session, q: str, limit: int, offset: int, within: int, home: str = "GB"
) -> tuple[list[Hit], int, list[tuple[str, str]]]:
    """One page of hits, how many match, and the (kind, id) of the best ``within`` matches (what
    facets are counted over), from one ranked query."""
    refs, total = search_refs(session, q, within, 0)
    hits = [hit for kind, ref_id in refs[offset : offset + limit] if (hit := _hit(session, kind, ref_id, home))]
    return hits, total, refs


def _hit(session: Session, kind: str, ref_id: str, home: str) -> Hit | None:
    if kind == "party":
        party = session.get(Party, ref_id)
        if party is None:
            return None
        names = " ".join(n for n in (party.name_zh, party.name_pinyin) if n)
        return Hit("party", party.id, party.name, f"{party.kind} [{party.country or '-'}] {names}".strip())
    if kind == "partnership":
        partnership = session.get(Partnership, ref_id)
        if partnership is None:
            return None
        a, b = session.get(Party, partnership.party_a_id), session.get(Party, partnership.party_b_id)
        if a is None or b is None:
            return None
        if b.country == home and a.country != home:  # "Nottingham – Ningbo", home country first
            a, b = b, a
        return Hit("partnership", partnership.id, f"{a.name} – {b.name}", f"{partnership.kind} partnership")
    if kind == "event":
        event = session.get(Event, ref_id)
        return Hit("event", event.id, f"{event.year} {event.kind}", event.description) if event else None
    doc = session.get(Document, ref_id)
    return Hit("document", doc.id, doc.title or doc.source, doc.kind) if doc else None


def count_rows(session: Session, table: type) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)
