"""Reading claims and recording review decisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.store.chunks import chunks
from twinlink.store.engine import column_rows
from twinlink.store.tables import Claim, Decision

_CLAIMS = (
    select(Claim)
    .where(Claim.subject_type == bindparam("type"), Claim.subject_id.in_(bindparam("ids", expanding=True)))
    .order_by(Claim.created_at, Claim.id)
)
_CLAIMS_OF_PROPERTY = _CLAIMS.where(Claim.property == bindparam("property"))


def has_accepted_claim(session: Session, subject_type: str, subject_id: str) -> bool:
    query = select(Claim.id).where(
        Claim.subject_type == subject_type, Claim.subject_id == subject_id, Claim.review_state == "accepted"
    )
    return session.scalars(query.limit(1)).first() is not None


def list_claims(
    session: Session, subject_type: str, subject_ids: Iterable[str], prop: str | None = None
) -> dict[str, list[Claim]]:
    """The claims about each subject (optionally one property), oldest first."""
    ids = list(subject_ids)
    out: dict[str, list[Claim]] = {sid: [] for sid in ids}
    query = _CLAIMS if prop is None else _CLAIMS_OF_PROPERTY
    for chunk in chunks(ids):
        for claim in session.scalars(query, {"type": subject_type, "ids": chunk, "property": prop}):
            out[claim.subject_id].append(claim)
    return out


@dataclass(slots=True)  # not frozen: frozen records are slow to make, and pages read hundreds
class ClaimRow:
    """The columns of a claim that say who states it and whether it stands, without the ORM object."""

    id: str
    subject_id: str
    review_state: str
    superseded_by: str | None
    source: str | None
    document_id: str | None
    quote: str | None
    method: str


CLAIM_ROW_COLUMNS = (
    Claim.id,
    Claim.subject_id,
    Claim.review_state,
    Claim.superseded_by,
    Claim.source,
    Claim.document_id,
    Claim.quote,
    Claim.method,
)


@dataclass(slots=True)
class StatedRow(ClaimRow):
    """A ``ClaimRow`` with what the claim states."""

    property: str
    value: str


_STATED: Select[*tuple[Any, ...]] = select(*CLAIM_ROW_COLUMNS, Claim.property, Claim.value)


def stated_rows(session: Session, claim_ids: Iterable[str]) -> list[StatedRow]:
    """These claims as ``StatedRow``s, in the order of their ids."""
    rows: list[StatedRow] = []
    for chunk in chunks(sorted(set(claim_ids))):
        rows += (StatedRow(*row) for row in column_rows(session, _STATED.where(Claim.id.in_(chunk))))
    return sorted(rows, key=lambda row: row.id)


def stated_rows_about(
    session: Session, subject_type: str, subject_ids: Iterable[str], prop: str
) -> dict[str, list[StatedRow]]:
    """The claims of one property about each subject, as ``StatedRow``s in the order of their ids."""
    out: dict[str, list[StatedRow]] = {}
    for chunk in chunks(sorted(set(subject_ids))):
        query = _STATED.where(Claim.subject_type == subject_type, Claim.subject_id.in_(chunk), Claim.property == prop)
        for row in column_rows(session, query):
            out.setdefault(row.subject_id, []).append(StatedRow(*row))
    for rows in out.values():
        rows.sort(key=lambda row: row.id)
    return out


def list_claims_in_states(session: Session, states: Sequence[str]) -> list[Claim]:
    query = select(Claim).where(Claim.review_state.in_(states), Claim.superseded_by.is_(None))
    return list(session.scalars(query.order_by(Claim.subject_type, Claim.subject_id, Claim.property, Claim.id)))


def list_document_claims(session: Session, document_id: str) -> list[Claim]:
    """The claims a document supports, in the order they stand in its text."""
    query = select(Claim).where(Claim.document_id == document_id).order_by(Claim.span_start, Claim.id)
    return list(session.scalars(query))


def get_claim(session: Session, id_or_prefix: str) -> Claim:
    """A claim by its id or an unambiguous prefix of it."""
    claim = session.get(Claim, id_or_prefix)
    if claim is not None:
        return claim
    if len(id_or_prefix) < 6:
        raise TwinlinkError(f"claim id {id_or_prefix!r} is too short: give at least 6 characters")
    matches = list(session.scalars(select(Claim).where(Claim.id.startswith(id_or_prefix, autoescape=True)).limit(2)))
    if not matches:
        raise NotFound(f"no claim with id {id_or_prefix!r}")
    if len(matches) > 1:
        raise TwinlinkError(f"claim id {id_or_prefix!r} is ambiguous: give more characters")
    return matches[0]


def record_decision(session: Session, claim: Claim, state: str, reason: str, decided_by: str) -> Decision:
    """Set a claim's review state, keeping the decision with who made it, when and why."""
    decision = Decision(
        claim_id=claim.id, state=state, previous_state=claim.review_state, reason=reason, decided_by=decided_by
    )
    claim.review_state = state
    session.add(decision)
    session.flush()
    return decision


def list_decisions(session: Session, claim_id: str) -> list[Decision]:
    return list(session.scalars(select(Decision).where(Decision.claim_id == claim_id).order_by(Decision.id)))


def decisions_of(session: Session, claim_ids: Iterable[str]) -> dict[str, list[Decision]]:
    """The decisions on each of many claims, oldest first (claims with none are left out)."""
    out: dict[str, list[Decision]] = {}
    for chunk in chunks(sorted(set(claim_ids))):
        for decision in session.scalars(
            select(Decision).where(Decision.claim_id.in_(chunk)).order_by(Decision.claim_id, Decision.id)
        ):
            out.setdefault(decision.claim_id, []).append(decision)
    return out


def claim_spans_in(
    session: Session, subject_type: str, subject_id: str, *, document_id: str | None, source: str | None
) -> set[int | None]:
    """Where in one document (or, without a document, one source) the claims about a subject
    stand."""
    here = Claim.document_id == document_id if document_id else Claim.source == source
    query = select(Claim.span_start).where(Claim.subject_type == subject_type, Claim.subject_id == subject_id, here)
    return set(session.scalars(query))


def claim_spans_of_events(
    session: Session, event_ids: Sequence[str], document_id: str | None, source: str | None
) -> list[tuple[str, int | None]]:
    """Where in one document (or source) the accounts of these events stand: (event, start)."""
    here = Claim.document_id == document_id if document_id else Claim.source == source
    found: list[tuple[str, int | None]] = []
    for chunk in chunks(list(event_ids)):
        query = select(Claim.subject_id, Claim.span_start).where(
            Claim.subject_type == "event", Claim.subject_id.in_(chunk), here
        )
        found += [(subject, start) for subject, start in session.execute(query)]
    return found


def list_event_claims_of_document(session: Session, document_id: str) -> list[Claim]:
    """The claims a document makes that events occurred."""
    query = select(Claim).where(
        Claim.document_id == document_id, Claim.subject_type == "event", Claim.property == "occurred"
    )
    return list(session.scalars(query.order_by(Claim.span_start, Claim.id)))


def extracted_document_ids(session: Session, method_prefix: str) -> list[str]:
    """The documents that have claims made by methods starting so (extraction's ``rule:``)."""
    query = select(Claim.document_id).where(
        Claim.document_id.is_not(None), Claim.method.startswith(method_prefix, autoescape=True)
    )
    return [doc_id for doc_id in session.scalars(query.distinct()) if doc_id is not None]
