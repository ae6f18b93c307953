"""The answers people ask for, as plain values: partnerships with their derived date and status,
and a party's page (timelines are in ``timelines``). The CLI, the web pages and the reports all
read these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.collector import collector_paused
from twinlink.config import Settings
from twinlink.errors import NotFound, TwinlinkError
from twinlink.gazetteer.lookup import Gazetteer, default_gazetteer
from twinlink.register.derive import derive, link_stage, live_events, party_kind, status_of, years_before
from twinlink.register.derived.digests import (
    Digest,
    ValueWithSources,
    load_digests,
    make_digest,
    values_with_sources,
)
from twinlink.store.claims import list_claims
from twinlink.store.identifiers import identifiers_of
from twinlink.store.parties import PartyLike, PartyRef, find_parties, get_party, party_record, party_refs
from twinlink.store.partnerships import (
    EVERY_PARTNERSHIP,
    PartnershipFilter,
    PartnershipListing,
    count_facets,
    list_partnerships,
    page_judged,
)
from twinlink.store.party_changes import merged_into
from twinlink.store.tables import Claim, Partnership, Party, PartyIdentifier
from twinlink.vocab import PartnershipKind

STATUSES = ("active", "dormant", "ended", "unknown")


def plain(view: object) -> dict[str, Any]:
    """A view as JSON-ready dicts and lists; orjson walks dataclasses many times faster than asdict."""
    data: dict[str, Any] = orjson.loads(orjson.dumps(view, default=str))
    return data


@dataclass(slots=True)  # not frozen: frozen records are slow to make, and lists make thousands
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
    stage: str | None = None  # how formal: contact, letter of intent / MoU, friendship, sister or twin

    def partner_of(self, party_id: str) -> PartyRef:
        return self.party_b if self.party_a.id == party_id else self.party_a

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


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
    names: list[ValueWithSources]  # names sources give beyond the gazetteer's: {"name", "language"}

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def find_party(session: Session, gazetteer: Gazetteer | None, name: str) -> Party:
    """The register's party for a name, id, an identifier recorded for it (a Wikidata item, a
    URN), or any name form or code the gazetteer knows (the default gazetteer, loaded only when
    ``name`` is not an id, if none is given)."""
    party = get_party(session, merged_into(session, name) or name)
    if party is not None:
        return party
    scheme, _, value = name.strip().rpartition(":")  # an identifier recorded for a party: Q42, urn:123456
    for held in session.scalars(select(PartyIdentifier).where(PartyIdentifier.value == (value or name).strip())):
        if not scheme or held.scheme == scheme.lower():
            party = get_party(session, merged_into(session, held.party_id) or held.party_id)
            if party is not None:
                return party
    gazetteer = gazetteer or default_gazetteer()
    for place in gazetteer.by_code(name):  # a code: E08000035, GB-LDS, 330200 …
        party = get_party(session, merged_into(session, place.id) or place.id)
        if party is not None:
            return party
    for candidate in gazetteer.find(name, limit=5):
        place_id = candidate.place.id
        party = get_party(session, merged_into(session, place_id) or place_id)
        if party is not None:
            return party
    found = find_parties(session, name, limit=2)
    exact = [p for p in found if p.name.lower() == name.lower()]
    if exact or len(found) == 1:
        return (exact or found)[0]
    if found:
        raise TwinlinkError(f"{name!r} matches several parties: {', '.join(p.name for p in found)}; give an id")
    known = [p for p in gazetteer.suggest(name, limit=5) if get_party(session, p.id) is not None][:3]
    did_you_mean = f"; did you mean {' or '.join(p.name for p in known)}?" if known else ""
    raise NotFound(f"no party called {name!r} in the register{did_you_mean}")


@lru_cache(maxsize=1)
def _home_countries() -> tuple[str, ...]:
    return Settings().home_countries


def _home_rank(party: PartyRef) -> int:
    """Parties of the first home country come first ("Leicester – Chongqing")."""
    order = _home_countries()
    return order.index(party.country) if party.country in order else len(order)


def partnership_view(
    session: Session,
    partnership: Partnership,
    as_of: date,
    window_years: int,
    claims: Sequence[Claim],
) -> PartnershipView:
    """One partnership's view computed afresh from its claims (the partnership page shows them all)."""
    parties = party_refs(session, [partnership.party_a_id, partnership.party_b_id])
    return view_of(
        partnership,
        parties,
        make_digest(claims, live_events(session, [partnership.party_a_id, partnership.party_b_id])),
        as_of,
        window_years,
    )


def view_of(
    partnership: Partnership | PartnershipListing,
    parties: Mapping[str, PartyRef],
    digest: Digest,
    as_of: date,
    window_years: int,
) -> PartnershipView:
    a, b = parties[partnership.party_a_id], parties[partnership.party_b_id]
    status = status_of(digest.status, as_of, window_years)
    first, second = (a, b) if _home_rank(a) <= _home_rank(b) else (b, a)
    return PartnershipView(
        id=partnership.id,
        kind=partnership.kind,
        party_a=first,
        party_b=second,
        established=digest.established_label(),
        established_values=digest.established,
        instruments=digest.instruments,
        status=status.state,
        status_reason=status.reason,
        latest_activity=status.latest.when.iso() if status.latest else None,
        conflicts=digest.conflicts,
        funding=digest.funding,
        sources=digest.sources,
        stage=stage.value if (stage := link_stage(digest.instruments)) else None,
    )


def list_partnership_views(
    session: Session, as_of: date, window_years: int, where: PartnershipFilter = EVERY_PARTNERSHIP
) -> list[PartnershipView]:
    """The partnerships ``where`` selects that some claim in force still asserts, with their
    derived values as of ``as_of``."""
    _check_status(where.status)
    _check_kind_and_country(where.kind, where.country)
    with collector_paused():
        return _views(session, list_partnerships(session, where), as_of, window_years, where.status)


def _check_kind_and_country(kind: str | None, country: str | None) -> None:
    """An unknown kind or a country that is not a two-letter code is a mistake to report, not a
    question whose answer is nothing."""
    kinds = [k.value for k in PartnershipKind]
    if kind is not None and kind not in kinds:
        raise TwinlinkError(f"unknown kind {kind!r}: choose one of {', '.join(kinds)}")
    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise TwinlinkError(f"country {country!r}: give a two-letter code such as GB or CN")


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise TwinlinkError(f"unknown status {status!r}: choose one of {', '.join(STATUSES)}")


def _views(
    session: Session, found: Sequence[PartnershipListing], as_of: date, window_years: int, status: str | None
) -> list[PartnershipView]:
    digests = load_digests(session, found)
    parties = {ref.id: ref for p in found for ref in (p.party_a, p.party_b)}
    views = []
    for partnership in found:
        digest = digests[partnership.id]
        if not digest.asserted:
            continue
        view = view_of(partnership, parties, digest, as_of, window_years)
        if status is None or view.status == status:
            views.append(view)
    return views


@dataclass
class Directory:
    """A page of the directory: its partnerships, how many the filters select, and their facets."""

    views: list[PartnershipView]
    total: int
    facets: dict[str, dict[str, int]]


def facets_of(views: Sequence[PartnershipView]) -> dict[str, dict[str, int]]:
    """Counts by country (of either party), kind, status and decade established."""
    facets: dict[str, dict[str, int]] = {"country": {}, "kind": {}, "status": {}, "decade": {}}
    for v in views:
        for c in {v.party_a.country or "-", v.party_b.country or "-"}:
            facets["country"][c] = facets["country"].get(c, 0) + 1
        facets["kind"][v.kind] = facets["kind"].get(v.kind, 0) + 1
        facets["status"][v.status] = facets["status"].get(v.status, 0) + 1
        years = [int(x.value) for x in v.established_values]
        decade = f"{min(years) // 10 * 10}s" if years else "unknown"
        facets["decade"][decade] = facets["decade"].get(decade, 0) + 1
    return {k: dict(sorted(d.items())) for k, d in facets.items()}


def directory(
    session: Session, as_of: date, window_years: int, where: PartnershipFilter, offset: int, limit: int
) -> Directory:
    """A page of the partnerships ``where`` selects, by name, with their count and facets, counted
    and paged by the database from the digests' status columns. Should any partnership's status
    hang on activity after ``as_of`` (the database cannot judge that), every view is derived here."""
    _check_status(where.status)
    _check_kind_and_country(where.kind, where.country)
    cutoff = years_before(as_of, window_years)
    days = (_day_number(as_of), _day_number(cutoff))
    counted = count_facets(session, where, *days)
    if counted.unsettled:
        views = list_partnership_views(session, as_of, window_years, where)
        return Directory(views[offset : offset + limit], len(views), facets_of(views))
    with collector_paused():
        listed = page_judged(session, where, *days, offset, limit)
        views = _views(session, listed, as_of, window_years, where.status)
    return Directory(views, counted.total, counted.counts)


def _day_number(day: date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def page_partnership_views(
    session: Session,
    as_of: date,
    window_years: int,
    where: PartnershipFilter = EVERY_PARTNERSHIP,
    *,
    limit: int,
    after: str | None = None,
) -> tuple[list[PartnershipView], str | None]:
    """One page of the partnerships ``where`` selects, in id order, read from the database a page
    at a time, and the cursor for the next page (None on the last)."""
    _check_status(where.status)
    views: list[PartnershipView] = []
    cursor = after
    while len(views) <= limit:
        batch = list_partnerships(session, where, after=cursor, limit=limit + 1)
        if not batch:
            return views[:limit], None
        for view in _views(session, batch, as_of, window_years, where.status):
            views.append(view)
            if len(views) > limit:
                return views[:limit], views[limit - 1].id
        cursor = batch[-1].id
    return views[:limit], views[limit - 1].id


def party_page(session: Session, party: PartyLike, as_of: date, window_years: int) -> PartyPage:
    parent = party_record(session, party.parent_id) if party.parent_id else None
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
    for scheme, value in session.execute(
        select(PartyIdentifier.scheme, PartyIdentifier.value).where(PartyIdentifier.party_id == party.id)
    ):
        codes[scheme] = value
    if "wikidata" not in codes and (item := identifiers_of(session, [party.id], "wikidata").get(party.id)):
        codes["wikidata"] = item
    return PartyPage(
        party=PartyRef.of(party),
        name_pinyin=party.name_pinyin,
        parent=PartyRef.of(parent) if parent else None,
        codes=codes,
        kind=values_with_sources(kind),
        kind_conflict=kind.conflict,
        needs_review=party.needs_review,
        partnerships=list_partnership_views(session, as_of, window_years, PartnershipFilter(party_id=party.id)),
        names=values_with_sources(derive(list_claims(session, "party", [party.id], "name")[party.id])),
    )
