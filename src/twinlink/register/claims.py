"""Writing claims: one id per (subject, property, value, source, span, method), so writing twice is a no-op."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from twinlink.ids import make_id
from twinlink.store.tables import Claim
from twinlink.vocab import ReviewState


@dataclass(frozen=True, slots=True)
class Evidence:
    document_id: str | None
    source: str | None
    quote: str | None
    span_start: int | None
    span_end: int | None
    method: str


def claim_key(subject_type: str, subject_id: str, prop: str, encoded_value: str, evidence: Evidence) -> str:
    """The id of a claim: the same statement from the same place in the same source is one claim.
    An account of an event keeps the parties it names (for grouping accounts into events), but
    they are not part of its id: read again after two parties were merged, it is the same claim."""
    if subject_type == "event" and '"parties"' in encoded_value:
        told = json.loads(encoded_value)
        told.pop("parties", None)
        encoded_value = json.dumps(told, ensure_ascii=False, sort_keys=True)
    return make_id(
        "cl",
        subject_type,
        subject_id,
        prop,
        encoded_value,
        evidence.document_id,
        evidence.source,
        evidence.span_start,
        evidence.method,
    )


def add_claim(
    session: Session,
    subject_type: str,
    subject_id: str,
    prop: str,
    value: object,
    evidence: Evidence,
    state: ReviewState = ReviewState.PROPOSED,
    written: set[str] | None = None,
) -> tuple[str, bool]:
    """Record a claim; its id, and True when it is new. ``written`` is given when the caller
    knows every claim that may exist already (the ones it wrote itself, from a document new to
    the register, whose id is part of every claim's): then the register is not asked."""
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
    claim_id = claim_key(subject_type, subject_id, prop, encoded, evidence)
    known = claim_id in written if written is not None else session.get(Claim, claim_id) is not None
    if known:
        return claim_id, False
    session.add(
        Claim(
            id=claim_id,
            subject_type=subject_type,
            subject_id=subject_id,
            property=prop,
            value=encoded,
            document_id=evidence.document_id,
            source=evidence.source,
            quote=evidence.quote,
            span_start=evidence.span_start,
            span_end=evidence.span_end,
            method=evidence.method,
            review_state=state.value,
        )
    )
    return claim_id, True
