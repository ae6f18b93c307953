import re

from hypothesis import example, given
from hypothesis import strategies as st

from twinlink.extract.dates import DATE, _date_spans, find_dates
from twinlink.extract.scan import finditer_folded, word_start_matches


def test_word_start_matches_skip_matches_inside_words() -> None:
    pattern = re.compile(r"(?:School|China)\b")
    text = "School in China, PreSchool, IndoChina, (China)"
    assert [m.start() for m in word_start_matches(pattern, text)] == [0, 10, 40]


def test_dates_far_apart_and_close_together_are_all_found() -> None:
    text = "Signed on 4th  August 2008 and 1 May 2009. " + "Nothing. " * 20 + "Visited in March 1988, 1999-2001."
    found = [(d.year, d.month, d.day) for d in find_dates(text)]
    assert found == [(2008, 8, 4), (2009, 5, 1), (1988, 3, None), (1999, None, None)]
    for d in find_dates(text):
        assert text[d.start : d.end].endswith(str(d.year))


_DATE_WORDS = ["4th", "1", "31st", "of", "August", "Aug.", "Sept.", "May", "in", "the", "Act", "2008", "1993", "12008"]
_DATE_WORDS += [
    "2008.5",
    "1999-2001",
    "2005,6",
    "December",
    "(",
    ")",
    "20",
    "2020s",
    "August of",
    "4 of August",
    "May 4,",
]


@given(st.lists(st.sampled_from(_DATE_WORDS), max_size=12), st.lists(st.sampled_from([" ", ", ", "  ", "\n", ""])))
@example(["August of", "2008"], [" "])
@example(["4 of August", "2008", "Act", "2001"], [", "])
@example(["May 4,", "1993", "in", "12008", "2008.5"], [" "])
def test_dates_near_years_are_the_dates_the_full_pattern_finds(words: list[str], gaps: list[str]) -> None:
    text = "".join(w + (gaps[i % len(gaps)] if gaps else " ") for i, w in enumerate(words))
    everywhere = [(m.start(), m.end()) for m in DATE.finditer(text)]
    assert [(start, end) for start, end, *_ in _date_spans(text)] == everywhere


@given(
    st.lists(
        st.sampled_from(["Twinned", "twinned", "TWINNED", "with", "WITH", "İ", "K", "Leeds", ".", " "]), max_size=14
    )
)
def test_folded_search_finds_what_the_pattern_finds(words: list[str]) -> None:
    pattern = re.compile(r"\b(?:twinned with|with)\b", re.I)
    text = " ".join(words)
    folded = [(m.start(), m.group()) for m in finditer_folded(pattern, text)]
    assert folded == [(m.start(), m.group()) for m in pattern.finditer(text)]
