"""Ties laid out as a list: lines or table rows under a heading or an introducing sentence
("Twin towns", "Preston is twinned with the following towns:", "正式国际友好城市(共9个):"), each
entry a place with its country or year ("Porto, Portugal (1984)", "ALMELO / Twinned 1948 /
NETHERLANDS", "WETZLAR (Germany) since 1969", "日本 长野市(1981年4月19日缔结)")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from twinlink.extract.chinese import ZhPlace
from twinlink.extract.mentions import PlaceMention
from twinlink.extract.naming import party_name
from twinlink.extract.spans import Ordered
from twinlink.facts import PartnershipFact, Span
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartnershipKind, PartyKind

RULE = "rule:partnership-list@1"
INTRO = re.compile(
    r"\b(?:twin(?:ned|ning|s)?|twin[- ]towns?|twin[- ]cit(?:y|ies)|sister[- ]cit(?:y|ies)|partner(?:ship)?s?|"
    r"friendship|friendly cit(?:y|ies)|international (?:links|relationships))\b"
    r"|友好城市|友城|姐妹城市|友好关系城市|友好交流城市|结好",
    re.I,
)
# a literal every introduction holds, found before the full pattern is tried
_MAY_INTRODUCE = re.compile(r"twin|sister|partner|friend|relationship|友|姐妹|结好")
_BULLET = re.compile(r"^[\s\-•*·▪●◦–—|]*(?:(?:\d{1,3}|[a-z])[.)、]\s*|[（(]\d{1,3}[)）]\s*)?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_TAIL_WORDS = frozenset(
    "since twinned twinning in established signed partnership friendship agreement sister city cities town "
    "towns from and the of state province county republic federation usa us uk holland formally officially "
    "formed founded".split()
)
_MAX_ENTRY_CHARS = 90
_MAX_ENTRY_WORDS = 12
_MAX_GAP = 3
_MAX_INTRO_CHARS = 240  # a heading or an introducing sentence, not a paragraph
_UNKNOWN_NAME = re.compile(r"([A-Z][\w'´’\-]+(?:[\s\-/][A-Z][\w'´’\-]+){0,3})\s*(?:,|\(|/)\s*")
_ZH_ENTRY_DATE = re.compile(r"\s*[（(][^)）]*?((?:19|20)\d\d)\s*年[^)）]*[)）]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_CAPS_NAME = re.compile(r"[A-Z][A-Z'\-]{2,}(?: [A-Z][A-Z'\-]+){0,2}")
_COUNTRY_KINDS = (PartyKind.COUNTRY, PartyKind.NATION)


Closest = Callable[[str, str], Place | None]


@dataclass(slots=True)
class Entry:
    start: int
    end: int
    name: str
    place: Place | None
    year: int | None


@dataclass(slots=True)
class OpenList:
    home: Place | None
    instrument: str
    entries: list[Entry]
    gap: int = 0


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((offset + lead, offset + lead + len(stripped)))
        offset += len(line) + 1
    return spans


def list_ties(
    text: str,
    places: list[PlaceMention],
    zh_places: list[ZhPlace],
    default_home: Place | None,
    closest: Closest | None = None,
) -> list[PartnershipFact]:
    """Ties listed under an introduction; ``closest`` finds a place whose name an entry misspells."""
    facts: list[PartnershipFact] = []
    current: OpenList | None = None
    latin, chinese = Ordered(places), Ordered(zh_places)
    for start, end in _lines(text):
        line = text[start:end]
        in_line = latin.within(start, end)
        zh_in_line = chinese.within(start, end)
        entry = _entry(text, start, end, in_line, closest) or _zh_entry(text, start, end, zh_in_line)
        if entry is None and current is not None and _CAPS_NAME.fullmatch(line):
            if not any(p.place.kind in _COUNTRY_KINDS for p in in_line):
                entry = Entry(start, end, line.title(), None, None)  # "NIMES": a name the gazetteer lacks
        if entry is not None and current is not None:
            current.entries.append(entry)
            current.gap = 0
            continue
        if current is not None and current.entries and _attach(line, current.entries[-1], current.gap):
            continue
        may_introduce = len(line) <= _MAX_INTRO_CHARS or line.endswith((":", "："))
        intro = (
            INTRO.search(line) if may_introduce and _MAY_INTRODUCE.search(line.lower()) and _introduces(line) else None
        )
        if intro is not None:
            if current is not None:
                facts += _facts(current, text, default_home)
            previous_home = current.home if current is not None else None
            current = OpenList(_intro_home(in_line, zh_in_line) or previous_home, intro.group(), [])
            continue
        if current is None:
            continue
        current.gap += 1
        if current.gap > _MAX_GAP:
            facts += _facts(current, text, default_home)
            current = None
    if current is not None:
        facts += _facts(current, text, default_home)
    return facts


def _introduces(line: str) -> bool:
    """A heading ("Twin Towns"), a line ending with a colon, or a short line that announces a list."""
    words = line.split()
    return (
        line.rstrip().endswith((":", "：", "】"))
        or len(words) <= 8
        or "following" in line.lower()
        or (bool(_HAN.search(line)) and len(line) <= 60)
    )


def _intro_home(places: list[PlaceMention], zh_places: list[ZhPlace]) -> Place | None:
    for p in places:
        if p.place.kind not in _COUNTRY_KINDS:
            return p.place
    for z in zh_places:
        if z.place is not None and not z.is_country and z.country == "CN":
            return z.place
    return None


_LABEL = re.compile(r"(?:\s+[A-Z]{2,5})?\s*:\s")


def _entry(text: str, start: int, end: int, places: list[PlaceMention], closest: Closest | None = None) -> Entry | None:
    line = text[start:end]
    labelled = _labelled(text, start, end, places)
    if labelled is not None:
        return labelled
    if len(line) > _MAX_ENTRY_CHARS or len(line.split()) > _MAX_ENTRY_WORDS or _HAN.search(line):
        return None
    lead = _BULLET.match(line)
    body = start + (lead.end() if lead else 0)
    first = next((p for p in places if p.start >= body), None)
    if first is not None and first.start == body and first.place.kind not in _COUNTRY_KINDS:
        rest = text[first.end : end]
        after = [p for p in places if p.start >= first.end]
        if not _tail_only(rest, after):
            return None
        stated = next((p.place.country for p in after if p.place.kind in _COUNTRY_KINDS), None)
        if stated is None or stated == first.place.country:
            return Entry(
                body, _entry_end(text, body, end), party_name(first.place, first.text), first.place, _year_in(rest)
            )
        # the country given is not the gazetteer's first guess's: keep the name as written
    unknown = _UNKNOWN_NAME.match(text, body, end)
    if unknown is None:
        return None
    qualifier = next((p for p in places if p.start >= unknown.end()), None)
    if qualifier is None or qualifier.place.kind not in _COUNTRY_KINDS or qualifier.start > unknown.end() + 2:
        return None
    if not _tail_only(text[qualifier.end : end], [p for p in places if p.start >= qualifier.end]):
        return None
    name = unknown.group(1).replace("´", "'").replace("/", ", ")
    name = name.title() if name.isupper() else name
    start, end = body, _entry_end(text, body, end)
    year = _year_in(text[unknown.end() : end])
    if closest is not None and (near := closest(name, qualifier.place.country)) is not None:
        return Entry(start, end, party_name(near, near.name), near, year)  # a slip of the pen: "Stradford-upon-Avon"
    return Entry(start, end, name, None, year)


def _labelled(text: str, start: int, end: int, places: list[PlaceMention]) -> Entry | None:
    """ "Hainan: Hainan is the smallest province…": a place as the label of a paragraph about it."""
    first = places[0] if places else None
    if first is None or first.start != start or first.place.kind in _COUNTRY_KINDS:
        return None
    if _LABEL.match(text, first.end) is None:
        return None
    return Entry(start, end, party_name(first.place, first.text), first.place, None)


def _entry_end(text: str, start: int, end: int) -> int:
    """The end of an entry's own words: a table row's closing bar and spaces left out."""
    while end > start and text[end - 1] in " |":
        end -= 1
    return end


def _tail_only(rest: str, places: list[PlaceMention]) -> bool:
    """Whether what follows an entry's name holds only its country, region, years and a few words."""
    words = re.findall(r"[A-Za-z]+", _strip_places(rest, places))
    return all(w.lower() in _TAIL_WORDS for w in words)


def _strip_places(rest: str, places: list[PlaceMention]) -> str:
    out = rest
    for p in places:
        out = out.replace(p.text, " ")
    return _YEAR.sub(" ", out)


def _year_in(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def _zh_entry(text: str, start: int, end: int, zh_places: list[ZhPlace]) -> Entry | None:
    """ "日本 长野市(1981年4月19日缔结)": a place, after its country, with a dated note in brackets."""
    named = [p for p in zh_places if not p.is_country]
    if not named:
        return None
    first = named[0]
    head = text[start : first.start]
    han_before = "".join(_HAN.findall(head))
    countries = "".join(_HAN.findall("".join(p.text for p in zh_places if p.is_country and p.end <= first.start)))
    if han_before != countries:
        return None
    dated = _ZH_ENTRY_DATE.match(text, first.end, end)
    if dated is None:
        return None
    return Entry(start, end, first.name, first.place, int(dated.group(1)))


_ATTACHED_YEAR = re.compile(
    r"^(?:(?:twinned|twinning|linked|partnership|friendship|signed|established|since|founded)\b[^.]{0,30}?|in\s+)"
    r"((?:19|20)\d\d)\b",
    re.I,
)
_IN_PROSE_YEAR = re.compile(
    r"\b(?:partnership|twinned|twinning|linked|friendship|sister city|relationship)\b[^.]{0,40}?\bsince\s+((?:19|20)\d\d)\b",
    re.I,
)


def _attach(line: str, last: Entry, gap: int) -> bool:
    """A line that completes the entry above it: its year ("Twinned 1948") or its country alone."""
    m = _ATTACHED_YEAR.match(line.strip())
    if m and len(line) <= 40:
        last.year = last.year or int(m.group(1))
        return True
    if line.strip().isupper() and len(line.split()) <= 3 and not _YEAR.search(line):
        return True  # "NETHERLANDS"
    if gap == 0 and last.year is None:
        prose = _IN_PROSE_YEAR.search(line)
        if prose:
            last.year = int(prose.group(1))
    return False


def _facts(current: OpenList, text: str, default_home: Place | None) -> list[PartnershipFact]:
    home = current.home or default_home
    if home is None or len(current.entries) < 2:
        return []
    home_name = home.name
    facts: list[PartnershipFact] = []
    for e in current.entries:
        if e.place is not None:
            if e.place.id == home.id or e.place.country == home.country or e.place.id == home.parent:
                continue
        if e.name == home_name:
            continue
        facts.append(
            PartnershipFact(
                parties=[home_name, e.name],
                kind=PartnershipKind.PLACE,
                established=e.year,
                instrument=current.instrument,
                evidence=text[e.start : e.end],
                span=Span(start=e.start, end=e.end),
                rule=RULE,
            )
        )
    return facts
