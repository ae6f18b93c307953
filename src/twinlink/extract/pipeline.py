"""``extract(document, gazetteer)``: a pure function of the text and the gazetteer."""

from __future__ import annotations

from dataclasses import dataclass

from twinlink.collector import collector_paused
from twinlink.documents.model import Document
from twinlink.extract import events, funding, partnerships, status
from twinlink.extract.context import build_context
from twinlink.extract.mentions import MentionFinder
from twinlink.facts import DocumentFacts
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.matcher import PlaceMatcher

# every rule's trigger patterns, looked for in one scan of each document
_TRIGGERS = (
    partnerships.trigger_patterns() + events.trigger_patterns() + funding.trigger_patterns() + status.trigger_patterns()
)


@dataclass(frozen=True)
class Extractor:
    """The gazetteer and its matcher, built once and reused for every document."""

    gazetteer: Gazetteer
    finder: MentionFinder

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> Extractor:
        return cls(gazetteer, MentionFinder(gazetteer, PlaceMatcher(gazetteer)))

    def extract_text(self, text: str, name: str, source: str | None = None, title: str | None = None) -> DocumentFacts:
        with collector_paused():  # a document's mentions, sentences and facts hold no cycles
            return self._extract_text(text, name, source, title)

    def _extract_text(self, text: str, name: str, source: str | None, title: str | None) -> DocumentFacts:
        ctx = build_context(text, self.finder, triggers=_TRIGGERS)
        return DocumentFacts(
            doc=name,
            source=source,
            title=title,
            subject=ctx.subject.name if ctx.subject else None,
            partnerships=partnerships.extract_partnerships(ctx),
            events=events.extract_events(ctx),
            funding=funding.extract_funding(ctx),
            statuses=status.extract_statuses(ctx),
        )

    def extract(self, document: Document) -> DocumentFacts:
        return self.extract_text(document.text, document.name, document.source, document.title)
