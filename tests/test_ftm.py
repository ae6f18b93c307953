"""The FollowTheMoney export read back by the library: public bodies and organisations, a link
per partnership between entities that are there, events, and each value's source."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from followthemoney import model
from followthemoney.statement import Statement
from sqlalchemy import Engine

from twinlink.register.queries import list_partnership_views
from twinlink.reports.exports import export
from twinlink.store.engine import reading

TEXT = """SOURCE: https://council.example.org/twinning

Our twin towns

Derby has been twinned with Hefei since 1996. In May 2012 a delegation from Hefei visited Derby.
Westmoor Primary School in Derby is twinned with Luyang Primary School in Hefei.
"""


def test_the_register_as_followthemoney_entities(engine: Engine, ingest_text: Callable[[str, str], None]) -> None:
    ingest_text("twins.txt", TEXT)
    with reading(engine) as session:
        views = list_partnership_views(session, date(2026, 1, 1), 10)
        lines = str(export(session, views, "ftm")).splitlines()
        statements = str(export(session, views, "ftm-statements")).splitlines()
    entities = [model.get_proxy(json.loads(line), cleaned=False) for line in lines]
    by_id = {e.id: e for e in entities}
    assert len(by_id) == len(entities)  # each party once
    derby = next(e for e in entities if e.first("name", quiet=True) == "Derby")
    assert derby.schema.name == "PublicBody" and derby.first("country") == "gb" and "E06000015" in derby.get("idNumber")
    assert derby.get("wikidataId") == ["Q43475"]  # the gazetteer's item for Derby
    school = next(e for e in entities if e.first("name", quiet=True) == "Westmoor Primary School")
    assert school.schema.name == "Organization"
    links = [e for e in entities if e.schema.name == "UnknownLink"]
    assert len(links) == 2
    for link in links:
        assert link.first("subject") in by_id and link.first("object") in by_id
    place_link = next(link for link in links if derby.id in (link.first("subject"), link.first("object")))
    assert place_link.get("startDate") == ["1996"] and place_link.get("sourceUrl") == [
        "https://council.example.org/twinning"
    ]
    visit = next(e for e in entities if e.schema.name == "Event")
    assert visit.first("date") == "2012-05" and set(visit.get("involved")) == {
        place_link.first("subject"),
        place_link.first("object"),
    }
    parsed = [Statement.from_dict(json.loads(line)) for line in statements]
    started = next(s for s in parsed if s.prop == "startDate")
    assert started.value == "1996" and started.origin == "https://council.example.org/twinning"
    assert {s.entity_id for s in parsed} == set(by_id)
