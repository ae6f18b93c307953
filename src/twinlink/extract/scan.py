"""Regular-expression scans over whole documents, arranged so that the engine can skip ahead.

A pattern that begins with ``\\b`` or a character class is tried at every position of the text;
one that begins with literal text is found by a fast search for its first characters. These
helpers keep the fast form and check the rest in Python."""

from __future__ import annotations

import re
from collections.abc import Iterator


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def word_start_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``\\b`` followed by ``pattern``, for a pattern that starts with a word
    character: the match must not continue a word."""
    for m in pattern.finditer(text):
        start = m.start()
        if start == 0 or not is_word_char(text[start - 1]):
            yield m


def windows_around(anchor: re.Pattern[str], text: str, before: int, after: int) -> Iterator[tuple[int, int]]:
    """Stretches of ``text`` from ``before`` characters ahead of each match of ``anchor`` to
    ``after`` past it, overlapping stretches joined."""
    current: tuple[int, int] | None = None
    for m in anchor.finditer(text):
        start, end = max(0, m.start() - before), min(len(text), m.end() + after)
        if current is not None and start <= current[1]:
            current = (current[0], end)
            continue
        if current is not None:
            yield current
        current = (start, end)
    if current is not None:
        yield current
