"""Ties given as examples, each a pair of places joined by "with": "Partnerships of this kind
include Hull with Freetown and Leeds with Hangzhou"."""

from __future__ import annotations

import re
from itertools import pairwise

from twinlink.extract.context import DocumentContext
from twinlink.extract.naming import party_name
from twinlink.facts import PartnershipFact, Span
from twinlink.vocab import PartyKind

RULE = "rule:partnership-pairing@1"
_EXAMPLES = re.compile(r"\b(?:include|includes|included|including|such as|for example|for instance|e\.g\.)\s", re.I)
_EXAMPLE_WORDS = ("includ", "such as", "for example", "for instance", "e.g.")
_TIE = re.compile(r"\b(?:twin\w*|sister|partner\w*|friendship|links?|ties)\b", re.I)
_WITH = re.compile(r"\s+(?:with|and its twin|–|-)\s+")
_WIDER = (PartyKind.COUNTRY, PartyKind.NATION)


def example_pairings(ctx: DocumentContext) -> list[PartnershipFact]:
    facts: list[PartnershipFact] = []
    for view in ctx.views:
        if len(view.places) < 2:
            continue
        lowered = view.text.lower()
        if not any(w in lowered for w in _EXAMPLE_WORDS) or _TIE.search(view.text) is None:
            continue
        examples = _EXAMPLES.search(view.text)
        if examples is None:
            continue
        places = [p for p in view.places if p.start >= examples.end() and p.place.kind not in _WIDER]
        for a, b in pairwise(places):
            if a.place.country == b.place.country or not _WITH.fullmatch(view.text, a.end, b.start):
                continue
            facts.append(
                PartnershipFact(
                    parties=[party_name(a.place, a.text), party_name(b.place, b.text)],
                    instrument=examples.group().strip(),
                    evidence=view.text[a.start : b.end],
                    span=Span(start=view.sentence.start + a.start, end=view.sentence.start + b.end),
                    rule=RULE,
                )
            )
    return facts
