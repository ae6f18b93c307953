"""What a document says of itself: the place whose page it is (from its address) and the date it
was published (its dateline), which dates "today", "今年4月" and "last year"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from twinlink.extract.chinese import ZH_DATE, zh_year
from twinlink.extract.dates import MONTHS, DateMention
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place, name_key
from twinlink.vocab import PartyKind

# host labels that name no place
_GENERIC = frozenset(
    "www www2 web gov govt co com org net ac edu sch int info news english eng en cn uk feeds meetings "
    "council online blog home site".split()
)
_TLD_COUNTRY = {"uk": "GB"}
_MIN_LABEL = 4
_OWNER_KINDS = frozenset(k for k in PartyKind if k not in (PartyKind.COUNTRY, PartyKind.NATION))


@dataclass(frozen=True, slots=True)
class Dateline:
    year: int
    month: int | None
    day: int | None


class Owners:
    """Finds the place a web address belongs to: "newcastle.gov.uk", "prestontwinning.com",
    "schillerstadt-marbach.de"."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.by_key: dict[str, list[Place]] = {}
        for place in gazetteer.places:
            if place.kind not in _OWNER_KINDS:
                continue
            for name in (place.name, *place.aliases):
                if name.isascii():
                    key = name_key(name).replace(" ", "")
                    if len(key) >= _MIN_LABEL:
                        self.by_key.setdefault(key, []).append(place)
            first = name_key(place.name).split(" ")[0]
            if len(first) >= 6 and first != name_key(place.name):
                self.by_key.setdefault(first, []).append(place)

    def owner(self, source: str | None) -> Place | None:
        if not source or "://" not in source:
            return None
        host = (urlsplit(source).hostname or "").lower()
        labels = host.split(".")
        tld = labels[-1] if labels else ""
        country = _TLD_COUNTRY.get(tld, tld.upper() if len(tld) == 2 else None)
        for label in labels[:-1]:
            for part in label.split("-"):
                if part in _GENERIC or len(part) < _MIN_LABEL:
                    continue
                place = self._prefix(part, country)
                if place is not None:
                    return place
        return None

    def _prefix(self, label: str, country: str | None) -> Place | None:
        """The place whose name the label is, or begins with ("colchestertwinningsociety")."""
        for length in range(len(label), _MIN_LABEL - 1, -1):
            places = self.by_key.get(label[:length])
            if not places:
                continue
            home = (
                [p for p in places if p.country == country]
                if country
                else [p for p in places if p.country in ("GB", "CN")]
            )
            if home:
                return max(home, key=lambda p: (p.kind is not PartyKind.CITY, p.population))
            if length == len(label) and country is None:
                continue
        return None


_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-([01]\d)-([0-3]\d)(?!\d)")
_DOTTED = re.compile(r"(?<!\d)([0-3]?\d)\.([01]?\d)\.((?:19|20)\d\d)(?!\d)")
_SLASHED = re.compile(r"(?<!\d)([01]?\d)/([0-3]?\d)/((?:19|20)\d\d)(?!\d)")
_WORDY = re.compile(
    r"\b(?:(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m1>[A-Z][a-z]+),?\s+(?P<y1>(?:19|20)\d\d)"
    r"|(?P<m2>[A-Z][a-z]+)\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d))\b"
)
_DATELINE_CUE = re.compile(
    r"^\s*(?:date|published|posted|headlines|updated|发表于|发布日期|发布时间|日期|时间|\[time\])?\s*[:：]?", re.I
)
_HEAD_LINES = 8


def find_dateline(text: str) -> Dateline | None:
    """The publication date stated near the top ("date 2016-12-09", "发表于: 1992-02-06",
    "Headlines: June 8th, 2007", "Date 11.11.2015", "2024-06-04 来源"), if any."""
    head = text[:4000].split("\n")[: _HEAD_LINES * 3]
    lines = [line[:200] for line in head if line.strip()][:_HEAD_LINES]
    for line in lines:
        if line.startswith("SOURCE:") or _DIGIT.search(line) is None:
            continue
        for pattern in (_ISO, _DOTTED):
            m = pattern.search(line)
            if m:
                a, b, c = (int(g) for g in m.groups())
                year, month, day = (a, b, c) if pattern is _ISO else (c, b, a)
                if 1 <= month <= 12 and 1 <= day <= 31:
                    return Dateline(year, month, day)
        m = _SLASHED.search(line)
        if m:
            month, day, year = (int(g) for g in m.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return Dateline(year, month, day)
        cue = _DATELINE_CUE.match(line)
        short = len(line.strip()) <= 60
        m = _WORDY.search(line)
        if m and (short or (cue and cue.group().strip())):
            month_word = (m.group("m1") or m.group("m2")).lower()
            if month_word in MONTHS:
                year = int(m.group("y1") or m.group("y2"))
                day = int(m.group("d1") or m.group("d2"))
                return Dateline(year, MONTHS[month_word], day if 1 <= day <= 31 else None)
        z = ZH_DATE.search(line)
        if z and cue and cue.group().strip():
            zh_month = int(z.group("month")) if z.group("month") else None
            zh_day = int(z.group("day")) if z.group("day") else None
            return Dateline(zh_year(z.group("year")), zh_month, zh_day)
    return None


_RELATIVE = re.compile(
    r"\b(?:(?P<today>today|tonight|this morning|this afternoon|this evening)|(?P<recent>recently|last week|this week|"
    r"this month|last month|earlier this year|this year)|(?P<last>last year)|(?P<next>next year))\b",
    re.I,
)
_BARE_MONTH = re.compile(
    r"\b(?:(?:in|on|last|this)\s+)?(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?:\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?)?\b(?!,?\s+(?:of\s+)?(?:19|20)\d\d)"
)


def relative_dates(text: str, dateline: Dateline | None) -> list[DateMention]:
    """Dates a dated report gives without a year of their own: "today", "recently", "last year",
    "in July", "On January 29th", each resolved against the dateline."""
    if dateline is None:
        return []
    found: list[DateMention] = []
    for m in _RELATIVE.finditer(text):
        if m.group("today"):
            found.append(DateMention(m.start(), m.end(), dateline.year, dateline.month, dateline.day))
        elif m.group("recent"):
            found.append(DateMention(m.start(), m.end(), dateline.year, None, None))
        elif m.group("last"):
            found.append(DateMention(m.start(), m.end(), dateline.year - 1, None, None))
        else:
            found.append(DateMention(m.start(), m.end(), dateline.year + 1, None, None))
    for m in _BARE_MONTH.finditer(text):
        if m.group("month") == "May" and not m.group(0)[:1].isupper() and not m.group("day"):
            continue  # "may" as a verb is lower case; "May" alone at a sentence start is ambiguous
        if not (m.group(0).lower().startswith(("in ", "on ", "last ", "this ")) or m.group("day")):
            continue
        month = MONTHS[m.group("month").lower()]
        if dateline.month is not None and month > dateline.month:
            continue  # later in the year than the report: not this year's, and no year is said
        day = int(m.group("day")) if m.group("day") else None
        found.append(DateMention(m.start(), m.end(), dateline.year, month, day if day and day <= 31 else None))
    return found
