"""Find every place mention in a text in one pass (Aho-Corasick), with character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import has_han, lower_same_length

# Capitalised English words that are also the names of small places abroad; a mention of one
# of these counts only when it is the name of a place in the UK or China.
COMMON_WORDS = frozenset(
    {
        "about",
        "after",
        "again",
        "also",
        "among",
        "apple",
        "around",
        "august",
        "before",
        "between",
        "both",
        "but",
        "china",
        "city",
        "council",
        "date",
        "day",
        "deal",
        "december",
        "early",
        "education",
        "enterprise",
        "every",
        "february",
        "friday",
        "friendship",
        "from",
        "general",
        "golden",
        "government",
        "harmony",
        "home",
        "hope",
        "however",
        "impact",
        "independence",
        "industry",
        "january",
        "july",
        "june",
        "justice",
        "liberty",
        "march",
        "may",
        "mission",
        "monday",
        "more",
        "most",
        "national",
        "nice",
        "november",
        "october",
        "opportunity",
        "orange",
        "paradise",
        "partnership",
        "peace",
        "pleasant",
        "progress",
        "providence",
        "reading",
        "research",
        "royal",
        "sale",
        "saturday",
        "september",
        "she",
        "sister",
        "some",
        "spring",
        "street",
        "success",
        "summer",
        "sunday",
        "support",
        "the",
        "their",
        "there",
        "these",
        "this",
        "thursday",
        "trade",
        "tuesday",
        "union",
        "unity",
        "university",
        "victoria",
        "wednesday",
        "welcome",
        "when",
        "where",
        "while",
        "with",
        "york",
        "centre",
        "officer",
        "gary",
        "temple",
        "chinatown",
        "west",
        "east",
        "north",
        "south",
        "midlands",
        "central",
    }
)
# Words that are the names of small home-country places too (March, Cambridgeshire) but far more
# often mean something else in running text.
ALWAYS_COMMON = frozenset(
    {
        "march",
        "may",
        "august",
        "temple",
        "centre",
        "chinatown",
        "street",
        "sale",
        "deal",
        "north east",
        "north west",
        "south east",
        "south west",
    }
)


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    place_ids: tuple[str, ...]


def _key(name: str) -> str:
    return name.replace("’", "'").lower()


# Everything but letters and digits reads as a space, so that a name can be anchored to the start of a word
_SPACES = {code: " " for code in range(0x10000) if not chr(code).isalnum()}


def _haystack(text: str) -> str:
    """Lower case, punctuation as spaces, one leading space, same offsets as ``text`` after it.
    "the Hubei and Hunan Provinces" reads as singular so that "Hunan Province" matches."""
    return " " + lower_same_length(text).replace("provinces", "province ").translate(_SPACES)


_PLAIN_POSSESSIVE = re.compile(r"\b([A-Z]\w+)s (?=[A-Z])")


def _with_possessives(names: list[str], home: bool) -> list[str]:
    """Names as sources also write them with an apostrophe: "Bishops Stortford" → "Bishop's Stortford"."""
    if not home:
        return names
    return names + [v for n in names if (v := _PLAIN_POSSESSIVE.sub(r"\1's ", n)) != n]


class PlaceMatcher:
    """An Aho-Corasick automaton over the names of the gazetteer's places worth finding in prose.
    A Latin-script name is stored after a space, so it can only match at the start of a word."""

    def __init__(self, gazetteer: Gazetteer, home: tuple[str, ...] = ("GB", "CN")) -> None:
        self.gazetteer = gazetteer
        self.home = home
        table: dict[str, list[str]] = {}
        for place in gazetteer.places:
            for name in _with_possessives(place.strong_names(), place.country in home):
                if not has_han(name) and (len(name) < 3 or not name[0].isupper()):
                    continue
                key = _key(name)
                if key in ALWAYS_COMMON or (place.country not in home and key in COMMON_WORDS):
                    continue
                ids = table.setdefault(key, [])
                if place.id not in ids:
                    ids.append(place.id)
        entries: dict[str, list[str]] = {}
        for key, ids in table.items():
            ranked = [c.place.id for c in gazetteer.find(key, limit=len(ids) + 8) if c.place.id in ids]
            ranked += [i for i in ids if i not in ranked]
            stored = key if has_han(key) else _haystack(key)
            merged = entries.setdefault(stored, [])
            merged += [i for i in ranked if i not in merged]
        # Chinese names in their own automaton: thousands of first characters at the root slow every
        # step of a scan, so it only runs over text that holds Chinese characters
        self._latin = ahocorasick.Automaton()
        self._han = ahocorasick.Automaton()
        for stored, ids in entries.items():
            if has_han(stored):
                self._han.add_word(stored, (len(stored), tuple(ids)))
            else:
                self._latin.add_word(stored, (len(stored) - 1, tuple(ids)))
        for automaton in (self._latin, self._han):
            if len(automaton):
                automaton.make_automaton()

    def find(self, text: str, han: bool = True) -> list[Mention]:
        """Longest, non-overlapping mentions, left to right. A Latin-script name must stand as
        whole words and begin with a capital letter, as a place name does in prose. ``han``:
        whether to match Chinese names too (by their characters alone, with no word boundaries)."""
        haystack = _haystack(text.replace("’", "'"))
        mentions: list[Mention] = []
        size = len(text)
        for end, (length, ids) in self._latin.iter_long(haystack):
            start = end - length
            if not text[start].isupper() or (start > 0 and text[start - 1] == "'"):
                continue  # most hits: a name's letters at the start of a lower-case word
            if end < size and (
                haystack[end + 1].isalnum() or (text[end] == "-" and end + 1 < size and text[end + 1].islower())
            ):
                continue
            mentions.append(Mention(start, end, text[start:end], ids))
        if han and len(self._han) and not text.isascii() and has_han(text):
            mentions += [
                Mention(end - length, end, text[end - length : end], ids)
                for end, (length, ids) in self._han.iter_long(haystack)
            ]
            mentions.sort(key=lambda m: m.start)
        return mentions
