"""What the text says about a party beyond its name: where a body is ("Leicester school X",
"X in Ningbo") and what kind of place a name is called ("Hainan Province")."""

from __future__ import annotations

import re

from twinlink.extract.context import SentenceView
from twinlink.gazetteer.model import Place

_KIND_AFTER = re.compile(r"\s+(Province|Provinces|City|Municipality|County|Prefecture)\b")
_TYPE_BEFORE_BODY = re.compile(r"\s+(?:school|schools|college|university|academy|kindergarten)\s+$", re.I)
_IN_AFTER_BODY = re.compile(r"\s*(?:(?:,|\bin|\bat|\bof)\s+|\(\s*)(?:the\s+)?$")


def body_location(view: SentenceView, start: int, end: int, named: tuple[Place, ...]) -> Place | None:
    """The place a body at ``start:end`` is in, when its name or the words around it say so."""
    text = view.text
    for p in view.places:
        if p.end <= start and _TYPE_BEFORE_BODY.fullmatch(" " + text[p.end : start]):
            return p.place
        if p.start >= end and p.start - end < 12 and _IN_AFTER_BODY.fullmatch(text[end : p.start]):
            return p.place
    return named[0] if named else None


def named_kind(view: SentenceView, end: int) -> str | None:
    """The kind word right after a place name ("Sichuan Province" → province), if any."""
    m = _KIND_AFTER.match(view.text, end)
    if m is None:
        return None
    word = m.group(1).lower()
    return "province" if word.startswith("province") else word
