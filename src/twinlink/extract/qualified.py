"""Place names qualified by their country or state, as lists write them: "Cornwall (Canada)",
"Kingston (Jamaica)", "Coventry, Connecticut", "Parkes (Australia)". The qualifier decides which
place a name means, and names the gazetteer lacks become places of that country."""

from __future__ import annotations

import re

from twinlink.extract.mentions import PlaceMention
from twinlink.extract.spans import Ordered
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place
from twinlink.vocab import PartyKind

_QUALIFIER_GAP = re.compile(r"\s*(?:\(|,)\s*")
# a name right before a country that says where it is: "Parkes (Australia)", "Wuxian, the People's
# Republic of China", "Luxeuil-les-Bains in eastern France"
_UNKNOWN_BEFORE = re.compile(
    r"\b([A-Z][a-zà-ÿ'’\-]+(?:[ -][A-Z][a-zà-ÿ'’\-]+){0,2})"
    r"(\s*\(\s*|,\s+(?:the\s+)?(?:People's Republic of\s+)?|\s+in\s+(?:\w+ern\s+)?)$"
)
_REGION_KINDS = (PartyKind.REGION, PartyKind.PROVINCE, PartyKind.COUNTY)
_NOT_NAMES = frozenset({"The", "In", "On", "At", "And", "Of", "With", "From", "Its", "Our", "Their", "This", "That"})


def qualify(text: str, mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """The mentions, each read in the light of a country or state written right after it, with
    the names the gazetteer lacks that such a qualifier follows added."""
    out: list[PlaceMention] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    taken_until = -1
    for k, m in enumerate(ordered):
        if m.start < taken_until:
            continue
        nxt = ordered[k + 1] if k + 1 < len(ordered) else None
        qualifier = nxt if nxt is not None and _QUALIFIER_GAP.fullmatch(text, m.end, nxt.start) else None
        if qualifier is None or m.place.kind in (PartyKind.COUNTRY, PartyKind.NATION):
            out.append(m)
            continue
        q = qualifier.place
        if q.kind in (PartyKind.COUNTRY, PartyKind.NATION) and q.country != m.place.country and q.country:
            found = gazetteer.find(m.text, country=q.country, limit=1)
            place = found[0].place if found and found[0].place.country == q.country else _invented(m.text, q.country)
            region = gazetteer.parent(place) if place.country == q.country else None
            if m.place.country in ("GB", "CN") and region is not None and region.kind in _REGION_KINDS:
                # "Newcastle, Australia": the namesake of a home town is named with its state
                place = _invented(f"{m.text}, {region.name}", q.country)
            out.append(PlaceMention(m.start, m.end, m.text, place))
            continue
        if q.kind in _REGION_KINDS and q.country != m.place.country:
            found = gazetteer.find(m.text, country=q.country, limit=1)
            namesake_at_home = m.place.country in ("GB", "CN") and q.country not in ("GB", "CN")
            if found and found[0].place.country == q.country and not namesake_at_home:
                out.append(PlaceMention(m.start, m.end, m.text, found[0].place))
            elif q.country in ("GB", "CN"):
                out.append(PlaceMention(m.start, m.end, m.text, _invented(m.text, q.country)))
            else:
                # "Coventry, Connecticut": another country's town of a home town's name, with its state
                name = f"{m.text}, {qualifier.text}"
                out.append(PlaceMention(m.start, qualifier.end, name, _invented(name, q.country)))
                taken_until = qualifier.end
            continue
        out.append(m)
    out += _coordinated_unknowns(text, out)
    known = Ordered(mentions)
    for country in (m for m in mentions if m.place.kind is PartyKind.COUNTRY):
        u = _UNKNOWN_BEFORE.search(text, max(0, country.start - 80), country.start)
        if u is None or u.group(1) in _NOT_NAMES or known.covering(u.start(1)) is not None:
            continue
        if " in " in f" {u.group(2)} " and "-" not in u.group(1):
            continue  # "Luxeuil-les-Bains in eastern France", but not every capitalised word before "in France"
        name = u.group(1)
        out.append(PlaceMention(u.start(1), u.end(1), name, _invented(name, country.place.country)))
    out.sort(key=lambda m: m.start)
    return out


def _invented(name: str, country: str) -> Place:
    return Place(id=f"text:{country}:{name}", kind=PartyKind.CITY, name=name, country=country)


_COORDINATED = re.compile(r"\b([A-Z][a-zà-ÿ'’\-]+(?:[ -][A-Z][a-zà-ÿ'’\-]+){0,2})\s+and\s+$")


def _coordinated_unknowns(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """ "Lidice and Ostrava (Czech Republic)": a name the gazetteer lacks, joined by "and" to a
    place whose country is given, is a place of that country too."""
    added: list[PlaceMention] = []
    known = Ordered(mentions)
    ordered = known.items
    for k, m in enumerate(ordered[:-1]):
        nxt = ordered[k + 1]
        if nxt.place.kind is not PartyKind.COUNTRY or not re.fullmatch(r"\s*,?\s*\(\s*", text[m.end : nxt.start]):
            continue
        before = _COORDINATED.search(text, max(0, m.start - 40), m.start)
        if before is None or before.group(1) in _NOT_NAMES:
            continue
        if known.covering(before.start(1)) is not None:
            continue
        added.append(
            PlaceMention(before.start(1), before.end(1), before.group(1), _invented(before.group(1), nxt.place.country))
        )
    return added
