"""Name → place candidates: any name form, insensitive to case, diacritics and suffixes."""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from twinlink.errors import AmbiguousPlace, UnknownPlace
from twinlink.gazetteer.model import Place, has_han, name_key
from twinlink.gazetteer.names import ZH_SUFFIXES
from twinlink.vocab import CITY_KINDS, COUNTY_KINDS, DISTRICT_KINDS, PROVINCE_KINDS, PartyKind

# (suffix or prefix words, the kinds they point to); longest first.
_SUFFIX_HINTS: tuple[tuple[str, frozenset[PartyKind] | None], ...] = (
    ("metropolitan borough council", DISTRICT_KINDS),
    ("metropolitan district council", DISTRICT_KINDS),
    ("provincial people's government", PROVINCE_KINDS),
    ("municipal people's government", CITY_KINDS),
    ("provincial government", PROVINCE_KINDS),
    ("municipal government", CITY_KINDS),
    ("special administrative region", PROVINCE_KINDS),
    ("autonomous region", PROVINCE_KINDS),
    ("autonomous prefecture", frozenset({PartyKind.PREFECTURE})),
    ("city council", CITY_KINDS),
    ("county council", COUNTY_KINDS),
    ("borough council", DISTRICT_KINDS),
    ("district council", DISTRICT_KINDS),
    ("city government", CITY_KINDS),
    ("council", None),
    ("province", PROVINCE_KINDS),
    ("provincial", PROVINCE_KINDS),
    ("sheng", PROVINCE_KINDS),
    ("zizhiqu", PROVINCE_KINDS),
    ("municipality", CITY_KINDS),
    ("shi", CITY_KINDS),
    ("prefecture", frozenset({PartyKind.PREFECTURE, PartyKind.PREFECTURE_CITY})),
    ("city", CITY_KINDS),
    ("county", COUNTY_KINDS),
    ("district", DISTRICT_KINDS),
    ("borough", DISTRICT_KINDS),
    ("region", PROVINCE_KINDS),
    ("sar", PROVINCE_KINDS),
)
_PREFIXES = ("the ", "city of ", "county of ", "royal borough of ", "london borough of ", "borough of ")
_ZH_HINTS = {
    "省": PROVINCE_KINDS,
    "自治区": PROVINCE_KINDS,
    "市": CITY_KINDS,
    "区": DISTRICT_KINDS,
    "县": DISTRICT_KINDS,
}
_KIND_WEIGHT = {
    PartyKind.COUNTRY: 12,
    PartyKind.PROVINCE: 10,
    PartyKind.MUNICIPALITY: 10,
    PartyKind.AUTONOMOUS_REGION: 10,
    PartyKind.SPECIAL_ADMINISTRATIVE_REGION: 10,
    PartyKind.NATION: 10,
    PartyKind.PREFECTURE_CITY: 9,
    PartyKind.UNITARY_AUTHORITY: 9,
    PartyKind.METROPOLITAN_DISTRICT: 9,
    PartyKind.COUNTY: 8,
    PartyKind.COUNCIL_AREA: 8,
    PartyKind.PREFECTURE: 7,
    PartyKind.CITY: 6,
    PartyKind.LONDON_BOROUGH: 6,
    PartyKind.COUNTY_CITY: 5,
    PartyKind.REGION: 5,
    PartyKind.DISTRICT: 3,
}
PRIMARY, ALIAS, ALTERNATE = 100, 85, 55


@dataclass(frozen=True, slots=True)
class Candidate:
    place: Place
    score: float
    matched: str


@dataclass(frozen=True, slots=True)
class Query:
    keys: tuple[tuple[str, int], ...]
    kinds: frozenset[PartyKind] | None


def parse_query(name: str) -> Query:
    """The keys to try for a name (with a penalty for each stripped word) and a kind hint."""
    text = name.strip()
    keys: list[tuple[str, int]] = []
    kinds: frozenset[PartyKind] | None = None
    if has_han(text):
        keys.append((text, 0))
        for suffix in ZH_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                keys.append((text[: -len(suffix)], 5))
                kinds = _ZH_HINTS.get(suffix)
                break
        return Query(tuple(keys), kinds)
    key = name_key(text)
    keys.append((key, 0))
    stripped = key
    for prefix in _PREFIXES:
        if stripped.startswith(prefix) and len(stripped) > len(prefix):
            stripped = stripped[len(prefix) :]
            kinds = CITY_KINDS if prefix == "city of " else kinds
    changed = True
    while changed:
        changed = False
        for words, hint in _SUFFIX_HINTS:
            if stripped.endswith(" " + words):
                stripped = stripped[: -len(words) - 1].strip()
                kinds = kinds or hint
                changed = True
                break
    if stripped != key and stripped:
        keys.append((stripped, 5))
    return Query(tuple(keys), kinds)


class Gazetteer:
    """Places with an index of every name form; built from the packaged data file."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: list[Place] = list(places)
        self.by_id: dict[str, Place] = {p.id: p for p in self.places}
        self._index: dict[str, list[tuple[int, int]]] = {}
        self._by_country: dict[str, dict[str, int]] = {}
        self._by_code: dict[str, list[int]] | None = None  # built on the first lookup by code
        self._fuzzy_keys: list[str] | None = None
        for i, place in enumerate(self.places):
            self._add(place.name, i, PRIMARY)
            for alias in (*place.aliases, place.name_zh, place.name_pinyin):
                if alias:
                    self._add(alias, i, ALIAS)
            for alias in place.alternates:
                self._add(alias, i, ALTERNATE)

    def _add(self, name: str, index: int, quality: int) -> None:
        key = name if has_han(name) else name_key(name)
        if not key:
            return
        entries = self._index.setdefault(key, [])
        for n, (j, q) in enumerate(entries):
            if j == index:
                if quality > q:
                    entries[n] = (index, quality)
                return
        entries.append((index, quality))

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        if path is None:
            data = resources.files("twinlink.gazetteer").joinpath("data/places.json.gz").read_bytes()
        else:
            data = path.read_bytes()
        rows = json.loads(gzip.decompress(data))
        return cls(Place.from_row(r) for r in rows)

    def get(self, place_id: str) -> Place | None:
        return self.by_id.get(place_id)

    def parent(self, place: Place) -> Place | None:
        return self.by_id.get(place.parent) if place.parent else None

    def ancestors(self, place: Place) -> list[Place]:
        chain: list[Place] = []
        current = self.parent(place)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent(current)
        return chain

    def find(
        self,
        name: str,
        country: str | None = None,
        limit: int = 10,
        kinds: frozenset[PartyKind] | None = None,
        home: Sequence[str] = ("GB", "CN"),
    ) -> list[Candidate]:
        """Every place the name may mean, best first. ``country`` (ISO alpha-2) narrows the
        answer when any candidate is in that country; ``kinds`` overrides the hint the name gives."""
        query = parse_query(name)
        hint = kinds or query.kinds
        best: dict[int, tuple[float, str]] = {}
        for key, penalty in query.keys:
            for index, quality in self._index.get(key, ()):
                place = self.places[index]
                score = float(quality - penalty)
                if hint is not None:
                    score += 25 if place.kind in hint else -25
                if country is None and place.country in home:
                    score += 15
                score += _KIND_WEIGHT.get(place.kind, 0)
                score += math.log10(place.population + 1) * 2
                if index not in best or best[index][0] < score:
                    best[index] = (score, key)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], self.places[item[0]].id))
        candidates = [Candidate(self.places[i], round(s, 2), k) for i, (s, k) in ranked]
        if country:
            cc = country.upper()
            in_country = [c for c in candidates if c.place.country == cc]
            candidates = in_country or candidates
        return candidates[:limit]

    def by_code(self, code: str) -> list[Place]:
        """The places a code names: a GSS code (E08000035), an ISO 3166 code (GB-LDS, CN), a Chinese
        administrative code (330200), a GeoNames id, or Twinlink's own id (iso:GB-LDS); a code may
        be given with its scheme (gss:E08000035, geonames:1799397). Several, when schemes share a
        number. A council's former GSS code (E10000002, Buckinghamshire County Council's) gives the
        place that has it now, after an abolished council that still holds it."""
        if self._by_code is None:
            self._by_code = {}
            for i, place in enumerate(self.places):
                for value in (place.id, *place.codes.values()):
                    self._by_code.setdefault(value.upper(), []).append(i)
                for scheme, value in place.codes.items():
                    self._by_code.setdefault(f"{scheme}:{value}".upper(), []).append(i)
            for i, place in enumerate(self.places):  # a replaced code leads to its successor, after any holder
                for value in place.former_codes:
                    self._by_code.setdefault(value.upper(), []).append(i)
                    self._by_code.setdefault(f"GSS:{value}".upper(), []).append(i)
        wanted = code.strip().upper()
        for scheme, alias in (
            ("ISO:", "ISO3166_2:"),
            ("GSS:", "GSS:"),
            ("GEONAMES:", "GEONAMES:"),
            ("CN:", "CN_ADMIN:"),
        ):
            if wanted.startswith(scheme) and wanted not in self._by_code:
                wanted = alias + wanted.removeprefix(scheme)
        return [self.places[i] for i in dict.fromkeys(self._by_code.get(wanted, []))]

    def suggest(self, name: str, limit: int = 3, cutoff: float = 75.0) -> list[Place]:
        """Places whose names are spelled most like ``name`` ("Ningboo", "Chongquing", "Hang Zhou"),
        for a "did you mean" when no name matches: the better known first among equals."""
        from rapidfuzz import fuzz, process

        if self._fuzzy_keys is None:
            self._fuzzy_keys = [key for key in self._index if key.isascii()]
        key = name_key(name)
        found = process.extract(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit * 4)
        ranked: dict[int, tuple[float, int]] = {}
        for match, score, _ in found:
            for index, _quality in self._index[match]:
                population = self.places[index].population
                if index not in ranked or ranked[index][0] < score:
                    ranked[index] = (score, population)
        best = sorted(ranked, key=lambda i: (-ranked[i][0], -ranked[i][1], self.places[i].id))
        return [self.places[i] for i in best[:limit]]

    def closest(self, name: str, country: str, cutoff: float = 90.0) -> Place | None:
        """The place of ``country`` whose name is spelled most like ``name`` (a typing slip:
        "Stradford-upon-Avon"), when one comes within ``cutoff`` (0–100) of it."""
        from rapidfuzz import fuzz, process

        keys = self._country_keys(country.upper())
        if not keys:
            return None
        found = process.extractOne(name_key(name), list(keys), scorer=fuzz.ratio, score_cutoff=cutoff)
        return self.places[keys[found[0]]] if found else None

    def _country_keys(self, country: str) -> dict[str, int]:
        cached = self._by_country.get(country)
        if cached is None:
            cached = {}
            for i, place in enumerate(self.places):
                if place.country == country and place.kind not in (PartyKind.COUNTRY, PartyKind.NATION):
                    for n in (place.name, *place.aliases):
                        if n.isascii():
                            cached.setdefault(name_key(n), i)
            self._by_country[country] = cached
        return cached

    def resolve(self, name: str, country: str | None = None, margin: float = 10.0) -> Place:
        """The one place a name means, or an error saying why there is none."""
        candidates = self.find(name, country=country)
        if not candidates:
            raise UnknownPlace(f"no place called {name!r} in the gazetteer")
        if len(candidates) > 1 and candidates[0].score - candidates[1].score < margin:
            names = ", ".join(describe(c.place, self) for c in candidates[:4])
            raise AmbiguousPlace(f"{name!r} may be any of: {names}")
        return candidates[0].place


def council_record(place: Place, gazetteer: Gazetteer) -> str | None:
    """What the record of a council or a Chinese division says of it, in a line: "since
    2020-04-01; formerly E10000002", "abolished 2019-01-09; its area now Jinan's"."""
    parts = []
    if place.since:
        parts.append(f"since {place.since}")
    if place.until:
        parts.append(f"abolished {place.until}")
    successors = [p.name for p in map(gazetteer.get, place.replaced_by) if p is not None]
    if successors:
        parts.append(f"its area now {' and '.join(successors)}'s")
    if place.former_codes:
        parts.append(f"formerly {', '.join(place.former_codes)}")
    return "; ".join(parts) or None


@lru_cache(maxsize=1)
def _records() -> dict[str, str]:
    data = resources.files("twinlink.gazetteer").joinpath("data/records.json").read_text(encoding="utf-8")
    records: dict[str, str] = json.loads(data)
    return records


def record_of(place_id: str) -> str | None:
    """A place's ``council_record`` line, read from the small table the build writes beside the
    gazetteer (a page shows it without loading the gazetteer)."""
    return _records().get(place_id)


@lru_cache(maxsize=1)
def _items() -> dict[str, str]:
    data = resources.files("twinlink.gazetteer").joinpath("data/items.json").read_text(encoding="utf-8")
    items: dict[str, str] = json.loads(data)
    return items


def item_of(place_id: str) -> str | None:
    """A place's Wikidata item, read from the small table the build writes beside the gazetteer."""
    return _items().get(place_id)


def describe(place: Place, gazetteer: Gazetteer) -> str:
    parent = gazetteer.parent(place)
    where = f", {parent.name}" if parent and parent.kind is not PartyKind.COUNTRY else ""
    return f"{place.name} ({place.kind.value}{where}, {place.country})"


_default: list[Gazetteer] = []


def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once per process."""
    if not _default:
        _default.append(Gazetteer.load())
    return _default[0]


def use_as_default(gazetteer: Gazetteer) -> None:
    """Take a copy of the packaged gazetteer loaded some other way (with a ready-made extractor)
    as the process's own, so that it is not loaded twice."""
    if not _default:
        _default.append(gazetteer)
