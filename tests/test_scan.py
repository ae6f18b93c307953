import re

from twinlink.extract.dates import find_dates
from twinlink.extract.scan import windows_around, word_start_matches


def test_word_start_matches_skip_matches_inside_words() -> None:
    pattern = re.compile(r"(?:School|China)\b")
    text = "School in China, PreSchool, IndoChina, (China)"
    assert [m.start() for m in word_start_matches(pattern, text)] == [0, 10, 40]


def test_windows_around_join_overlapping_stretches() -> None:
    text = "in 1990 and 1991 ... " + "x" * 60 + " 2005"
    windows = list(windows_around(re.compile(r"\d{4}"), text, 10, 2))
    assert windows == [(0, 18), (len(text) - 14, len(text))]


def test_dates_far_apart_and_close_together_are_all_found() -> None:
    text = "Signed on 4th  August 2008 and 1 May 2009. " + "Nothing. " * 20 + "Visited in March 1988, 1999-2001."
    found = [(d.year, d.month, d.day) for d in find_dates(text)]
    assert found == [(2008, 8, 4), (2009, 5, 1), (1988, 3, None), (1999, None, None)]
    for d in find_dates(text):
        assert text[d.start : d.end].endswith(str(d.year))
