"""A very large text is read a section at a time: the facts are those of the whole text, with
spans into the whole text, and the subject is the whole document's."""

from __future__ import annotations

import pytest

from twinlink.extract import pipeline, sections
from twinlink.extract.pipeline import Extractor
from twinlink.extract.sections import split_sections

PARAGRAPH = (
    "Minutes of the committee for {n}.\n\nDerby has been twinned with Hefei since 1996. "
    "In May {year} a delegation from Hefei visited Derby.\n\n"
    "Members asked how the programme would be evaluated and what outcomes were expected.\n\n"
)


def test_sections_cover_the_text_and_end_between_paragraphs() -> None:
    text = "".join(PARAGRAPH.format(n=n, year=1990 + n % 30) for n in range(400))
    parts = list(split_sections(text, size=5_000))
    assert "".join(part for _, part in parts) == text
    assert all(text[offset:].startswith(part) for offset, part in parts)
    assert all(part.endswith("\n\n") for _, part in parts[:-1])
    assert max(len(part) for _, part in parts) <= 5_000


def test_a_large_text_gives_the_facts_of_the_whole_with_its_offsets(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Leicester's links abroad\n\n" + "".join(PARAGRAPH.format(n=n, year=1990 + n % 30) for n in range(300))
    whole = extractor.extract_text(text, "minutes.txt")
    monkeypatch.setattr(pipeline, "LARGE_TEXT", 10_000)
    monkeypatch.setattr(sections, "SECTION", 4_000)
    cut: list[int] = []
    monkeypatch.setattr(pipeline, "split_sections", lambda t: [part for part in split_sections(t) if not cut.append(1)])
    read_in_sections = extractor.extract_text(text, "minutes.txt")
    assert len(cut) > 10
    assert read_in_sections.subject == whole.subject
    assert [(p.parties, p.established) for p in read_in_sections.partnerships] == [
        (p.parties, p.established) for p in whole.partnerships
    ]
    told = {(e.year, e.month, e.kind, tuple(e.parties)) for e in whole.events}
    assert {(e.year, e.month, e.kind, tuple(e.parties)) for e in read_in_sections.events} == told
    for event in read_in_sections.events:
        assert event.span is not None and text[event.span.start : event.span.end] == event.evidence
