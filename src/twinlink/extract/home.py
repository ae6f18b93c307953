"""Phrases that stand for the document's own body: "the City Council", "the county", "the Lord Mayor"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from twinlink.extract.context import DocumentContext
from twinlink.extract.scan import word_start_matches
from twinlink.gazetteer.model import Place, lower_same_length

# run on lower-cased text and anchored to a word start in Python: a literal start lets the engine skip ahead
_HOME_PHRASE = re.compile(
    r"the (?:then )?(county council|city council|council|city|county|town|lord mayor|leader of the council)\b"
)


def home_phrases(text: str) -> Iterator[re.Match[str]]:
    """Each home phrase in ``text``, as matched on its lower-cased form (same offsets)."""
    return word_start_matches(_HOME_PHRASE, lower_same_length(text))


def home_for(ctx: DocumentContext, phrase: str) -> Place | None:
    """The place a home phrase refers to: the home county for county words, else the home city or subject."""
    words = phrase.lower()
    if "county" in words:
        return ctx.home_county
    return ctx.home_city or ctx.subject


def home_places(ctx: DocumentContext, text: str) -> list[tuple[int, int, Place]]:
    """Each home phrase in ``text`` with the place it stands for."""
    found: list[tuple[int, int, Place]] = []
    for m in home_phrases(text):
        place = home_for(ctx, m.group(1))
        if place is not None:
            found.append((m.start(), m.end(), place))
    return found
