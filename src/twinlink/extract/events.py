"""Dated events: each date in a sentence, the kind its nearest wording gives, and the parties."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from twinlink.extract.context import DocumentContext, SentenceView
from twinlink.extract.dates import DateMention
from twinlink.extract.home import home_places
from twinlink.extract.rules import load_rules, rule_id
from twinlink.facts import EventFact, Span
from twinlink.gazetteer.model import Place
from twinlink.vocab import EventKind, PartyKind

_MAX_REACH = 160


@lru_cache(maxsize=1)
def _kind_patterns() -> list[tuple[EventKind, int, re.Pattern[str]]]:
    rules = load_rules("events")
    return [
        (EventKind(k["kind"]), int(k["weight"]), re.compile(r"\b(?:" + "|".join(k["patterns"]) + r")\b", re.I))
        for k in rules["kinds"]
    ]


def classify(
    text: str, date: DateMention, others: list[DateMention], masked: Sequence[tuple[int, int]] = ()
) -> EventKind:
    """The kind whose wording stands nearest the date (stronger wording reaches further), within
    the part of the sentence that belongs to this date rather than to another."""
    for start, end in masked:  # names of bodies ("… Trade Bureau") say nothing of what happened
        text = text[:start] + " " * (end - start) + text[end:]
    lo = max((d.end for d in others if d.end <= date.start), default=0)
    hi = min((d.start for d in others if d.start >= date.end), default=len(text))
    best: tuple[float, EventKind] | None = None
    for kind, weight, pattern in _kind_patterns():
        for m in pattern.finditer(text, lo, hi):
            distance = date.start - m.end() if m.end() <= date.start else max(0, m.start() - date.end)
            if distance > _MAX_REACH:
                continue
            score = distance - weight
            if best is None or score < best[0]:
                best = (score, kind)
    return best[1] if best else EventKind.OTHER


def _parties(ctx: DocumentContext, view: SentenceView, previous: list[Place]) -> list[Place]:
    places = [p for p in view.all_places()]
    partners = [p for p in places if p.kind not in (PartyKind.NATION,)]
    for _, _, home in home_places(ctx, view.text):
        if home not in partners:
            partners.insert(0, home)
    if partners:
        return partners
    demonyms: list[Place] = []
    for m in view.demonyms:
        if m.place not in demonyms:
            demonyms.append(m.place)
    return demonyms or previous


def extract_events(ctx: DocumentContext) -> list[EventFact]:
    rule = rule_id("events")
    events: list[EventFact] = []
    seen: set[tuple[int, int | None, str, frozenset[str]]] = set()
    previous: list[Place] = []
    previous_block = -1
    for view in ctx.views:
        if view.sentence.block != previous_block and not view.sentence.bullet:
            previous = previous if view.sentence.block == previous_block + 1 else []
        parties = _parties(ctx, view, previous if view.sentence.block - previous_block <= 1 else [])
        previous_block = view.sentence.block
        if view.all_places():
            previous = view.all_places()
        if not parties:
            continue
        for date in view.dates:
            kind = classify(
                view.text, date, [d for d in view.dates if d is not date], [(b.start, b.end) for b in view.bodies]
            )
            names = [p.name for p in parties[:4]]
            key = (date.year, date.month, kind.value, frozenset(names))
            if key in seen:
                continue
            seen.add(key)
            events.append(
                EventFact(
                    year=date.year,
                    month=date.month,
                    day=date.day,
                    kind=kind,
                    parties=names,
                    what=_summary(view.text),
                    evidence=view.text,
                    span=Span(start=view.sentence.start, end=view.sentence.end),
                    rule=rule,
                )
            )
    return events


def _summary(text: str, limit: int = 140) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
