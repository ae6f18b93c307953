"""Dates in prose: "in 1993", "November 1988", "4th August 2008", "since 2011", anniversaries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from twinlink.extract.scan import is_word_char

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH_WORDS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)


def _month(tag: str) -> str:
    return rf"(?P<month{tag}>{_MONTH_WORDS})\.?"


def _day(tag: str) -> str:
    return rf"(?P<day{tag}>[0-3]?\d)(?:st|nd|rd|th)?"


def _year(tag: str) -> str:
    return rf"(?P<year{tag}>(?:19|20)\d\d)(?![\d,]\d|\.\d|\d)"


DATE = re.compile(
    rf"\b(?:{_day('a')}\s+(?:of\s+)?{_month('a')}\s*,?\s+{_year('a')}"
    rf"|{_month('b')}\s+{_day('b')},?\s+{_year('b')}"
    rf"|{_month('c')}\s+(?:of\s+)?{_year('c')}"
    rf"|{_year('d')})"
)
_LAW = re.compile(r"\b(Act|Regulations|Order|Directive)\s*$", re.I)
_RANGE_START = re.compile(r"(?:19|20)\d\d\s*[-–/]\s*$")
# what the text before a year must end with for those patterns to match: checked first, as most years pass
_LAW_WORDS = ("act", "regulations", "order", "directive")
_RANGE_MARKS = ("-", "–", "/")
ANNIVERSARY = re.compile(
    r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)?[\s-]*(?:year[\s-]*)?anniversary\b|\b(?P<word>tenth|twentieth|thirtieth|"
    r"fortieth|fiftieth)\s+anniversary\b",
    re.I,
)
_ORDINALS = {"tenth": 10, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}


@dataclass(slots=True)
class DateMention:
    start: int
    end: int
    year: int
    month: int | None
    day: int | None

    def shifted(self, offset: int) -> DateMention:
        return DateMention(self.start + offset, self.end + offset, self.year, self.month, self.day)


# Every date ends in a year. Most years stand alone ("in 1993"); only a year after a month, a day
# or "of" needs the full date pattern, run over the short stretch before it.
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_LONGEST_LEAD = 48
_LOOKAHEAD = 2
_NOT_A_YEAR_AFTER = re.compile(r"[\d,]\d|\.\d|\d")
_DAY = re.compile(r"[0-3]?\d(?:st|nd|rd|th)?")


def _word_before(text: str, start: int) -> str:
    """The word before ``start``, past spaces, commas and a full stop ("August, " → "august")."""
    end = start
    while end > 0 and start - end < 4 and text[end - 1] in " ,.\t\n\xa0":
        end -= 1
    begin = end
    while begin > 0 and end - begin < 12 and text[begin - 1].isalnum():
        begin -= 1
    return text[begin:end].lower()


def _needs_pattern(text: str, start: int) -> bool:
    word = _word_before(text, start)
    return word in MONTHS or word == "of" or _DAY.fullmatch(word) is not None


def _date_spans(text: str) -> Iterator[tuple[int, int, int, str | None, str | None]]:
    """(start, end, year, month word, day) of each date, left to right."""
    taken = 0
    for y in _YEAR_DIGITS.finditer(text):
        start, end = y.span()
        if start < taken:
            continue
        if not _needs_pattern(text, start):
            if (start > 0 and is_word_char(text[start - 1])) or _NOT_A_YEAR_AFTER.match(text, end):
                continue
            taken = end
            yield start, end, int(y.group()), None, None
            continue
        for m in DATE.finditer(text, max(taken, start - _LONGEST_LEAD), min(len(text), end + _LOOKAHEAD)):
            if m.end() == end:
                groups = {k[:-1]: v for k, v in m.groupdict().items() if v is not None}
                taken = end
                yield m.start(), end, int(groups["year"]), groups.get("month"), groups.get("day")


def find_dates(text: str) -> list[DateMention]:
    """Dates with their offsets; years that name a law ("Act 2000") or end a range are left out."""
    found: list[DateMention] = []
    for start, end, year, month_word, day_text in _date_spans(text):
        before = text[max(0, start - 20) : start]
        tail = before.rstrip()
        if (tail.lower().endswith(_LAW_WORDS) and _LAW.search(before)) or (
            tail.endswith(_RANGE_MARKS) and _RANGE_START.search(before)
        ):
            continue
        month = MONTHS.get(month_word.lower().rstrip(".")) if month_word else None
        day = int(day_text) if day_text and month else None
        if day is not None and not 1 <= day <= 31:
            day = None
        found.append(DateMention(start, end, year, month, day))
    return found


def anniversary_start(text: str, year: int) -> int | None:
    """'the 30-year anniversary … in 2018' → 1988."""
    if "anniversar" not in text.lower():  # most sentences: no need to run the pattern
        return None
    m = ANNIVERSARY.search(text)
    if not m:
        return None
    n = int(m.group("n")) if m.group("n") else _ORDINALS[m.group("word").lower()]
    return year - n if 0 < n < 200 else None
