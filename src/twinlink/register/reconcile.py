"""Matching names in someone's table to the register's parties, as a reconciliation service
answers OpenRefine: candidates from codes, every name form the gazetteer knows, the register's
own names and aliases, and spelling, each scored 0–100 by how closely its best name form reads
like the query, narrowed by type (the party's kind) and by properties (country, code, the place
it is in)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import has_han, name_key
from twinlink.store.identifiers import identifiers_of
from twinlink.store.parties import PartyRef, find_parties
from twinlink.store.partnerships import PartnershipFilter, list_partnerships
from twinlink.store.tables import Alias, Party
from twinlink.vocab import PartyKind

KINDS = frozenset(k.value for k in PartyKind)
SURE = 95.0  # a score at or above which, with no close second, the candidate is the match
CLEAR_LEAD = 10.0
COUNTRY_MISMATCH = 30.0  # what a candidate in another country than the one given loses
PARENT_MISMATCH = 15.0


@dataclass(frozen=True)
class ReconcileQuery:
    text: str
    types: tuple[str, ...] = ()
    limit: int = 5
    country: str | None = None
    code: str | None = None
    within: str | None = None  # the name of the place the party is in


@dataclass
class Candidate:
    party: Party
    score: float
    match: bool = False
    why: list[str] = field(default_factory=list)


def _forms(session: Session, party: Party) -> list[str]:
    aliases = session.scalars(select(Alias.alias).where(Alias.party_id == party.id))
    return [f for f in (party.name, party.name_zh, party.name_pinyin, *aliases) if f]


def _closeness(query: str, forms: Iterable[str]) -> float:
    """How closely the best of a party's name forms reads like the query, 0–100."""
    best = 0.0
    han = has_han(query)
    wanted = query.strip() if han else name_key(query)
    for form in forms:
        if has_han(form) != han:
            continue
        given = form.strip() if han else name_key(form)
        score = 100.0 if given == wanted else fuzz.WRatio(wanted, given)
        best = max(best, score)
    return best


def _gathered(session: Session, gazetteer: Gazetteer, query: ReconcileQuery, coded: set[str]) -> dict[str, Party]:
    """Every register party the query may mean: those with the code given, then in the
    gazetteer's order of likelihood."""
    found: dict[str, Party] = {}

    def add(party_ids: Iterable[str]) -> None:
        for party_id in party_ids:
            if party_id not in found and (party := session.get(Party, party_id)) is not None:
                found[party_id] = party

    kinds = frozenset(PartyKind(t) for t in query.types if t in KINDS) or None
    add(sorted(coded))
    add(c.place.id for c in gazetteer.find(query.text, country=query.country, limit=10, kinds=kinds))
    add(p.id for p in find_parties(session, query.text.strip(), limit=20))
    if not found:
        add(place.id for place in gazetteer.suggest(query.text, limit=5))
    return found


def reconcile(session: Session, gazetteer: Gazetteer, query: ReconcileQuery) -> list[Candidate]:
    """The parties ``query`` may mean, best first, at most ``query.limit``; the first is marked a
    match when it scores ``SURE`` or more and leads the next by ``CLEAR_LEAD``."""
    if not query.text.strip():
        return []
    coded = {place.id for code in filter(None, (query.code, query.text)) for place in gazetteer.by_code(code)}
    within = {c.place.id for c in gazetteer.find(query.within, limit=5)} if query.within else set()
    candidates = []
    for party in _gathered(session, gazetteer, query, coded).values():
        if query.types and party.kind not in query.types:
            continue
        candidate = Candidate(party, _closeness(query.text, _forms(session, party)))
        if party.id in coded:
            candidate.score, candidate.why = 100.0, ["code"]
        if query.country and party.country != query.country.upper():
            candidate.score -= COUNTRY_MISMATCH
            candidate.why.append(f"not in {query.country.upper()}")
        if within and party.parent_id not in within and party.id not in within:
            candidate.score -= PARENT_MISMATCH
            candidate.why.append(f"not in {query.within}")
        candidate.score = round(max(candidate.score, 0.0), 1)
        candidates.append(candidate)
    ranked = sorted(candidates, key=lambda c: -c.score)[: max(query.limit, 1)]  # stable: likelier first
    if ranked and ranked[0].score >= SURE and (len(ranked) == 1 or ranked[0].score - ranked[1].score >= CLEAR_LEAD):
        ranked[0].match = True
    return ranked


def suggest(session: Session, prefix: str, limit: int = 10) -> list[Party]:
    """Parties whose name or an alias starts with ``prefix`` (for a type-ahead), shortest first."""
    text = prefix.strip()
    if not text:
        return []
    found = [p for p in find_parties(session, text, limit=200) if _starts(text, _forms(session, p))]
    return sorted(found, key=lambda p: (len(p.name), p.name))[:limit]


def _starts(prefix: str, forms: Sequence[str]) -> bool:
    wanted = prefix.casefold()
    return any(form.casefold().startswith(wanted) for form in forms)


# what an extension can add to a reconciled row: id → (label, how the value is written)
PROPERTIES: dict[str, tuple[str, str]] = {
    "country": ("Country (ISO 3166-1)", "str"),
    "kind": ("Kind", "str"),
    "name_zh": ("Chinese name", "str"),
    "name_pinyin": ("Pinyin", "str"),
    "gss_code": ("GSS code", "str"),
    "iso_code": ("ISO 3166-2 code", "str"),
    "cn_admin_code": ("Chinese administrative code", "str"),
    "geonames_id": ("GeoNames id", "str"),
    "wikidata": ("Wikidata item", "str"),
    "lat": ("Latitude", "float"),
    "lon": ("Longitude", "float"),
    "parent": ("Within", "entity"),
    "partners": ("Partners", "entity"),
    "partnership_count": ("Number of partnerships", "int"),
}


def extension(
    session: Session, party_ids: Sequence[str], wanted: Sequence[str]
) -> dict[str, dict[str, list[dict[str, object]]]]:
    """For each party, each wanted property's values in the Reconciliation API's cells:
    ``{"str": …}``, ``{"float": …}``, ``{"int": …}`` or ``{"id": …, "name": …}``; unknown
    parties and empty properties get no cells."""
    rows: dict[str, dict[str, list[dict[str, object]]]] = {}
    for party_id in party_ids:
        party = session.get(Party, party_id)
        rows[party_id] = {name: _cells(session, party, name) if party else [] for name in wanted}
    return rows


def _cells(session: Session, party: Party, name: str) -> list[dict[str, object]]:
    if name == "parent":
        parent = session.get(Party, party.parent_id) if party.parent_id else None
        return [{"id": parent.id, "name": parent.name}] if parent else []
    if name in ("partners", "partnership_count"):
        partners = _partners(session, party.id)
        if name == "partnership_count":
            return [{"int": len(partners)}]
        return [{"id": p.id, "name": p.name} for p in partners]
    if name == "wikidata":
        item = identifiers_of(session, [party.id], "wikidata").get(party.id)
        return [{"str": item}] if item else []
    value = getattr(party, name)
    if value is None or value == "":
        return []
    return [{PROPERTIES[name][1]: value}]


def _partners(session: Session, party_id: str) -> list[PartyRef]:
    listed = list_partnerships(session, PartnershipFilter(party_id=party_id))
    partners = {ref.id: ref for p in listed for ref in (p.party_a, p.party_b) if ref.id != party_id}
    return sorted(partners.values(), key=lambda ref: ref.name)
