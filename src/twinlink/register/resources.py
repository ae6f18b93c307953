"""One read function per resource the web serves (parties, partnerships, documents, claims): the
page and its JSON twin under /api both call it, so the two cannot show different things."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy.orm import Session

from twinlink.errors import MergedParty, NotFound
from twinlink.register.derived.timelines import TimelineEntry, timeline
from twinlink.register.queries import PartnershipView, PartyPage, partnership_view, party_page
from twinlink.register.review import conflicting_claims, describe_subject
from twinlink.store.claims import get_claim, list_claims, list_decisions, list_document_claims
from twinlink.store.documents import get_document, page_of_documents
from twinlink.store.parties import PartyRecord, page_of_parties, party_record
from twinlink.store.party_changes import merged_into
from twinlink.store.tables import Claim, Document, Partnership
from twinlink.store.users import list_audit

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Records in id order and the cursor of the next page (None on the last)."""

    items: list[T]
    next: str | None


def _page(rows: Sequence[T], limit: int, cursor_of: Any) -> Page[T]:
    items = list(rows[:limit])
    return Page(items, cursor_of(items[-1]) if len(rows) > limit else None)


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    id: str
    subject_type: str
    subject_id: str
    property: str
    value: Any
    document_id: str | None
    source: str | None
    quote: str | None
    span: tuple[int, int] | None
    method: str
    review_state: str
    superseded_by: str | None
    conflict: bool  # stands on one side of a conflict about its subject's property

    @classmethod
    def of(cls, claim: Claim, conflict: bool) -> ClaimRecord:
        span = (
            (claim.span_start, claim.span_end) if claim.span_start is not None and claim.span_end is not None else None
        )
        return cls(
            claim.id,
            claim.subject_type,
            claim.subject_id,
            claim.property,
            orjson.loads(claim.value),
            claim.document_id,
            claim.source,
            claim.quote,
            span,
            claim.method,
            claim.review_state,
            claim.superseded_by,
            conflict,
        )


def _claim_records(session: Session, claims: Sequence[Claim]) -> list[ClaimRecord]:
    conflicts = conflicting_claims(session, claims)
    return [ClaimRecord.of(c, c.id in conflicts) for c in claims]


def parties(
    session: Session,
    limit: int,
    after: str | None = None,
    *,
    name_contains: str | None = None,
    kind: str | None = None,
    country: str | None = None,
) -> Page[PartyRecord]:
    rows = page_of_parties(session, limit, after, name_contains=name_contains, kind=kind, country=country)
    return _page(rows, limit, lambda p: p.id)


@dataclass(frozen=True)
class PartyDetail:
    page: PartyPage
    timeline: list[TimelineEntry]


def party_detail(
    session: Session, party_id: str, as_of: date, window_years: int, *, timeline_parties: bool = True
) -> PartyDetail:
    """A party with its partnerships and its timeline (whose entries name their parties unless
    ``timeline_parties`` is false: two queries fewer for a page that does not show them)."""
    party = party_record(session, party_id)
    if party is None:
        into = merged_into(session, party_id)
        if into is not None:
            raise MergedParty(party_id, into)
        raise NotFound(f"no party {party_id!r} in the register")
    return PartyDetail(
        party_page(session, party, as_of, window_years), timeline(session, party, with_parties=timeline_parties)
    )


@dataclass(frozen=True)
class PartnershipDetail:
    view: PartnershipView
    claims: list[ClaimRecord]
    timeline: list[TimelineEntry]
    why_established: list[str]  # why the established year reads as it does, one line a value


def _why(session: Session, claims: Sequence[Claim], prop: str) -> list[str]:
    """For each value sources give of a single-valued property: whether it counts, and why (a
    reviewer's decision with its reason, or sources that disagree and wait for one)."""
    about = [c for c in claims if c.property == prop and c.superseded_by is None]
    values: dict[str, list[Claim]] = {}
    for claim in about:
        values.setdefault(claim.value, []).append(claim)
    if len(values) < 2 and not any(c.review_state != "proposed" for c in about):
        return []  # one value, nobody has decided: nothing to explain
    chosen = {c.value for c in about if c.review_state == "accepted"}
    lines = []
    for value, group in sorted(values.items()):
        shown = orjson.loads(value)
        decisions = sorted((d for c in group for d in list_decisions(session, c.id)), key=lambda d: d.decided_at)
        by = f" by {decisions[-1].decided_by} ({decisions[-1].reason})" if decisions else ""
        if value in chosen:
            lines.append(f"{shown}: counts, accepted{by}")
        elif all(c.review_state == "rejected" for c in group):
            lines.append(f"{shown}: does not count, rejected{by}")
        elif chosen:
            lines.append(f"{shown}: does not count, a reviewer accepted {', '.join(sorted(chosen))}")
        else:
            count = len(group)
            lines.append(f"{shown}: said by {count} source{'s' if count > 1 else ''}, not yet reviewed")
    return lines


def partnership_detail(session: Session, partnership_id: str, as_of: date, window_years: int) -> PartnershipDetail:
    """A partnership with its derived values, every claim about it (conflicts marked) and the
    timeline of its two parties together."""
    found = session.get(Partnership, partnership_id)
    if found is None:
        raise NotFound(f"no partnership {partnership_id!r} in the register")
    claims = list_claims(session, "partnership", [found.id])[found.id]
    a, b = party_record(session, found.party_a_id), party_record(session, found.party_b_id)
    assert a is not None and b is not None  # foreign keys
    return PartnershipDetail(
        partnership_view(session, found, as_of, window_years, claims),
        _claim_records(session, claims),
        timeline(session, a, b),
        _why(session, claims, "established"),
    )


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: str
    title: str | None
    kind: str
    media_type: str
    source: str
    size: int
    ingested_at: datetime

    @classmethod
    def of(cls, d: Document) -> DocumentSummary:
        return cls(d.id, d.title, d.kind, d.media_type, d.source, d.size, d.ingested_at)


def documents(session: Session, limit: int, after: str | None = None) -> Page[DocumentSummary]:
    rows = page_of_documents(session, limit, after)
    return _page([DocumentSummary.of(d) for d in rows], limit, lambda d: d.id)


@dataclass(frozen=True)
class DocumentDetail:
    document: DocumentSummary
    text: str
    claims: list[ClaimRecord]  # in the order they stand in the text


def document_detail(session: Session, document_id: str) -> DocumentDetail:
    found = get_document(session, document_id)
    if found is None:
        raise NotFound(f"no document {document_id!r} in the register")
    claims = _claim_records(session, list_document_claims(session, found.id))
    return DocumentDetail(DocumentSummary.of(found), found.text, claims)


def claims_about(session: Session, subject_type: str, subject_id: str) -> list[ClaimRecord]:
    return _claim_records(session, list_claims(session, subject_type, [subject_id])[subject_id])


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    at: datetime
    by: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True, slots=True)
class TrailLine:
    """A line of the audit trail about a claim: who did what to it, and when."""

    at: datetime
    actor: str
    action: str


@dataclass(frozen=True)
class ClaimHistory:
    """A claim, what it is about, every decision made on it and its lines of the audit trail
    (its proposal by an editor, each decision), oldest first."""

    claim: ClaimRecord
    about: str
    decisions: list[DecisionRecord]
    trail: list[TrailLine]


def claim_history(session: Session, claim_id: str) -> ClaimHistory:
    claim = get_claim(session, claim_id)
    record = next(r for r in claims_about(session, claim.subject_type, claim.subject_id) if r.id == claim.id)
    decisions = [
        DecisionRecord(d.decided_at, d.decided_by, d.previous_state, d.state, d.reason)
        for d in list_decisions(session, claim.id)
    ]
    trail = [TrailLine(e.at, e.actor, e.action) for e in reversed(list_audit(session, subject=claim.id))]
    return ClaimHistory(record, describe_subject(session, claim.subject_type, claim.subject_id), decisions, trail)
