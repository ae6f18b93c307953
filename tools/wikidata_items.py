"""Derive the gazetteer's Wikidata items (`src/twinlink/gazetteer/curated/wikidata.csv`) from two
public datasets, matched to the places the gazetteer already holds; run by hand when either
dataset is renewed, then `make gazetteer`:

    .venv/bin/python tools/wikidata_items.py CSC_DIR GSS_JSON

CSC_DIR is a checkout of dr5hn/countries-states-cities-database (`csv/countries.csv`,
`csv/states.csv`, `contributions/cities/*.json`); GSS_JSON maps GSS codes to the one Wikidata item
that carries each as its GSS code (P836), as `{"E07000117": "Q894079", …}`.

A place's item is, first, the item of the town it is (a city of the same country and name within
15 km of the place, or a Chinese division of the same province and Chinese name), because
Wikidata records twinning on towns; then the item of the council area carrying its GSS code;
then that of its ISO 3166 code. An item that would go to two places goes to neither.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place, name_key

OUTPUT = Path(__file__).parents[1] / "src" / "twinlink" / "gazetteer" / "curated" / "wikidata.csv"
TOWN_KM = 15.0
DIVISION_KM = 60.0


@dataclass(frozen=True)
class Item:
    qid: str
    names: frozenset[str]
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Row:
    scheme: str
    code: str
    qid: str
    via: str


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(a))


def _float(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


def cities(folder: Path) -> dict[str, list[Item]]:
    """Each country's cities that carry a Wikidata item."""
    found: dict[str, list[Item]] = defaultdict(list)
    for path in sorted((folder / "contributions" / "cities").glob("*.json")):
        for city in json.loads(path.read_text(encoding="utf-8")):
            qid = city.get("wikiDataId") or ""
            if not qid.startswith("Q"):
                continue
            names = {city["name"], city.get("native") or ""} - {""}
            found[city["country_code"]].append(
                Item(qid, frozenset(names), _float(city.get("latitude")), _float(city.get("longitude")))
            )
    return found


def chinese_divisions(folder: Path) -> dict[tuple[str, str], list[Item]]:
    """China's divisions with an item, by province (ISO 3166-2) and Chinese name."""
    found: dict[tuple[str, str], list[Item]] = defaultdict(list)
    path = folder / "contributions" / "cities" / "CN.json"
    for city in json.loads(path.read_text(encoding="utf-8")):
        qid, native = city.get("wikiDataId") or "", city.get("native") or ""
        if qid.startswith("Q") and native:
            item = Item(qid, frozenset({native}), _float(city.get("latitude")), _float(city.get("longitude")))
            found[(f"CN-{city['state_code']}", native)].append(item)
    return found


def near(place: Place, item: Item, limit: float) -> bool:
    if place.lat is None or place.lon is None or item.lat is None or item.lon is None:
        return False
    return km(place.lat, place.lon, item.lat, item.lon) <= limit


def town_rows(gazetteer: Gazetteer, places: Iterable[Place], by_country: dict[str, list[Item]]) -> Iterator[Row]:
    keyed: dict[str, dict[str, list[Item]]] = {}
    for place in places:
        geonames = place.codes.get("geonames")
        if not geonames or place.lat is None or place.country not in by_country:
            continue
        index = keyed.get(place.country)
        if index is None:
            index = keyed[place.country] = defaultdict(list)
            for item in by_country[place.country]:
                for name in item.names:
                    index[name_key(name)].append(item)
        for keys in ({name_key(place.name)}, {name_key(a) for a in place.aliases}):  # its own name first
            found = {item.qid for key in keys for item in index.get(key, ()) if near(place, item, TOWN_KM)}
            if found:
                if len(found) == 1:
                    yield Row("geonames", geonames, found.pop(), "town")
                break


def province_of(gazetteer: Gazetteer, place: Place) -> str | None:
    for ancestor in (place, *gazetteer.ancestors(place)):
        code = ancestor.codes.get("iso3166_2")
        if code and code.startswith("CN-"):
            return code
    return None


def division_rows(
    gazetteer: Gazetteer, places: Iterable[Place], divisions: dict[tuple[str, str], list[Item]]
) -> Iterator[Row]:
    for place in places:
        code = place.codes.get("cn_admin")
        if not code or not place.name_zh or "iso3166_2" in place.codes:
            continue
        province = province_of(gazetteer, place)
        if province is None:
            continue
        forms = {place.name_zh, place.name_zh.removesuffix("市")}
        items = [item for form in forms for item in divisions.get((province, form), ())]
        located = [item for item in items if item.lat is None or place.lat is None or near(place, item, DIVISION_KM)]
        qids = {item.qid for item in located}
        if len(qids) == 1:
            yield Row("cn_admin", code, qids.pop(), "division")


def gss_rows(places: Iterable[Place], by_gss: dict[str, str | None]) -> Iterator[Row]:
    for place in places:
        gss = place.codes.get("gss")
        qid = by_gss.get(gss or "")
        if gss and qid:
            yield Row("gss", gss, qid, "area")


def iso_rows(folder: Path, places: Iterable[Place]) -> Iterator[Row]:
    with (folder / "csv" / "countries.csv").open(encoding="utf-8") as fh:
        countries = {r["iso2"]: r["wikiDataId"] for r in csv.DictReader(fh) if r.get("wikiDataId")}
    with (folder / "csv" / "states.csv").open(encoding="utf-8") as fh:
        states = {r["iso3166_2"]: r["wikiDataId"] for r in csv.DictReader(fh) if r.get("wikiDataId")}
    for place in places:
        for scheme, table in (("iso3166_1", countries), ("iso3166_2", states)):
            code = place.codes.get(scheme)
            qid = table.get(code or "")
            if code and qid and qid.startswith("Q"):
                yield Row(scheme, code, qid, "division")


def chosen(gazetteer: Gazetteer, rows: list[Row]) -> list[Row]:
    """One row a place, by the order of preference the rows come in; an item several places
    would take goes to the most populous of them, or to none when two are as large."""
    first: dict[str, tuple[Place, Row]] = {}
    for row in rows:
        for place in gazetteer.by_code(f"{row.scheme}:{row.code}"):
            if place.codes.get(row.scheme) == row.code:
                first.setdefault(place.id, (place, row))
    holders: dict[str, list[Place]] = defaultdict(list)
    for place, row in first.values():
        holders[row.qid].append(place)
    kept = []
    for place, row in first.values():
        sizes = sorted((p.population for p in holders[row.qid] if p is not place), reverse=True)
        if not sizes or place.population > sizes[0]:
            kept.append(row)
    return sorted(kept, key=lambda r: (r.scheme, r.code))


def items_of(gazetteer: Gazetteer, folder: Path, by_gss: dict[str, str | None]) -> list[Row]:
    """The rows to write, in the order of preference: towns, Chinese divisions, council areas,
    ISO codes."""
    places = list(gazetteer.places)
    rows = [
        *town_rows(gazetteer, places, cities(folder)),
        *division_rows(gazetteer, places, chinese_divisions(folder)),
        *gss_rows(places, by_gss),
        *iso_rows(folder, places),
    ]
    return chosen(gazetteer, rows)


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    folder, gss_file = Path(argv[0]), Path(argv[1])
    gazetteer = Gazetteer.load()
    kept = items_of(gazetteer, folder, json.loads(gss_file.read_text(encoding="utf-8")))
    with OUTPUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["scheme", "code", "qid", "via"])
        writer.writerows((r.scheme, r.code, r.qid, r.via) for r in kept)
    counts: dict[str, int] = defaultdict(int)
    for row in kept:
        counts[row.via] += 1
    print(f"wrote {len(kept)} items to {OUTPUT}: " + ", ".join(f"{n} by {via}" for via, n in sorted(counts.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
