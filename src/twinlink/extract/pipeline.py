"""``Extractor.extract(document)``: a pure function of a document's text, its address and the gazetteer."""

from __future__ import annotations

from dataclasses import dataclass

from twinlink.collector import collector_paused
from twinlink.documents.model import Document
from twinlink.extract import events, funding, partnerships, status
from twinlink.extract.chinese import ChineseNames, ZhPlace, as_mentions, find_places
from twinlink.extract.chinese_events import chinese_events
from twinlink.extract.chinese_ties import find_ties, tie_facts
from twinlink.extract.context import DocumentContext, SubjectTally, build_context, tally_sections
from twinlink.extract.dates import DateMention
from twinlink.extract.institutions import institution_ties
from twinlink.extract.lists import list_ties
from twinlink.extract.mentions import MentionFinder
from twinlink.extract.merge import merge_events, merge_partnerships
from twinlink.extract.pairings import example_pairings
from twinlink.extract.provenance import Dateline, Owners, find_dateline, relative_dates
from twinlink.extract.qualified import qualify
from twinlink.extract.sections import LARGE_TEXT, shifted, split_sections
from twinlink.facts import DocumentFacts, PartnershipFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.matcher import PlaceMatcher
from twinlink.gazetteer.model import Place, has_han

# every rule's trigger patterns, looked for in one scan of each document
_TRIGGERS = partnerships.trigger_patterns() + events.trigger_patterns() + funding.trigger_patterns()


@dataclass
class Extractor:
    """The gazetteer and its matchers, built once and reused for every document."""

    gazetteer: Gazetteer
    finder: MentionFinder
    owners: Owners
    _chinese: ChineseNames | None = None

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> Extractor:
        return cls(gazetteer, MentionFinder(gazetteer, PlaceMatcher(gazetteer)), Owners(gazetteer))

    @property
    def chinese(self) -> ChineseNames:
        if self._chinese is None:  # built on the first document in Chinese
            self._chinese = ChineseNames(self.gazetteer)
        return self._chinese

    def extract_text(self, text: str, name: str, source: str | None = None, title: str | None = None) -> DocumentFacts:
        with collector_paused():  # a document's mentions, sentences and facts hold no cycles
            if len(text) <= LARGE_TEXT:
                return self._extract_text(text, name, source, title)
            return self._extract_sections(text, name, source, title)

    def _extract_sections(self, text: str, name: str, source: str | None, title: str | None) -> DocumentFacts:
        """A very large text read a section at a time (a few hundred thousand characters, cut
        between paragraphs), so that memory follows the section, not the document; the subject
        and the dateline are the whole document's."""
        owner = self.owners.owner(source)
        whole = tally_sections(split_sections(text), self.finder)
        subject = whole.subject(owner)
        dateline = find_dateline(text)
        # each section's facts merged into what came before as it is read: a happening or tie
        # told in every section is held once, not once a section
        found = DocumentFacts(doc=name, source=source, title=title, subject=subject.name if subject else None)
        for offset, section in split_sections(text):
            part = shifted(self._extract_text(section, name, source, title, whole, dateline), offset)
            found.partnerships = merge_partnerships(found.partnerships + part.partnerships)
            found.events = merge_events(found.events + part.events)
            found.funding += part.funding
            found.statuses += part.statuses
        return found

    def _extract_text(
        self,
        text: str,
        name: str,
        source: str | None,
        title: str | None,
        whole: SubjectTally | None = None,
        stated_dateline: Dateline | None = None,
    ) -> DocumentFacts:
        owner = self.owners.owner(source)
        zh_places = find_places(text, self.chinese) if has_han(text) else []
        dateline = stated_dateline or find_dateline(text)
        ctx = build_context(
            text,
            self.finder,
            triggers=_TRIGGERS,
            owner=owner,
            extra_places=as_mentions(zh_places),
            qualify_places=lambda t, mentions: qualify(t, mentions, self.gazetteer),
            extra_dates=relative_dates(text, dateline),
            whole=whole,
        )
        home = ctx.subject if ctx.subject is not None else owner
        zh_home = _chinese_home(zh_places)
        day = (dateline.year, dateline.month, dateline.day) if dateline else None
        ties = find_ties(text, zh_places, zh_home, day) if zh_places else []
        found = partnerships.extract_partnerships(ctx)
        mostly_chinese = len(zh_places) > len(ctx.places) - len(zh_places)
        default_home = (
            (zh_home_place(zh_home) or owner or home) if mostly_chinese else (owner or home or zh_home_place(zh_home))
        )
        listed = list_ties(text, ctx.places, zh_places, default_home, self.gazetteer.closest)
        found += listed
        entries = [(f.span.start, f.span.end) for f in listed if f.span is not None]
        found += tie_facts(ties, text)
        found += institution_ties(ctx)
        found += example_pairings(ctx)
        merged = merge_partnerships(found)
        return DocumentFacts(
            doc=name,
            source=source,
            title=title,
            subject=ctx.subject.name if ctx.subject else None,
            partnerships=merged,
            events=merge_events(
                events.extract_events(ctx, entries, _as_date(dateline), _tied_places(ctx, merged))
                + (chinese_events(text, zh_places, day, entries) if zh_places else [])
            ),
            funding=funding.extract_funding(ctx),
            statuses=status.extract_statuses(ctx),
        )

    def extract(self, document: Document) -> DocumentFacts:
        return self.extract_text(document.text, document.name, document.source, document.title)


def _tied_places(ctx: DocumentContext, ties: list[PartnershipFact]) -> dict[str, list[Place]]:
    """The places each place is tied to by the document's ties between places it names."""
    named = {m.place.name: m.place for m in ctx.places}
    if ctx.subject is not None:
        named.setdefault(ctx.subject.name, ctx.subject)
    pairs = []
    for tie in ties:
        a, b = (named.get(name) for name in tie.parties[:2])
        if a is not None and b is not None and len(tie.parties) == 2:
            pairs.append((a, b))
    return events.ties_by_place(pairs)


def _chinese_home(places: list[ZhPlace]) -> ZhPlace | None:
    """The Chinese city a Chinese document speaks of most."""
    counts: dict[str, int] = {}
    first: dict[str, ZhPlace] = {}
    for p in places:
        if p.place is not None and p.country == "CN" and not p.is_country:
            counts[p.place.id] = counts.get(p.place.id, 0) + 1
            first.setdefault(p.place.id, p)
    if not counts:
        return None
    return first[max(counts, key=lambda pid: counts[pid])]


def zh_home_place(home: ZhPlace | None) -> Place | None:
    return home.place if home is not None else None


def _as_date(dateline: Dateline | None) -> DateMention | None:
    return DateMention(0, 0, dateline.year, dateline.month, dateline.day) if dateline is not None else None
