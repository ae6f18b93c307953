"""The register's claims about what a filter selects, written back as the facts format, one line a
source, losing nothing: each document with its text, each fact with its evidence, span, rule and
the register's ids for its parties and events, claims of other shapes as they are, and every
review decision. ``twinlink import`` of the file into an empty register makes the same claims
(the same ids), decisions and derived views."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.facts import RawClaim, Review, ReviewDecision
from twinlink.register.derive import claim_value
from twinlink.register.queries import PartnershipView
from twinlink.store.chunks import chunks
from twinlink.store.claims import decisions_of, list_claims
from twinlink.store.tables import Claim, Decision, Document, Event, EventParty, Partnership, Party
from twinlink.vocab import ReviewState

# what each shape of fact is made of: the claims the facts format carries as facts
_PARTNERSHIP_PROPERTIES = frozenset({"exists", "established", "instrument"})


def exported_facts(session: Session, views: Sequence[PartnershipView]) -> str:
    claims = _selected_claims(session, {v.id for v in views})
    shown = {v.id: [v.party_a.id, v.party_b.id] for v in views}  # the order pages name them in
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        group = ("document", claim.document_id) if claim.document_id else ("source", claim.source or claim.method)
        groups[group].append(claim)
    decisions = decisions_of(session, (c.id for c in claims))
    lines = []
    for (where, name), members in sorted(groups.items(), key=lambda item: _order(session, item[0])):
        document = session.get(Document, name) if where == "document" else None
        line = _line(session, document, name, members, shown, decisions)
        lines.append(json.dumps(line, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines) + ("\n" if lines else "")


def _order(session: Session, key: tuple[str, str]) -> tuple[int, str, str]:
    """Documents in the order they were read, then other sources by name."""
    if key[0] == "document" and (document := session.get(Document, key[1])) is not None:
        return 0, document.ingested_at.isoformat(), key[1]
    return 1, "", key[1]


def _selected_claims(session: Session, partnership_ids: set[str]) -> list[Claim]:
    """Claims about the partnerships, their parties, and the events of those parties."""
    party_ids: set[str] = set()
    for chunk in chunks(sorted(partnership_ids)):
        rows = session.execute(select(Partnership.party_a_id, Partnership.party_b_id).where(Partnership.id.in_(chunk)))
        for a, b in rows:
            party_ids.update((a, b))
    event_ids: set[str] = set()
    for chunk in chunks(sorted(party_ids)):
        event_ids.update(session.scalars(select(EventParty.event_id).where(EventParty.party_id.in_(chunk))))
    found = [
        claim
        for subject_type, ids in (("partnership", partnership_ids), ("party", party_ids), ("event", event_ids))
        for about in list_claims(session, subject_type, sorted(ids)).values()
        for claim in about
    ]
    return sorted(found, key=lambda c: c.id)


def _line(
    session: Session,
    document: Document | None,
    key: str,
    claims: list[Claim],
    shown: dict[str, list[str]],
    decisions: dict[str, list[Decision]],
) -> dict[str, Any]:
    first = claims[0]
    source = document.source if document else first.source
    line: dict[str, Any] = {
        "doc": (source or key).rsplit("/", 1)[-1] or key,
        "source": source,
        "partnerships": [],
        "events": [],
        "funding": [],
        "statuses": [],
    }
    if document is not None:
        line["title"] = document.title
        line["document"] = {
            "id": document.id,
            "kind": document.kind,
            "media_type": document.media_type,
            "size": document.size,
            "text": document.text,
        }
    told: dict[tuple[Any, ...], list[Claim]] = defaultdict(list)
    others: list[Claim] = []
    for claim in claims:
        if claim.subject_type == "partnership" and claim.property in _PARTNERSHIP_PROPERTIES:
            told[(claim.subject_id, claim.quote, claim.span_start, claim.span_end, claim.method)].append(claim)
        else:
            others.append(claim)
    kinds = {  # a party's kind as a document names it, by the tie that names it
        (c.quote, c.span_start, c.method, c.subject_id): c
        for c in others
        if c.subject_type == "party" and c.property == "kind"
    }
    used: set[str] = set()
    for (partnership_id, *_), members in told.items():
        fact = _partnership_fact(session, partnership_id, members, kinds, used, shown)
        if fact is None:
            others += members
        else:
            line["partnerships"].append(fact)
    raw = []
    for claim in others:
        if claim.id in used:
            continue
        made = _other_fact(session, claim, shown)
        if made is None:
            raw.append(_raw(claim))
        else:
            line[made[0]].append(made[1])
    if raw:
        line["claims"] = raw
    reviews = [
        _review(c, decisions.get(c.id, []))
        for c in claims
        if c.review_state != "proposed" or c.superseded_by or c.id in decisions
    ]
    if reviews:
        line["reviews"] = sorted(reviews, key=lambda r: r["claim"])
    return line


def _names(session: Session, party_ids: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """The parties' names, and where each body is (its parent place's name)."""
    names, locations = [], {}
    for party_id in party_ids:
        party = session.get(Party, party_id)
        name = party.name if party else party_id
        names.append(name)
        if party is not None and party.parent_id and party.id.startswith("body-"):
            parent = session.get(Party, party.parent_id)
            if parent is not None:
                locations[name] = parent.name
    return names, locations


def _evidence(claim: Claim) -> dict[str, Any]:
    fields: dict[str, Any] = {"evidence": claim.quote, "rule": claim.method}
    if claim.span_start is not None and claim.span_end is not None:
        fields["span"] = {"start": claim.span_start, "end": claim.span_end}
    return fields


def _partnership_fact(
    session: Session,
    partnership_id: str,
    members: list[Claim],
    kinds: dict[tuple[Any, ...], Claim],
    used: set[str],
    shown: dict[str, list[str]],
) -> dict[str, Any] | None:
    partnership = session.get(Partnership, partnership_id)
    if partnership is None or not any(c.property == "exists" for c in members):
        return None  # an established year or instrument told alone (by an editor): kept as a claim
    ids = shown.get(partnership.id) or [partnership.party_a_id, partnership.party_b_id]
    names, locations = _names(session, ids)
    years = sorted(claim_value(c) for c in members if c.property == "established")
    instrument = next((claim_value(c) for c in members if c.property == "instrument"), None)
    fact: dict[str, Any] = {
        "parties": names,
        "party_ids": ids,
        "kind": partnership.kind,
        "established": years[0] if len(years) == 1 else years or None,
        "instrument": instrument,
        **_evidence(members[0]),
    }
    if locations:
        fact["locations"] = locations
    sample = members[0]
    named = {}
    for party_id, name in zip(ids, names, strict=True):
        kind = kinds.get((sample.quote, sample.span_start, sample.method, party_id))
        if kind is not None:  # the kind the same words give the party: carried by the fact
            named[name] = claim_value(kind)
            used.add(kind.id)
    if named:
        fact["named_kinds"] = named
    return fact


def _other_fact(session: Session, claim: Claim, shown: dict[str, list[str]]) -> tuple[str, dict[str, Any]] | None:
    """An event, status or funding fact for a claim of that shape; None for any other claim."""
    value = claim_value(claim)
    if claim.subject_type == "event" and claim.property == "occurred":
        event = session.get(Event, claim.subject_id)
        if event is None:
            return None
        told = value.get("parties")  # the account's own parties, where it keeps them
        ids = sorted(told or session.scalars(select(EventParty.party_id).where(EventParty.event_id == event.id)))
        names, _ = _names(session, ids)
        fact = {
            "year": value["year"],
            "month": value.get("month"),
            "day": value.get("day"),
            "kind": value.get("kind", event.kind),
            "what": value.get("what", ""),
            "parties": names,
            "party_ids": ids,
            "event_id": event.id,
            "planned": bool(value.get("planned")),
            **_evidence(claim),
        }
        return "events", fact
    if claim.subject_type == "partnership" and claim.property in ("status", "funding"):
        partnership = session.get(Partnership, claim.subject_id)
        if partnership is None:
            return None
        ids = shown.get(partnership.id) or [partnership.party_a_id, partnership.party_b_id]
        names, _ = _names(session, ids)
        if claim.property == "status":
            return "statuses", {"parties": names, "party_ids": ids, "status": value, **_evidence(claim)}
        return "funding", {"parties": names, "party_ids": ids, **value, **_evidence(claim)}
    if claim.subject_type == "party" and claim.property == "funding":
        names, _ = _names(session, [claim.subject_id])
        return "funding", {"parties": names, "party_ids": [claim.subject_id], **value, **_evidence(claim)}
    return None


def _raw(claim: Claim) -> dict[str, Any]:
    """A claim as the facts format's ``claims`` carry it: the stored row, its value decoded."""
    fields = {name: getattr(claim, name) for name in RawClaim.model_fields if name != "value"}
    return RawClaim(**fields, value=claim_value(claim)).model_dump(mode="json")


def _review(claim: Claim, decisions: list[Decision]) -> dict[str, Any]:
    made = [ReviewDecision.model_validate(d, from_attributes=True) for d in decisions]
    review = Review(
        claim=claim.id, state=ReviewState(claim.review_state), superseded_by=claim.superseded_by, decisions=made
    )
    return review.model_dump(mode="json")
