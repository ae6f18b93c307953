"""Partnership facts from the language that states them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from twinlink.extract.context import DocumentContext, SentenceView
from twinlink.extract.dates import anniversary_start
from twinlink.extract.home import home_for, home_phrases
from twinlink.extract.located import body_location, named_kind
from twinlink.extract.mentions import BodyMention, PlaceMention
from twinlink.extract.modality import hedged
from twinlink.extract.naming import party_name
from twinlink.extract.rules import load_rules, rule_id
from twinlink.extract.scan import finditer_folded
from twinlink.facts import PartnershipFact
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartnershipKind, PartyKind

# triggers whose two parties both follow them ("the twinning of A and B")
_OWN_OBJECT_TRIGGERS = (
    "twinning of",
    "twinning between",
    "relationship between",
    "partnership between",
    "link between",
    "links between",
    "friendship between",
    "friendly relationship between",
    "agreement between",
    "memorandum of understanding between",
    "mou between",
    "signed between",
)
# what opens a clause of its own: "…, and Leicester has links with …", "…; Leicester …"
_NEW_CLAUSE = re.compile(r"[;:]|,\s*(?:and|while|whereas|but)\s|,\s*$|\.\s")
# a second tie of the same subject, its subject left out: "… with A and a twinning agreement with B"
_ELLIPSIS = re.compile(r"\s*,?\s*(?:and|as well as)\s+(?:(?:an?|the|then|also)\s+)?(?:[a-z]+\s+){0,2}")
_BELONGS = re.compile(r"\s+(?:is|has been|was|became|remains|is now)\s+(?:also\s+)?", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|\.\s|,\s+(?:which|who|where|while|but)\b")
# ", an industrial city in northern China and the capital of " Shanxi: a description of the place before
_DESCRIBED = re.compile(r",\s*(?:an?|the)\s+[^,;()]{0,60}?\b(?:of|in)\s+(?:the\s+)?")
_QUALIFIER_BEFORE = re.compile(r"(?:\bin|\bof|,)\s*(?:the\s+)?$", re.I)
_APPOSITIVE = re.compile(
    r",\s*(?:(?:the|a|an)\s+)?(?:[A-Z][a-z]+\s+)?(?:(?:provincial|regional|county|coastal|port|major|historic|industrial)\s+)?"
    r"(?:capital|capital city|city|town|county town|port|municipality)\s+(?:of|in)\s+(?:the\s+)?",
    re.I,
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    rules = load_rules("partnerships")

    def alternation(items: list[str]) -> re.Pattern[str]:
        # a space in a phrase stands for a space or a line break, so that hard-wrapped lines still
        # match; a class of two characters keeps the phrase's literals for the one-scan prefilter
        spaced = [item.replace(" ", "[ \n]") for item in sorted(items, key=len, reverse=True)]
        return re.compile(r"\b(?:" + "|".join(spaced) + r")\b", re.I)

    return (
        alternation(rules["place_triggers"]),
        alternation(rules["institution_triggers"]),
        alternation(rules["school_triggers"]),
        alternation(rules["established_cues"]),
        re.compile("|".join(rules["general_statement"]), re.I),
    )


def trigger_patterns() -> tuple[re.Pattern[str], ...]:
    """The patterns a sentence must match for these rules to read it."""
    place_triggers, inst_triggers, school_triggers, _, _ = _patterns()
    return place_triggers, inst_triggers, school_triggers


@dataclass(slots=True)  # never changed once made; not frozen, which makes each one slower to build
class Party:
    name: str
    start: int
    end: int
    place: Place | None
    kind: PartyKind
    inside: tuple[Place, ...] = ()


def _place_party(m: PlaceMention) -> Party:
    return Party(party_name(m.place, m.text), m.start, m.end, m.place, m.place.kind)


def _body_party(b: BodyMention) -> Party:
    return Party(b.name, b.start, b.end, None, b.kind, b.places)


def _coordinated(parties: list[Party], text: str) -> list[Party]:
    """The run of parties joined by 'and', '&' or commas that ends with the last one."""
    if not parties:
        return []
    run = [parties[-1]]
    for prev in reversed(parties[:-1]):
        between = text[prev.end : run[0].start]
        if re.fullmatch(
            r"\s*(?:,|and|&|, and)\s*(?:the\s+)?(?:city council|county council|council)?\s*(?:,|and|&)?\s*",
            between,
            re.I,
        ) or re.fullmatch(r"\s*(?:city|county)?\s*(?:council)?\s*(?:and|&)\s*", between, re.I):
            run.insert(0, prev)
        else:
            break
    return run


def _is_partner_place(p: Place) -> bool:
    return p.kind not in (PartyKind.COUNTRY, PartyKind.NATION)


def _drop_qualifiers(parties: list[Party], text: str) -> list[Party]:
    """'Taiyuan in Shanxi Province': Shanxi only says where Taiyuan is."""
    kept: list[Party] = []
    for party in parties:
        if kept and kept[-1].place is not None and party.place is not None:
            between = text[kept[-1].end : party.start]
            if (
                _APPOSITIVE.fullmatch(between)
                or _DESCRIBED.fullmatch(between)
                or (
                    _QUALIFIER_BEFORE.search(between)
                    and len(between) < 12
                    and not between.strip(" ,").startswith("and")
                )
            ):
                if kept[-1].place.parent == party.place.id or party.place.kind in (
                    PartyKind.PROVINCE,
                    PartyKind.REGION,
                    PartyKind.COUNTRY,
                    PartyKind.COUNTY,
                    PartyKind.NATION,
                ):
                    continue
        kept.append(party)
    return kept


_OWN_WORD = re.compile(r"\b(?:its|their)\s+(?:[\w-]+\s+){0,3}$", re.I)
_SUBJECT_REACH = 400
_WIDER_KINDS = frozenset({PartyKind.COUNTY, PartyKind.REGION, PartyKind.PROVINCE, PartyKind.NATION, PartyKind.COUNTRY})


class PartnershipRules:
    def __init__(self, ctx: DocumentContext) -> None:
        self.ctx = ctx
        self._own: tuple[Place | None] | None = None
        self.place_rule = rule_id("partnerships")

    def subject_for(self, view: SentenceView, before: int, nearby: list[Party] | None = None) -> Party | None:
        """The nearest party before a trigger, or the document's own subject. ``nearby``: the
        partner places in reach before the trigger, when the caller has them at hand."""
        lo = max(0, before - _SUBJECT_REACH)  # a subject stands within a clause or two of its trigger
        text = view.text[lo:before]
        if nearby is None:
            nearby = [
                _place_party(p)
                for p in view.places
                if lo <= p.start and p.end <= before and _is_partner_place(p.place) and not view.is_person(p)
            ]
        candidates = _drop_qualifiers(nearby, view.text)  # offsets in the sentence, as the phrases' plus lo
        phrase = list(home_phrases(text))
        phrase_start = lo + phrase[-1].start() if phrase else -1
        towns = [c for c in candidates if c.place is not None and c.place.kind not in _WIDER_KINDS]
        if phrase and towns and phrase[-1].group(1) in ("town", "city") and phrase_start > towns[-1].end:
            return towns[-1]  # "councillors in Bishop's Stortford, Herts, … the town's twinning"
        if towns and _OWN_WORD.search(text) and towns[-1] is not candidates[-1]:
            return towns[-1]  # "Wallingford, Oxfordshire, … asking to break their ties with": the town's
        if phrase and (not candidates or phrase_start > candidates[-1].end):
            place = home_for(self.ctx, phrase[-1].group(1))
            if place is not None:
                return Party(place.name, phrase_start, lo + phrase[-1].end(), place, place.kind)
        if candidates:
            return candidates[-1]
        possessive = re.search(r"\b(?:its|their|our|it|we|they)\b", text, re.I)
        own = self.own_place()
        if possessive and own is not None:
            return Party(own.name, lo + possessive.start(), lo + possessive.end(), own, own.kind)
        if not view.text[:before].strip() and own is not None:  # "Twinnings with Porto, … have followed."
            return Party(own.name, -1, -1, own, own.kind)
        council = re.search(r"\b(?:Council|Mayor|Lord Mayor|Provost)\b", text)
        if council is not None and own is not None:  # "Council continued the same Sister City Relationship with …"
            return Party(own.name, lo + council.start(), lo + council.end(), own, own.kind)
        return None

    def own_place(self) -> Place | None:
        """The place a pronoun or "the Council" stands for: the document's subject, or the owner
        of a page that never names its own place ("Our town", "We have twinned with")."""
        if self._own is None:
            ctx = self.ctx
            own = ctx.subject if ctx.subject is not None else ctx.owner
            if ctx.owner is not None and not any(p.place.id == ctx.owner.id for p in ctx.places):
                own = ctx.owner
            self._own = (own,)
        return self._own[0]

    def place_pairs(self, view: SentenceView) -> list[tuple[Party, Party, re.Match[str]]]:
        triggers, _, _, _, general = _patterns()
        text = view.text
        found = list(finditer_folded(triggers, text))
        places = [_place_party(p) for p in view.places if _is_partner_place(p.place) and not view.is_person(p)]
        if not found or (not places and general.search(text)):
            return []
        pairs: list[tuple[Party, Party, re.Match[str]]] = []
        consumed_end = 0
        starts = [p.start for p in places]
        ends = [p.end for p in places]  # in order too: mentions do not overlap

        def starting(lo: int, hi: int) -> list[Party]:  # the places that start in [lo, hi)
            return places[bisect_left(starts, lo) : bisect_left(starts, hi)]

        def ending_by(at: int, since: int = 0) -> list[Party]:  # the places within [since, at]
            return places[bisect_left(starts, since) : bisect_right(ends, at)]

        previous_subject: Party | None = None
        for i, trig in enumerate(found):
            limit = found[i + 1].start() if i + 1 < len(found) else len(text)
            stop = _CLAUSE_BREAK.search(text, trig.end(), limit)
            window_end = min(limit, stop.start() if stop and stop.start() > trig.end() else len(text))
            objects = _drop_qualifiers(starting(trig.end(), window_end), text)
            if i + 1 < len(found):
                # the party just before the next trigger is that trigger's subject, not this one's object
                last_before_next = ending_by(found[i + 1].start())[-1:]
                takes_own = found[i + 1].group().lower().startswith(_OWN_OBJECT_TRIGGERS)
                if takes_own:
                    last_before_next = []
                if (last_before_next and objects and objects[-1] is last_before_next[-1] and len(objects) > 1) or (
                    last_before_next
                    and objects
                    and objects[-1] is last_before_next[-1]
                    and " is " in text[objects[-1].end : limit + 4]
                ):
                    objects = objects[:-1]
            previous_end = consumed_end
            if objects:
                consumed_end = objects[-1].end
            phrase = re.sub(r"\s+", " ", trig.group().lower())
            if phrase.endswith("twinned"):
                objects = []  # "A and B are twinned": a state of the two before it, with no object
            if phrase.startswith(_OWN_OBJECT_TRIGGERS):
                if len(objects) >= 2:
                    pairs.append((objects[0], objects[1], trig))
                continue
            if not objects:
                before = _drop_qualifiers(ending_by(trig.start(), trig.start() - _SUBJECT_REACH), text)
                if len(before) >= 2 and re.search(r"\band\b|&", text[before[-2].end : before[-1].start]):
                    pairs.append((before[-2], before[-1], trig))
                elif (
                    len(before) >= 2
                    and _BELONGS.fullmatch(text[before[-2].end : before[-1].start])
                    and re.match(r"['’]s\s+(?:\w+\s+){0,2}$", text[before[-1].end : trig.start()])
                ):
                    pairs.append((before[-2], before[-1], trig))  # "Ningbo has been Nottingham's sister city"
                continue
            before = _drop_qualifiers(ending_by(trig.start(), max(previous_end, trig.start() - _SUBJECT_REACH)), text)
            subjects = _coordinated(before, text)
            if len(subjects) >= 2:
                if len(subjects) == len(objects):  # "A and B have links with C and D" (respectively)
                    pairs.extend((s, o, trig) for s, o in zip(subjects, objects, strict=True))
                continue
            subject: Party | None = previous_subject
            if subject is None or not _ELLIPSIS.fullmatch(text, previous_end, trig.start()):
                # unless the subject is left out ("… with A and a twinning agreement with B"), it stands before
                subject = self.subject_for(view, trig.start(), ending_by(trig.start(), trig.start() - _SUBJECT_REACH))
            previous_subject = subject
            if subject is None or re.match(r"\s*(?:'s\s+)?schools?\b", text[subject.end :]):
                continue
            for obj in objects:
                pairs.append((subject, obj, trig))
        return pairs

    def body_pairs(self, view: SentenceView) -> list[tuple[Party, Party, re.Match[str], PartnershipKind]]:
        place_triggers, inst_triggers, school_triggers, _, _ = _patterns()
        text = view.text
        out: list[tuple[Party, Party, re.Match[str], PartnershipKind]] = []
        bodies = [_body_party(b) for b in view.bodies]
        if not bodies:
            return out
        out += _school_to_school(
            text, [b for b in bodies if b.kind is PartyKind.SCHOOL], place_triggers, school_triggers
        )
        partner_places = [_place_party(p) for p in view.places if _is_partner_place(p.place)]
        for trig in finditer_folded(school_triggers, text):
            schools = [b for b in bodies if b.kind is PartyKind.SCHOOL]
            after = [p for p in partner_places if p.start >= trig.end()][:1]
            for school in schools:
                for place in after:
                    out.append((school, place, trig, PartnershipKind.SCHOOL))
        for trig in finditer_folded(inst_triggers, text):
            before = [b for b in bodies if b.end <= trig.start() and b.kind is not PartyKind.SCHOOL]
            after = [b for b in bodies if b.start >= trig.end()] + [p for p in partner_places if p.start >= trig.end()]
            after.sort(key=lambda p: p.start)
            if len(before) >= 2 and re.fullmatch(r"\s+(?:and|&)\s+", text[before[-2].end : before[-1].start]):
                out.append((before[-2], before[-1], trig, PartnershipKind.INSTITUTION))
                continue
            if not before or not after:
                continue
            subject = before[-1]
            gap = text[subject.end : trig.start()]
            if next(home_phrases(gap), None) is not None:
                continue
            out.append((subject, after[0], trig, PartnershipKind.INSTITUTION))
        return out

    def established(self, view: SentenceView, trig: re.Match[str]) -> int | None:
        _, _, _, cues, _ = _patterns()
        text = view.text
        if not view.dates:
            return None
        for d in view.dates:
            start = anniversary_start(text, d.year)
            if start is not None:
                return start
        lo, hi = self._clause(view, trig)
        dates = [d for d in view.dates if lo <= d.start < hi]
        if not dates:
            return None
        opening = dates[0]
        if opening.end <= trig.start() and re.match(r"\s*(?:In|On|By)\b", text) and opening.start < 20:
            if re.match(r"(?:was|were|became)\b", trig.group(), re.I) or re.search(
                r"\b(?:was|were|became|signed)\s+$", text[: trig.start()]
            ):
                return opening.year  # "In 1947 it was twinned with Bordeaux"
        if "agreement" in trig.group().lower() or next(finditer_folded(cues, text), None) is not None:
            closest = min(dates, key=lambda d: abs(d.start - trig.start()))
            return closest.year
        return None

    @staticmethod
    def _clause(view: SentenceView, trig: re.Match[str]) -> tuple[int, int]:
        """Where the dates of a trigger's tie may stand: not past a place that opens the next tie
        of the sentence, nor before the place that opens this one ("A and B have been twinned
        since 1995, and C has links with D": 1995 is not C and D's)."""
        triggers = _patterns()[0]
        found = [m for m in finditer_folded(triggers, view.text)]
        starts = [m.start() for m in found]
        if trig.start() not in starts:
            return 0, len(view.text)
        i = starts.index(trig.start())

        def first_place_between(lo: int, hi: int) -> int | None:
            inside = [p.start for p in view.places if lo <= p.start and p.end <= hi]
            return inside[0] if inside else None

        lo = 0
        if i > 0:
            opener = first_place_between(found[i - 1].end(), trig.start())
            if opener is not None and _NEW_CLAUSE.search(view.text, found[i - 1].end(), opener):
                lo = opener
        hi = len(view.text)
        if i + 1 < len(found):
            opener = first_place_between(trig.end(), found[i + 1].start())
            if opener is not None and _NEW_CLAUSE.search(view.text, trig.end(), opener):
                hi = opener
        return lo, hi


def _school_to_school(
    text: str, schools: list[Party], *triggers: re.Pattern[str]
) -> list[tuple[Party, Party, re.Match[str], PartnershipKind]]:
    """ "A School (in X) is twinned with B School (in Y)", "A School has a partner school, B School":
    the school nearest before the trigger and the first after it, in the same clause."""
    if len(schools) < 2:
        return []
    out = []
    for trig in (m for pattern in triggers for m in finditer_folded(pattern, text)):
        before = [b for b in schools if b.end <= trig.start() and not _CLAUSE_BREAK.search(text, b.end, trig.start())]
        after = [b for b in schools if b.start >= trig.end() and not _CLAUSE_BREAK.search(text, trig.end(), b.start)]
        if before and after:
            out.append((before[-1], after[0], trig, PartnershipKind.SCHOOL))
    return out


def _without_school_places(
    found: list[tuple[Party, Party, re.Match[str], PartnershipKind]],
) -> list[tuple[Party, Party, re.Match[str], PartnershipKind]]:
    """Where a trigger ties two schools, the places around it are where the schools are, not a
    tie of their own: the other pairs read off the same trigger are dropped."""
    paired = [
        (t.start(), t.end())
        for a, b, t, kind in found
        if kind is PartnershipKind.SCHOOL and a.kind is PartyKind.SCHOOL and b.kind is PartyKind.SCHOOL
    ]
    if not paired:
        return found
    return [
        pair
        for pair in found
        if (pair[0].kind is PartyKind.SCHOOL and pair[1].kind is PartyKind.SCHOOL)
        or not any(s < pair[2].end() and pair[2].start() < e for s, e in paired)
    ]


def extract_partnerships(ctx: DocumentContext) -> list[PartnershipFact]:
    rules = PartnershipRules(ctx)
    facts: dict[frozenset[str], PartnershipFact] = {}
    others: dict[tuple[frozenset[str], int], PartnershipFact] = {}
    school_context: tuple[Party, re.Match[str]] | None = None
    candidates = ctx.sentences_matching(*trigger_patterns())
    last_pairs: tuple[int, list[tuple[Party, Party]]] | None = None
    # the other sentences hold no trigger and name no body: a list of schools does not run through them
    readable = sorted(candidates.union(i for i, view in enumerate(ctx.views) if view.bodies))
    previous_index = -2
    for index in readable:
        view = ctx.views[index]
        if index != previous_index + 1:
            school_context = None
        previous_index = index
        offset = view.sentence.start
        found: list[tuple[Party, Party, re.Match[str], PartnershipKind]] = [
            (a, b, t, PartnershipKind.PLACE) for a, b, t in rules.place_pairs(view)
        ]
        found = _without_school_places(found + rules.body_pairs(view))
        if not found and last_pairs and last_pairs[0] == index - 1:
            found = _follow_on(view, last_pairs[1], rules)
        last_pairs = (index, [(a, b) for a, b, _, k in found if k is PartnershipKind.PLACE])
        school_context = _school_list(view, school_context, found)
        for a, b, trig, kind in found:
            if trig.string == view.text and hedged(view.text, trig.start(), trig.end()):
                continue  # "possible future links between …", "hoped that … would be twinned"
            if a.name == b.name or (
                a.place is not None
                and b.place is not None
                and (a.place.country == b.place.country or a.place.id == b.place.parent or b.place.id == a.place.parent)
            ):
                continue
            if kind is PartnershipKind.PLACE and (a.place is None or b.place is None):
                continue
            if (b.place is not None and b.place in a.inside) or (a.place is not None and a.place in b.inside):
                continue
            key = frozenset((a.name, b.name))
            year = rules.established(view, trig)
            own_year = _own_year(view.text, b.end) if b.start >= 0 else None
            if own_year is not None:
                year = own_year
            elif year is not None and b.start >= 0 and _after_then(view.text, trig.end(), b.start):
                year = None  # "In 1947 it was twinned with Bordeaux and then with Hanover": 1947 is Bordeaux's
            spans = [(p.start, p.end) for p in (a, b) if p.start >= 0]
            if trig.string == view.text:
                spans.append((trig.start(), trig.end()))
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
            if a.start < 0 and b.start < 0:  # the parties were named in the sentence before
                start, end = 0, len(view.text)
            locations = {
                p.name: where.name
                for p in (a, b)
                if p.place is None and p.start >= 0 and (where := body_location(view, p.start, p.end, p.inside))
            }
            kinds = {
                p.name: k for p in (a, b) if p.place is not None and p.start >= 0 and (k := named_kind(view, p.end))
            }
            fact = PartnershipFact.model_validate(  # from plain data: the span needs no constructor of its own
                {
                    "parties": [a.name, b.name],
                    "locations": locations or None,
                    "named_kinds": kinds or None,
                    "kind": kind,
                    "established": year,
                    "instrument": trig.group(),
                    "evidence": view.text[start:end],
                    "span": {"start": offset + start, "end": offset + end},
                    "rule": rules.place_rule if kind is PartnershipKind.PLACE else f"{rules.place_rule}:{kind.value}",
                }
            )
            if key not in facts or (facts[key].established is None and year is not None):
                facts[key] = fact
            elif year is not None and year != facts[key].established:
                # another sentence gives another year: both are kept, each with its own evidence
                others.setdefault((key, year), fact)
    return list(facts.values()) + list(others.values())


_OWN_YEAR = re.compile(
    r"(?:\s*,\s*(?:the\s+)?[A-Z][\w .'’-]{1,40}?)?\s*\(\s*((?:19|20)\d\d)\s*\)"
    r"|\s+(?:in\s+[A-Z][\w'’-]+\s+)?since\s+((?:19|20)\d\d)\b"
)


def _own_year(text: str, end: int) -> int | None:
    """A year in brackets right after a partner's name (and its country): "Porto, Portugal (1984)"."""
    m = _OWN_YEAR.match(text, end)
    return int(m.group(1) or m.group(2)) if m else None


def _after_then(text: str, start: int, end: int) -> bool:
    return re.search(r"\bthen\b", text[start:end]) is not None


_FOLLOW_ON = re.compile(r"\b(?:agreement|twinning|link|friendship|partnership|relationship)\b", re.I)


def _follow_on(
    view: SentenceView, previous: list[tuple[Party, Party]], rules: PartnershipRules
) -> list[tuple[Party, Party, re.Match[str], PartnershipKind]]:
    """'Derby is twinned with Hefei. The twinning agreement was signed in 1995.': a sentence that
    names no place but dates "the agreement" dates the one partnership of the sentence before."""
    pairs = {frozenset((a.name, b.name)) for a, b in previous}
    if len(pairs) != 1 or any(_is_partner_place(p.place) for p in view.places):
        return []
    trig = _FOLLOW_ON.search(view.text)
    if trig is None or rules.established(view, trig) is None:
        return []
    a, b = previous[0]
    return [(replace(a, start=-1, end=-1), replace(b, start=-1, end=-1), trig, PartnershipKind.PLACE)]


def _school_list(
    view: SentenceView,
    previous: tuple[Party, re.Match[str]] | None,
    found: list[tuple[Party, Party, re.Match[str], PartnershipKind]],
) -> tuple[Party, re.Match[str]] | None:
    """'…Sister Partnerships with schools in Wuhan. Some of these, such as A Primary and B Primary…'"""
    _, _, school_triggers, _, _ = _patterns()
    text = view.text
    partner = re.search(r"\bschools in\b", text) if "schools in" in text else None
    trig = school_triggers.search(text) if partner else None
    if trig and partner:
        after = [_place_party(p) for p in view.places if p.start >= partner.end()]
        if after:
            return (after[0], trig)
    if previous is not None and re.search(r"\b(such as|including|these|them)\b", text):
        place, trig_prev = previous
        for body in view.bodies:
            if body.kind is PartyKind.SCHOOL:
                found.append(
                    (
                        _body_party(body),
                        Party(place.name, -1, -1, place.place, place.kind),
                        trig_prev,
                        PartnershipKind.SCHOOL,
                    )
                )
    return None
