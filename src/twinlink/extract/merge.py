"""One fact per tie and per event when several rules or sentences state the same thing."""

from __future__ import annotations

from functools import lru_cache

from twinlink.facts import EventFact, PartnershipFact
from twinlink.gazetteer.model import name_key

_key = lru_cache(maxsize=8192)(name_key)


def _pair(fact: PartnershipFact) -> frozenset[str]:
    return frozenset(_key(p) for p in fact.parties)


def merge_partnerships(facts: list[PartnershipFact]) -> list[PartnershipFact]:
    """The first fact for each pair, taking a year from a later one when it has none; a later
    fact with another year is kept beside it, each with its evidence."""
    kept: dict[frozenset[str], PartnershipFact] = {}
    others: dict[tuple[frozenset[str], str], PartnershipFact] = {}
    for fact in facts:
        key = _pair(fact)
        if len(key) < 2:
            continue
        if key not in kept:
            kept[key] = fact
            continue
        first = kept[key]
        if first.established is None and fact.established is not None:
            kept[key] = fact if first.rule == fact.rule else first.model_copy(update={"established": fact.established})
        elif fact.established is not None and fact.established != first.established:
            others.setdefault((key, repr(fact.established)), fact)
    return list(kept.values()) + list(others.values())


def merge_events(facts: list[EventFact]) -> list[EventFact]:
    """One event for each happening told more than once, as a bilingual text tells it: the same
    year, month, day and kind, with parties in common."""
    out: list[EventFact] = []
    told: dict[tuple[object, ...], list[frozenset[str]]] = {}
    for e in facts:
        parties = frozenset(e.parties)
        earlier = told.setdefault((e.year, e.month, e.day, e.kind), [])
        if any(o == parties or len(o & parties) >= 2 for o in earlier):
            continue
        earlier.append(parties)
        out.append(e)
    return out
