"""Partnership digests: what a partnership's claims in force and the live events between its
parties add up to, whatever the as-of date. Stored beside the partnership and refreshed in the
same transaction as any write that changes a claim, an event or an event's parties (see
``refresh``), so that lists and pages read one row per partnership instead of every claim."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import orjson
from sqlalchemy.orm import Session

from twinlink.register.derive import (
    Derived,
    StatusInputs,
    by_property,
    claim_value,
    derive,
    describe_values,
    in_force,
    live_events_of_pairs,
    status_columns,
    status_inputs,
)
from twinlink.store.chunks import chunks
from twinlink.store.claims import list_claims
from twinlink.store.derived import StoredDigest
from twinlink.store.partnerships import PartnershipFilter, PartnershipListing, PartyPair, list_partnerships
from twinlink.store.tables import Claim, Event

VERSION = 4  # 2: activity in date order; 3: the version kept per table, not per row; 4: status columns

_log = logging.getLogger(__name__)


@dataclass(slots=True)  # not frozen: a party's page reads thousands, and frozen ones are slow to make
class SourceRef:
    source: str | None
    quote: str | None
    method: str
    claim_id: str
    review_state: str
    document_id: str | None = None


@dataclass(slots=True)
class ValueWithSources:
    value: Any
    sources: list[SourceRef]
    origin: str | None = None


class Sourced(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def document_id(self) -> str | None: ...
    @property
    def quote(self) -> str | None: ...
    @property
    def method(self) -> str: ...
    @property
    def review_state(self) -> str: ...


def source_ref(claim: Sourced) -> SourceRef:
    return SourceRef(
        claim.source or claim.document_id, claim.quote, claim.method, claim.id, claim.review_state, claim.document_id
    )


def _source_ref_of(data: dict[str, Any]) -> SourceRef:
    return SourceRef(
        data["source"], data["quote"], data["method"], data["claim_id"], data["review_state"], data["document_id"]
    )


def values_with_sources(derived: Derived) -> list[ValueWithSources]:
    return [ValueWithSources(v.value, [source_ref(c) for c in v.claims], v.origin) for v in derived.values]


@dataclass(slots=True)  # not frozen, as SourceRef: lists decode thousands
class Digest:
    asserted: bool  # some claim in force says the partnership exists
    established: list[ValueWithSources]
    conflicts: list[str]
    instruments: list[str]
    funding: list[dict[str, Any]]
    sources: list[str]
    status: StatusInputs

    def established_label(self) -> str:
        return describe_values([v.value for v in self.established])

    def to_json(self) -> str:
        data = asdict(self)
        data["status"] = {
            "activity": self.status.activity,
            "said": self.status.said,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Digest:
        data = orjson.loads(text)
        status = data["status"]
        return cls(  # positional, in field order: lists decode thousands
            data["asserted"],
            [
                ValueWithSources(v["value"], [_source_ref_of(s) for s in v["sources"]], v["origin"])
                for v in data["established"]
            ],
            data["conflicts"],
            data["instruments"],
            data["funding"],
            data["sources"],
            StatusInputs(tuple(map(tuple, status["activity"])), status["said"]),
        )


def make_digest(claims: Sequence[Claim], events: Sequence[Event]) -> Digest:
    grouped = by_property(claims)
    established = derive(grouped.get("established", []))
    return Digest(
        asserted=bool(in_force(grouped.get("exists", []))),
        established=values_with_sources(established),
        conflicts=[prop for prop in ("established", "status") if derive(grouped.get(prop, [])).conflict],
        instruments=sorted({str(claim_value(c)) for c in in_force(grouped.get("instrument", []))}),
        funding=[
            {**claim_value(c), "source": c.source or c.document_id, "quote": c.quote}
            for c in in_force(grouped.get("funding", []))
        ],
        sources=sorted({c.source or c.document_id or c.method for c in in_force(claims)}),
        status=status_inputs(grouped, events),
    )


def make_digests(session: Session, partnerships: Sequence[PartyPair]) -> dict[str, Digest]:
    """Digests computed afresh, in a few queries for the lot."""
    claims = list_claims(session, "partnership", [p.id for p in partnerships])
    events = live_events_of_pairs(session, [(p.party_a_id, p.party_b_id) for p in partnerships])
    return {p.id: make_digest(claims[p.id], events[(p.party_a_id, p.party_b_id)]) for p in partnerships}


def load_digests(session: Session, partnerships: Sequence[PartnershipListing]) -> dict[str, Digest]:
    """The partnerships' stored digests decoded. A partnership without one (a write that did not
    refresh what it touched) is logged and computed afresh; ``twinlink db rebuild`` mends it."""
    found = {p.id: Digest.from_json(p.digest) for p in partnerships if p.digest is not None}
    missing = [p for p in partnerships if p.id not in found]
    if missing:
        _log.warning("%d partnerships have no stored digest; run 'twinlink db rebuild'", len(missing))
        found.update(make_digests(session, missing))
    return found


def stored_form(digest: Digest) -> StoredDigest:
    """The digest encoded, with the columns lists count statuses and decades from."""
    columns = status_columns(digest.status)
    years = [int(v.value) for v in digest.established if str(v.value).lstrip("-").isdigit()]
    return StoredDigest(
        digest.to_json(),
        digest.asserted,
        columns.ended,
        columns.said_dormant,
        columns.said_active,
        columns.settled_from,
        columns.latest_day,
        columns.founding_only,
        min(years) if years else None,
    )


def iter_encoded_digests(session: Session, partnership_ids: Iterable[str]) -> Iterator[dict[str, StoredDigest]]:
    """The digests of these partnerships computed afresh and encoded for storing, a chunk at a time."""
    for chunk in chunks(sorted(set(partnership_ids))):
        partnerships = list_partnerships(session, PartnershipFilter(ids=chunk))
        yield {pid: stored_form(d) for pid, d in make_digests(session, partnerships).items()}
