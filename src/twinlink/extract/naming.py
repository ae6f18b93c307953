"""The name a fact gives a place: the gazetteer's for the UK and China (so that the register
resolves it), the text's own English spelling elsewhere ("Hanover", "Ghent"), as sources write it."""

from __future__ import annotations

from functools import lru_cache

from twinlink.gazetteer.model import Place, fold, name_key

HOME_COUNTRIES = ("GB", "CN")


def party_name(place: Place, surface: str) -> str:
    return _party_name(place.id, place.name, place.country, place.kind.value, surface)


@lru_cache(maxsize=8192)
def _party_name(place_id: str, name: str, country: str, kind: str, surface: str) -> str:
    if place_id.startswith("text:"):  # a place the text itself names and qualifies
        return name
    if country in HOME_COUNTRIES or kind in ("country", "nation"):
        if "'" in surface.replace("’", "'") and name_key(surface) == name_key(name):
            return surface.replace("’", "'")  # "Bishop's Stortford", as written, for "Bishops Stortford"
        return name
    written = surface.strip().replace("´", "'").replace("’", "'")
    if not written.isascii() and not written.replace("'", "").replace("-", "").replace(" ", "").isalpha():
        return name
    if fold(written).replace("-", " ") == fold(name).replace("-", " "):
        return name
    if written.isupper():
        written = written.title()
    return written if written[:1].isupper() else name
