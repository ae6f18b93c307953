"""Which kind of body a name names: a university, a school or another organisation, by the
words in it ("Hangzhou No. 2 High School", "University of Derby", "Leicester Shire Trade Bureau")."""

from __future__ import annotations

import re

from twinlink.vocab import PartyKind

_SCHOOL = re.compile(r"\b(school|academy|primary|secondary|high school|grammar|college|kindergarten)\b", re.I)
_UNIVERSITY = re.compile(r"\b(university|universities|polytechnic|institute of technology)\b", re.I)
_BODY = re.compile(
    r"\b(institute|association|bureau|group|society|chamber|centre|center|company|ltd|plc|trust|"
    r"foundation|federation|commission|partnership|embassy|consulate|museum|hospital|club)\b",
    re.I,
)


def body_kind(name: str) -> PartyKind | None:
    if _UNIVERSITY.search(name):
        return PartyKind.UNIVERSITY
    if _SCHOOL.search(name):
        return PartyKind.SCHOOL
    if _BODY.search(name):
        return PartyKind.ORGANISATION
    return None
