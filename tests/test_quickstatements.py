"""Wikidata items recorded for parties, and partnerships written as QuickStatements: each line a
P190 statement between two items with its start time and reference, both directions, and the
partnerships without items counted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from twinlink.register.identifiers import BadIdentifier, identify, identify_from_table
from twinlink.register.queries import find_party, list_partnership_views, party_page
from twinlink.reports.quickstatements import quickstatements
from twinlink.store.engine import reading, transaction
from twinlink.store.identifiers import identifiers_of

TEXT = """SOURCE: https://council.example.org/twins

Our twin towns

Derby has been twinned with Hefei since 1996. Nottingham is twinned with Ningbo.
"""


def test_partnerships_between_identified_places_become_statements(
    engine: Engine, ingest_text: Callable[[str, str], None], tmp_path: Path
) -> None:
    ingest_text("twins.txt", TEXT)
    table = tmp_path / "reconciled.csv"
    table.write_text("party,wikidata\nDerby,q1000\niso:GB-NGM,Q2000\n", encoding="utf-8")
    with transaction(engine) as session:
        identify(session, "cn:340100", "wikidata", "Q3000", "ana")
        done = identify_from_table(session, table, "ana")
        assert [(d.party_id, d.value) for d in done] == [("iso:GB-DER", "Q1000"), ("iso:GB-NGM", "Q2000")]
        with pytest.raises(BadIdentifier, match="already iso:GB-DER's"):
            identify(session, "Nottingham", "wikidata", "Q1000", "ana")
        with pytest.raises(BadIdentifier, match="a Wikidata item id"):
            identify(session, "Nottingham", "wikidata", "Nottingham", "ana")
    with reading(engine) as session:
        made = quickstatements(session, list_partnership_views(session, date(2026, 1, 1), 10))
        assert find_party(session, None, "Q3000").id == "cn:340100"  # a party is found by its item too
        assert find_party(session, None, "wikidata:Q1000").id == "iso:GB-DER"
    assert made.written == 2 and made.without_items == []  # Ningbo's item is the gazetteer's
    lines = [line.split("\t") for line in made.text().splitlines()]
    reference = ["S854", '"https://council.example.org/twins"']
    assert sorted(lines) == [
        ["Q1000", "P190", "Q3000", "P580", "+1996-00-00T00:00:00Z/9", *reference],
        ["Q2000", "P190", "Q42780", *reference],
        ["Q3000", "P190", "Q1000", "P580", "+1996-00-00T00:00:00Z/9", *reference],
        ["Q42780", "P190", "Q2000", *reference],
    ]


def test_a_places_item_is_the_gazetteers_until_an_editor_gives_it_to_another_party(
    engine: Engine, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("twins.txt", TEXT)
    with reading(engine) as session:
        assert identifiers_of(session, ["cn:330200", "iso:GB-NGM"], "wikidata") == {
            "cn:330200": "Q42780",  # Ningbo
            "iso:GB-NGM": "Q41262",  # Nottingham, the town's item
        }
        assert find_party(session, None, "Q42780").id == "cn:330200"
        assert (
            party_page(session, find_party(session, None, "Ningbo"), date(2026, 1, 1), 10).codes["wikidata"] == "Q42780"
        )
    with transaction(engine) as session:
        identify(session, "Hefei", "wikidata", "Q42780", "ana")  # a wrong item in the gazetteer, mended
    with reading(engine) as session:
        assert identifiers_of(session, ["cn:330200", "cn:340100"], "wikidata") == {"cn:340100": "Q42780"}
        assert find_party(session, None, "Q42780").id == "cn:340100"
        views = list_partnership_views(session, date(2026, 1, 1), 10)
        ningbo = [v.id for v in views if "Ningbo" in (v.party_a.name, v.party_b.name)]
        assert quickstatements(session, views).without_items == ningbo


def test_a_bad_row_of_a_table_is_named_and_nothing_is_recorded(
    engine: Engine, ingest_text: Callable[[str, str], None], tmp_path: Path
) -> None:
    ingest_text("twins.txt", TEXT)
    table = tmp_path / "reconciled.csv"
    table.write_text("party,wikidata\nDerby,Q1000\nAtlantis,Q5\n", encoding="utf-8")
    with pytest.raises(BadIdentifier, match=r"reconciled.csv:3: no party 'Atlantis'"), transaction(engine) as session:
        identify_from_table(session, table, "ana")
    with reading(engine) as session:
        assert identifiers_of(session, ["iso:GB-DER"], "wikidata") == {"iso:GB-DER": "Q43475"}  # the gazetteer's
