"""Mentions in a text: gazetteer places, named bodies (schools, universities, institutes) and
demonyms ("British", "Chinese"), each with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from twinlink.bodies import body_kind
from twinlink.extract.scan import word_start_matches
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.matcher import PlaceMatcher
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartyKind

_CAP = r"[A-Z][\w'’.\-]*"
_LINK = r"(?:of|for|the|de|on|upon|&)"
_BODY_WORD = (
    r"(?:School|Primary|Academy|College|University|Institute|Group|Bureau|Association|Society|"
    r"Federation|Commission|Trust|Foundation|Museum|Hospital|Centre|Center|Kindergarten)"
)
BODY_WORD = re.compile(rf"{_BODY_WORD}\b")  # after a word boundary: word_start_matches
_GAP = rf"(?:\s+-\s+|\s+(?:{_LINK}\s+)?)"
_PART = rf"(?:{_CAP}|No\.?\s?\d{{1,3}})"  # "Hangzhou No. 2 High School"
BODY = re.compile(
    rf"\b(?:University\s+of\s+{_CAP}(?:\s+{_CAP})*|{_CAP}(?:{_GAP}{_PART})*\s+{_BODY_WORD}\b"
    rf"|{_CAP}\s+{_BODY_WORD}(?:{_GAP}{_CAP})*)"
)
_INDEFINITE = re.compile(r"\b(?:a|an|any|each|every|one)\s+$", re.I)
_LEADING = re.compile(r"^(?:The|A|An|In|On|At|From|By|With|And|Following|Some|Several|Many|Other)\s+")
DEMONYMS = {"British": "iso:GB", "UK": "iso:GB", "Britain": "iso:GB", "Chinese": "iso:CN", "China": "iso:CN"}
_DEMONYM = re.compile(r"(British|Britain|UK|Chinese|China)\b")  # after a word boundary


@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place

    def shifted(self, offset: int) -> PlaceMention:
        return PlaceMention(self.start + offset, self.end + offset, self.text, self.place)


@dataclass(frozen=True, slots=True)
class BodyMention:
    start: int
    end: int
    name: str
    kind: PartyKind
    places: tuple[Place, ...] = field(default=())


_POSSESSIVE_TAIL = re.compile(r"['’]s\b.*$")
_UNIVERSITY_OF = re.compile(rf"\bUniversity\s+of\s+{_CAP}(?:\s+{_CAP})*")


def find_bodies(text: str, places: list[PlaceMention]) -> list[BodyMention]:
    bodies: list[BodyMention] = []
    named = list(BODY.finditer(text))
    matches: list[tuple[str, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _UNIVERSITY_OF.finditer(text):
        # "South China University" + "University of Technology": one name
        holder = next((b for b in named if b.start() < m.start() < b.end()), None)
        start = holder.start() if holder is not None else m.start()
        matches.append((_POSSESSIVE_TAIL.sub("", text[start : m.end()]), start))
        taken.append((start, m.end()))
    matches += [(m.group(), m.start()) for m in named if not any(s < m.end() and m.start() < e for s, e in taken)]
    for name, start in sorted(matches, key=lambda item: item[1]):
        while (lead := _LEADING.match(name)) is not None:
            name, start = name[lead.end() :], start + lead.end()
        if name.endswith(".") and not name.endswith(" No."):
            name = name.rstrip(".")  # the full stop that ends the sentence
        kind = body_kind(name)
        if kind is None or len(name.split()) < 2 or _INDEFINITE.search(text[max(0, start - 8) : start]):
            continue
        end = start + len(name)
        bodies.append(BodyMention(start, end, name, kind, _named_places(text, start, end, places)))
    return bodies


_BEFORE_NAMED_PLACE = re.compile(r"(?:[\s&,\-–]|\band\b|\bof\b|\bthe\b|\bThe\b|\bUniversity\b)*", re.I)


def _named_places(text: str, start: int, end: int, places: list[PlaceMention]) -> tuple[Place, ...]:
    """Places a body is named after: "Newcastle University", "Leicester & Chongqing Association",
    but not a person's name inside one ("William Bradford College")."""
    inside = [p for p in places if start <= p.start and p.end <= end]
    named: list[Place] = []
    cursor = start
    for p in inside:
        if not _BEFORE_NAMED_PLACE.fullmatch(text, cursor, p.start):
            break
        named.append(p.place)
        cursor = p.end
    return tuple(named)


class MentionFinder:
    def __init__(self, gazetteer: Gazetteer, matcher: PlaceMatcher) -> None:
        self.gazetteer = gazetteer
        self.matcher = matcher

    def places(self, text: str) -> list[PlaceMention]:
        """Places named in Latin script; Chinese names are read by ``extract.chinese``, which
        knows where words begin and end."""
        found: list[PlaceMention] = []
        for m in self.matcher.find(text, han=False):
            place = self.gazetteer.get(m.place_ids[0])
            if place is not None:
                found.append(PlaceMention(m.start, m.end, m.text, place))
        return found

    def demonyms(self, text: str) -> list[PlaceMention]:
        found: list[PlaceMention] = []
        for m in word_start_matches(_DEMONYM, text):
            place = self.gazetteer.get(DEMONYMS[m.group()])
            if place is not None:
                found.append(PlaceMention(m.start(), m.end(), m.group(), place))
        return found
