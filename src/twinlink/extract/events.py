"""Dated events: each date in a sentence, the kind its nearest wording gives, and the parties."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache

from twinlink.extract.context import DocumentContext, SentenceView
from twinlink.extract.dates import DateMention
from twinlink.extract.home import home_places
from twinlink.extract.rules import load_rules, rule_id
from twinlink.extract.scan import lowered_form
from twinlink.facts import EventFact
from twinlink.gazetteer.model import Place, has_han, lower_same_length
from twinlink.vocab import EventKind, PartyKind

_MAX_REACH = 160


@lru_cache(maxsize=1)
def _kind_patterns() -> list[tuple[EventKind, int, re.Pattern[str]]]:
    rules = load_rules("events")
    return [
        (EventKind(k["kind"]), int(k["weight"]), re.compile(r"\b(?:" + "|".join(k["patterns"]) + r")\b", re.I))
        for k in rules["kinds"]
    ]


def trigger_patterns() -> tuple[re.Pattern[str], ...]:
    """The wording of each kind of event."""
    return tuple(p for _, _, p in _kind_patterns())


def _nearest_kind(text: str, date: DateMention, lo: int, hi: int, kinds: Collection[int] | None) -> EventKind | None:
    folded = lower_same_length(text)
    best: tuple[float, EventKind] | None = None
    patterns = _kind_patterns()
    for kind, weight, pattern in patterns if kinds is None else [patterns[k] for k in sorted(kinds)]:
        fast = lowered_form(pattern)
        for m in fast.finditer(folded, lo, hi) if fast is not None else pattern.finditer(text, lo, hi):
            distance = date.start - m.end() if m.end() <= date.start else max(0, m.start() - date.end)
            if distance > _MAX_REACH:
                continue
            score = distance - weight
            if best is None or score < best[0]:
                best = (score, kind)
    return best[1] if best else None


def worded_kind(
    text: str,
    date: DateMention,
    others: list[DateMention],
    masked: Sequence[tuple[int, int]] = (),
    kinds: Collection[int] | None = None,
) -> EventKind | None:
    """The kind the wording near a date gives, ``other`` for a council's act about a link
    (a vote, a motion, a letter), or None when nothing in the sentence tells of a happening."""
    if kinds is not None and not kinds and not OTHER_WORDING.search(text):
        return None
    for start, end in masked:
        text = text[:start] + " " * (end - start) + text[end:]
    lo, hi = 0, len(text)
    for d in others:
        if d.end <= date.start:
            lo = max(lo, d.end)
        elif d.start >= date.end:
            hi = min(hi, d.start)
    found = _nearest_kind(text, date, lo, hi, kinds) if kinds is None or kinds else None
    if found is not None:
        return found
    return EventKind.OTHER if OTHER_WORDING.search(text) else None


# what councils and people do about a link that the gold calls "other": votes, motions, letters
OTHER_WORDING = re.compile(
    r"\b(?:vot(?:e|ed|es|ing)|decided|decision|motion|petition|urged|asked|asking|announced|scrapp\w+|"
    r"commissioned|review|wrote|letter|contacted|withdr\w+|severed|sever|cut ties|terminat\w+|suspend\w+|"
    r"break (?:their |its )?ties|breaking ties|agreed)\b",
    re.I,
)
# a year that dates a state, not a happening: "twinned since 1985", "by 2020", "before 1994"
_STATE_BEFORE = re.compile(
    r"\b(?:since|until|till|before|after|by|from|to date|through)\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?$", re.I
)
_PLANNED = re.compile(
    r"\b(?:plans? to|planned|planning|will|shall|is to|are to|due to|expected to|to be held|forthcoming|"
    r"upcoming|next year|intends? to|scheduled)\b",
    re.I,
)


def is_state_year(text: str, date: DateMention) -> bool:
    """A year that dates a state, a decade or a list entry rather than a happening: "since 1985",
    "the 1980s", "Porto, Portugal (1984)"."""
    before = text[max(0, date.start - 30) : date.start]
    if text[date.end : date.end + 1] == "s" or _STATE_BEFORE.search(before) is not None:
        return True
    return before.rstrip().endswith("(") and text[date.end : date.end + 1] == ")"


# "your request of 16 July 2021", "his letter dated 3 May": the date of a piece of correspondence
_CORRESPONDENCE_BEFORE = re.compile(
    r"\b(?:request|e-?mail|letter|enquiry|inquiry|correspondence|application)\s+"
    r"(?:of|dated|on|sent on|received on)\s+(?:the\s+)?$",
    re.I,
)


def dates_correspondence(text: str, date: DateMention) -> bool:
    """Whether the date is that of a request, letter or e-mail ("your request of 16 July 2021"),
    which an answer to it cites: the date of the correspondence, not of a happening."""
    return _CORRESPONDENCE_BEFORE.search(text[max(0, date.start - 40) : date.start]) is not None


def is_planned(text: str, date: DateMention) -> bool:
    """Whether the sentence announces the happening for the future ("plan to visit … in 2017")."""
    lowered = text.lower()
    if not any(word in lowered for word in _PLANNED_WORDS):
        return False  # most sentences: none of the words, so the pattern need not run
    clause_start = max(text.rfind(";", 0, date.start), text.rfind(". ", 0, date.start), 0)
    return _PLANNED.search(text, clause_start, date.end + 40) is not None


_PLANNED_WORDS = (
    "plan",
    "will",
    "shall",
    " to ",
    "expected",
    "forthcoming",
    "upcoming",
    "next year",
    "intend",
    "scheduled",
)


_WE = re.compile(r"\b(?:we|our)\b", re.I)


def _parties(ctx: DocumentContext, view: SentenceView, named: list[Place], previous: list[Place]) -> list[Place]:
    # a place whose every mention here is part of a person's name ("Cllr Kent Taylor"); one named
    # also on its own ("from Ningbo … the Ningbo Week festival") stays a party
    people = {p.place.id for p in view.places if view.is_person(p)} - {
        p.place.id for p in view.places if not view.is_person(p)
    }
    partners = [p for p in named if p.kind is not PartyKind.NATION and p.id not in people]
    if any(p.kind is not PartyKind.COUNTRY for p in partners):
        partners = [p for p in partners if p.kind is not PartyKind.COUNTRY]
    ids = {p.id for p in partners}
    for _, _, home in home_places(ctx, view.text):
        if home.id not in ids:
            partners.insert(0, home)
            ids.add(home.id)
    if ctx.subject is not None and ctx.subject.id not in ids and _WE.search(view.text):
        partners.insert(0, ctx.subject)  # "when we became Sister Cities": the document's own place
    if partners:
        return partners
    demonyms: list[Place] = []
    for m in view.demonyms:
        if m.place not in demonyms:
            demonyms.append(m.place)
    return demonyms or previous


Tied = Mapping[str, Sequence[Place]]  # the places the document ties each place to, by its id


def ties_by_place(ties: Iterable[tuple[Place, Place]]) -> dict[str, list[Place]]:
    tied: dict[str, list[Place]] = {}
    for a, b in ties:
        for one, other in ((a, b), (b, a)):
            if all(p.id != other.id for p in tied.get(one.id, [])):
                tied.setdefault(one.id, []).append(other)
    return tied


def _with_partner(
    parties: list[Place], named: list[Place], view: SentenceView, subject: Place | None, tied: Tied
) -> list[Place]:
    """A happening told of a country at large ("a trip to China", "a Chinese delegation") in a
    document that ties its parties, or the place the document is about, to one place of that
    country is with that place, as a reader of the document takes it; the country gives way.
    ``named``: the places the sentence names."""
    countries = {p.country for p in named if p.kind is PartyKind.COUNTRY}
    countries |= {m.place.country for m in view.demonyms}
    placed = {p.country for p in parties if p.kind is not PartyKind.COUNTRY}
    wanted = countries - placed
    if not wanted or not tied:
        return parties
    ours = [p for p in parties if p.kind is not PartyKind.COUNTRY] + ([subject] if subject is not None else [])
    added: list[Place] = []
    for country in sorted(wanted):
        partners = {o.id: o for p in ours for o in tied.get(p.id, ()) if o.country == country}
        if len(partners) == 1:
            added += partners.values()
    if not added:
        return parties
    gone = {p.country for p in added}
    kept = [p for p in parties if not (p.kind is PartyKind.COUNTRY and p.country in gone)]
    return kept + [p for p in added if all(p.id != k.id for k in kept)]


def extract_events(
    ctx: DocumentContext,
    skip: Sequence[tuple[int, int]] = (),
    dateline: DateMention | None = None,
    tied: Tied | None = None,
) -> list[EventFact]:
    """Events told in sentences in Latin script (Chinese ones are read by ``chinese_events``);
    ``skip``: spans (list entries) whose dates belong to a tie, not to a happening. In a dated
    report (``dateline``), a happening told in the past tense with no date of its own took place
    in the report's year. ``tied``: the places the document ties each place to (see
    ``_with_partner``)."""
    rule = rule_id("events")
    events: list[EventFact] = []
    seen: set[tuple[int, int | None, str, frozenset[str]]] = set()
    previous: list[Place] = []
    previous_block = -1
    possible = ctx.possible_matches(trigger_patterns())
    for index, view in enumerate(ctx.views):
        block = view.sentence.block
        if block != previous_block and not view.sentence.bullet and block != previous_block + 1:
            previous = []
        nearby = previous if block - previous_block <= 1 else []
        previous_block = block
        named = view.all_places() if view.places or view.bodies else []
        dates = view.dates
        if not dates and dateline is not None and named and _TOLD_DONE.search(view.text):
            dates = [DateMention(0, 0, dateline.year, None, None)]
        parties = _parties(ctx, view, named, nearby) if dates else []
        if parties and tied:
            parties = _with_partner(parties, named, view, ctx.subject, tied)
        if not view.bodies and all(p.kind is PartyKind.COUNTRY for p in parties):
            parties = []  # a happening of a country at large, no place or body of it named, is no link's
        previous = named or previous
        if not parties or has_han(view.text) or _inside(view.sentence.start, view.sentence.end, skip):
            continue
        for date in dates:
            if is_state_year(view.text, date) or dates_correspondence(view.text, date):
                continue
            worded = worded_kind(
                view.text,
                date,
                [d for d in dates if d is not date],
                [(b.start, b.end) for b in view.bodies],
                None if possible is None else possible.get(index, set()),
            )
            if worded is None:
                continue
            kind = worded
            names = [p.name for p in parties[:4]]
            key = (date.year, date.month, kind.value, frozenset(names))
            if key in seen:
                continue
            seen.add(key)
            end = _continuation_end(ctx, index) if len(dates) == 1 else view.sentence.end
            # validated from plain data in one call: the nested span is then built without a
            # second model's constructor
            events.append(
                EventFact.model_validate(
                    {
                        "year": date.year,
                        "month": date.month,
                        "day": date.day,
                        "kind": kind,
                        "parties": names,
                        "what": _summary(view.text),
                        "evidence": ctx.text[view.sentence.start : end] if ctx.text else view.text,
                        "span": {"start": view.sentence.start, "end": end if ctx.text else view.sentence.end},
                        "rule": rule,
                        "planned": is_planned(view.text, date),
                    }
                )
            )
    return events


# a happening told as done, in words strong enough to stand without a date of their own
_TOLD_DONE = re.compile(
    r"\b(?:voted|signed|launched|opened|visited|travelled|traveled|hosted|toured|were on a visit|was on a visit|"
    r"held talks|met with)\b"
)


_REFERS_BACK = re.compile(
    r"(?:The|This|That|During the|On the|At the|On this|At this)\s+(?:[\w’']+\s+){0,2}?"
    r"(?:visit|visits|delegation|delegation’s|delegation's|trip|mission|event|ceremony|signing|meeting)\b"
)


def _continuation_end(ctx: DocumentContext, index: int) -> int:
    """Where an event's account ends: the sentences right after it that refer back to it without a
    date of their own ("The delegation's visit … included the signing of two Memorandums")."""
    end = ctx.views[index].sentence.end
    block = ctx.views[index].sentence.block
    for view in ctx.views[index + 1 : index + 3]:
        if view.dates or view.sentence.block != block or not _REFERS_BACK.match(view.text):
            break
        end = view.sentence.end
    return end


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _summary(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
