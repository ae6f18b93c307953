"""The selected partnerships as FollowTheMoney entities (the ``followthemoney`` library): each
party a PublicBody (a place's government) or an Organization (a school, university or other
body), each partnership an UnknownLink between them and each event of the two an Event, every
value carried as a statement whose origin is the source that gives it. Written as JSON Lines of
entities, or of statements."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from twinlink.documents.model import is_address
from twinlink.errors import TwinlinkError
from twinlink.register.derived.timelines import TimelineEntry, timeline
from twinlink.register.queries import PartnershipView
from twinlink.reports.tables import parties_of
from twinlink.store.identifiers import identifiers_of
from twinlink.store.parties import PartyRecord
from twinlink.vocab import BODY_KINDS

if TYPE_CHECKING:
    from followthemoney.dataset import Dataset
    from followthemoney.statement import StatementEntity

DATASET = "twinlink"
GAZETTEER = "twinlink:gazetteer"  # the origin of what the gazetteer, not a document, says
IDENTIFIERS = "twinlink:identifiers"  # a party's item in Wikidata: the gazetteer's or an editor's
_UNSAFE = re.compile(r"[^0-9A-Za-z.-]+")


def entity_id(twinlink_id: str) -> str:
    """A FollowTheMoney id for a register id: letters, digits, dots and dashes only."""
    return "twinlink-" + _UNSAFE.sub("-", twinlink_id).strip("-")


def _library() -> tuple[type[Dataset], type[StatementEntity]]:
    try:
        from followthemoney.dataset import Dataset
        from followthemoney.statement import StatementEntity
    except ImportError:
        raise TwinlinkError(
            "the FollowTheMoney export needs the followthemoney library: pip install 'twinlink[ftm]'"
        ) from None
    return Dataset, StatementEntity


def ftm_entities(session: Session, views: Iterable[PartnershipView]) -> Iterator[StatementEntity]:
    """The parties (each once), then each partnership's link and the events of its two parties."""
    dataset_type, entity_type = _library()
    dataset = dataset_type({"name": DATASET, "title": "Twinlink register"})
    selected = list(views)
    records = parties_of(session, selected)
    items = identifiers_of(session, records, "wikidata")
    for record in records.values():
        entity = _party(entity_type(dataset, {"schema": _schema(record), "id": entity_id(record.id)}), record)
        entity.add("wikidataId", items.get(record.id), origin=IDENTIFIERS)
        yield entity
    for view in selected:
        yield _link(entity_type(dataset, {"schema": "UnknownLink", "id": entity_id(view.id)}), view)
        a, b = records.get(view.party_a.id), records.get(view.party_b.id)
        if a is None or b is None:
            continue
        for entry in timeline(session, a, b):
            said = hashlib.sha1(entry.description.encode()).hexdigest()[:10]
            event_id = entity_id(f"{view.id}-{entry.date}-{entry.kind}-{said}")
            yield _event(entity_type(dataset, {"schema": "Event", "id": event_id}), entry, view)


def _schema(party: PartyRecord) -> str:
    return "Organization" if party.kind in BODY_KINDS else "PublicBody"


def _party(entity: StatementEntity, party: PartyRecord) -> StatementEntity:
    entity.add("name", party.name, lang="eng", origin=GAZETTEER)
    entity.add("alias", party.name_zh, lang="zho", origin=GAZETTEER)
    entity.add("alias", party.name_pinyin, origin=GAZETTEER)
    entity.add("country", party.country, origin=GAZETTEER)
    entity.add("classification", party.kind, origin=GAZETTEER)
    for code in (party.gss_code, party.iso_code, party.cn_admin_code):
        entity.add("idNumber", code, origin=GAZETTEER)
    return entity


def _link(link: StatementEntity, view: PartnershipView) -> StatementEntity:
    link.add("subject", entity_id(view.party_a.id))
    link.add("object", entity_id(view.party_b.id))
    link.add("role", f"{view.kind} partnership")
    for value in view.established_values:
        for source in value.sources:
            link.add("startDate", str(value.value), origin=source.source or source.method)
    link.add("status", view.status)
    link.add("description", view.status_reason)
    for instrument in view.instruments:
        link.add("summary", instrument)
    for address in filter(is_address, view.sources):  # a file's name is not an address
        link.add("sourceUrl", address, origin=address)
    return link


def _event(event: StatementEntity, entry: TimelineEntry, view: PartnershipView) -> StatementEntity:
    origins: list[str | None] = [s.source or s.method for s in entry.sources] or [None]
    for origin in origins:
        event.add("date", entry.date, origin=origin)
    event.add("name", entry.label or entry.kind)
    event.add("summary", entry.description)
    event.add("keywords", entry.kind)
    event.add("involved", [entity_id(view.party_a.id), entity_id(view.party_b.id)])
    for source in entry.sources:
        if source.source and is_address(source.source):
            event.add("sourceUrl", source.source, origin=source.source)
    return event


def to_ftm(session: Session, views: list[PartnershipView]) -> str:
    """One entity a line, as FollowTheMoney tools (``ftm``, Aleph, yente) read them."""
    lines = [json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in ftm_entities(session, views)]
    return "\n".join(lines) + ("\n" if lines else "")


def to_ftm_statements(session: Session, views: list[PartnershipView]) -> str:
    """One statement a line: each value of each entity with the source it came from (``origin``)."""
    _library()
    from followthemoney.statement import write_statements

    buffer = io.BytesIO()
    write_statements(buffer, "json", (s for e in ftm_entities(session, views) for s in e.statements))
    return buffer.getvalue().decode("utf-8")
