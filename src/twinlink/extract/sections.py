"""A very large text cut into sections between paragraphs, and facts read from a section moved
to the offsets of the whole text."""

from __future__ import annotations

from collections.abc import Iterator

from twinlink.facts import DocumentFacts, Span

LARGE_TEXT = 2_000_000  # characters: longer texts are read a section at a time
SECTION = 500_000  # characters a section holds, about


def split_sections(text: str, size: int | None = None) -> Iterator[tuple[int, str]]:
    """(offset, section) pairs covering ``text``, each cut after a paragraph break (a blank line)
    within ``size`` characters, else after a line break, else where it must."""
    size = size or SECTION
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            window = text[start + size // 2 : end]
            cut, after = window.rfind("\n\n"), 2
            if cut < 0:
                cut, after = window.rfind("\n"), 1
            if cut >= 0:
                end = start + size // 2 + cut + after
        yield start, text[start:end]
        start = end


def shifted(facts: DocumentFacts, offset: int) -> DocumentFacts:
    """A section's facts with their spans moved by the section's offset in the whole text."""
    if offset == 0:
        return facts
    for group in (facts.partnerships, facts.events, facts.funding, facts.statuses):
        for fact in group:
            if fact.span is not None:
                fact.span = Span(start=fact.span.start + offset, end=fact.span.end + offset)
    return facts
