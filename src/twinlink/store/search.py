"""Search over parties, partnerships, events and documents, with facet counts on partnerships."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from twinlink.store.chunks import chunks
from twinlink.store.engine import column_rows
from twinlink.store.partnerships import PARTY_A, PARTY_B
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
    return hits_of(session, refs, home), total


def search_with_refs(
    session: Session, q: str, limit: int, offset: int, within: int, home: str = "GB"
) -> tuple[list[Hit], int, list[tuple[str, str]]]:
    """One page of hits, how many match, and the (kind, id) of the best ``within`` matches (what
    facets are counted over), from one ranked query."""
    refs, total = search_refs(session, q, within, 0)
    return hits_of(session, refs[offset : offset + limit], home), total, refs


def _ids_in(column: Any) -> Any:
    return column.in_(bindparam("ids", expanding=True))


# built once: building a statement costs more than SQLite takes to answer it
_HIT_QUERIES: dict[str, Select[*tuple[Any, ...]]] = {
    "party": select(Party.id, Party.name, Party.kind, Party.country, Party.name_zh, Party.name_pinyin).where(
        _ids_in(Party.id)
    ),
    "partnership": select(
        Partnership.id, Partnership.kind, PARTY_A.name, PARTY_A.country, PARTY_B.name, PARTY_B.country
    )
    .join(PARTY_A, PARTY_A.id == Partnership.party_a_id)
    .join(PARTY_B, PARTY_B.id == Partnership.party_b_id)
    .where(_ids_in(Partnership.id)),
    "event": select(Event.id, Event.year, Event.kind, Event.description).where(_ids_in(Event.id)),
    "document": select(Document.id, Document.title, Document.source, Document.kind).where(_ids_in(Document.id)),
}


def hits_of(session: Session, refs: Sequence[tuple[str, str]], home: str = "GB") -> list[Hit]:
    """The hit for each (kind, id), in the order given, read in one query per kind; any whose
    row is gone is left out."""
    wanted: dict[str, list[str]] = {}
    for kind, ref_id in refs:
        wanted.setdefault(kind, []).append(ref_id)
    found: dict[tuple[str, str], Hit] = {}
    for kind, ids in wanted.items():
        for chunk in chunks(ids):
            for row in column_rows(session, _HIT_QUERIES[kind], {"ids": chunk}):
                hit = _hit(kind, row, home)
                found[(kind, hit.id)] = hit
    return [found[ref] for ref in refs if ref in found]


def _hit(kind: str, row: Any, home: str) -> Hit:
    if kind == "party":
        pid, name, party_kind, country, name_zh, name_pinyin = row
        names = " ".join(n for n in (name_zh, name_pinyin) if n)
        return Hit("party", pid, name, f"{party_kind} [{country or '-'}] {names}".strip())
    if kind == "partnership":
        pid, partnership_kind, a_name, a_country, b_name, b_country = row
        if b_country == home and a_country != home:  # "Nottingham – Ningbo", home country first
            a_name, b_name = b_name, a_name
        return Hit("partnership", pid, f"{a_name} – {b_name}", f"{partnership_kind} partnership")
    if kind == "event":
        eid, year, event_kind, description = row
        return Hit("event", eid, f"{year} {event_kind}", description)
    did, title, source, doc_kind = row
    return Hit("document", did, title or source, doc_kind)


def count_rows(session: Session, table: type) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)
