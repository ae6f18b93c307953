"""What a source says of a link's state: ended, dormant ("no significant engagement in the last
ten years") or active."""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from twinlink.extract.context import DocumentContext, SentenceView
from twinlink.extract.home import home_places
from twinlink.extract.rules import load_rules, rule_id
from twinlink.facts import Span, StatusFact
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartyKind


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    rules = load_rules("status")
    return [
        (status, re.compile(r"\b(?:" + "|".join(patterns) + r")\b"))  # run on lower-cased text
        for status, patterns in rules["statuses"].items()
    ]


# wording that makes a change of state something asked for, proposed or feared rather than done
_CONTESTED = re.compile(
    r"\b(?:urg\w+|calls? (?:on|for)|called (?:on|for)|petition\w*|campaign\w*|asked|asking|ask|consider\w*|"
    r"propos\w+|could|would|should|may|might|plans? to|threat\w*|whether|if|demand\w*|lobby\w*)\b",
    re.I,
)


# every status wording names a tie and a state or a change of state: a sentence without a word of
# each is not read further (plain substring tests, much cheaper than a pattern on every sentence)
TIE_WORDS = (
    "link",
    "partnership",
    "agreement",
    "twinn",
    "relationship",
    "ties",
    "arrangement",
    "sister cit",
    "friendship",
    "dormant",
    "inactive",
    "lapsed",
    "engagement",
    "contact",
    "visits",
    "activity",
    "defunct",
    "strength",
    "flourish",
    "thriv",
)
STATE_WORDS = (
    "sever",
    "cut ",
    "break",
    "broke",
    "ended",
    "ending",
    "end its",
    "end their",
    "end the",
    "ends ",
    "termin",
    "scrap",
    "axe",
    "suspend",
    "dissolv",
    "cancel",
    "revok",
    "discontinu",
    "withdr",
    "defunct",
    "no longer",
    "ceased",
    "lapsed",
    "dormant",
    "inactive",
    "not been",
    "not had",
    "no significant",
    "no further",
    "no recent",
    "no formal",
    "no real",
    "no engagement",
    "no contact",
    "no activity",
    "no visits",
    "remains active",
    "remains strong",
    "remains thriving",
    "still active",
    "still strong",
    "still thriving",
    "continues to",
    "continue to",
    "strength to strength",
)


def _automaton(words: tuple[str, ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


_STATE_WORDS = _automaton(STATE_WORDS)
_TIE_WORDS = _automaton(TIE_WORDS)


def _contains(automaton: ahocorasick.Automaton, text: str) -> bool:
    return next(automaton.iter(text), None) is not None


def trigger_patterns() -> tuple[re.Pattern[str], ...]:
    """The wording of each status."""
    return tuple(pattern for _, pattern in _patterns())


def _pair(ctx: DocumentContext, view: SentenceView) -> tuple[Place, Place] | None:
    places = [p for _, _, p in home_places(ctx, view.text)]
    people = {m.place.id for m in view.places if view.is_person(m)}
    places += [
        p for p in view.all_places() if p.kind not in (PartyKind.COUNTRY, PartyKind.NATION) and p.id not in people
    ]
    if ctx.subject is not None and len({p.country for p in places}) < 2:
        places.insert(0, ctx.subject)
    for a in places:
        for b in places:
            if a.country != b.country and a.country == (ctx.subject.country if ctx.subject else a.country):
                return a, b
    return None


def extract_statuses(ctx: DocumentContext) -> list[StatusFact]:
    rule = rule_id("status")
    facts: list[StatusFact] = []
    for view in ctx.views:
        if not (view.places or view.bodies):
            continue  # a state is said of a link between places: most sentences name none
        lowered = view.text.lower()
        if not _contains(_STATE_WORDS, lowered) or not _contains(_TIE_WORDS, lowered):
            continue
        found = next(((s, m) for s, pattern in _patterns() if (m := pattern.search(lowered))), None)
        if found is None:
            continue
        status, match = found
        if _CONTESTED.search(view.text, 0, match.start()):
            continue  # "urged the council to end its twinning": asked for, not done
        pair = _pair(ctx, view)
        if pair is None:
            continue
        facts.append(
            StatusFact(
                parties=[pair[0].name, pair[1].name],
                status=status,
                evidence=view.text,
                span=Span(start=view.sentence.start, end=view.sentence.end),
                rule=rule,
            )
        )
    return facts
