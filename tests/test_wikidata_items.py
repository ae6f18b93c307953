"""How the gazetteer's Wikidata items are matched to its places (``tools/wikidata_items.py``): a
town of the same name nearby first, then a council area's GSS code, then an ISO code; an item two
places would take goes to the larger."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartyKind


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    path = Path(__file__).parents[1] / "tools" / "wikidata_items.py"
    spec = importlib.util.spec_from_file_location("wikidata_items", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


PLACES = [
    Place("iso:GB", PartyKind.COUNTRY, "United Kingdom", "GB", codes={"iso3166_1": "GB"}),
    Place(
        "iso:GB-AAA",
        PartyKind.UNITARY_AUTHORITY,
        "Avonford",
        "GB",
        parent="iso:GB",
        codes={"iso3166_2": "GB-AAA", "gss": "E06000901", "geonames": "901"},
        lat=51.0,
        lon=-2.0,
        population=200_000,
    ),
    Place(
        "gss:E07000902",
        PartyKind.DISTRICT,
        "North Vale",
        "GB",
        parent="iso:GB",
        codes={"gss": "E07000902"},
        lat=52.0,
        lon=-1.0,
    ),
    Place("gn:903", PartyKind.CITY, "Avonford", "GB", codes={"geonames": "903"}, lat=51.05, lon=-2.0, population=900),
    Place("iso:CN", PartyKind.COUNTRY, "China", "CN", codes={"iso3166_1": "CN"}),
    Place("iso:CN-ZJ", PartyKind.PROVINCE, "Zhejiang", "CN", parent="iso:CN", codes={"iso3166_2": "CN-ZJ"}),
    Place(
        "cn:339900",
        PartyKind.PREFECTURE_CITY,
        "Donghai",
        "CN",
        parent="iso:CN-ZJ",
        name_zh="东海市",
        codes={"cn_admin": "339900"},
        lat=29.0,
        lon=121.0,
    ),
]


GSS_ITEMS = {"E06000901": "Q800", "E07000902": "Q802"}


def write_dataset(folder: Path) -> None:
    (folder / "csv").mkdir()
    (folder / "csv" / "countries.csv").write_text("iso2,wikiDataId\nGB,Q145\nCN,Q148\n", encoding="utf-8")
    (folder / "csv" / "states.csv").write_text("iso3166_2,wikiDataId\nGB-AAA,Q900\nCN-ZJ,Q16967\n", encoding="utf-8")
    cities = folder / "contributions" / "cities"
    cities.mkdir(parents=True)
    town = {"name": "Avonford", "native": "", "country_code": "GB", "latitude": "51.01", "longitude": "-2.01"}
    far = {"name": "North Vale", "native": "", "country_code": "GB", "latitude": "55.0", "longitude": "-1.0"}
    (cities / "GB.json").write_text(json.dumps([{**town, "wikiDataId": "Q901"}, {**far, "wikiDataId": "Q902"}]))
    division = {"name": "Donghai", "native": "东海", "state_code": "ZJ", "country_code": "CN"}
    (cities / "CN.json").write_text(
        json.dumps([{**division, "latitude": "29.1", "longitude": "121.1", "wikiDataId": "Q990"}]), encoding="utf-8"
    )


def test_a_town_nearby_comes_first_then_the_area_then_the_iso_code(tool: ModuleType, tmp_path: Path) -> None:
    write_dataset(tmp_path)
    chosen = {(r.scheme, r.code): r.qid for r in tool.items_of(Gazetteer(PLACES), tmp_path, GSS_ITEMS)}
    assert chosen == {
        ("geonames", "901"): "Q901",  # Avonford the council takes the town's item, not its area's (Q800)
        ("gss", "E07000902"): "Q802",  # the town of North Vale's name is 300 km away: the area's item
        ("cn_admin", "339900"): "Q990",  # 东海 in the same province is 东海市
        ("iso3166_1", "GB"): "Q145",
        ("iso3166_1", "CN"): "Q148",
        ("iso3166_2", "CN-ZJ"): "Q16967",
    }  # the village of Avonford (gn:903), as near the town, loses its item to the larger place


def test_an_item_two_places_as_large_would_take_goes_to_neither(tool: ModuleType, tmp_path: Path) -> None:
    twins = [
        Place(f"gn:{n}", PartyKind.CITY, "Avonford", "GB", codes={"geonames": str(n)}, lat=51.0, lon=-2.0)
        for n in (1, 2)
    ]
    gazetteer = Gazetteer(twins)
    rows = [tool.Row("geonames", "1", "Q901", "town"), tool.Row("geonames", "2", "Q901", "town")]
    assert tool.chosen(gazetteer, rows) == []
