"""What a lossless facts export carries beyond facts, put back on import: the document itself,
claims of shapes the facts format has no fact for, and review decisions with who made them,
when and why (``facts.StoredDocument``, ``RawClaim``, ``Review``)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from twinlink.facts import DocumentFacts
from twinlink.register.claims import Evidence, add_claim
from twinlink.register.derived.refresh import Touched
from twinlink.register.event_accounts import settle_event
from twinlink.store.claims import list_decisions
from twinlink.store.tables import Claim, Decision, Document, Event, Partnership, Party

_SUBJECTS: dict[str, type[Party | Partnership | Event]] = {"party": Party, "partnership": Partnership, "event": Event}


def restore_document(session: Session, facts: DocumentFacts, touched: Touched) -> str | None:
    """The stored document a line carries, stored unless the register holds it; its id, or None
    for a line without one."""
    given = facts.document
    if given is None:
        return None
    if session.get(Document, given.id) is None:
        session.add(
            Document(
                id=given.id,
                source=facts.source or facts.doc,
                title=facts.title,
                kind=given.kind.value,
                media_type=given.media_type,
                text=given.text,
                size=given.size if given.size is not None else len(given.text.encode("utf-8")),
            )
        )
        session.flush()
        touched.documents.add(given.id)
    return given.id


def restore_claims(session: Session, facts: DocumentFacts, touched: Touched) -> Counter[str]:
    """Claims a line carries as they are: each added about its subject, which the line's facts
    or an earlier line made."""
    counts: Counter[str] = Counter()
    for raw in facts.claims:
        if session.get(_SUBJECTS[raw.subject_type], raw.subject_id) is None:
            counts["claims about nothing in the register"] += 1
            continue
        evidence = Evidence(raw.document_id, raw.source, raw.quote, raw.span_start, raw.span_end, raw.method)
        claim_id, new = add_claim(session, raw.subject_type, raw.subject_id, raw.property, raw.value, evidence)
        if new:
            counts["claims"] += 1
            claim = session.get(Claim, claim_id)
            if claim is not None:
                touched.claim(claim)
    return counts


def restore_reviews(session: Session, facts: DocumentFacts, touched: Touched, actor: str) -> Counter[str]:
    """Each review a line carries, given to its claim with its decisions (who, when, why) unless
    the claim has decisions already; an accepted account of an event settles the event."""
    counts: Counter[str] = Counter()
    for review in facts.reviews:
        claim = session.get(Claim, review.claim)
        if claim is None:
            counts["reviews of claims not made"] += 1
            continue
        if list_decisions(session, claim.id):
            continue
        for d in review.decisions:
            session.add(
                Decision(
                    claim_id=claim.id,
                    state=d.state.value,
                    previous_state=d.previous_state.value,
                    reason=d.reason,
                    decided_by=d.decided_by,
                    decided_at=_naive_utc(d.decided_at),
                )
            )
        claim.review_state = review.state.value
        claim.superseded_by = review.superseded_by
        session.flush()
        touched.claim(claim)
        counts["reviews"] += 1
        if claim.subject_type == "event" and claim.property == "occurred":
            settle_event(session, claim.subject_id, actor)
    return counts


def _naive_utc(moment: datetime) -> datetime:
    """A time as the register keeps it: UTC, without a zone."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
