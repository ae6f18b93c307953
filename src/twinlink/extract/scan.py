"""Regular-expression scans over whole documents, arranged so that the engine can skip ahead.

A pattern that begins with ``\\b`` or a character class is tried at every position of the text;
one that begins with literal text is found by a fast search for its first characters. These
helpers keep the fast form and check the rest in Python."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from twinlink.gazetteer.model import lower_same_length


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def word_start_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``\\b`` followed by ``pattern``, for a pattern that starts with a word
    character: the match must not continue a word."""
    for m in pattern.finditer(text):
        start = m.start()
        if start == 0 or not is_word_char(text[start - 1]):
            yield m


_ESCAPE = re.compile(r"\\.")


@lru_cache(maxsize=256)
def lowered_form(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same case-insensitive pattern, case-sensitive, to run on ``lower_same_length(text)``
    (several times faster), or None when it names capital letters and cannot."""
    if not pattern.flags & re.IGNORECASE or any(c.isupper() for c in _ESCAPE.sub("", pattern.pattern)):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def finditer_folded(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, found on the lower-cased text when the pattern allows (see
    ``lowered_form``), each match then taken again from ``text`` itself so that it reads as
    written."""
    fast = lowered_form(pattern)
    if fast is None:
        yield from pattern.finditer(text)
        return
    for m in fast.finditer(lower_same_length(text)):
        original = pattern.match(text, m.start())
        if original is None or original.end() != m.end():  # a character that folds otherwise
            yield from pattern.finditer(text, m.start())
            return
        yield original
