"""Which party a name in a fact refers to: a gazetteer place or a body of its own."""

from __future__ import annotations

from dataclasses import dataclass

from twinlink.bodies import body_kind
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place, name_key
from twinlink.ids import make_id
from twinlink.vocab import PartyKind

_SUBJECT_WORDS = {"the city", "the council", "the city council", "the county council", "the county"}


@dataclass(frozen=True, slots=True)
class ResolvedParty:
    id: str
    name: str
    kind: PartyKind
    place: Place | None
    country: str | None = None


class Resolver:
    def __init__(self, gazetteer: Gazetteer, subject: Place | None = None) -> None:
        self.gazetteer = gazetteer
        self.subject = subject

    def resolve(self, name: str, country: str | None = None) -> ResolvedParty:
        cleaned = name.strip()
        if self.subject is not None and cleaned.lower() in _SUBJECT_WORDS:
            return self._place(self.subject)
        kind = body_kind(cleaned)
        if kind is None:
            candidates = self.gazetteer.find(cleaned, country=country, limit=1)
            if candidates:
                return self._place(candidates[0].place)
            kind = PartyKind.ORGANISATION
        return ResolvedParty(
            id=make_id("body", kind.value, name_key(cleaned)), name=cleaned, kind=kind, place=None, country=country
        )

    @staticmethod
    def _place(place: Place) -> ResolvedParty:
        return ResolvedParty(id=place.id, name=place.name, kind=place.kind, place=place, country=place.country)
