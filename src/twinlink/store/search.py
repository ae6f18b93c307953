"""Search over parties, partnerships, events and documents, with facet counts on partnerships."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from twinlink.store.tables import Alias, Document, Event, Partnership, Party


@dataclass(frozen=True)
class Hit:
    type: str  # party, partnership, event or document
    id: str
    title: str
    detail: str


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def matching_party_ids(session: Session, q: str, limit: int = 200) -> list[str]:
    pattern = _like(q)
    by_name = select(Party.id).where(
        or_(
            Party.name.ilike(pattern, escape="\\"),
            Party.name_zh.like(pattern, escape="\\"),
            Party.name_pinyin.ilike(pattern, escape="\\"),
        )
    )
    by_alias = select(Alias.party_id).where(Alias.alias.ilike(pattern, escape="\\"))
    ids = list(dict.fromkeys([*session.scalars(by_name.limit(limit)), *session.scalars(by_alias.limit(limit))]))
    return ids[:limit]


def search(session: Session, q: str, limit: int = 20, offset: int = 0, home: str = "GB") -> tuple[list[Hit], int]:
    """Hits of every type for a query, parties first, and how many there are in all."""
    q = q.strip()
    if not q:
        return [], 0
    pattern = _like(q)
    party_ids = matching_party_ids(session, q)
    hits: list[Hit] = []
    for party in session.scalars(select(Party).where(Party.id.in_(party_ids)).order_by(Party.name)):
        names = " ".join(n for n in (party.name_zh, party.name_pinyin) if n)
        hits.append(Hit("party", party.id, party.name, f"{party.kind} [{party.country or '-'}] {names}".strip()))
    a, b = aliased(Party), aliased(Party)
    rows = session.execute(
        select(Partnership, a.name, b.name, a.country, b.country)
        .join(a, a.id == Partnership.party_a_id)
        .join(b, b.id == Partnership.party_b_id)
        .where(or_(Partnership.party_a_id.in_(party_ids), Partnership.party_b_id.in_(party_ids)))
        .order_by(a.name, b.name)
    )
    for partnership, name_a, name_b, country_a, country_b in rows:
        if country_b == home and country_a != home:  # "Nottingham – Ningbo", home country first
            name_a, name_b = name_b, name_a
        hits.append(Hit("partnership", partnership.id, f"{name_a} – {name_b}", f"{partnership.kind} partnership"))
    for event in session.scalars(
        select(Event).where(Event.description.ilike(pattern, escape="\\")).order_by(Event.year).limit(200)
    ):
        hits.append(Hit("event", event.id, f"{event.year} {event.kind}", event.description))
    for doc in session.scalars(
        select(Document)
        .where(or_(Document.title.ilike(pattern, escape="\\"), Document.text.ilike(pattern, escape="\\")))
        .order_by(Document.title)
        .limit(200)
    ):
        hits.append(Hit("document", doc.id, doc.title or doc.source, doc.kind))
    return hits[offset : offset + limit], len(hits)


def count_rows(session: Session, table: type) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)
