"""What the process pages share: the gazetteer (loaded on first use, then kept) and an
organisation's links as the register knows them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import Gazetteer, default_gazetteer
from twinlink.register.queries import list_partnership_views
from twinlink.store.parties import find_parties, get_party
from twinlink.store.partnerships import PartnershipFilter


def gazetteer() -> Gazetteer:
    return default_gazetteer()


def known_links(
    session: Session, places: Gazetteer, name: str, where: str, as_of: date, window_years: int
) -> list[str]:
    """An organisation's links in the register, one line each ("Chengdu (place link, since 1990,
    active)"), found by its name: a council by its place, a body by its exact name."""
    party_id = None
    found = places.find(name, limit=1)
    if found and get_party(session, found[0].place.id) is not None:
        party_id = found[0].place.id
    else:
        exact = [p for p in find_parties(session, name, limit=10) if p.name.lower() == name.lower()]
        if where:
            place = places.find(where, limit=1)
            exact = [p for p in exact if place and p.parent_id == place[0].place.id] or exact
        party_id = exact[0].id if exact else None
    if party_id is None:
        return []
    lines = []
    for view in list_partnership_views(session, as_of, window_years, PartnershipFilter(party_id=party_id)):
        partner = view.partner_of(party_id)
        since = f", since {view.established}" if view.established else ""
        lines.append(f"{partner.name} ({view.kind} link{since}, {view.status})")
    return lines
