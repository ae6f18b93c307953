"""Find every place mention in a text in one pass (Aho-Corasick), with character offsets."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import has_han

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


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    place_ids: tuple[str, ...]


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _key(name: str) -> str:
    return name.replace("’", "'").lower()


class PlaceMatcher:
    """An automaton over the names of the gazetteer's places that are worth finding in prose."""

    def __init__(self, gazetteer: Gazetteer, home: tuple[str, ...] = ("GB", "CN")) -> None:
        self.gazetteer = gazetteer
        self.home = home
        table: dict[str, list[str]] = {}
        for place in gazetteer.places:
            for name in place.strong_names():
                if not has_han(name) and (len(name) < 3 or not name[0].isupper()):
                    continue
                key = _key(name)
                if key in ALWAYS_COMMON or (place.country not in home and key in COMMON_WORDS):
                    continue
                ids = table.setdefault(key, [])
                if place.id not in ids:
                    ids.append(place.id)
        self._automaton = ahocorasick.Automaton()
        for key, ids in table.items():
            ranked = [c.place.id for c in gazetteer.find(key, limit=len(ids) + 8) if c.place.id in ids]
            ranked += [i for i in ids if i not in ranked]
            self._automaton.add_word(key, (len(key), tuple(ranked)))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[Mention]:
        """Longest, non-overlapping mentions, left to right. A Latin-script name must stand as
        whole words and begin with a capital letter, as a place name does in prose."""
        # "the Hubei and Hunan Provinces": read the plural as the singular so "Hunan Province" matches
        haystack = _lower_same_length(text.replace("’", "'")).replace("provinces", "province_")
        mentions: list[Mention] = []
        for end_index, (length, ids) in self._automaton.iter_long(haystack):
            start, end = end_index - length + 1, end_index + 1
            surface = text[start:end]
            if not has_han(surface):
                if not surface[0].isupper():
                    continue
                if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "'"):
                    continue
                if end < len(text) and (
                    haystack[end].isalnum() or (text[end] == "-" and end + 1 < len(text) and text[end + 1].islower())
                ):
                    continue
            mentions.append(Mention(start, end, surface, ids))
        return mentions
