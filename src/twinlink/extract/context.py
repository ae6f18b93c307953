"""What the extraction rules read: each sentence with its place and body mentions, and the
document's subject (the UK body a page is about)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeVar

from twinlink.extract.dates import DateMention, find_dates
from twinlink.extract.mentions import BODY_WORD, BodyMention, MentionFinder, PlaceMention, find_bodies
from twinlink.extract.sentences import Sentence, split_sentences
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartyKind

_M = TypeVar("_M", PlaceMention, DateMention)

COUNTY_KINDS = {PartyKind.COUNTY}
CITY_KINDS = {
    PartyKind.UNITARY_AUTHORITY,
    PartyKind.METROPOLITAN_DISTRICT,
    PartyKind.CITY,
    PartyKind.DISTRICT,
    PartyKind.COUNCIL_AREA,
    PartyKind.LONDON_BOROUGH,
}


@dataclass(frozen=True, slots=True)
class SentenceView:
    sentence: Sentence
    places: list[PlaceMention]  # places outside body names, offsets relative to the sentence
    bodies: list[BodyMention]
    dates: list[DateMention]
    demonyms: list[PlaceMention]

    @property
    def text(self) -> str:
        return self.sentence.text

    def all_places(self) -> list[Place]:
        """Places named directly or inside a body's name ("Newcastle University" → Newcastle)."""
        seen: list[Place] = []
        for p in self.places:
            if p.place not in seen:
                seen.append(p.place)
        for b in self.bodies:
            for place in b.places:
                if place not in seen:
                    seen.append(place)
        return seen


@dataclass(frozen=True, slots=True)
class DocumentContext:
    views: list[SentenceView]
    subject: Place | None
    home_county: Place | None
    home_city: Place | None
    text: str = ""

    def sentences_matching(self, *patterns: re.Pattern[str]) -> set[int]:
        """Indices of the sentences in which any of ``patterns`` matches: one pass over the whole
        text, so rules can skip the sentences that cannot fire."""
        starts = [v.sentence.start for v in self.views]
        hits: set[int] = set()
        prefilter, lowered = _prefilter(tuple(p.pattern for p in patterns), tuple(p.flags for p in patterns))
        for m in prefilter.finditer(self.lowered if lowered else self.text):
            i = bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < self.views[i].sentence.end:
                hits.add(i)
        return hits

    @property
    def lowered(self) -> str:
        return _lowered(self.text)


@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(c.lower()[:1] or c for c in text)


@lru_cache(maxsize=64)
def _prefilter(sources: tuple[str, ...], flags: tuple[int, ...]) -> tuple[re.Pattern[str], bool]:
    """One pattern for several. Case-insensitive patterns without capitals run case-sensitively on
    the lower-cased text, which the regex engine scans several times faster."""
    joined = "|".join(f"(?:{s})" for s in sources)
    if all(f & re.IGNORECASE for f in flags) and not re.search(r"[A-Z]", joined.replace("\\b", "")):
        return re.compile(joined), True
    return re.compile(joined, re.IGNORECASE if any(f & re.IGNORECASE for f in flags) else 0), False


def _slice(mentions: list[_M], start: int, end: int, cursor: int) -> tuple[list[_M], int]:
    """The mentions wholly inside ``start:end`` (offsets made relative to ``start``) and where to look next."""
    while cursor < len(mentions) and mentions[cursor].start < start:
        cursor += 1
    inside: list[_M] = []
    i = cursor
    while i < len(mentions) and mentions[i].start < end:
        m = mentions[i]
        if m.end <= end:
            inside.append(replace(m, start=m.start - start, end=m.end - start))
        i += 1
    return inside, i


def build_context(text: str, finder: MentionFinder, home: tuple[str, ...] = ("GB",)) -> DocumentContext:
    views: list[SentenceView] = []
    counts: Counter[str] = Counter()
    by_id: dict[str, Place] = {}
    title_ids: list[str] = []
    # places, dates and demonyms are found in one pass each over the whole text, then shared out
    all_places, all_dates, all_demonyms = finder.places(text), find_dates(text), finder.demonyms(text)
    body_words = {m.start() for m in BODY_WORD.finditer(text)}
    body_starts = sorted(body_words)
    p_cur = d_cur = n_cur = 0
    for sentence in split_sentences(text):
        places, p_cur = _slice(all_places, sentence.start, sentence.end, p_cur)
        dates, d_cur = _slice(all_dates, sentence.start, sentence.end, d_cur)
        demonyms, n_cur = _slice(all_demonyms, sentence.start, sentence.end, n_cur)
        k = bisect_left(body_starts, sentence.start)
        has_body_word = k < len(body_starts) and body_starts[k] < sentence.end
        bodies = find_bodies(sentence.text, places) if has_body_word else []
        outside = [p for p in places if not any(b.start <= p.start and p.end <= b.end for b in bodies)]
        views.append(SentenceView(sentence, outside, bodies, dates, demonyms))
        for p in places:
            if p.place.country in home and p.place.kind not in (PartyKind.COUNTRY, PartyKind.NATION):
                counts[p.place.id] += 1
                by_id[p.place.id] = p.place
                if sentence.block == views[0].sentence.block:
                    title_ids.append(p.place.id)
    ranked = sorted(counts, key=lambda pid: (-counts[pid] - (2 if pid in title_ids else 0), pid))
    subject = by_id[ranked[0]] if ranked else None
    county = next((by_id[pid] for pid in ranked if by_id[pid].kind in COUNTY_KINDS), None)
    city = next((by_id[pid] for pid in ranked if by_id[pid].kind in CITY_KINDS), None)
    return DocumentContext(views, subject, county, city, text)
