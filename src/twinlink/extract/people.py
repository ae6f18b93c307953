"""Whether a name in a sentence belongs to a person rather than a place: "Cllr Dave Taylor",
"Lynn Moors", "Jiang Daming" (a surname before a county's name)."""

from __future__ import annotations

import re

_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Cllr|Coun|Councillor|Sir|Lady|Lord|Dame|President|Mayor|Consul|"
    r"Secretary|Director|Minister|Ambassador|Headteacher|Chairman|Leader|Alderman|Provost|Governor)\.?\s+"
    r"(?:[A-Z][\w'’-]+\s+){0,2}$"
)
_AFTER = re.compile(
    r" (?!(?:City|County|Council|Province|District|University|School|College|State|Island|Islands|Republic|"
    r"Region|Valley|Bay|Lakes?|Borough|Town|Shire|Municipality|Prefecture)\b)[A-Z][a-z]+\b"
)
_BEFORE = re.compile(r"\b[A-Z][a-z]+ $")
_NOT_GIVEN_NAMES = frozenset(
    {
        "The",
        "In",
        "On",
        "At",
        "From",
        "To",
        "And",
        "Of",
        "With",
        "For",
        "By",
        "Greater",
        "North",
        "South",
        "East",
        "West",
        "Central",
        "Upper",
        "Lower",
        "New",
        "Old",
        "Great",
        "Little",
        "Royal",
        "Saint",
        "St",
        "Port",
        "Fort",
        "Lake",
        "Mount",
        "Both",
        "Between",
        "When",
        "While",
        "Since",
        "During",
        "Following",
    }
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;“\"(]\s*)$")


def is_person_name(text: str, start: int, end: int) -> bool:
    """Whether the name from ``start`` to ``end`` of ``text`` is part of a person's name: after a
    title, before a surname, or after a given or family name."""
    if _TITLE.search(text[max(0, start - 60) : start]) is not None:
        return True
    after = _AFTER.match(text, end)
    if after is not None and after.group().strip() not in _NOT_GIVEN_NAMES:
        following = text[after.end() : after.end() + 2]
        if not following.startswith((" (", ",")) or text[max(0, start - 5) : start].strip() in ("and", ","):
            return True
    before = _BEFORE.search(text[max(0, start - 20) : start])
    if before is None or before.group().strip() in _NOT_GIVEN_NAMES:
        return False
    return _SENTENCE_START.search(text[: start - len(before.group())]) is None
