"""Funding statements: who funded what, how much, until when."""

from __future__ import annotations

import re
from functools import lru_cache

from twinlink.extract.context import DocumentContext, SentenceView
from twinlink.extract.home import home_places
from twinlink.extract.rules import load_rules, rule_id
from twinlink.facts import FundingFact, Span
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartyKind

_NEGATED = re.compile(r"\b(?:not|never|no)\s+(?:\w+\s+){0,2}$", re.I)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    rules = load_rules("funding")
    verbs = re.compile(r"\b(?:" + "|".join(sorted(rules["verbs"], key=len, reverse=True)) + r")\b", re.I)
    until = re.compile(r"\b(?:" + "|".join(rules["until"]) + r")\s+(?:the\s+end\s+of\s+)?", re.I)
    return verbs, until, re.compile(rules["amount"], re.I)


def trigger_patterns() -> tuple[re.Pattern[str], ...]:
    """The verbs of funding a sentence must hold for these rules to read it."""
    return (_patterns()[0],)


def _named(view: SentenceView, ctx: DocumentContext, lo: int, hi: int) -> tuple[str | None, list[Place]]:
    """The body or place named between ``lo`` and ``hi`` (nearest ``hi`` first when before a verb)."""
    for b in view.bodies:
        if lo <= b.start and b.end <= hi:
            return b.name, list(b.places)
    for start, _, place in home_places(ctx, view.text):
        if lo <= start < hi:
            return place.name, [place]
    places = [p for p in view.places if lo <= p.start and p.end <= hi and p.place.kind is not PartyKind.NATION]
    if places:
        return places[0].place.name, [places[0].place]
    return None, []


def extract_funding(ctx: DocumentContext) -> list[FundingFact]:
    verbs, until, amount = _patterns()
    rule = rule_id("funding")
    facts: list[FundingFact] = []
    for index in sorted(ctx.sentences_matching(*trigger_patterns())):
        view = ctx.views[index]
        text = view.text
        verb = verbs.search(text)
        if verb is None or _NEGATED.search(text[: verb.start()]) or text.rstrip().endswith("?"):
            continue
        funder, funder_places = _named(view, ctx, 0, verb.start())
        recipient, recipient_places = _named(view, ctx, verb.end(), len(text))
        if funder is None and recipient is None:
            continue
        parties: list[str] = []
        for place in funder_places + recipient_places:
            if place.name not in parties and place.kind not in (PartyKind.COUNTRY, PartyKind.NATION):
                parties.append(place.name)
        cue = until.search(text, verb.end())
        end_date = next((d for d in view.dates if cue and d.start >= cue.end()), None)
        when = next((d for d in view.dates if end_date is None or d is not end_date), None)
        money = amount.search(text)
        facts.append(
            FundingFact(
                funder=funder,
                recipient=recipient,
                parties=parties,
                amount=money.group() if money else None,
                year=when.year if when else None,
                until_year=end_date.year if end_date else None,
                until_month=end_date.month if end_date else None,
                what=verb.group(),
                evidence=text,
                span=Span(start=view.sentence.start, end=view.sentence.end),
                rule=rule,
            )
        )
    return facts
