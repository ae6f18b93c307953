"""What the extraction rules read: each sentence with its place and body mentions, and the
document's subject (the UK body a page is about)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from twinlink.extract.dates import DateMention, find_dates
from twinlink.extract.mentions import BodyMention, MentionFinder, PlaceMention, find_bodies
from twinlink.extract.sentences import Sentence, split_sentences
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartyKind

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


def build_context(text: str, finder: MentionFinder, home: tuple[str, ...] = ("GB",)) -> DocumentContext:
    views: list[SentenceView] = []
    counts: Counter[str] = Counter()
    by_id: dict[str, Place] = {}
    title_ids: list[str] = []
    for sentence in split_sentences(text):
        places = finder.places(sentence.text)
        bodies = find_bodies(sentence.text, places)
        outside = [p for p in places if not any(b.start <= p.start and p.end <= b.end for b in bodies)]
        views.append(SentenceView(sentence, outside, bodies, find_dates(sentence.text), finder.demonyms(sentence.text)))
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
    return DocumentContext(views, subject, county, city)
