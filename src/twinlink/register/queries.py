"""The answers people ask for, as plain values: partnerships with their derived date and status,
a party's page, a timeline. The CLI, the web pages and the reports all read these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from twinlink.config import Settings
from twinlink.errors import TwinlinkError
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.derive import (
    Derived,
    claim_value,
    derive,
    event_when,
    in_force,
    live_events,
    live_events_of_pairs,
    partnership_status,
    party_kind,
)
from twinlink.store.claims import list_claims
from twinlink.store.events import event_parties
from twinlink.store.parties import find_parties, get_party
from twinlink.store.partnerships import list_partnerships
from twinlink.store.tables import Claim, Event, Partnership, Party

STATUSES = ("active", "dormant", "ended", "unknown")


@dataclass(frozen=True)
class PartyRef:
    id: str
    name: str
    kind: str
    country: str | None
    name_zh: str | None = None

    @classmethod
    def of(cls, party: Party) -> PartyRef:
        return cls(party.id, party.name, party.kind, party.country, party.name_zh)


@dataclass(frozen=True)
class SourceRef:
    source: str | None
    quote: str | None
    method: str
    claim_id: str
    review_state: str
    document_id: str | None = None


@dataclass(frozen=True)
class ValueWithSources:
    value: Any
    sources: list[SourceRef]
    origin: str | None = None


@dataclass(frozen=True)
class PartnershipView:
    id: str
    kind: str
    party_a: PartyRef
    party_b: PartyRef
    established: str
    established_values: list[ValueWithSources]
    instruments: list[str]
    status: str
    status_reason: str
    latest_activity: str | None
    conflicts: list[str]
    funding: list[dict[str, Any]]
    sources: list[str]

    def partner_of(self, party_id: str) -> PartyRef:
        return self.party_b if self.party_a.id == party_id else self.party_a

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    label: str
    kind: str
    description: str
    parties: list[str]
    sources: list[SourceRef] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PartyPage:
    party: PartyRef
    name_pinyin: str | None
    parent: PartyRef | None
    codes: dict[str, str]
    kind: list[ValueWithSources]
    kind_conflict: bool
    needs_review: bool
    partnerships: list[PartnershipView]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_ref(claim: Claim) -> SourceRef:
    return SourceRef(
        claim.source or claim.document_id, claim.quote, claim.method, claim.id, claim.review_state, claim.document_id
    )


def _values(derived: Derived) -> list[ValueWithSources]:
    return [ValueWithSources(v.value, [source_ref(c) for c in v.claims], v.origin) for v in derived.values]


def find_party(session: Session, gazetteer: Gazetteer, name: str) -> Party:
    """The register's party for a name, id, or any name form the gazetteer knows."""
    party = get_party(session, name)
    if party is not None:
        return party
    for candidate in gazetteer.find(name, limit=5):
        party = get_party(session, candidate.place.id)
        if party is not None:
            return party
    found = find_parties(session, name, limit=2)
    exact = [p for p in found if p.name.lower() == name.lower()]
    if exact or len(found) == 1:
        return (exact or found)[0]
    if found:
        raise TwinlinkError(f"{name!r} matches several parties: {', '.join(p.name for p in found)}; give an id")
    raise TwinlinkError(f"no party called {name!r} in the register")


@lru_cache(maxsize=1)
def _home_countries() -> tuple[str, ...]:
    return Settings().home_countries


def _home_rank(party: Party) -> int:
    """Parties of the first home country come first ("Leicester – Chongqing")."""
    order = _home_countries()
    return order.index(party.country) if party.country in order else len(order)


def partnership_view(
    session: Session,
    partnership: Partnership,
    as_of: date,
    window_years: int,
    claims: Sequence[Claim],
    events: Sequence[Event] | None = None,
) -> PartnershipView:
    a, b = get_party(session, partnership.party_a_id), get_party(session, partnership.party_b_id)
    assert a is not None and b is not None
    by_property: dict[str, list[Claim]] = {}
    for claim in claims:
        by_property.setdefault(claim.property, []).append(claim)
    established = derive(by_property.get("established", []))
    status = partnership_status(session, partnership, as_of, window_years, claims, events)
    conflicts = [prop for prop in ("established", "status") if derive(by_property.get(prop, [])).conflict]
    instruments = sorted({str(claim_value(c)) for c in in_force(by_property.get("instrument", []))})
    funding = [
        {**claim_value(c), "source": c.source or c.document_id, "quote": c.quote}
        for c in in_force(by_property.get("funding", []))
    ]
    sources = sorted({c.source or c.document_id or c.method for c in in_force(claims)})
    first, second = (a, b) if _home_rank(a) <= _home_rank(b) else (b, a)
    return PartnershipView(
        id=partnership.id,
        kind=partnership.kind,
        party_a=PartyRef.of(first),
        party_b=PartyRef.of(second),
        established=established.describe(),
        established_values=_values(established),
        instruments=instruments,
        status=status.state,
        status_reason=status.reason,
        latest_activity=status.latest.when.iso() if status.latest else None,
        conflicts=conflicts,
        funding=funding,
        sources=sources,
    )


def list_partnership_views(
    session: Session,
    as_of: date,
    window_years: int,
    party: Party | None = None,
    kind: str | None = None,
    country: str | None = None,
    status: str | None = None,
) -> list[PartnershipView]:
    """Partnerships that some claim in force still asserts, with their derived values."""
    if status is not None and status not in STATUSES:
        raise TwinlinkError(f"unknown status {status!r}: choose one of {', '.join(STATUSES)}")
    found = list_partnerships(session, [party.id] if party else None, kind, country)
    return _views(session, found, as_of, window_years, status)


def _views(
    session: Session, found: Sequence[Partnership], as_of: date, window_years: int, status: str | None
) -> list[PartnershipView]:
    claims = list_claims(session, "partnership", [p.id for p in found])
    events = live_events_of_pairs(session, [(p.party_a_id, p.party_b_id) for p in found])
    views = []
    for partnership in found:
        mine = claims[partnership.id]
        if not in_force([c for c in mine if c.property == "exists"]):
            continue
        pair = (partnership.party_a_id, partnership.party_b_id)
        view = partnership_view(session, partnership, as_of, window_years, mine, events[pair])
        if status is None or view.status == status:
            views.append(view)
    return views


def page_partnership_views(
    session: Session,
    as_of: date,
    window_years: int,
    limit: int,
    after: str | None = None,
    party: Party | None = None,
    kind: str | None = None,
    country: str | None = None,
    status: str | None = None,
) -> tuple[list[PartnershipView], str | None]:
    """One page of partnerships in id order, read from the database a page at a time, and the
    cursor for the next page (None on the last)."""
    if status is not None and status not in STATUSES:
        raise TwinlinkError(f"unknown status {status!r}: choose one of {', '.join(STATUSES)}")
    views: list[PartnershipView] = []
    cursor = after
    while len(views) <= limit:
        batch = list_partnerships(session, [party.id] if party else None, kind, country, cursor, limit + 1)
        if not batch:
            return views[:limit], None
        for view in _views(session, batch, as_of, window_years, status):
            views.append(view)
            if len(views) > limit:
                return views[:limit], views[limit - 1].id
        cursor = batch[-1].id
    return views[:limit], views[limit - 1].id


def party_page(session: Session, party: Party, as_of: date, window_years: int) -> PartyPage:
    parent = get_party(session, party.parent_id) if party.parent_id else None
    kind = party_kind(party, list_claims(session, "party", [party.id], "kind")[party.id])
    codes = {
        key: value
        for key, value in (
            ("iso3166_2", party.iso_code),
            ("gss", party.gss_code),
            ("cn_admin", party.cn_admin_code),
            ("geonames", party.geonames_id),
        )
        if value
    }
    return PartyPage(
        party=PartyRef.of(party),
        name_pinyin=party.name_pinyin,
        parent=PartyRef.of(parent) if parent else None,
        codes=codes,
        kind=_values(kind),
        kind_conflict=kind.conflict,
        needs_review=party.needs_review,
        partnerships=list_partnership_views(session, as_of, window_years, party=party),
    )


def timeline(session: Session, party: Party, partner: Party | None = None) -> list[TimelineEntry]:
    """Dated events of a party (with a partner, if given), oldest first, each with its sources."""
    events = live_events(session, [party.id] + ([partner.id] if partner else []))
    parties = event_parties(session, [e.id for e in events])
    claims = list_claims(session, "event", [e.id for e in events], "occurred")
    names: dict[str, str] = {}
    entries = []
    for event in events:
        for pid in parties[event.id]:
            if pid not in names:
                p = get_party(session, pid)
                names[pid] = p.name if p else pid
        when = event_when(event)
        entries.append(
            TimelineEntry(
                date=when.iso(),
                label=when.label(),
                kind=event.kind,
                description=event.description,
                parties=[names[pid] for pid in parties[event.id]],
                sources=[source_ref(c) for c in in_force(claims[event.id])],
            )
        )
    return entries
