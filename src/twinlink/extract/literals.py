"""The literal strings a regular expression cannot match without: any text it matches holds at
least one of them (lower-cased). A fast literal scan over a whole document then tells which
sentences are worth running the expression on."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

_MAX_ALTERNATIVES = 64
_SMALL_CLASS = 4
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
_GROUPS = {sre.SUBPATTERN, sre.ATOMIC_GROUP}

Strings = frozenset[str]


@lru_cache(maxsize=256)
def required_literals(pattern: re.Pattern[str]) -> Strings | None:
    """Lower-cased strings at least one of which is in any text the pattern matches, or None when
    the pattern can match without a literal of two characters or more."""
    found = _required(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    if found is None or min(len(s) for s in found) < 2:
        return None
    # a text that holds "visited" holds "visit": the shorter literal is enough
    return frozenset(s for s in found if not any(t != s and t in s for t in found))


def _inner(av: Any) -> list[Any]:
    """The sub-pattern of a group."""
    return list(av[-1])


def _fixed(items: list[Any]) -> Strings | None:
    """Every string the sequence can match, when it matches only a few fixed strings."""
    strings: Strings = frozenset({""})
    for op, av in items:
        part = _fixed_item(op, av)
        if part is None or len(strings) * len(part) > _MAX_ALTERNATIVES:
            return None
        strings = frozenset(a + b for a in strings for b in part)
    return strings


def _fixed_item(op: Any, av: Any) -> Strings | None:
    if op is sre.LITERAL:
        return frozenset({chr(av).lower()})
    if op in _ZERO_WIDTH:
        return frozenset({""})
    if op in _GROUPS:
        return _fixed(_inner(av))
    if op is sre.BRANCH:
        union = _union(av[1], _fixed)
        return union if union is not None and len(union) <= _MAX_ALTERNATIVES else None
    if op in _REPEATS and av[0] == 0 and av[1] == 1:
        part = _fixed(list(av[2]))
        return None if part is None else part | {""}
    if op is sre.IN and len(av) <= _SMALL_CLASS and all(kind is sre.LITERAL for kind, _ in av):
        return frozenset(chr(code).lower() for _, code in av)
    return None


def _required(items: list[Any]) -> Strings | None:
    """The best of the requirements of a sequence: its runs of fixed strings and its parts."""
    candidates: list[Strings] = []
    run: Strings = frozenset({""})
    for op, av in items:
        part = _fixed_item(op, av)
        if part is not None and len(run) * len(part) <= _MAX_ALTERNATIVES:
            run = frozenset(a + b for a in run for b in part)
            continue
        candidates.append(run)
        run = frozenset({""})
        if part is not None:
            run = part
            continue
        own = _required_item(op, av)
        if own is not None:
            candidates.append(own)
    candidates.append(run)
    best = max(candidates, key=lambda strings: (min(len(s) for s in strings), -len(strings)))
    return best if min(len(s) for s in best) > 0 else None


def _required_item(op: Any, av: Any) -> Strings | None:
    if op in _GROUPS:
        return _required(_inner(av))
    if op in _REPEATS and av[0] >= 1:
        return _required(list(av[2]))
    if op is sre.BRANCH:
        return _union(av[1], _required)
    return None


def _union(alternatives: list[Any], each: Callable[[list[Any]], Strings | None]) -> Strings | None:
    """What each alternative gives, together; None when one gives nothing."""
    union: set[str] = set()
    for alternative in alternatives:
        part = each(list(alternative))
        if part is None:
            return None
        union |= part
    return frozenset(union)


class LiteralIndex:
    """One Aho-Corasick scan for the required literals of several patterns. Patterns that need
    no literal are left out (``covers`` says which are in)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        by_literal: dict[str, set[re.Pattern[str]]] = {}
        for pattern in patterns:
            for s in required_literals(pattern) or ():
                by_literal.setdefault(s, set()).add(pattern)
        self.covers = frozenset(p for p in patterns if required_literals(p) is not None)
        self._automaton = ahocorasick.Automaton()
        for literal, which in by_literal.items():
            self._automaton.add_word(literal, (len(literal), frozenset(which)))
        if by_literal:
            self._automaton.make_automaton()

    def sentences(self, lowered: str, starts: Sequence[int], ends: Sequence[int]) -> dict[re.Pattern[str], set[int]]:
        """For each pattern, the sentences (given by their start and end offsets) that hold one of
        its literals wholly inside them."""
        found: dict[re.Pattern[str], set[int]] = {p: set() for p in self.covers}
        if not len(self._automaton):
            return found
        for end, (length, which) in self._automaton.iter(lowered):
            i = bisect_right(starts, end - length + 1) - 1
            if i >= 0 and end < ends[i]:
                for pattern in which:
                    found[pattern].add(i)
        return found


@lru_cache(maxsize=64)
def literal_index(patterns: tuple[re.Pattern[str], ...]) -> LiteralIndex:
    return LiteralIndex(patterns)
