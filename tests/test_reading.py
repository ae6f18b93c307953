"""Extraction as a careful reader does it: lists and tables, Chinese, schools, hedges, endings,
planned events, projections and datelines. Every text here is written for the tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinlink.documents.load import load_bytes
from twinlink.extract.chinese import find_zh_dates
from twinlink.extract.pipeline import Extractor
from twinlink.extract.provenance import Owners, find_dateline
from twinlink.facts import DocumentFacts
from twinlink.gazetteer.lookup import Gazetteer


def read(extractor: Extractor, text: str, source: str | None = None) -> DocumentFacts:
    return extractor.extract_text(text, "t.txt", source=source)


def ties(facts: DocumentFacts) -> dict[frozenset[str], int | list[int] | None]:
    return {frozenset(p.parties): p.established for p in facts.partnerships}


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        (  # lines under an introducing sentence, years in brackets
            "Twin towns\n\nDerby is twinned with the following towns:\n\nOsnabrück, Germany (1976)\n"
            "Toyota, Japan\nKecskemét, Hungary (1993)\n\nContact the twinning officer for more.",
            None,
            {("Derby", "Osnabrück"): 1976, ("Derby", "Toyota"): None, ("Derby", "Kecskemét"): 1993},
        ),
        (  # table rows on a page whose address says whose it is
            "Twin towns\n\nTown | Country | Since\nZwickau | Germany | 1965\nLorient | France | 1978\n",
            "https://www.doncaster.gov.uk/twinning",
            {("Doncaster", "Zwickau"): 1965, ("Doncaster", "Lorient"): 1978},
        ),
        (  # blocks of capitals, each with its year and country on lines of their own
            "Welcome to Exeter Twinning\n\nRENNES\n\nTwinned 1956\n\nFRANCE\n\nBAD HOMBURG\n\nTwinned 1965\n\nGERMANY\n",
            None,
            {("Exeter", "Rennes"): 1956, ("Exeter", "Bad Homburg"): 1965},
        ),
        (  # a page that never names its own town
            "We have twinned with\n\nWETZLAR (Germany) since 1969\n\nIMOLA (Italy) since 1997\n",
            "https://www.colchester-twinning.org.uk/about",
            {("Colchester", "Wetzlar"): 1969, ("Colchester", "Imola"): 1997},
        ),
        (  # a list about a Chinese city: its partners, not the register's
            "Sister cities of Chongqing\n\nDüsseldorf, Germany\nVoronezh, Russia\nToulouse, France\n",
            None,
            {("Chongqing", "Düsseldorf"): None, ("Chongqing", "Voronezh"): None, ("Chongqing", "Toulouse"): None},
        ),
    ],
)
def test_lists_and_tables(
    extractor: Extractor, text: str, source: str | None, expected: dict[tuple[str, str], int | None]
) -> None:
    got = ties(read(extractor, text, source))
    assert got == {frozenset(pair): year for pair, year in expected.items()}


def test_one_line_list_gives_each_entry_its_own_year_and_no_events(extractor: Extractor) -> None:
    facts = read(
        extractor,
        "Swindon is twinned with: Salzgitter, Germany (1951); Ocotal, Nicaragua (1989); Toruń, Poland (1995).",
    )
    assert ties(facts) == {
        frozenset({"Swindon", "Salzgitter"}): 1951,
        frozenset({"Swindon", "Ocotal"}): 1989,
        frozenset({"Swindon", "Toruń"}): 1995,
    }
    assert facts.events == []


def test_inline_list_with_countries_in_brackets(extractor: Extractor) -> None:
    facts = read(
        extractor,
        "Derby is a city in the Midlands. The city is twinned with the towns of Osnabrück (Germany), "
        "Toyota (Japan), Ziltown and Kecskemét (Hungary) and Kingston (Jamaica).",
    )
    assert set(ties(facts)) == {
        frozenset({"Derby", p}) for p in ("Osnabrück", "Toyota", "Ziltown", "Kecskemét", "Kingston")
    }


def test_home_towns_namesake_abroad_is_named_with_its_state(extractor: Extractor) -> None:
    facts = read(
        extractor, "Coventry is twinned with Coventry, Connecticut and Coventry, Rhode Island (United States)."
    )
    assert set(ties(facts)) == {
        frozenset({"Coventry", "Coventry, Connecticut"}),
        frozenset({"Coventry", "Coventry, Rhode Island"}),
    }


def test_year_governs_only_its_own_tie(extractor: Extractor) -> None:
    facts = read(extractor, "In 1990 Derby was twinned with Osnabrück and then with Toyota.")
    assert ties(facts) == {frozenset({"Derby", "Osnabrück"}): 1990, frozenset({"Derby", "Toyota"}): None}


def test_pairs_given_as_examples(extractor: Extractor) -> None:
    facts = read(extractor, "Partnerships of this kind include Hull with Freetown and Leeds with Hangzhou.")
    assert set(ties(facts)) == {frozenset({"Kingston upon Hull", "Freetown"}), frozenset({"Leeds", "Hangzhou"})}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宁波市与英国诺丁汉市于2005年缔结友好城市关系。", {("Ningbo", "Nottingham"): 2005}),
        ("莱斯特市与重庆市是友好城市。", {("Leicester", "Chongqing"): None}),
        ("1983年3月31日,厦门市与英国卡迪夫市缔结为友好城市。", {("Xiamen", "Cardiff"): 1983}),
        (  # a list under a heading, each entry dated in brackets, one named only by its sound
            "长沙市国际友好城市:\n日本 鹿儿岛市(1982年4月1日缔结)\n意大利 帕尔玛市(1987年签定协议)\n",
            {("Changsha", "Kagoshima"): 1982, ("Changsha", "Parma"): 1987},
        ),
        (  # respectively
            "另外苏州市所辖常熟市、昆山市也分别与日本鹿儿岛市(1995年5月23日)、意大利帕尔玛市(1997年8月19日)正式缔结为友好城市。",
            {("Changshu", "Kagoshima"): 1995, ("Kunshan", "Parma"): 1997},
        ),
        ("两市友好交流不断深入，双方友好合作关系日益密切。", {}),  # 友好 is a word, not the district "Youhao"
        ("自1974年2月西安市与日本京都市结为友好城市以来,两市交流不断。", {("Xi'an", "Kyoto"): 1974}),
    ],
)
def test_chinese(extractor: Extractor, text: str, expected: dict[tuple[str, str], int | None]) -> None:
    facts = read(extractor, text)
    assert ties(facts) == {frozenset(pair): year for pair, year in expected.items()}
    assert all(p != "Youhao" for f in facts.partnerships for p in f.parties)


def test_chinese_state_since_a_year_is_no_event(extractor: Extractor) -> None:
    facts = read(extractor, "自1974年2月西安市与日本京都市结为友好城市以来,两市交流不断。")
    assert facts.events == []


def test_chinese_relative_dates_follow_the_dateline(extractor: Extractor) -> None:
    facts = read(extractor, "发表于: 1985-06-06\n今年4月,爱丁堡和中国古都西安结成友好城市。")
    assert [(e.year, e.month, e.kind.value, set(e.parties)) for e in facts.events] == [
        (1985, 4, "agreement", {"Edinburgh", "Xi'an"})
    ]
    assert ties(facts) == {frozenset({"Edinburgh", "Xi'an"}): 1985}


def test_chinese_dates() -> None:
    assert [(d.year, d.month, d.day) for d in find_zh_dates("二〇〇五年4月12日与2005年签署")] == [
        (2005, 4, 12),
        (2005, None, None),
    ]
    assert [(d.year, d.month) for d in find_zh_dates("今年4月", (1985, 6, 6))] == [(1985, 4)]
    assert find_zh_dates("今年4月") == []  # no dateline: no year


@pytest.mark.parametrize(
    "text",
    [
        "The Lord Mayor spoke about possible future links between Derby and Hefei.",
        "He also hoped that Hefei would be twinned with Derby.",
        "The council is in talks with Hefei about a twinning agreement.",
        "Derby and Hefei have discussed a proposed friendship agreement.",
    ],
)
def test_hopes_proposals_and_talks_are_not_ties(extractor: Extractor, text: str) -> None:
    assert read(extractor, text).partnerships == []


@pytest.mark.parametrize(
    "text",
    [
        "Derby City Council voted on Tuesday to sever its twinning link with Hefei.",
        "Derby's twinning agreement with Hefei was terminated.",
        "Derby is breaking ties with its sister city of Hefei.",
        "Derby's link with Hefei is now defunct.",
    ],
)
def test_endings_are_status_claims(extractor: Extractor, text: str) -> None:
    facts = read(extractor, text)
    assert [(set(s.parties), s.status) for s in facts.statuses] == [({"Derby", "Hefei"}, "ended")]


def test_an_ending_asked_for_is_no_ending(extractor: Extractor) -> None:
    facts = read(extractor, "Campaigners urged Derby City Council to end its twinning relationship with Hefei.")
    assert facts.statuses == []
    assert set(ties(facts)) == {frozenset({"Derby", "Hefei"})}  # contested, but a tie that exists


def test_planned_visit_is_marked_and_a_projection_is_no_event(extractor: Extractor) -> None:
    planned = read(extractor, "A delegation from Hefei plans to visit Derby in 2030.")
    assert [(e.year, e.kind.value, e.planned) for e in planned.events] == [(2030, "visit", True)]
    projected = read(extractor, "Visitor numbers from Hefei to Derby are due to rise to 8,000 by 2031.")
    assert projected.events == []


def test_datelines_and_bylines_are_not_events(extractor: Extractor) -> None:
    facts = read(extractor, "© Ann Smith 2012\nFirst published in 1986.\nDerby is twinned with Hefei.")
    assert facts.events == []


def test_relative_dates_follow_the_dateline(extractor: Extractor) -> None:
    facts = read(extractor, "date 2019-05-06\nThe Mayor of Derby visited Hefei last week to meet the Mayor of Hefei.")
    assert [(e.year, e.month, e.kind.value) for e in facts.events] == [(2019, None, "visit")]


def test_persons_names_are_not_parties(extractor: Extractor) -> None:
    facts = read(extractor, "Cllr Dave Taylor said the visit would strengthen the twinning link with Hefei.")
    assert all("Taylor" not in f.parties for f in facts.partnerships)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pupils at Ashgrove Primary School in Derby wrote to their sister school, Hanshui No. 3 Primary School.",
            {"Ashgrove Primary School", "Hanshui No. 3 Primary School"},
        ),
        (
            "Hangzhou No. 2 High School and Derby Moor Academy are partner schools.",
            {"Hangzhou No. 2 High School", "Derby Moor Academy"},
        ),
        (
            "For part of the trip I was a guest of the University of Derby and visited its campus at Hefei.",
            {"University of Derby", "Hefei"},
        ),
        (
            "The Confucius Institute was set up with Anhui Normal University becoming the partner university "
            "of the University of Derby.",
            {"University of Derby", "Anhui Normal University"},
        ),
    ],
)
def test_schools_and_institutions(extractor: Extractor, text: str, expected: set[str]) -> None:
    assert frozenset(expected) in ties(read(extractor, text))


@pytest.mark.parametrize(
    "text",
    [
        "Westmoor Primary School in Derby is twinned with Luyang Primary School in Hefei.",
        "Westmoor Primary School (Derby) is twinned with Luyang Primary School (Hefei).",
        "Westmoor Primary School, Derby, is twinned with Luyang Primary School, Hefei.",
        "Westmoor Primary School in Derby has a partner school, Luyang Primary School in Hefei.",
    ],
)
def test_two_schools_tied_by_a_trigger_with_their_places(extractor: Extractor, text: str) -> None:
    """The places beside the schools say where each school is: they are not a tie of their own."""
    facts = read(extractor, text)
    assert [(f.parties, f.kind.value, f.locations) for f in facts.partnerships] == [
        (
            ["Westmoor Primary School", "Luyang Primary School"],
            "school",
            {"Westmoor Primary School": "Derby", "Luyang Primary School": "Hefei"},
        )
    ]


def test_two_schools_tied_without_places(extractor: Extractor) -> None:
    facts = read(extractor, "Since 2009 Westmoor Primary School has been twinned with Hefei No. 3 Primary School.")
    assert [(f.parties, f.established) for f in facts.partnerships] == [
        (["Westmoor Primary School", "Hefei No. 3 Primary School"], 2009)
    ]


def test_owner_of_an_address(gazetteer: Gazetteer) -> None:
    owners = Owners(gazetteer)
    assert owners.owner("https://www.newcastle.gov.uk/x").name == "Newcastle upon Tyne"  # type: ignore[union-attr]
    assert owners.owner("https://prestontwinning.com").name == "Preston"  # type: ignore[union-attr]
    assert owners.owner("https://www.dailypaper.co.uk/news") is None
    assert owners.owner("/home/me/notes.txt") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\ndate 2016-12-09\nBody", (2016, 12, 9)),
        ("发表于: 1992-02-06\n第3版", (1992, 2, 6)),
        ("Headlines: June 8th, 2007\n\nText", (2007, 6, 8)),
        ("News\nDate 11.11.2015\nText", (2015, 11, 11)),
        ("A long first line that speaks of 4 August 2008 in passing and goes on and on about other things.", None),
    ],
)
def test_dateline(text: str, expected: tuple[int, int, int] | None) -> None:
    found = find_dateline(text)
    assert (found.year, found.month, found.day) == expected if found else expected is None


def test_stated_source_and_title() -> None:
    doc = load_bytes(b"SOURCE: https://example.org/twins\n\nTwin towns\n\nText.", "page.txt")
    assert doc.source == "https://example.org/twins"
    assert doc.title == "Twin towns"
    html = b'<html><head><link rel="canonical" href="https://example.org/p"><title>T</title></head><body><p>Derby is twinned with Osnabr\xc3\xbcck.</p></body></html>'
    assert load_bytes(html, "p.html").source == "https://example.org/p"
    assert load_bytes(html, "p.html", source="https://given.example/").source == "https://given.example/"


_PIECES = st.sampled_from(
    [
        "Derby is twinned with Hefei.",
        "宁波市与英国诺丁汉市于2005年缔结友好城市关系。",
        "Osnabrück, Germany (1976)\n",
        "Twin towns\n",
        "日本 鹿儿岛市(1982年4月1日缔结)\n",
        "In March 2009 a delegation from Hefei visited Derby.",
        "今年4月,爱丁堡和中国古都西安结成友好城市。",
        "Derby's link with Hefei is now defunct.",
        "\n",
        " ",
        "发表于: 1985-06-06\n",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=10), st.text(max_size=20))
def test_every_evidence_span_is_the_text_at_its_offsets(extractor: Extractor, pieces: list[str], noise: str) -> None:
    text = noise.join(pieces)
    facts = read(extractor, text)
    for fact in [*facts.partnerships, *facts.events, *facts.statuses]:
        assert fact.span is not None and fact.evidence is not None
        assert text[fact.span.start : fact.span.end] == fact.evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Oxford has been twinned with Bonn since 1947 and with Leiden since 1946.",
            {("Oxford", "Bonn"): 1947, ("Oxford", "Leiden"): 1946},
        ),
        (
            "A memorandum of understanding was signed between Belfast and Shenyang in 2016.",
            {("Belfast", "Shenyang"): 2016},
        ),
        (
            "Cambridge's twin cities are Heidelberg and Szeged.",
            {("Cambridge", "Heidelberg"): None, ("Cambridge", "Szeged"): None},
        ),
        ("Oxford and Wuhan signed a memorandum on education in 2018.", {("Oxford", "Wuhan"): 2018}),
        (
            "Glasgow has three twin cities: Dalian, Havana and Turin.",
            {("Glasgow", "Dalian"): None, ("Glasgow", "Havana"): None, ("Glasgow", "Turin"): None},
        ),
    ],
)
def test_more_ways_of_saying_it(extractor: Extractor, text: str, expected: dict[tuple[str, str], int | None]) -> None:
    assert ties(read(extractor, text)) == {frozenset(pair): year for pair, year in expected.items()}


def test_a_suspension_told_between_commas_is_an_ending(extractor: Extractor) -> None:
    facts = read(extractor, "Bristol's partnership with Guangzhou, signed in 2001, was suspended in 2020.")
    assert [s.status for s in facts.statuses] == ["ended"]
    assert ties(facts) == {frozenset({"Bristol", "Guangzhou"}): 2001}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Derby and Hefei are twinned.", {("Derby", "Hefei"): None}),
        ("Derby and Hefei have been formally twinned since 1995.", {("Derby", "Hefei"): 1995}),
        (  # each clause keeps its own year
            "Derby and Hefei have been twinned since 1995, and Leicester has links with Chongqing.",
            {("Derby", "Hefei"): 1995, ("Leicester", "Chongqing"): None},
        ),
        (
            "Derby and Hefei are twinned, and Leicester has had links with Chongqing since 2001.",
            {("Derby", "Hefei"): None, ("Leicester", "Chongqing"): 2001},
        ),
        (  # the second tie's subject is left out: it is the first one's
            "In 2004, Bristol signed a friendship agreement with Guangzhou and a twinning agreement with Hanover.",
            {("Bristol", "Guangzhou"): 2004, ("Bristol", "Hanover"): 2004},
        ),
        (  # a relative clause has a subject of its own
            "Bristol is twinned with Hanover, which has links with Poznań.",
            {("Bristol", "Hanover"): None, ("Hanover", "Poznań"): None},
        ),
    ],
)
def test_ties_whose_parties_stand_together_or_are_left_out(
    extractor: Extractor, text: str, expected: dict[tuple[str, str], int | None]
) -> None:
    got = ties(read(extractor, "Notes\n\n" + text + "\n"))
    assert got == {frozenset(pair): year for pair, year in expected.items()}


def test_a_place_named_on_its_own_stays_a_party_when_it_also_names_a_festival(extractor: Extractor) -> None:
    facts = read(
        extractor,
        "Notes\n\nIn March 2011 a delegation from Hefei visited Derby to open the Hefei Week festival.\n"
        "In 2012 Cllr Kent Taylor visited Hefei.\n",
    )
    assert [(e.year, e.month, sorted(e.parties)) for e in facts.events] == [
        (2011, 3, ["Derby", "Hefei"]),
        (2012, None, ["Hefei"]),  # Kent is part of a person's name
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the country at large is the partner the document ties the place to
        (
            "Swindon is twinned with Wuxi.\nIn May 2014 a delegation from Swindon made a trip to China.",
            {"Swindon", "Wuxi"},
        ),
        ("Swindon is twinned with Wuxi.\nIn July 2015 Swindon hosted a Chinese delegation.", {"Swindon", "Wuxi"}),
        # two partners in that country: the reader cannot tell which, so neither is taken
        (
            "Swindon is twinned with Wuxi and with Dalian.\nIn May 2014 a delegation from Swindon made a trip to China.",
            {"Swindon"},
        ),
        # a partner named in the sentence stands
        (
            "Swindon is twinned with Wuxi.\nIn May 2014 a delegation from Swindon visited Dalian in China.",
            {"Swindon", "Dalian"},
        ),
    ],
)
def test_a_happening_told_of_the_partners_country_is_with_the_partner(
    extractor: Extractor, text: str, expected: set[str]
) -> None:
    (event,) = read(extractor, text).events
    assert set(event.parties) == expected


def test_a_happening_of_a_country_at_large_is_no_links_event(extractor: Extractor) -> None:
    assert read(extractor, "In 2021 a parliamentary motion condemned China's record on trade.").events == []
    # a body of ours named: its trip stands, though only the country is a place
    facts = read(extractor, "In 2018 teachers from Hillside Primary School visited their sister schools in China.")
    assert [(e.year, e.kind.value) for e in facts.events] == [(2018, "visit")]


@pytest.mark.parametrize(
    "text",
    [
        "I refer to your request of 16 July 2021 for a copy of any Memorandum of Understanding made "
        "between Swindon and Wuxi.",
        "Thank you for your e-mail dated 3 May 2019 asking about the friendship agreement with Wuxi.",
    ],
)
def test_the_date_of_a_request_an_answer_cites_is_no_event(extractor: Extractor, text: str) -> None:
    assert read(extractor, text).events == []


def test_a_letters_subject_line_is_a_line_of_its_own(extractor: Extractor) -> None:
    text = (
        "Subject: Freedom of Information request - Sister City Agreement with Wuxi, China\n"
        "In June 2014 the Mayor of Swindon signed the agreement with Wuxi.\n"
    )
    (event,) = read(extractor, text).events
    assert event.evidence.startswith("In June 2014") and (event.year, event.month) == (2014, 6)
