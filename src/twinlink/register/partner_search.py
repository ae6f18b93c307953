"""Partner search: the places of a country's gazetteer (provinces, prefecture-level cities,
counties, districts; councils) and the schools and universities in the register, narrowed by
region, level, population, sectors and the links they have, with a count beside every choice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place, name_key
from twinlink.register.interest import details_of
from twinlink.register.matching import NOT_CANDIDATES, UPPER_LEVEL
from twinlink.register.queries import list_partnership_views
from twinlink.store.tables import Party, Registration
from twinlink.vocab import PartyKind


@dataclass(frozen=True)
class PartnerQuery:
    country: str = "CN"
    region: str | None = None  # a place id: only what lies in it
    level: str | None = None  # a party kind
    linked: str | None = None  # "yes" or "no"
    status: str | None = None  # a status one of its links has
    sector: str | None = None
    min_population: int | None = None
    max_population: int | None = None
    q: str | None = None


@dataclass(frozen=True)
class PartnerRow:
    id: str
    name: str
    name_zh: str | None
    kind: str
    region: str | None
    population: int | None
    links: int
    statuses: tuple[str, ...]
    sectors: tuple[str, ...]
    in_register: bool


@dataclass
class PartnerPage:
    rows: list[PartnerRow]
    total: int
    facets: dict[str, Counter[str]] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)  # id → name, for the region facet


def _top_region(gazetteer: Gazetteer, place: Place | None) -> Place | None:
    """The province (or county, nation's region) a place lies in, below its country."""
    if place is None:
        return None
    chain = [place, *gazetteer.ancestors(place)]
    upper = [p for p in chain if p.kind in UPPER_LEVEL]
    return upper[-1] if upper else None


def search_partners(
    session: Session,
    gazetteer: Gazetteer,
    query: PartnerQuery,
    as_of: date,
    window_years: int,
    limit: int = 50,
    offset: int = 0,
) -> PartnerPage:
    statuses: dict[str, list[str]] = {}
    for view in list_partnership_views(session, as_of, window_years):
        for party in (view.party_a, view.party_b):
            statuses.setdefault(party.id, []).append(view.status)
    sectors = {
        str(r.party_id): tuple(details_of(r).get("sectors") or [])
        for r in session.scalars(select(Registration).where(Registration.party_id.is_not(None)))
    }
    country = query.country.upper()
    rows: list[PartnerRow] = []
    for place in gazetteer.places:
        if place.country != country or place.kind in NOT_CANDIDATES:
            continue
        top = _top_region(gazetteer, place)
        rows.append(
            _row(
                place.id,
                place.name,
                place.name_zh,
                place.kind.value,
                top,
                place.population or None,
                statuses,
                sectors,
                False,
            )
        )
    bodies = select(Party).where(
        Party.country == country, Party.kind.in_([PartyKind.SCHOOL.value, PartyKind.UNIVERSITY.value])
    )
    for body in session.scalars(bodies):
        parent = gazetteer.get(body.parent_id) if body.parent_id else None
        rows.append(
            _row(
                body.id,
                body.name,
                body.name_zh,
                body.kind,
                _top_region(gazetteer, parent),
                None,
                statuses,
                sectors,
                True,
            )
        )
    region_names = {r.region: name for r in rows if r.region for name in [_name(gazetteer, r.region)]}
    chosen = [r for r in rows if _keeps(r, query)]
    facets = {
        "level": Counter(r.kind for r in chosen),
        "region": Counter(r.region for r in chosen if r.region),
        "linked": Counter("yes" if r.links else "no" for r in chosen),
        "status": Counter(s for r in chosen for s in set(r.statuses)),
        "sector": Counter(s for r in chosen for s in r.sectors),
    }
    chosen.sort(key=lambda r: (-r.links, -(r.population or 0), r.name))
    return PartnerPage(chosen[offset : offset + limit], len(chosen), facets, region_names)


def _name(gazetteer: Gazetteer, place_id: str) -> str:
    place = gazetteer.get(place_id)
    return place.name if place else place_id


def _row(
    pid: str,
    name: str,
    name_zh: str | None,
    kind: str,
    top: Place | None,
    population: int | None,
    statuses: dict[str, list[str]],
    sectors: dict[str, tuple[str, ...]],
    body: bool,
) -> PartnerRow:
    found = statuses.get(pid, [])
    return PartnerRow(
        pid,
        name,
        name_zh,
        kind,
        top.id if top else None,
        population,
        len(found),
        tuple(sorted(set(found))),
        sectors.get(pid, ()),
        body,
    )


def _keeps(row: PartnerRow, query: PartnerQuery) -> bool:
    if query.level and row.kind != query.level:
        return False
    if query.region and row.region != query.region and row.id != query.region:
        return False
    if (query.linked == "yes" and not row.links) or (query.linked == "no" and row.links):
        return False
    if query.status and query.status not in row.statuses:
        return False
    if query.sector and query.sector not in row.sectors:
        return False
    if query.min_population is not None and (row.population or 0) < query.min_population:
        return False
    if query.max_population is not None and (row.population is None or row.population > query.max_population):
        return False
    return not query.q or name_key(query.q) in name_key(row.name) or (row.name_zh or "").find(query.q) >= 0
