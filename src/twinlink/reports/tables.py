"""The tables an export can hold beside the partnerships: their events, their parties and the
sources they cite; all four as the sheets of a workbook, or one as a CSV."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from twinlink.output import to_workbook
from twinlink.register.derived.timelines import timeline
from twinlink.register.queries import PartnershipView
from twinlink.reports.exports import partnership_row
from twinlink.store.documents import get_document_by_source
from twinlink.store.identifiers import identifiers_of
from twinlink.store.parties import PartyRecord, party_record

TABLES = ("partnerships", "events", "parties", "sources")


def table_rows(session: Session, views: list[PartnershipView], table: str) -> list[dict[str, Any]]:
    """The rows of one of ``TABLES`` for the partnerships selected."""
    if table == "partnerships":
        return [partnership_row(v) for v in views]
    if table == "events":
        return _events(session, views, parties_of(session, views))
    if table == "parties":
        return _party_rows(session, parties_of(session, views))
    if table == "sources":
        return _sources(session, views)
    raise ValueError(f"no table {table!r}: choose one of {', '.join(TABLES)}")


def workbook(session: Session, views: list[PartnershipView]) -> bytes:
    return to_workbook({table: table_rows(session, views, table) for table in TABLES})


def parties_of(session: Session, views: Iterable[PartnershipView]) -> dict[str, PartyRecord]:
    """The records of the partnerships' parties, each once, in the order they first appear."""
    found: dict[str, PartyRecord] = {}
    for view in views:
        for ref in (view.party_a, view.party_b):
            if ref.id not in found and (record := party_record(session, ref.id)) is not None:
                found[ref.id] = record
    return found


def _events(session: Session, views: list[PartnershipView], parties: dict[str, PartyRecord]) -> list[dict[str, Any]]:
    rows = []
    for view in views:
        a, b = parties.get(view.party_a.id), parties.get(view.party_b.id)
        if a is None or b is None:
            continue
        for entry in timeline(session, a, b):
            rows.append(
                {
                    "partnership_id": view.id,
                    "date": entry.date,
                    "kind": entry.kind,
                    "what": entry.description,
                    "parties": entry.parties,
                    "sources": sorted({s.source or s.method for s in entry.sources}),
                }
            )
    return rows


def _party_rows(session: Session, parties: dict[str, PartyRecord]) -> list[dict[str, Any]]:
    items = identifiers_of(session, parties, "wikidata")
    return [
        {
            "id": p.id,
            "name": p.name,
            "name_zh": p.name_zh,
            "name_pinyin": p.name_pinyin,
            "kind": p.kind,
            "country": p.country,
            "gss_code": p.gss_code,
            "iso_code": p.iso_code,
            "cn_admin_code": p.cn_admin_code,
            "geonames_id": p.geonames_id,
            "wikidata": items.get(p.id),
            "lat": p.lat,
            "lon": p.lon,
        }
        for p in sorted(parties.values(), key=lambda p: p.id)
    ]


def _sources(session: Session, views: list[PartnershipView]) -> list[dict[str, Any]]:
    cited = Counter(source for view in views for source in view.sources)
    rows = []
    for source, count in sorted(cited.items()):
        document = get_document_by_source(session, source)
        rows.append(
            {
                "source": source,
                "title": document.title if document else None,
                "document_id": document.id if document else None,
                "partnerships": count,
            }
        )
    return rows
