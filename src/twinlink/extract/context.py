"""What the extraction rules read: each sentence with its place and body mentions, and the
document's subject (the UK body a page is about)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

from twinlink.extract.dates import DateMention, find_dates
from twinlink.extract.literals import literal_index, required_literals
from twinlink.extract.mentions import BODY_WORD, BodyMention, MentionFinder, PlaceMention, find_bodies
from twinlink.extract.people import is_person_name
from twinlink.extract.scan import lowered_form, word_start_matches
from twinlink.extract.sentences import Sentence, split_sentences
from twinlink.gazetteer.model import Place, lower_same_length
from twinlink.vocab import PartyKind

_M = TypeVar("_M", PlaceMention, DateMention)

# what a UK page's own place is, when it names a county or a council's town
_UK_COUNTY_KINDS = frozenset({PartyKind.COUNTY})
_UK_TOWN_KINDS = frozenset(
    {
        PartyKind.UNITARY_AUTHORITY,
        PartyKind.METROPOLITAN_DISTRICT,
        PartyKind.CITY,
        PartyKind.DISTRICT,
        PartyKind.COUNCIL_AREA,
        PartyKind.LONDON_BOROUGH,
    }
)


@dataclass(slots=True)
class SentenceView:
    sentence: Sentence
    places: list[PlaceMention]  # places outside body names, offsets relative to the sentence
    bodies: list[BodyMention]
    dates: list[DateMention]
    demonyms: list[PlaceMention]
    _people: set[tuple[int, int]] | None = None

    @property
    def text(self) -> str:
        return self.sentence.text

    def people(self) -> set[tuple[int, int]]:
        """Where place names are part of a person's name here ("Cllr Dave Taylor"), found once."""
        if self._people is None:
            text = self.sentence.text
            self._people = {(p.start, p.end) for p in self.places if is_person_name(text, p.start, p.end)}
        return self._people

    def is_person(self, mention: PlaceMention) -> bool:
        return (mention.start, mention.end) in self.people()

    def all_places(self) -> list[Place]:
        """Places named directly or inside a body's name ("Newcastle University" → Newcastle)."""
        seen: dict[str, Place] = {}  # by id: comparing places field by field is slow
        for p in self.places:
            seen.setdefault(p.place.id, p.place)
        for b in self.bodies:
            for place in b.places:
                seen.setdefault(place.id, place)
        return list(seen.values())


@dataclass(frozen=True, slots=True)
class DocumentContext:
    views: list[SentenceView]
    subject: Place | None
    home_county: Place | None
    home_city: Place | None
    text: str = ""
    owner: Place | None = None  # the place whose page the document is, from its address
    places: list[PlaceMention] = field(default_factory=list)  # every place mention, document offsets
    # sentences that hold a literal each trigger pattern needs, from one scan of the whole text
    trigger_sentences: dict[re.Pattern[str], set[int]] = field(default_factory=dict)

    def possible_matches(self, patterns: tuple[re.Pattern[str], ...]) -> dict[int, set[int]] | None:
        """For each sentence that holds a literal one of ``patterns`` needs, the indices of those
        patterns. None when a pattern needs no literal, so that any sentence may match."""
        if any(required_literals(p) is None for p in patterns):
            return None
        known = self.trigger_sentences
        if not all(p in known for p in patterns):
            known = self.scan(patterns)
        found: dict[int, set[int]] = {}
        for k, pattern in enumerate(patterns):
            for i in known[pattern]:
                found.setdefault(i, set()).add(k)
        return found

    def scan(self, patterns: tuple[re.Pattern[str], ...]) -> dict[re.Pattern[str], set[int]]:
        starts = [v.sentence.start for v in self.views]
        ends = [v.sentence.end for v in self.views]
        return literal_index(patterns).sentences(self.lowered, starts, ends)

    def sentences_matching(self, *patterns: re.Pattern[str]) -> set[int]:
        """Indices of the sentences in which any of ``patterns`` matches, so that rules can skip
        the sentences that cannot fire."""
        possible = self.possible_matches(patterns)
        if possible is None:
            possible = {i: set(range(len(patterns))) for i in range(len(self.views))}
        return {
            i for i, which in possible.items() if any(self._search(patterns[k], self.views[i].sentence) for k in which)
        }

    def _search(self, pattern: re.Pattern[str], sentence: Sentence) -> bool:
        fast = lowered_form(pattern)
        if fast is not None:
            return fast.search(self.lowered, sentence.start, sentence.end) is not None
        return pattern.search(self.text, sentence.start, sentence.end) is not None

    @property
    def lowered(self) -> str:
        return _lowered(self.text)


@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    return lower_same_length(text)


class _Sorted(Generic[_M]):
    """Mentions in text order, handed out sentence by sentence with offsets relative to it."""

    def __init__(self, mentions: list[_M]) -> None:
        self.mentions: list[_M] = mentions
        self.starts: list[int] = [m.start for m in mentions]

    def inside(self, start: int, end: int) -> list[_M]:
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [m.shifted(-start) for m in self.mentions[lo:hi] if m.end <= end]


class SubjectTally:
    """Which home place a document speaks of most: mentions counted, a place in the title
    counting more, the page's own place (``owner``) more still, the first seen first among equals."""

    def __init__(self, home: tuple[str, ...]) -> None:
        self.home = home
        self.counts: Counter[str] = Counter()
        self.by_id: dict[str, Place] = {}
        self.title_ids: set[str] = set()
        self.first_seen: dict[str, int] = {}

    def add(self, place: Place, position: int, in_title: bool) -> None:
        if place.country not in self.home or place.kind in (PartyKind.COUNTRY, PartyKind.NATION):
            return
        self.counts[place.id] += 1
        self.by_id[place.id] = place
        self.first_seen.setdefault(place.id, position)
        if in_title:
            self.title_ids.add(place.id)

    def ranked(self, owner: Place | None) -> list[Place]:
        counts = Counter(self.counts)
        if owner is not None and owner.id in counts:
            counts[owner.id] += 3  # a page about its own place names it; its address says whose it is
        order = sorted(
            counts, key=lambda pid: (-counts[pid] - (2 if pid in self.title_ids else 0), self.first_seen[pid], pid)
        )
        return [self.by_id[pid] for pid in order]

    def subject(self, owner: Place | None) -> Place | None:
        ranked = self.ranked(owner)
        if ranked:
            return ranked[0]
        return owner if owner is not None and owner.country in self.home else None


def tally_sections(
    sections: Iterable[tuple[int, str]], finder: MentionFinder, home: tuple[str, ...] = ("GB",)
) -> SubjectTally:
    """The subject tally of a document read in sections (start offset, text), one at a time, so
    that a very large document's mentions are never all held at once."""
    tally = SubjectTally(home)
    for index, (offset, section) in enumerate(sections):
        title_end = -1
        if index == 0:
            sentences = [x for x in split_sentences(section) if not x.text.startswith("SOURCE:")]
            if sentences:
                title_end = max(x.end for x in sentences if x.block == sentences[0].block)
        for mention in finder.places(section):
            tally.add(mention.place, offset + mention.start, mention.start < title_end)
    return tally


def build_context(
    text: str,
    finder: MentionFinder,
    home: tuple[str, ...] = ("GB",),
    triggers: tuple[re.Pattern[str], ...] = (),
    owner: Place | None = None,
    extra_places: list[PlaceMention] | None = None,
    qualify_places: Callable[[str, list[PlaceMention]], list[PlaceMention]] | None = None,
    extra_dates: list[DateMention] | None = None,
    whole: SubjectTally | None = None,
) -> DocumentContext:
    """Sentences with their mentions, the document's subject and home places (from ``whole``,
    the tally of the whole document, when the text is a section of it), and (for ``triggers``)
    which sentences may hold a match of each pattern."""
    views: list[SentenceView] = []
    tally = SubjectTally(home)
    # places, dates and demonyms are found in one pass each over the whole text, then shared out
    all_places, all_dates, all_demonyms = finder.places(text), find_dates(text), finder.demonyms(text)
    if extra_places:
        all_places = sorted(all_places + extra_places, key=lambda m: m.start)
    if extra_dates:
        spans = [(d.start, d.end) for d in all_dates]
        extra = [d for d in extra_dates if not any(s < d.end and d.start < e for s, e in spans)]
        all_dates = sorted(all_dates + extra, key=lambda d: d.start)
    if qualify_places is not None:
        all_places = qualify_places(text, all_places)
    body_starts = [m.start() for m in word_start_matches(BODY_WORD, text)]
    places_in, dates_in, demonyms_in = _Sorted(all_places), _Sorted(all_dates), _Sorted(all_demonyms)
    anything = sorted(places_in.starts + dates_in.starts + demonyms_in.starts + body_starts)
    sentences = split_sentences(text)
    titled = [x for x in sentences if not x.text.startswith("SOURCE:")]
    first_block = titled[0].block if titled else 0
    for sentence in sentences:
        start, end = sentence.start, sentence.end
        k = bisect_left(anything, start)
        if k == len(anything) or anything[k] >= end:
            views.append(SentenceView(sentence, [], [], [], []))  # most sentences mention nothing
            continue
        k = bisect_left(body_starts, start)
        has_body_word = k < len(body_starts) and body_starts[k] < end
        places = places_in.inside(start, end)
        bodies = find_bodies(sentence.text, places) if has_body_word else []
        views.append(
            SentenceView(
                sentence, _outside(places, bodies), bodies, dates_in.inside(start, end), demonyms_in.inside(start, end)
            )
        )
        for p in places:
            tally.add(p.place, start + p.start, sentence.block == first_block)
    known = whole or tally
    ranked, subject = known.ranked(owner), known.subject(owner)
    county = next((p for p in ranked if p.kind in _UK_COUNTY_KINDS), None)
    city = next((p for p in ranked if p.kind in _UK_TOWN_KINDS), None)
    context = DocumentContext(views, subject, county, city, text, owner, all_places)
    if triggers:
        context.trigger_sentences.update(context.scan(triggers))
    return context


def _outside(places: list[PlaceMention], bodies: list[BodyMention]) -> list[PlaceMention]:
    """The places not inside a body's name."""
    if not bodies:
        return places
    return [p for p in places if not any(b.start <= p.start and p.end <= b.end for b in bodies)]
