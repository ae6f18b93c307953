from __future__ import annotations

import pytest

from twinlink.errors import AmbiguousPlace, UnknownPlace
from twinlink.extract.pipeline import Extractor
from twinlink.gazetteer.lookup import Gazetteer, council_record, item_of, parse_query, record_of
from twinlink.gazetteer.matcher import PlaceMatcher
from twinlink.gazetteer.model import Place
from twinlink.gazetteer.names import strip_zh_suffix
from twinlink.vocab import PartyKind


def best(g: Gazetteer, name: str, **kw: str):  # type: ignore[no-untyped-def]
    found = g.find(name, **kw)
    assert found, f"nothing for {name!r}"
    return found[0].place


@pytest.mark.parametrize(
    "name", ["Ningbo", "ningbo", "宁波", "宁波市", "Níngbō", "Ningbo City", "Ningpo", "NINGBO SHI"]
)
def test_ningbo_in_every_name_form(gazetteer: Gazetteer, name: str) -> None:
    place = best(gazetteer, name)
    assert place.name == "Ningbo"
    assert place.kind is PartyKind.PREFECTURE_CITY
    assert gazetteer.parent(place).name == "Zhejiang"  # type: ignore[union-attr]
    assert place.country == "CN"
    assert place.codes["cn_admin"] == "330200"


@pytest.mark.parametrize(
    "name", ["Sichuan", "Sichuan Province", "Sichuan Sheng", "四川", "四川省", "Szechuan", "sichuan province"]
)
def test_province_name_forms(gazetteer: Gazetteer, name: str) -> None:
    place = best(gazetteer, name)
    assert place.id == "iso:CN-SC"
    assert place.kind is PartyKind.PROVINCE


def test_kinds_are_right(gazetteer: Gazetteer) -> None:
    assert best(gazetteer, "Hainan").kind is PartyKind.PROVINCE
    assert best(gazetteer, "Henan").kind is PartyKind.PROVINCE
    assert best(gazetteer, "Hainan Province").codes["iso3166_2"] == "CN-HI"
    assert best(gazetteer, "Chongqing").kind is PartyKind.MUNICIPALITY
    assert best(gazetteer, "Leicestershire").kind is PartyKind.COUNTY
    assert best(gazetteer, "Taiyuan").kind is PartyKind.PREFECTURE_CITY


def test_shanxi_and_shaanxi_are_different(gazetteer: Gazetteer) -> None:
    shanxi, shaanxi = best(gazetteer, "Shanxi"), best(gazetteer, "Shaanxi")
    assert shanxi.codes["iso3166_2"] == "CN-SX"
    assert shaanxi.codes["iso3166_2"] == "CN-SN"


def test_council_names_resolve_to_the_place(gazetteer: Gazetteer) -> None:
    assert best(gazetteer, "Leicester City Council").id == "iso:GB-LCE"
    assert best(gazetteer, "Nottinghamshire County Council").id == "iso:GB-NTT"
    assert best(gazetteer, "Charnwood Borough Council").codes["gss"] == "E07000130"


def test_historical_spellings(gazetteer: Gazetteer) -> None:
    assert best(gazetteer, "Chungking").id == "iso:CN-CQ"
    assert best(gazetteer, "Amoy").name == "Xiamen"
    assert best(gazetteer, "Canton").name == "Guangzhou"


def test_ambiguous_name_returns_all_candidates_and_honours_country(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("Newcastle")
    countries = {c.place.country for c in found}
    assert found[0].place.name == "Newcastle upon Tyne"
    assert {"GB", "AU"} <= countries
    assert gazetteer.find("Newcastle", country="AU")[0].place.country == "AU"


def test_resolve_errors(gazetteer: Gazetteer) -> None:
    with pytest.raises(UnknownPlace):
        gazetteer.resolve("Qwxzyville")
    with pytest.raises(AmbiguousPlace):
        gazetteer.resolve("Nanshan")
    assert gazetteer.resolve("Zhejiang").id == "iso:CN-ZJ"


def test_parse_query_kind_hints() -> None:
    q = parse_query("Hainan Province")
    assert ("hainan", 5) in q.keys
    assert q.kinds is not None and PartyKind.PROVINCE in q.kinds


def test_every_uk_iso_subdivision_and_chinese_province_is_present(gazetteer: Gazetteer) -> None:
    import pycountry

    for sub in pycountry.subdivisions:
        if sub.country_code in ("GB", "CN"):
            assert gazetteer.get(f"iso:{sub.code}") is not None, sub.code


def test_matcher_finds_mentions_with_offsets(gazetteer: Gazetteer) -> None:
    matcher = PlaceMatcher(gazetteer)
    text = "Bristol is twinned with Guangzhou; 宁波 and Hainan Province signed in March 2001."
    found = {(m.text, gazetteer.get(m.place_ids[0]).name) for m in matcher.find(text)}  # type: ignore[union-attr]
    assert ("Guangzhou", "Guangzhou") in found
    assert ("宁波", "Ningbo") in found
    assert ("Hainan Province", "Hainan") in found
    assert not any(t == "March" for t, _ in found)
    for m in matcher.find(text):
        assert text[m.start : m.end] == m.text


def test_matcher_needs_whole_capitalised_words(gazetteer: Gazetteer) -> None:
    matcher = PlaceMatcher(gazetteer)
    assert matcher.find("the leicestershire road") == []
    assert [m.text for m in matcher.find("Leicestershire's schools")] == ["Leicestershire"]


def test_matcher_ignores_names_inside_words_and_keeps_text_order(gazetteer: Gazetteer) -> None:
    matcher = PlaceMatcher(gazetteer)
    assert [m.text for m in matcher.find("Ningboesque and antiLeeds (Derbyshire")] == ["Derbyshire"]
    found = matcher.find("“Leeds”, 杭州, then (Hangzhou) and O'Derby.")
    assert [m.text for m in found] == ["Leeds", "杭州", "Hangzhou"]
    assert [m.start for m in found] == sorted(m.start for m in found)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("E08000035", "Leeds"),
        ("gb-lds", "Leeds"),
        ("gss:E08000035", "Leeds"),
        ("iso:GB-LDS", "Leeds"),
        ("330200", "Ningbo"),
        ("cn:330200", "Ningbo"),
        ("geonames:1799397", "Ningbo"),
        ("Q42780", "Ningbo"),
        ("wikidata:Q39121", "Leeds"),
    ],
)
def test_a_place_is_found_by_any_of_its_codes(gazetteer: Gazetteer, code: str, name: str) -> None:
    assert [p.name for p in gazetteer.by_code(code)] == [name]


@pytest.mark.parametrize(
    ("typed", "meant"), [("Ningboo", "Ningbo"), ("Chongquing", "Chongqing"), ("Hang Zhou", "Hangzhou")]
)
def test_a_misspelt_name_gets_a_did_you_mean(gazetteer: Gazetteer, typed: str, meant: str) -> None:
    assert gazetteer.find(typed) == [] or gazetteer.find(typed)[0].place.name != meant
    assert gazetteer.suggest(typed)[0].name == meant


def test_wikidata_items_are_a_towns_before_its_council_areas_and_one_place_each(gazetteer: Gazetteer) -> None:
    def item(place_id: str) -> str | None:
        place = gazetteer.get(place_id)
        assert place is not None
        return place.codes.get("wikidata")

    assert item("iso:GB-LDS") == "Q39121"  # Leeds the town, where Wikidata records twinning
    assert item("gss:E07000132") == "Q946825"  # Hinckley and Bosworth, a district with no town of its name
    assert item("iso:GB-LEC") == "Q21272890"  # Leicestershire
    assert (item("cn:330200"), item("iso:CN-SC"), item("iso:CN")) == ("Q42780", "Q19770", "Q148")
    items = [p.codes["wikidata"] for p in gazetteer.places if "wikidata" in p.codes]
    assert len(items) > 14_000 and len(items) == len(set(items))
    councils = [p for p in gazetteer.places if p.country == "GB" and p.kind in COUNCIL_KINDS and not p.until]
    assert sum("wikidata" in p.codes for p in councils) / len(councils) > 0.9


COUNCIL_KINDS = {
    PartyKind.UNITARY_AUTHORITY,
    PartyKind.METROPOLITAN_DISTRICT,
    PartyKind.LONDON_BOROUGH,
    PartyKind.COUNCIL_AREA,
    PartyKind.COUNTY,
    PartyKind.DISTRICT,
}


def test_every_council_in_being_has_a_gss_code_and_a_point(gazetteer: Gazetteer) -> None:
    councils = [
        p
        for p in gazetteer.places
        if p.country == "GB" and p.kind in COUNCIL_KINDS and p.id.startswith(("iso:GB-", "gss:")) and not p.until
    ]
    assert len(councils) > 150
    assert [p.name for p in councils if "gss" not in p.codes] == []
    assert [p.name for p in councils if p.lat is None] == []


def test_an_abolished_council_says_when_and_which_took_its_area(gazetteer: Gazetteer) -> None:
    aylesbury = gazetteer.find("Aylesbury Vale")[0].place
    assert aylesbury.until == "2020-03-31" and aylesbury.replaced_by == ("iso:GB-BKM",)
    assert council_record(aylesbury, gazetteer) == "abolished 2020-03-31; its area now Buckinghamshire's"
    buckinghamshire = gazetteer.by_code("E10000002")  # the abolished county council's code
    assert [p.id for p in buckinghamshire] == ["iso:GB-BKM"]
    assert buckinghamshire[0].since == "2020-04-01" and "E10000002" in buckinghamshire[0].former_codes
    west_dorset = gazetteer.find("West Dorset")[0].place  # known only from the council record
    assert west_dorset.id == "gss:E07000052" and gazetteer.get(west_dorset.replaced_by[0]).name == "Dorset"  # type: ignore[union-attr]
    bournemouth = gazetteer.find("Bournemouth")[0].place  # the town goes on; its council's code is a former one
    assert bournemouth.until is None and "E06000028" in bournemouth.former_codes


def test_ethnic_names_come_off_a_chinese_county_in_any_order() -> None:
    for ethnic in (("回族", "彝族"), ("彝族", "回族")):
        assert strip_zh_suffix("寻甸回族彝族自治县", ethnic) == "寻甸"


def test_chinese_names_are_simplified_and_a_borough_is_no_county(gazetteer: Gazetteer) -> None:
    def chinese(place_id: str) -> str:
        place = gazetteer.get(place_id)
        assert place is not None and place.name_zh is not None
        return place.name_zh

    assert chinese("iso:GB-LDS") == "利兹"  # not 利兹郡: a borough, not a county
    assert chinese("iso:GB-COV") == "考文垂"
    assert chinese("iso:GB-KEN").endswith("郡")  # a county is one
    hull = gazetteer.get("iso:GB-KHL")
    assert (
        hull is not None and hull.name_zh == "赫尔" and "赫爾河畔京士頓" in hull.aliases
    )  # the traditional form read too
    assert chinese("cn:610424") == "乾县"  # China's own names kept as they are
    assert best(gazetteer, "赫爾河畔京士頓").id == "iso:GB-KHL"


def test_a_merged_chinese_city_is_abolished_into_its_successor(gazetteer: Gazetteer) -> None:
    laiwu = best(gazetteer, "Laiwu")
    assert laiwu.until == "2019-01-09" and laiwu.replaced_by == ("cn:370100",)
    assert council_record(laiwu, gazetteer) == "abolished 2019-01-09; its area now Jinan's"
    district = gazetteer.get("cn:371202")
    assert district is not None and district.parent == "cn:370100"  # its district moved


def test_chinas_divisions_are_those_of_the_statistics_bureaus_table_of_2022(gazetteer: Gazetteer) -> None:
    def place(place_id: str) -> Place:
        found = gazetteer.get(place_id)
        assert found is not None, place_id
        return found

    fenghua_city, fenghua_district = place("cn:330283"), place("cn:330213")  # 奉化市 became 奉化区 of Ningbo
    assert fenghua_city.replaced_by == ("cn:330213",) and "330283" in fenghua_district.former_codes
    assert (fenghua_district.name, fenghua_district.parent) == ("Fenghua", "cn:330200")
    assert fenghua_district.lat == fenghua_city.lat  # where its predecessor was
    assert [p.id for p in gazetteer.by_code("330213")] == ["cn:330213"]
    assert [c.place.id for c in gazetteer.find("奉化区")][:1] == ["cn:330213"]
    assert place("cn:130223").replaced_by == ("cn:130284",)  # 滦县 became 滦州市
    assert place("cn:500228").replaced_by == ("cn:500155",)  # 梁平县 became 梁平区, renumbered
    assert place("cn:542421").replaced_by == ("cn:540600",)  # 那曲县: its prefecture became 那曲市
    assert place("cn:330104").replaced_by == ("cn:330100",)  # 江干区, shared out among Hangzhou's districts
    renamed = place("cn:130502")
    assert (renamed.name_zh, renamed.name) == ("襄都区", "Xiangdou") and "桥东区" in renamed.aliases
    assert place("cn:640100").parent == "iso:CN-NX" and place("iso:CN-NX").codes["cn_admin"] == "640000"
    assert council_record(fenghua_city, gazetteer) == "its area now Fenghua's"


@pytest.mark.parametrize(
    ("english", "country"),
    [("Cologne", "DE"), ("Hanover", "DE"), ("Seville", "ES"), ("Leghorn", "IT"), ("Danzig", "PL")],
)
def test_cities_abroad_by_their_english_names(
    gazetteer: Gazetteer, extractor: Extractor, english: str, country: str
) -> None:
    assert best(gazetteer, english).country == country
    found = extractor.finder.matcher.find(f"Leeds is twinned with {english}.")
    assert [m.text for m in found] == ["Leeds", english]


def test_the_records_table_is_in_step_with_the_gazetteer(gazetteer: Gazetteer) -> None:
    # when this fails, run `make gazetteer`: pages read the records from the table it writes
    for place in gazetteer.places:
        assert record_of(place.id) == council_record(place, gazetteer), place.id


def test_the_items_table_is_in_step_with_the_gazetteer(gazetteer: Gazetteer) -> None:
    # when this fails, run `make gazetteer`: pages and exports read the items from the table it writes
    for place in gazetteer.places:
        assert item_of(place.id) == place.codes.get("wikidata"), place.id


@pytest.mark.parametrize(
    ("welsh", "place_id"), [("Caerdydd", "iso:GB-CRF"), ("Abertawe", "iso:GB-SWA"), ("Sir Benfro", "iso:GB-PEM")]
)
def test_welsh_councils_by_their_welsh_names(gazetteer: Gazetteer, welsh: str, place_id: str) -> None:
    assert gazetteer.find(welsh)[0].place.id == place_id
