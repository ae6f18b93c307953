"""The name a fact gives a place: the gazetteer's for the UK and China (so that the register
resolves it), the text's own English spelling elsewhere ("Hanover", "Ghent"), as sources write it."""

from __future__ import annotations

from twinlink.gazetteer.model import Place, fold, name_key

HOME_COUNTRIES = ("GB", "CN")


def party_name(place: Place, surface: str) -> str:
    if place.id.startswith("text:"):  # a place the text itself names and qualifies
        return place.name
    if place.country in HOME_COUNTRIES or place.kind.value in ("country", "nation"):
        if "'" in surface.replace("’", "'") and name_key(surface) == name_key(place.name):
            return surface.replace("’", "'")  # "Bishop's Stortford", as written, for "Bishops Stortford"
        return place.name
    written = surface.strip().replace("´", "'").replace("’", "'")
    if not written.isascii() and not written.replace("'", "").replace("-", "").replace(" ", "").isalpha():
        return place.name
    if fold(written).replace("-", " ") == fold(place.name).replace("-", " "):
        return place.name
    if written.isupper():
        written = written.title()
    return written if written[:1].isupper() else place.name
