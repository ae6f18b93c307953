"""Suggested partners for a registration of interest, each with its reasons and the register's
evidence. Hard rules first: a candidate they exclude is listed with the rule. Then weighted
factors, each shown with its contribution: an existing link between the two regions (with its
status, latest activity and quote), the variety and recency of activity on the candidate's
links, the kinds of exchange it has seen against those wanted, its level and size against the
applicant's, and for schools their phase, ages and languages. Weights are the caller's."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place
from twinlink.register.derived.digests import load_digests
from twinlink.register.interest import details_of
from twinlink.register.queries import PartnershipView, list_partnership_views
from twinlink.store.partnerships import EVERY_PARTNERSHIP, list_partnerships
from twinlink.store.tables import CandidateDecision, Party, Registration
from twinlink.vocab import OrganisationType, PartyKind

# the Chinese procedure: provinces, prefecture-level cities and open counties may make a
# friendship link; districts and the units below may not (CPAFFC rules of 2002, art. 8)
CN_MAY_TWIN = frozenset(
    {
        PartyKind.PROVINCE,
        PartyKind.AUTONOMOUS_REGION,
        PartyKind.MUNICIPALITY,
        PartyKind.SPECIAL_ADMINISTRATIVE_REGION,
        PartyKind.PREFECTURE_CITY,
        PartyKind.PREFECTURE,
        PartyKind.COUNTY_CITY,
    }
)
CN_MAY_NOT_TWIN = frozenset({PartyKind.DISTRICT})
NOT_CANDIDATES = frozenset({PartyKind.COUNTRY, PartyKind.NATION, PartyKind.CITY})  # GeoNames towns repeat the cities
UPPER_LEVEL = frozenset(
    {PartyKind.PROVINCE, PartyKind.AUTONOMOUS_REGION, PartyKind.MUNICIPALITY, PartyKind.REGION, PartyKind.COUNTY}
)
LINK_STRENGTH = {"active": 1.0, "unknown": 0.6, "dormant": 0.4, "ended": 0.1}
# the kinds of exchange an event of each kind shows a link has had
EVENT_THEMES = {
    "trade": {"trade"},
    "exchange": {"education", "youth", "culture"},
    "visit": {"culture"},
    "award": {"culture"},
    "gift": {"culture"},
    "founding": {"education"},
}
ACTIVITY_YEARS = 10


@dataclass(frozen=True)
class Weights:
    regional_link: float = 35
    activity: float = 15
    themes: float = 20
    size_role: float = 15
    school_fit: float = 15

    @classmethod
    def of(cls, given: Mapping[str, Any]) -> Weights:
        """Weights from a form or the command line; unknown names and values outside 0–100 are refused."""
        values: dict[str, float] = {}
        for name, value in given.items():
            if name not in cls.__dataclass_fields__:
                raise ValueError(f"no factor {name!r}: the factors are {', '.join(cls.__dataclass_fields__)}")
            number = float(value)
            if not 0 <= number <= 100:
                raise ValueError(f"weight of {name}: give 0 to 100, not {value}")
            values[name] = number
        return replace(cls(), **values)

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


FACTOR_LABELS = {
    "regional_link": "Existing link between the regions",
    "activity": "Activity on the candidate's links",
    "themes": "Kinds of exchange it has seen",
    "size_role": "Level and size",
    "school_fit": "Phase, ages and languages",
}


@dataclass(frozen=True)
class Evidence:
    text: str
    quote: str | None = None
    link: str | None = None  # a page of the register


@dataclass(frozen=True)
class Factor:
    name: str
    weight: float
    value: float  # 0 to 1
    reason: str
    evidence: tuple[Evidence, ...] = ()
    applies: bool = True

    @property
    def label(self) -> str:
        return FACTOR_LABELS[self.name]

    @property
    def contribution(self) -> float:
        return self.weight * self.value if self.applies else 0.0


@dataclass(frozen=True)
class Suggestion:
    party_id: str
    name: str
    name_zh: str | None
    kind: str
    within: str | None  # its province or city
    score: float  # 0 to 100
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Excluded:
    party_id: str
    name: str
    rule: str


@dataclass(frozen=True)
class Ranking:
    reference: str
    filtered_by: list[str]
    weights: Weights
    suggestions: list[Suggestion]
    excluded: list[Excluded]
    accepted: list[str] = field(default_factory=list)  # candidates already accepted


@dataclass
class _Link:
    view: PartnershipView
    activity: list[tuple[int, str]]  # (year, event kind) of its live events


class _Register:
    """What matching reads of the register, read once per ranking."""

    def __init__(self, session: Session, as_of: date, window_years: int) -> None:
        listings = list_partnerships(session, EVERY_PARTNERSHIP)
        digests = load_digests(session, listings)
        self.links: dict[str, list[_Link]] = {}
        for view in list_partnership_views(session, as_of, window_years):
            activity = [(row[0], row[3]) for row in digests[view.id].status.activity if row[3] != "established"]
            link = _Link(view, activity)
            for party in (view.party_a, view.party_b):
                self.links.setdefault(party.id, []).append(link)

    def of(self, party_ids: Iterable[str]) -> list[_Link]:
        seen: dict[str, _Link] = {}
        for pid in party_ids:
            for link in self.links.get(pid, []):
                seen.setdefault(link.view.id, link)
        return list(seen.values())


def _region(gazetteer: Gazetteer, place_id: str | None) -> list[Place]:
    """A place and the places it lies in, without its country or nation."""
    place = gazetteer.get(place_id) if place_id else None
    if place is None:
        return []
    chain = [place, *gazetteer.ancestors(place)]
    return [p for p in chain if p.kind not in (PartyKind.COUNTRY, PartyKind.NATION)]


def _quote(view: PartnershipView) -> str | None:
    for value in view.established_values:
        for source in value.sources:
            if source.quote:
                return source.quote
    return None


def _regional_link(applicant: list[Place], candidate: list[Place], register: _Register, weight: float) -> Factor:
    mine = {p.id for p in applicant}
    theirs = {p.id for p in candidate}
    best: tuple[float, _Link] | None = None
    for link in register.of(mine):
        ends = {link.view.party_a.id, link.view.party_b.id}
        if ends & mine and ends & theirs:
            strength = LINK_STRENGTH.get(link.view.status, 0.5)
            if best is None or strength > best[0]:
                best = (strength, link)
    if best is None:
        names = " or ".join(p.name for p in candidate[:2]) or "its region"
        return Factor("regional_link", weight, 0.0, f"no link in the register between your region and {names}")
    strength, link = best
    view = link.view
    since = f" since {view.established}" if view.established else ""
    latest = f"; latest activity {view.latest_activity}" if view.latest_activity else ""
    reason = f"{view.party_a.name} – {view.party_b.name}: a {view.kind} link{since}, {view.status}{latest}"
    evidence = Evidence("the link's record", _quote(view), f"/partnerships/{view.id}")
    return Factor("regional_link", weight, strength, reason, (evidence,))


def _activity(candidate: list[Place], register: _Register, weight: float, as_of: date) -> Factor:
    links = register.of(p.id for p in candidate)
    recent = [(year, kind) for link in links for year, kind in link.activity if year >= as_of.year - ACTIVITY_YEARS]
    if not recent:
        where = candidate[0].name if candidate else "its region"
        return Factor("activity", weight, 0.0, f"no dated activity on {where}'s links in {ACTIVITY_YEARS} years")
    kinds = sorted({kind for _, kind in recent})
    latest = max(year for year, _ in recent)
    recency = max(0.0, min(1.0, 1 - (as_of.year - 3 - latest) / (ACTIVITY_YEARS - 3)))
    value = min(1.0, len(kinds) / 3) * recency
    busiest = sorted(links, key=lambda link: -len(link.activity))[:3]
    evidence = tuple(
        Evidence(
            f"{link.view.party_a.name} – {link.view.party_b.name}: {len(link.activity)} dated events",
            None,
            f"/partnerships/{link.view.id}",
        )
        for link in busiest
        if link.activity
    )
    reason = f"{_count(len(kinds), 'kind')} of activity in {ACTIVITY_YEARS} years ({', '.join(kinds)}), latest {latest}"
    return Factor("activity", weight, value, reason, evidence)


def _themes(
    wanted: set[str], candidate: list[Place], profile: Mapping[str, Any] | None, register: _Register, weight: float
) -> Factor:
    if not wanted:
        return Factor("themes", weight, 0.0, "the registration names no kinds of exchange", applies=False)
    seen: dict[str, str] = {}
    for link in register.of(p.id for p in candidate):
        for _, kind in link.activity:
            for theme in EVENT_THEMES.get(kind, ()):
                seen.setdefault(theme, f"{kind} on {link.view.party_a.name} – {link.view.party_b.name}")
    if profile:
        for theme in profile.get("exchange_kinds", []):
            seen.setdefault(theme, "its own registration")
    shared = sorted(wanted & set(seen))
    if not shared:
        return Factor("themes", weight, 0.0, f"none of {', '.join(sorted(wanted))} seen on its links")
    evidence = tuple(Evidence(f"{theme}: {seen[theme]}") for theme in shared)
    reason = f"{len(shared)} of {_count(len(wanted), 'kind')} wanted seen: {', '.join(shared)}"
    return Factor("themes", weight, len(shared) / len(wanted), reason, evidence)


def _size_role(applicant: Place | None, population: int | None, candidate: Place, weight: float) -> Factor:
    if applicant is None:
        return Factor("size_role", weight, 0.0, "the applicant's place is not known", applies=False)
    same_level = (applicant.kind in UPPER_LEVEL) == (candidate.kind in UPPER_LEVEL)
    level = 1.0 if same_level else 0.3
    role = "a like level of government" if same_level else "another level of government"
    mine = population or applicant.population
    if mine and candidate.population:
        ratio = min(mine, candidate.population) / max(mine, candidate.population)
        reason = f"{role}; populations {mine:,} and {candidate.population:,}"
        return Factor("size_role", weight, 0.5 * level + 0.5 * ratio, reason)
    return Factor("size_role", weight, 0.5 * level, f"{role}; population not known")


def _school_fit(mine: Mapping[str, Any], theirs: Mapping[str, Any] | None, weight: float) -> Factor:
    if not theirs:
        return Factor("school_fit", weight, 0.0, "no profile of this school: ask it or its education bureau")
    parts: list[str] = []
    value = 0.0
    if mine.get("phase") and mine.get("phase") == theirs.get("phase"):
        value += 1 / 3
        parts.append(f"both {mine['phase']}")
    given = [mine.get("age_from"), mine.get("age_to"), theirs.get("age_from"), theirs.get("age_to")]
    ages = [a for a in given if isinstance(a, int)]
    if len(ages) == 4 and max(ages[0], ages[2]) <= min(ages[1], ages[3]):
        value += 1 / 3
        parts.append(f"ages overlap ({ages[0]}–{ages[1]} and {ages[2]}–{ages[3]})")
    languages = {w.strip().lower() for w in str(theirs.get("languages_taught", "")).split(",") if w.strip()}
    if {"english", "英语"} & languages:
        value += 1 / 3
        parts.append("it teaches English")
    return Factor("school_fit", weight, value, "; ".join(parts) or "phase, ages and languages differ")


def _candidate_pool(
    session: Session, gazetteer: Gazetteer, registration: Registration, details: Mapping[str, Any]
) -> tuple[list[Party | Place], list[str]]:
    """The parties the registration may be matched with, and what the pool is filtered by."""
    kind = OrganisationType(registration.organisation_type)
    country = str(details.get("partner_country") or "CN")
    region = _region_wanted(gazetteer, details, country)
    filtered = [f"in {country}"]
    if region is not None:
        filtered.append(f"within {region.name}")
    if kind.schools or kind is OrganisationType.UNIVERSITY:
        wanted = PartyKind.UNIVERSITY if kind is OrganisationType.UNIVERSITY else PartyKind.SCHOOL
        filtered.append(f"{wanted.value}s in the register")
        bodies = session.scalars(select(Party).where(Party.kind == wanted.value, Party.country == country))
        pool: list[Party | Place] = [
            b for b in bodies if region is None or region.id in {p.id for p in _region(gazetteer, b.parent_id)}
        ]
        return pool, filtered
    filtered.append("places of the gazetteer")
    places: list[Party | Place] = [
        p
        for p in gazetteer.places
        if p.country == country
        and p.kind not in NOT_CANDIDATES
        and (region is None or p.id == region.id or region in gazetteer.ancestors(p))
    ]
    return places, filtered


def _region_wanted(gazetteer: Gazetteer, details: Mapping[str, Any], country: str) -> Place | None:
    name = str(details.get("partner_region") or "")
    if not name:
        return None
    found = gazetteer.find(name, country=country, limit=1)
    return found[0].place if found else None


def rank(
    session: Session,
    gazetteer: Gazetteer,
    registration: Registration,
    weights: Weights,
    as_of: date,
    window_years: int,
) -> Ranking:
    """The candidates for a registration, best first, with the excluded ones and their rules."""
    details = details_of(registration)
    kind = OrganisationType(registration.organisation_type)
    register = _Register(session, as_of, window_years)
    applicant_place = gazetteer.get(registration.place_id) if registration.place_id else None
    applicant_region = _region(gazetteer, registration.place_id)
    own = {registration.party_id, registration.place_id} - {None}
    partnered = {
        (link.view.party_b.id if link.view.party_a.id in own else link.view.party_a.id): link.view
        for link in register.of(i for i in own if i)
        if link.view.status != "ended"
    }
    exclusions = _exclusions(gazetteer, details, str(details.get("partner_country") or "CN"))
    decisions = _decisions(session, registration)
    profiles = _profiles(session)
    wanted = set(details.get("exchange_kinds") or [])
    pool, filtered = _candidate_pool(session, gazetteer, registration, details)
    suggestions: list[Suggestion] = []
    excluded: list[Excluded] = []
    for candidate in pool:
        cid, name = candidate.id, candidate.name
        parent_id = candidate.parent if isinstance(candidate, Place) else candidate.parent_id
        region = _region(gazetteer, cid) if isinstance(candidate, Place) else _region(gazetteer, parent_id)
        if cid in decisions and decisions[cid].decision == "accepted":
            continue  # listed among the accepted
        rule = _hard_rule(candidate, region, partnered, exclusions, decisions)
        if rule is not None:
            excluded.append(Excluded(cid, name, rule))
            continue
        factors = [
            _regional_link(applicant_region, region, register, weights.regional_link),
            _activity(region, register, weights.activity, as_of),
            _themes(wanted, region, profiles.get(cid), register, weights.themes),
        ]
        if isinstance(candidate, Place):
            population = details.get("population")
            factors.append(_size_role(applicant_place, population, candidate, weights.size_role))
        if kind.schools:
            factors.append(_school_fit(details, profiles.get(cid), weights.school_fit))
        applicable = [f for f in factors if f.applies]
        total = sum(f.weight for f in applicable)
        score = 100 * sum(f.contribution for f in applicable) / total if total else 0.0
        notes = []
        if isinstance(candidate, Place) and candidate.kind is PartyKind.COUNTY_CITY:
            notes.append("a county-level city may make a link only as an open county: ask its province first")
        within = next((p.name for p in (region[1:] if isinstance(candidate, Place) else region)), None)
        name_zh = candidate.name_zh
        suggestions.append(
            Suggestion(cid, name, name_zh, _kind(candidate), within, round(score, 1), tuple(factors), tuple(notes))
        )
    suggestions.sort(key=lambda s: (-s.score, s.name))
    accepted = [d.candidate_id for d in decisions.values() if d.decision == "accepted"]
    return Ranking(registration.reference, filtered, weights, suggestions, excluded, accepted)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _kind(candidate: Party | Place) -> str:
    return candidate.kind.value if isinstance(candidate, Place) else candidate.kind


def _hard_rule(
    candidate: Party | Place,
    region: Sequence[Place],
    partnered: Mapping[str, PartnershipView],
    exclusions: Mapping[str, str],
    decisions: Mapping[str, CandidateDecision],
) -> str | None:
    if isinstance(candidate, Place) and candidate.country == "CN" and candidate.kind in CN_MAY_NOT_TWIN:
        return "admin level: a district may not make a friendship link under the Chinese procedure (its city may)"
    view = partnered.get(candidate.id)
    if view is not None:
        since = f" since {view.established}" if view.established else ""
        return f"already partnered: a {view.kind} link{since}, {view.status}"
    for place in region:
        if place.id in exclusions:
            return f"excluded by the registration: {exclusions[place.id]}"
    decision = decisions.get(candidate.id)
    if decision is not None and decision.decision == "dismissed":
        return f"dismissed by {decision.decided_by}: {decision.reason}"
    return None


def _exclusions(gazetteer: Gazetteer, details: Mapping[str, Any], country: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in re.split(r"[,\n;]", str(details.get("exclusions") or "")):
        name = " ".join(name.split())
        found = gazetteer.find(name, country=country, limit=1) if name else []
        if found:
            out[found[0].place.id] = name
    return out


def _decisions(session: Session, registration: Registration) -> dict[str, CandidateDecision]:
    query = select(CandidateDecision).where(CandidateDecision.registration_id == registration.id)
    return {d.candidate_id: d for d in session.scalars(query.order_by(CandidateDecision.id))}


def _profiles(session: Session) -> dict[str, dict[str, Any]]:
    """What each registered organisation says of itself, by its party (a candidate's profile)."""
    query = select(Registration).where(Registration.party_id.is_not(None)).order_by(Registration.id)
    return {str(r.party_id): details_of(r) for r in session.scalars(query)}
