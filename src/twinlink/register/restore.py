"""What a lossless facts export carries beyond facts, put back on import: the document itself,
claims of shapes the facts format has no fact for, and review decisions with who made them,
when and why."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.errors import BadFacts
from twinlink.facts import DocumentFacts
from twinlink.register.claims import Evidence, add_claim
from twinlink.register.derived.refresh import Touched
from twinlink.register.event_accounts import settle_event
from twinlink.store.tables import Claim, Decision, Document, Event, Partnership, Party
from twinlink.vocab import DocumentKind, ReviewState

_DOCUMENT_ID = re.compile(r"[0-9a-f]{64}")
_SUBJECTS: dict[str, type[Party | Partnership | Event]] = {"party": Party, "partnership": Partnership, "event": Event}
_STATES = frozenset(s.value for s in ReviewState)


def _extra(facts: DocumentFacts, name: str) -> Any:
    return (facts.model_extra or {}).get(name)


def restore_document(session: Session, facts: DocumentFacts, touched: Touched) -> str | None:
    """The stored document a line carries (``document``: id, kind, media type, text), stored
    unless the register holds it; its id, or None for a line without one."""
    given = _extra(facts, "document")
    if given is None:
        return None
    where = f"{facts.doc}: document"
    if not isinstance(given, dict) or not isinstance(given.get("text"), str):
        raise BadFacts(f"{where}: give the document's id, kind, media_type and text")
    document_id = str(given.get("id", ""))
    if not _DOCUMENT_ID.fullmatch(document_id):
        raise BadFacts(f"{where}.id: a document's id is the 64 hex digits of its sha256")
    kind = str(given.get("kind", ""))
    if kind not in {k.value for k in DocumentKind}:
        raise BadFacts(f"{where}.kind: {kind!r} is not a kind of document")
    if session.get(Document, document_id) is None:
        text = given["text"]
        session.add(
            Document(
                id=document_id,
                source=facts.source or facts.doc,
                title=facts.title,
                kind=kind,
                media_type=str(given.get("media_type") or "text/plain"),
                text=text,
                size=int(given.get("size") or len(text.encode("utf-8"))),
            )
        )
        session.flush()
        touched.documents.add(document_id)
    return document_id


def restore_claims(session: Session, facts: DocumentFacts, touched: Touched) -> Counter[str]:
    """Claims a line carries as they are (an editor's established year, a party's name): each
    added about its subject, which the line's facts or an earlier line made."""
    counts: Counter[str] = Counter()
    for n, raw in enumerate(_extra(facts, "claims") or []):
        where = f"{facts.doc}: claims.{n}"
        if not isinstance(raw, dict) or raw.get("subject_type") not in _SUBJECTS:
            raise BadFacts(f"{where}: give subject_type (party, partnership or event), subject_id, property and value")
        if session.get(_SUBJECTS[raw["subject_type"]], str(raw.get("subject_id"))) is None:
            counts["claims about nothing in the register"] += 1
            continue
        evidence = Evidence(
            raw.get("document_id"),
            raw.get("source"),
            raw.get("quote"),
            raw.get("span_start"),
            raw.get("span_end"),
            str(raw.get("method") or "import"),
        )
        claim_id, new = add_claim(
            session, raw["subject_type"], str(raw["subject_id"]), str(raw.get("property")), raw.get("value"), evidence
        )
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
    for n, review in enumerate(_extra(facts, "reviews") or []):
        where = f"{facts.doc}: reviews.{n}"
        if not isinstance(review, dict) or review.get("state") not in _STATES:
            raise BadFacts(f"{where}: give the claim's id, its state (proposed, accepted or rejected) and decisions")
        claim = session.get(Claim, str(review.get("claim")))
        if claim is None:
            counts["reviews of claims not made"] += 1
            continue
        if session.scalars(select(Decision.id).where(Decision.claim_id == claim.id).limit(1)).first() is not None:
            continue
        for d in review.get("decisions") or []:
            session.add(
                Decision(
                    claim_id=claim.id,
                    state=str(d["state"]),
                    previous_state=str(d["previous_state"]),
                    reason=str(d.get("reason") or ""),
                    decided_by=str(d.get("decided_by") or actor),
                    decided_at=_when(d.get("decided_at"), where),
                )
            )
        claim.review_state = review["state"]
        claim.superseded_by = review.get("superseded_by")
        session.flush()
        touched.claim(claim)
        counts["reviews"] += 1
        if claim.subject_type == "event" and claim.property == "occurred":
            settle_event(session, claim.subject_id, actor)
    return counts


def _when(text: object, where: str) -> datetime:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        raise BadFacts(f"{where}: decided_at {text!r} is not an ISO date and time") from None
