"""An event's id is what its accounts together tell: its year, month, day, kind and parties. An
event whose accounts change is made again under the id of what they tell now (``event_groups``),
its claims moved (their ids name it), so that the register does not depend on which account
came first. An event a reviewer or an editor has spoken for keeps its id, since their decisions
name its claims, and so does one a standing merge or split of parties moved (undoing it names
the event)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from twinlink.ids import make_id
from twinlink.register.claims import Evidence, claim_key
from twinlink.store import search_index
from twinlink.store.tables import Claim, Decision, Event, EventParty, PartyChange, PartyTimelineLine
from twinlink.vocab import ReviewState


def event_key(year: int, month: int | None, day: int | None, kind: str, party_ids: Iterable[str]) -> str:
    """The id of the event these tell."""
    return make_id("ev", year, month, day, kind, *sorted(set(party_ids)))


BY_HAND = ("editor:", "report:")  # the methods of claims an editor or a delegation's report made


def spoken_for(session: Session, event_id: str) -> bool:
    """Whether a reviewer decided on one of the event's claims, an editor or a delegation's report
    made one, or a standing merge or split of parties moved its parties."""
    claim_ids = []
    for claim_id, state, method in session.execute(
        select(Claim.id, Claim.review_state, Claim.method).where(
            Claim.subject_type == "event", Claim.subject_id == event_id
        )
    ):
        if state != ReviewState.PROPOSED.value or method.startswith(BY_HAND):
            return True
        claim_ids.append(claim_id)
    decided = select(Decision.id).where(Decision.claim_id.in_(claim_ids)).limit(1)
    if claim_ids and session.scalars(decided).first() is not None:
        return True
    moved = select(PartyChange.id).where(PartyChange.undone_at.is_(None), PartyChange.moves.contains(event_id))
    return session.scalars(moved.limit(1)).first() is not None


def move_claim(session: Session, claim: Claim, event_id: str) -> str:
    """The claim made again about another event (its id names the event); its new id."""
    evidence = Evidence(claim.document_id, claim.source, claim.quote, claim.span_start, claim.span_end, claim.method)
    moved = claim_key("event", event_id, claim.property, claim.value, evidence)
    if session.get(Claim, moved) is None:
        session.add(
            Claim(
                id=moved,
                subject_type="event",
                subject_id=event_id,
                property=claim.property,
                value=claim.value,
                document_id=claim.document_id,
                source=claim.source,
                quote=claim.quote,
                span_start=claim.span_start,
                span_end=claim.span_end,
                method=claim.method,
                review_state=claim.review_state,
                superseded_by=claim.superseded_by,
                created_at=claim.created_at,
            )
        )
    session.delete(claim)
    return moved


def remove_event(session: Session, event: Event) -> None:
    """An event no account tells any more, with its parties, timeline lines and index entry."""
    session.execute(delete(EventParty).where(EventParty.event_id == event.id))
    session.execute(delete(PartyTimelineLine).where(PartyTimelineLine.event_id == event.id))
    search_index.delete_entries(session, [("event", event.id)])
    session.delete(event)
