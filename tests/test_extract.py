from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinlink.extract.dates import anniversary_start, find_dates
from twinlink.extract.pipeline import Extractor
from twinlink.extract.sentences import split_sentences
from twinlink.facts import DocumentFacts
from twinlink.gazetteer.lookup import Gazetteer


@pytest.fixture(scope="module")
def extractor(gazetteer: Gazetteer) -> Extractor:
    return Extractor.build(gazetteer)


def pairs(facts: DocumentFacts) -> set[frozenset[str]]:
    return {frozenset(p.parties) for p in facts.partnerships}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bristol is twinned with Guangzhou.", {"Bristol", "Guangzhou"}),
        ("Cardiff became sister cities with Xiamen in 1983.", {"Cardiff", "Xiamen"}),
        (
            "Derbyshire County Council signed a friendship agreement with Hunan Province in 2010.",
            {"Derbyshire", "Hunan"},
        ),
        ("Sheffield has a long-standing friendship with Anshan.", {"Sheffield", "Anshan"}),
        ("Coventry and Jinan signed an official twinning agreement in 1983.", {"Coventry", "Jinan"}),
        ("Plymouth is linked with Shantou.", {"Plymouth", "Shantou"}),
        ("The relationship between Glasgow and Dalian is strong.", {"Glasgow", "Dalian"}),
        ("Southampton signed a Memorandum of Understanding with Qingdao in 2015.", {"Southampton", "Qingdao"}),
        ("York is twinned with Münster in Germany.", {"York", "Münster"}),
    ],
)
def test_partnership_language(extractor: Extractor, text: str, expected: set[str]) -> None:
    facts = extractor.extract_text(text, "t.txt")
    assert frozenset(expected) in pairs(facts), facts.partnerships


def test_coordinated_list_with_qualifier(extractor: Extractor) -> None:
    facts = extractor.extract_text(
        "Bolton is twinned with the Hubei and Hunan Provinces, and Wuxi in Jiangsu Province.", "t"
    )
    got = pairs(facts)
    assert {frozenset({"Bolton", "Hubei"}), frozenset({"Bolton", "Hunan"}), frozenset({"Bolton", "Wuxi"})} <= got
    assert not any("Jiangsu" in pair for pair in got)


def test_respective_subjects(extractor: Extractor) -> None:
    facts = extractor.extract_text("Derby is linked with Hefei and Derbyshire is linked with the Anhui Province.", "t")
    assert pairs(facts) == {frozenset({"Derby", "Hefei"}), frozenset({"Derbyshire", "Anhui"})}


def test_general_statements_are_not_partnerships(extractor: Extractor) -> None:
    facts = extractor.extract_text(
        "There are 60 formal sister city partnerships between Chinese and British cities.", "t"
    )
    assert facts.partnerships == []


def test_established_from_anniversary(extractor: Extractor) -> None:
    facts = extractor.extract_text(
        "A dinner in 2015 marked the 20-year anniversary of the twinning of Preston and Ningbo.", "t"
    )
    assert facts.partnerships[0].established == 1995


def test_school_and_institution_partnerships(extractor: Extractor) -> None:
    text = (
        "Hove Park School visited its sister school in Suzhou in 2016. "
        "The University of Bristol signed an agreement with Zhejiang University in 2011."
    )
    facts = extractor.extract_text(text, "t")
    kinds = {frozenset(p.parties): p.kind.value for p in facts.partnerships}
    assert kinds.get(frozenset({"Hove Park School", "Suzhou"})) == "school"
    assert kinds.get(frozenset({"University of Bristol", "Zhejiang University"})) == "institution"


@pytest.mark.parametrize(
    ("sentence", "kind", "year", "month"),
    [
        ("In 2012 a delegation from Wuhan visited Manchester.", "visit", 2012, None),
        ("Manchester donated a statue to Wuhan in 2014.", "gift", 2014, None),
        ("In March 2004 the Manchester-Wuhan Trade Bureau was established.", "founding", 2004, 3),
        ("On 4th August 2008 Manchester signed a memorandum of understanding with Wuhan.", "agreement", 2008, 8),
        ("Manchester firms met Wuhan delegates at a trade summit in 2017.", "trade", 2017, None),
        ("In 2016 the Chinese Government awarded Manchester a prize for its links with Wuhan.", "award", 2016, None),
        ("Manchester celebrated the 30th anniversary of its link with Wuhan in 2016.", "anniversary", 2016, None),
    ],
)
def test_event_kinds_and_dates(extractor: Extractor, sentence: str, kind: str, year: int, month: int | None) -> None:
    events = extractor.extract_text(sentence, "t").events
    assert any(e.kind.value == kind and e.year == year and e.month == month for e in events), events


def test_law_years_are_not_events(extractor: Extractor) -> None:
    text = "FREEDOM OF INFORMATION ACT 2000 response from Leicester City Council."
    assert extractor.extract_text(text, "t").events == []


@pytest.mark.parametrize(
    ("text", "year", "month", "day"),
    [
        ("in 1993", 1993, None, None),
        ("November 1988", 1988, 11, None),
        ("4th August 2008", 2008, 8, 4),
        ("since 2011", 2011, None, None),
        ("March 2004", 2004, 3, None),
        ("May 5, 2010", 2010, 5, 5),
    ],
)
def test_date_forms(text: str, year: int, month: int | None, day: int | None) -> None:
    (date,) = find_dates(text)
    assert (date.year, date.month, date.day) == (year, month, day)


def test_years_naming_a_law_or_ending_a_range_are_not_dates() -> None:
    text = "Under the Localism Act 2011, from 1998–2002 and 2003 / 2004, the Equality Regulations  2010, then in 2012."
    assert [d.year for d in find_dates(text)] == [1998, 2003, 2012]


def test_anniversary_start() -> None:
    assert anniversary_start("the 30-year Anniversary of the twinning", 2018) == 1988
    assert anniversary_start("the 20th anniversary celebrations", 2019) == 1999


def test_sentences_keep_bullets_and_abbreviations() -> None:
    text = "Intro line\n  • Dr. Li visited Leeds in 2001. He met St. John.\n"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Intro line", "Dr. Li visited Leeds in 2001.", "He met St. John."]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert sentences[1].bullet


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_extracts_and_spans_are_exact(extractor: Extractor, text: str) -> None:
    facts = extractor.extract_text(text, "t")
    for fact in [*facts.partnerships, *facts.events]:
        assert fact.span is not None and fact.evidence is not None
        assert text[fact.span.start : fact.span.end] == fact.evidence


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Leeds is twinned with Hangzhou.",
                "In 2009 a delegation from Hangzhou visited Leeds.",
                "Hello.",
                " • Bullet about Dalian and Glasgow in 1987.",
                "\n",
                "Visit 2010!",
            ]
        ),
        max_size=8,
    )
)
def test_composed_documents_have_exact_spans(extractor: Extractor, parts: list[str]) -> None:
    text = " ".join(parts)
    facts = extractor.extract_text(text, "t")
    for fact in [*facts.partnerships, *facts.events]:
        assert fact.span is not None and text[fact.span.start : fact.span.end] == fact.evidence


def test_pairs_joined_by_and_pair_in_order(extractor: Extractor) -> None:
    facts = extractor.extract_text("Derby and Derbyshire have developed strong links with Hefei and Anhui.", "t")
    assert pairs(facts) == {frozenset({"Derby", "Hefei"}), frozenset({"Derbyshire", "Anhui"})}


def test_two_sentences_giving_two_years_are_both_kept(extractor: Extractor) -> None:
    text = (
        "Derbyshire signed a friendship agreement with Anhui in 1990.\n"
        "Officials celebrated the 30th anniversary of the twinning of Derbyshire and Anhui in 2022."
    )
    facts = extractor.extract_text(text, "t")
    years = sorted(p.established for p in facts.partnerships if set(p.parties) == {"Derbyshire", "Anhui"})
    assert years == [1990, 1992]
    assert len({p.evidence for p in facts.partnerships}) == 2


def test_hard_wrapped_lines_are_one_sentence(extractor: Extractor) -> None:
    text = "Derby City Council has a long-standing friendship with Hefei, beginning with the signing of a\nfriendship agreement in 1995.\n"
    facts = extractor.extract_text(text, "t")
    assert [(p.parties, p.established) for p in facts.partnerships] == [(["Derby", "Hefei"], 1995)]
    span = facts.partnerships[0].span
    assert span is not None and text[span.start : span.end] == facts.partnerships[0].evidence


def test_funding_statement(extractor: Extractor) -> None:
    text = "Derby and Hefei\nThe City Council funded the Derby Hefei Friendship Society until the end of June 2011."
    funding = extractor.extract_text(text, "t").funding
    assert len(funding) == 1
    f = funding[0]
    assert (f.funder, f.recipient, f.until_year, f.until_month) == ("Derby", "Derby Hefei Friendship Society", 2011, 6)
    assert f.parties == ["Derby", "Hefei"]
    grant = extractor.extract_text("Derby City Council provided a grant of £20,000 to the Hefei exchange in 2015.", "t")
    assert grant.funding[0].amount == "£20,000" and grant.funding[0].year == 2015
    assert extractor.extract_text("Derby has not funded any exchange with Hefei.", "t").funding == []


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Since then the City Council has not had an active relationship with Hefei.", "dormant"),
        ("There has been no significant engagement with Hefei in the last decade.", "dormant"),
        ("The twinning agreement with Hefei was terminated by the Council.", "ended"),
        ("The partnership with Hefei remains active and continues to thrive.", "active"),
        ("The twinning link between Derby and Hefei ended in 2019.", "ended"),
        ("The partnership between Derby and Hefei was terminated in 2019.", "ended"),
        ("The relationship between Derby and Hefei has been dormant since 2015.", "dormant"),
    ],
)
def test_status_statements(extractor: Extractor, sentence: str, status: str) -> None:
    facts = extractor.extract_text("Derby City Council and its links\n" + sentence, "t")
    assert [(s.parties, s.status) for s in facts.statuses] == [(["Derby", "Hefei"], status)]


def test_body_location_from_the_words_around_it(extractor: Extractor) -> None:
    facts = extractor.extract_text("Oakwood Academy in Derby has a sister school in Hefei.", "t")
    assert [(p.parties, p.locations) for p in facts.partnerships] == [
        (["Oakwood Academy", "Hefei"], {"Oakwood Academy": "Derby"})
    ]


def test_the_built_extractor_is_kept_and_loaded_ready_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from twinlink.extract import prebuilt

    monkeypatch.setenv("TWINLINK_CACHE_DIR", str(tmp_path))
    built = prebuilt.default_extractor()  # nothing kept yet: built, then kept
    kept = list(tmp_path.glob("extractor-*.pickle"))
    assert [p.name for p in kept] == [f"extractor-{prebuilt.cache_key()}.pickle"]
    loaded = prebuilt.default_extractor()
    assert loaded is not built  # read from the file, not the same object
    text = "Notes\n\nDerby is twinned with Hefei since 1996.\n"
    assert loaded.extract_text(text, "a.txt") == built.extract_text(text, "a.txt")

    kept[0].write_bytes(b"not a pickle")  # damaged: built again and kept anew
    again = prebuilt.default_extractor()
    assert again.extract_text(text, "a.txt") == built.extract_text(text, "a.txt")
    assert kept[0].stat().st_size > 1_000_000

    monkeypatch.setattr(prebuilt, "cache_key", lambda: "another")  # a new gazetteer or new rules
    prebuilt.default_extractor()
    assert [p.name for p in tmp_path.glob("extractor-*.pickle")] == ["extractor-another.pickle"]
