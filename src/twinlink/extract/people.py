"""Whether a name in a sentence belongs to a person rather than a place: "Cllr Dave Taylor",
"Lynn Moors", "Jiang Daming" (a surname before a county's name)."""

from __future__ import annotations

import re

_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Cllr|Coun|Councillor|Sir|Lady|Lord|Dame|President|Mayor|Consul|"
    r"Secretary|Director|Minister|Ambassador|Headteacher|Chairman|Leader|Alderman|Provost|Governor)\.?\s+"
    r"(?:[A-Z][\w'’-]+\s+){0,2}$"
)
_TITLE_WORDS = frozenset(
    "Mr Mrs Ms Miss Dr Prof Professor Cllr Coun Councillor Sir Lady Lord Dame President Mayor Consul Secretary "
    "Director Minister Ambassador Headteacher Chairman Leader Alderman Provost Governor".split()
)
_AFTER = re.compile(
    r" (?!(?:City|County|Council|Province|District|University|School|College|State|Island|Islands|Republic|"
    r"Region|Valley|Bay|Lakes?|Borough|Town|Shire|Municipality|Prefecture)\b)[A-Z][a-z]+\b"
)
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
    if text[end : end + 1] == " " and text[end + 1 : end + 2].isupper():
        after = _AFTER.match(text, end)
        if after is not None and after.group().strip() not in _NOT_GIVEN_NAMES:
            following = text[after.end() : after.end() + 2]
            if not following.startswith((" (", ",")) or text[max(0, start - 5) : start].strip() in ("and", ","):
                return True
    if start < 2 or text[start - 1] != " " or not text[start - 2].isalpha():
        return False  # most names: at a sentence's start or after punctuation
    previous = text[text.rfind(" ", max(0, start - 40), start - 1) + 1 : start - 1]
    if not previous[:1].isupper():
        return False  # after a lower-case word ("from", "with"): neither a title nor a given name
    before_text = text[max(0, start - 60) : start]
    words = before_text.split()
    if any(w.rstrip(".") in _TITLE_WORDS for w in words[-3:]) and _TITLE.search(before_text) is not None:
        return True
    last = words[-1] if words else ""
    if not last[:1].isupper() or last in _NOT_GIVEN_NAMES or not last.isalpha():
        return False
    return _SENTENCE_START.search(text[: start - len(last) - 1]) is None
