"""Partnership digests: what a partnership's claims in force and the live events between its
parties add up to, whatever the as-of date. Stored beside the partnership and refreshed in the
same transaction as any write that changes a claim, an event or an event's parties (see
``refresh``), so that lists and pages read one row per partnership instead of every claim."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from sqlalchemy.orm import Session

from twinlink.register.derive import (
    ActivityRow,
    Derived,
    StatusInputs,
    activity_of,
    activity_row,
    by_property,
    claim_value,
    derive,
    describe_values,
    in_force,
    live_event_rows,
    live_events_of_pairs,
    status_columns,
    status_inputs,
)
from twinlink.store.chunks import chunks
from twinlink.store.claims import StatedRow, list_claims
from twinlink.store.derived import StoredDigest
from twinlink.store.partnerships import PartnershipFilter, PartnershipListing, PartyPair, list_partnerships
from twinlink.store.tables import Claim, Event
from twinlink.vocab import ReviewState

# 2: activity in date order; 3: the version kept per table, not per row; 4: status columns;
# 5: claims in the order of their ids, with what ``extended`` needs
VERSION = 5

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
    # what ``extended`` needs to add to a digest without reading its claims and events again:
    # whether a reviewer accepted one of its claims (then new claims may not count), and the
    # dated row of each live event between its parties
    accepted: bool = False
    events: dict[str, ActivityRow] = field(default_factory=dict)

    def established_label(self) -> str:
        return describe_values([v.value for v in self.established])

    def to_json(self) -> str:
        return orjson.dumps(self, option=orjson.OPT_SORT_KEYS).decode()

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
            data["accepted"],
            {eid: tuple(row) for eid, row in data["events"].items()},
        )


def make_digest(claims: Sequence[Claim], events: Sequence[Event]) -> Digest:
    """A partnership's digest from all its claims and the live events between its parties. The
    claims are taken in the order of their ids, so that the digest does not depend on the order
    they were written in (and ``extended`` can put new ones in their place)."""
    in_id_order = sorted(claims, key=lambda c: c.id)
    grouped = by_property(in_id_order)
    established = derive(grouped.get("established", []))
    rows = {e.id: activity_row(e) for e in events}
    return Digest(
        asserted=bool(in_force(grouped.get("exists", []))),
        established=values_with_sources(established),
        conflicts=[prop for prop in ("established", "status") if derive(grouped.get(prop, [])).conflict],
        instruments=sorted({str(claim_value(c)) for c in in_force(grouped.get("instrument", []))}),
        funding=[
            {**claim_value(c), "source": c.source or c.document_id, "quote": c.quote}
            for c in in_force(grouped.get("funding", []))
        ],
        sources=sorted({c.source or c.document_id or c.method for c in in_force(in_id_order)}),
        status=status_inputs(grouped, rows),
        accepted=any(c.review_state == _ACCEPTED and c.superseded_by is None for c in claims),
        events=rows,
    )


# what ingest adds: claims of these properties, not yet reviewed, merge into a digest as they come
_MERGED_PROPERTIES = frozenset({"exists", "established", "instrument"})
_ACCEPTED, _PROPOSED = ReviewState.ACCEPTED.value, ReviewState.PROPOSED.value


def extended(digest: Digest, added: Sequence[StatedRow], events: Mapping[str, ActivityRow | None]) -> Digest | None:
    """The digest with these claims added and these events' rows put in (None: the event is no
    longer live between the partnership's parties), equal to the one ``make_digest`` gives from
    all the claims and events, at a cost that grows with what was added rather than with what
    was there. None when only ``make_digest`` can say: a reviewer accepted one of its claims, or
    an added claim is reviewed already or states something other than ``_MERGED_PROPERTIES``."""
    if digest.accepted or any(
        c.property not in _MERGED_PROPERTIES or c.review_state != _PROPOSED or c.superseded_by is not None
        for c in added
    ):
        return None
    established = {_key(v.value): ValueWithSources(v.value, list(v.sources), v.origin) for v in digest.established}
    for claim in added:
        if claim.property == "established":
            value = json.loads(claim.value)
            established.setdefault(_key(value), ValueWithSources(value, [])).sources.append(source_ref(claim))
    for value in established.values():
        value.sources.sort(key=lambda ref: ref.claim_id)
    values = sorted(established.values(), key=lambda v: str(v.value))
    live = {eid: row for eid, row in digest.events.items() if eid not in events}
    live.update({eid: row for eid, row in events.items() if row is not None})
    years = [int(v.value) for v in values for _ in v.sources]
    return Digest(
        digest.asserted or any(c.property == "exists" for c in added),
        values,
        [*(["established"] if len(values) > 1 else []), *(p for p in digest.conflicts if p != "established")],
        sorted({*digest.instruments, *(str(json.loads(c.value)) for c in added if c.property == "instrument")}),
        digest.funding,
        sorted({*digest.sources, *(c.source or c.document_id or c.method for c in added)}),
        StatusInputs(activity_of(live, years), digest.status.said),
        False,
        live,
    )


def _key(value: Any) -> str:
    """A value as claims store it, which is what ``derive`` groups them by."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


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


def extended_digests(
    session: Session,
    partnership_ids: Iterable[str],
    added: Mapping[str, Sequence[StatedRow]],
    changed_events: Iterable[str],
    members: Mapping[str, set[str]],
) -> tuple[dict[str, StoredDigest], set[str]]:
    """The stored digests of these partnerships ``extended`` by the claims ``added`` to each and
    by the ``changed_events`` (``members``: the parties of each now), encoded for storing; and
    the partnerships whose digests must be computed afresh instead (none stored yet, or
    ``extended`` cannot say)."""
    wanted = sorted(set(partnership_ids))
    if not wanted:
        return {}, set()
    changed = set(changed_events)
    live = live_event_rows(session, changed)
    events_of: dict[str, set[str]] = {}
    for event_id, parties in members.items():
        for party_id in parties:
            events_of.setdefault(party_id, set()).add(event_id)
    found: dict[str, StoredDigest] = {}
    afresh: set[str] = set()
    for chunk in chunks(wanted):
        for partnership in list_partnerships(session, PartnershipFilter(ids=chunk)):
            if partnership.digest is None:
                afresh.add(partnership.id)
                continue
            old = Digest.from_json(partnership.digest)
            between = events_of.get(partnership.party_a_id, set()) & events_of.get(partnership.party_b_id, set())
            events = {eid: None for eid in old.events.keys() & changed} | {eid: live.get(eid) for eid in between}
            digest = extended(old, added.get(partnership.id, ()), events)
            if digest is None:
                afresh.add(partnership.id)
            else:
                found[partnership.id] = stored_form(digest)
    return found, afresh


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
