"""The full-text index over parties, partnerships, events and documents: SQLite FTS5 or
PostgreSQL tsvector. What each entry holds is read here; ``register.derived`` decides when."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from twinlink.store.engine import column_rows
from twinlink.store.tables import Alias, Claim, Document, Event, EventParty, Partnership, Party

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_COUNT = 1000
_KIND_ORDER = "CASE {col} WHEN 'party' THEN 0 WHEN 'partnership' THEN 1 WHEN 'event' THEN 2 ELSE 3 END"
DOCUMENT = "document"
# characters of a document's text in one index entry: a tsvector of this much text of words all
# different stays well under PostgreSQL's limit of 1 MB
DOCUMENT_PART = 250_000
# an entry's kind as a hit: the parts of a long document are the document
_HIT_KIND = "CASE WHEN {col} LIKE '" + DOCUMENT + ":%' THEN '" + DOCUMENT + "' ELSE {col} END"


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


IndexKey = tuple[str, str]  # (kind, id)
IndexEntry = tuple[str, str]  # (title, body)


def _put(session: Session, kind: str, ref_id: str, title: str, body: str) -> None:
    params = {"kind": kind, "ref_id": ref_id, "title": title, "body": body}
    if not _sqlite(session):
        session.execute(
            text(
                "INSERT INTO search_index (kind, ref_id, title, body) VALUES (:kind, :ref_id, :title, :body) "
                "ON CONFLICT (kind, ref_id) DO UPDATE SET title = excluded.title, body = excluded.body"
            ),
            params,
        )
        return
    key = session.execute(
        text("SELECT id FROM search_keys WHERE kind = :kind AND ref_id = :ref_id"), params
    ).scalar_one_or_none()
    if key is None:
        key = session.execute(
            text("INSERT INTO search_keys (kind, ref_id) VALUES (:kind, :ref_id) RETURNING id"), params
        ).scalar_one()
    else:
        session.execute(text("DELETE FROM search_index WHERE rowid = :key"), {"key": key})
    session.execute(
        text("INSERT INTO search_index (rowid, title, body) VALUES (:key, :title, :body)"), {**params, "key": key}
    )


def put_entries(session: Session, entries: Mapping[IndexKey, IndexEntry]) -> None:
    """Index these entries, replacing what each key had."""
    for (kind, ref_id), (title, body) in sorted(entries.items()):
        _put(session, kind, ref_id, title, body)


def delete_entries(session: Session, keys: Iterable[IndexKey]) -> None:
    for kind, ref_id in sorted(set(keys)):
        params = {"kind": kind, "ref_id": ref_id}
        if not _sqlite(session):
            session.execute(text("DELETE FROM search_index WHERE kind = :kind AND ref_id = :ref_id"), params)
            continue
        key = session.execute(
            text("SELECT id FROM search_keys WHERE kind = :kind AND ref_id = :ref_id"), params
        ).scalar_one_or_none()
        if key is not None:
            session.execute(text("DELETE FROM search_index WHERE rowid = :key"), {"key": key})
            session.execute(text("DELETE FROM search_keys WHERE id = :key"), {"key": key})


def stored_entries(session: Session) -> dict[IndexKey, IndexEntry]:
    """Everything the index holds."""
    if _sqlite(session):
        query = text(
            "SELECT k.kind, k.ref_id, s.title, s.body FROM search_index AS s JOIN search_keys AS k ON k.id = s.rowid"
        )
    else:
        query = text("SELECT kind, ref_id, title, body FROM search_index")
    return {(kind, ref_id): (title, body) for kind, ref_id, title, body in column_rows(session, query)}


def _party_words(session: Session, party: Party) -> str:
    aliases = session.scalars(select(Alias.alias).where(Alias.party_id == party.id).order_by(Alias.alias))
    named = session.scalars(
        select(Claim.value)
        .where(
            Claim.subject_type == "party",
            Claim.subject_id == party.id,
            Claim.property == "name",
            Claim.review_state == "accepted",
            Claim.superseded_by.is_(None),
        )
        .order_by(Claim.value)
    )
    accepted = [json.loads(value)["name"] for value in named]
    words = [party.name_zh, party.name_pinyin, party.kind, party.country, *aliases, *accepted]
    return " ".join(w for w in words if w)


def party_entries(session: Session, ids: Iterable[str]) -> dict[IndexKey, IndexEntry]:
    entries: dict[IndexKey, IndexEntry] = {}
    for pid in sorted(set(ids)):
        party = session.get(Party, pid)
        if party is not None:
            entries["party", party.id] = (party.name, _party_words(session, party))
    return entries


def partnership_entries(session: Session, ids: Iterable[str]) -> dict[IndexKey, IndexEntry]:
    entries: dict[IndexKey, IndexEntry] = {}
    for pid in sorted(set(ids)):
        partnership = session.get(Partnership, pid)
        if partnership is None:
            continue
        a, b = session.get(Party, partnership.party_a_id), session.get(Party, partnership.party_b_id)
        if a is None or b is None:
            continue
        body = " ".join([partnership.kind, _party_words(session, a), _party_words(session, b)])
        entries["partnership", partnership.id] = (f"{a.name} {b.name}", body)
    return entries


def event_entries(session: Session, ids: Iterable[str]) -> dict[IndexKey, IndexEntry]:
    entries: dict[IndexKey, IndexEntry] = {}
    for eid in sorted(set(ids)):
        event = session.get(Event, eid)
        if event is None:
            continue
        names = session.scalars(
            select(Party.name)
            .join(EventParty, EventParty.party_id == Party.id)
            .where(EventParty.event_id == eid)
            .order_by(Party.name)
        )
        entries["event", event.id] = (f"{event.year} {event.kind}", f"{event.description} {' '.join(names)}")
    return entries


def document_entries(session: Session, ids: Iterable[str]) -> dict[IndexKey, IndexEntry]:
    """A document's title and text; a long text in parts, each an entry of its own (kind
    ``document:N`` for the part after the first), so that no entry outgrows what PostgreSQL's
    tsvector holds (1 MB) and a large document is indexed without copying its whole text."""
    entries: dict[IndexKey, IndexEntry] = {}
    for doc_id in sorted(set(ids)):
        doc = session.get(Document, doc_id)
        if doc is None:
            continue
        title = doc.title or doc.source
        for number, part in enumerate(text_parts(doc.text)):
            entries[DOCUMENT if number == 0 else f"{DOCUMENT}:{number}", doc.id] = (title, part)
    return entries


def text_parts(body: str, size: int = DOCUMENT_PART) -> Iterable[str]:
    """``body`` cut into parts of at most ``size`` characters, between words where it can be."""
    start = 0
    while True:
        end = min(start + size, len(body))
        if end < len(body):
            space = body.rfind(" ", start + size // 2, end)
            end = space + 1 if space >= 0 else end
        yield body[start:end]
        if end >= len(body):
            return
        start = end


def _fts_query(q: str) -> str:
    """Every word must appear, each as a prefix ("ning" finds Ningbo, "宁波" finds 宁波市)."""
    return " ".join(f'"{token}"*' for token in _TOKEN.findall(q))


# built once per store: (ranked matches, capped count); a document matched in several parts is
# one hit, ranked by its best part
_SQLITE_HITS = (
    "SELECT " + _HIT_KIND.format(col="k.kind") + " AS hit_kind, k.ref_id AS hit_id, rank AS hit_rank "
    "FROM search_index JOIN search_keys AS k ON k.id = search_index.rowid WHERE search_index MATCH :q"
)
_SQLITE_SEARCH = (
    text(
        f"SELECT hit_kind, hit_id FROM ({_SQLITE_HITS}) GROUP BY hit_kind, hit_id ORDER BY min(hit_rank), "
        + _KIND_ORDER.format(col="hit_kind")
        + ", hit_id LIMIT :limit OFFSET :offset"
    ),
    text(f"SELECT count(*) FROM (SELECT DISTINCT hit_kind, hit_id FROM ({_SQLITE_HITS}) LIMIT :cap)"),
)
_POSTGRESQL_HITS = (
    "SELECT " + _HIT_KIND.format(col="kind") + " AS hit_kind, ref_id AS hit_id, "
    "ts_rank(terms, to_tsquery('simple', :q)) AS hit_rank FROM search_index WHERE terms @@ to_tsquery('simple', :q)"
)
_POSTGRESQL_SEARCH = (
    text(
        f"SELECT hit_kind, hit_id FROM ({_POSTGRESQL_HITS}) AS hits GROUP BY hit_kind, hit_id "
        "ORDER BY max(hit_rank) DESC, " + _KIND_ORDER.format(col="hit_kind") + ", hit_id "
        "LIMIT :limit OFFSET :offset"
    ),
    text(
        f"SELECT count(*) FROM (SELECT DISTINCT hit_kind, hit_id FROM ({_POSTGRESQL_HITS}) AS hits LIMIT :cap) AS capped"
    ),
)


def search_refs(session: Session, q: str, limit: int, offset: int = 0) -> tuple[list[tuple[str, str]], int]:
    """(kind, id) of the best matches, and how many match (counted up to ``MAX_COUNT``)."""
    tokens = _TOKEN.findall(q)
    if not tokens:
        return [], 0
    if _sqlite(session):
        ranked, counted = _SQLITE_SEARCH
        match = _fts_query(q)
    else:
        ranked, counted = _POSTGRESQL_SEARCH
        match = " & ".join(f"{t}:*" for t in (re.sub(r"[^\w]", "", t) for t in tokens) if t)
    rows = column_rows(session, ranked, {"q": match, "limit": limit, "offset": offset})
    total = column_rows(session, counted, {"q": match, "cap": MAX_COUNT})[0][0]
    return [(str(k), str(r)) for k, r in rows], int(total)
