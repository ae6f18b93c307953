"""Ties of universities and schools that their own wording states: a university's campus in a
city ("their impressive campus at Ningbo"), a Confucius Institute's partner university ("with X
becoming the partner university in China"), a school's sister school named beside it ("its
sister school, X")."""

from __future__ import annotations

import re
from collections import Counter

from twinlink.extract.context import DocumentContext, SentenceView
from twinlink.extract.mentions import BodyMention
from twinlink.facts import PartnershipFact, Span
from twinlink.vocab import PartnershipKind, PartyKind

RULE = "rule:partnership-institution@1"
_CAMPUS = re.compile(r"\bcampus\b", re.I)
_PARTNER = re.compile(r"\b(?:its |their |the |a )?partner(?: university| institution)?\b", re.I)
_SISTER_SCHOOL = re.compile(r"\bsister school,?\s+(?:the\s+)?", re.I)
_NOT_PARTNERS = re.compile(r"Headquarters|Hanban|Confucius Institute\b", re.I)
_POSSESSIVE = re.compile(r"['’]s$")
_CITY_KINDS = frozenset(
    {PartyKind.CITY, PartyKind.PREFECTURE_CITY, PartyKind.COUNTY_CITY, PartyKind.MUNICIPALITY, PartyKind.DISTRICT}
)


def _name(body: BodyMention) -> str:
    return _POSSESSIVE.sub("", body.name)


def institution_ties(ctx: DocumentContext) -> list[PartnershipFact]:
    universities = Counter(
        _name(b)
        for v in ctx.views
        for b in v.bodies
        if b.kind is PartyKind.UNIVERSITY and not _NOT_PARTNERS.search(b.name)
    )
    schools = Counter(_name(b) for v in ctx.views for b in v.bodies if b.kind is PartyKind.SCHOOL)
    facts: list[PartnershipFact] = []
    for view in ctx.views:
        if not view.bodies:
            continue
        facts += _campus(view)
        facts += _partner(view, universities)
        facts += _sister_school(view, schools)
        facts += _between(view)
        facts += _joined_partners(view)
    return facts


def _fact(view: SentenceView, a: str, b: str, kind: PartnershipKind, instrument: str) -> PartnershipFact:
    return PartnershipFact(
        parties=[a, b],
        kind=kind,
        instrument=instrument,
        evidence=view.text,
        span=Span(start=view.sentence.start, end=view.sentence.end),
        rule=RULE,
    )


def _campus(view: SentenceView) -> list[PartnershipFact]:
    """A university's campus in a city abroad: a tie between the university and the city."""
    word = _CAMPUS.search(view.text)
    if word is None:
        return []
    universities = [b for b in view.bodies if b.kind is PartyKind.UNIVERSITY]
    cities = [p for p in view.places if p.place.kind in _CITY_KINDS]
    if not universities or not cities:
        return []
    university = min(universities, key=lambda b: abs(b.end - word.start()))
    home = {p.country for p in university.places}
    abroad = [p for p in cities if p.place.country not in home and p.place not in university.places]
    if not abroad:
        return []
    city = min(abroad, key=lambda p: abs(p.start - word.end()))
    return [_fact(view, _name(university), city.place.name, PartnershipKind.INSTITUTION, "campus")]


def _partner(view: SentenceView, universities: Counter[str]) -> list[PartnershipFact]:
    """ "…with X becoming the partner university in China", "Lancaster and its partner X"."""
    word = _PARTNER.search(view.text)
    if word is None:
        return []
    candidates = [b for b in view.bodies if b.kind is PartyKind.UNIVERSITY and not _NOT_PARTNERS.search(b.name)]
    if not candidates:
        return []
    partner = min(candidates, key=lambda b: min(abs(b.start - word.end()), abs(word.start() - b.end)))
    others = [b for b in candidates if b is not partner]
    host = _name(others[0]) if others else next((n for n, _ in universities.most_common() if n != _name(partner)), None)
    if host is None or host == _name(partner):
        return []
    return [_fact(view, host, _name(partner), PartnershipKind.INSTITUTION, word.group().strip())]


def _sister_school(view: SentenceView, schools: Counter[str]) -> list[PartnershipFact]:
    """ "…visit its sister school, Wenzhou No.2 Foreign Language School": the school named right
    after the words, tied to the school the document is about."""
    facts: list[PartnershipFact] = []
    for m in _SISTER_SCHOOL.finditer(view.text):
        named = next((b for b in view.bodies if b.start == m.end() and b.kind is PartyKind.SCHOOL), None)
        if named is None:
            continue
        own = next((n for n, _ in schools.most_common() if n != _name(named)), None)
        if own is not None:
            facts.append(_fact(view, own, _name(named), PartnershipKind.SCHOOL, "sister school"))
    return facts


_BETWEEN = re.compile(
    r"\b(?:exchanges?|links?|partnerships?|co-?operation|collaboration|agreements?|memorand(?:um|a) of understanding)"
    r"\b[^.;]{0,40}?\bbetween\s+(?:the\s+)?",
    re.I,
)


def _between(view: SentenceView) -> list[PartnershipFact]:
    """ "…exchanges taking place between North Atlanta High School and the University of
    Northumbria Business School": two bodies a tie or exchange runs between."""
    facts: list[PartnershipFact] = []
    for m in _BETWEEN.finditer(view.text):
        first = next((b for b in view.bodies if b.start == m.end()), None)
        if first is None:
            continue
        second = next((b for b in view.bodies if b.start > first.end), None)
        if second is None or _NOT_PARTNERS.search(first.name) or _NOT_PARTNERS.search(second.name):
            continue
        if not re.fullmatch(r"\s+and\s+(?:the\s+)?", view.text[first.end : second.start]):
            continue
        kind = PartnershipKind.SCHOOL if first.kind is second.kind is PartyKind.SCHOOL else PartnershipKind.INSTITUTION
        facts.append(_fact(view, _name(first), _name(second), kind, m.group().split()[0]))
    return facts


# "… are partner schools", "… have agreed in principle to be international partners": of each other
_PARTNERS_WORD = re.compile(
    r"\b(?:are|be|become|became)\s+(?:[a-z]+\s+){0,2}"
    r"(?:partners|partner schools|sister schools|twinned schools|friendship schools)\b"
)
_BETWEEN_BODIES = re.compile(r"(?:[\s,.]+|\band\b|\b[A-Z][\w'’-]+\b)*?\s+and\s+(?:the\s+)?")


def _joined_partners(view: SentenceView) -> list[PartnershipFact]:
    """ "No.2 Tianlin Middle School, Xuhui District, Shanghai, China and Aylsham High School, Norfolk,
    UK. have agreed … to be international partners": two schools or bodies named together, each
    with where it is, and said to be partners."""
    word = _PARTNERS_WORD.search(view.text)
    if word is None:
        return []
    bodies = [b for b in view.bodies if b.end <= word.start() and not _NOT_PARTNERS.search(b.name)]
    if len(bodies) < 2:
        return []
    first, second = bodies[0], bodies[1]
    if not _BETWEEN_BODIES.fullmatch(view.text, first.end, second.start):
        return []
    kind = PartnershipKind.SCHOOL if first.kind is second.kind is PartyKind.SCHOOL else PartnershipKind.INSTITUTION
    return [_fact(view, _name(first), _name(second), kind, word.group())]
