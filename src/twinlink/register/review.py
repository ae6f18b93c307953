"""The review queue: proposed claims and claims in conflict, and the decisions that settle them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from twinlink.errors import TwinlinkError
from twinlink.register.derive import SINGLE_VALUED, claim_value, derive, in_force, party_kind
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.register.event_accounts import accounts_disagree, settle_event
from twinlink.store.claims import get_claim, list_claims_in_states, record_decision
from twinlink.store.tables import Claim, Decision, Event, Partnership, Party
from twinlink.store.users import record_audit
from twinlink.vocab import ReviewState


@dataclass(frozen=True)
class ReviewItem:
    claim: Claim
    subject: str
    conflict: bool

    @property
    def says(self) -> str:
        """The claim's value as a person reads it ("established 1995", "occurred: 2019-07 visit")."""
        value = claim_value(self.claim)
        if isinstance(value, dict) and "year" in value:
            when = "-".join(
                f"{part:02d}" if i else str(part)
                for i, part in enumerate(p for p in (value.get("year"), value.get("month"), value.get("day")) if p)
            )
            planned = " (planned)" if value.get("planned") else ""
            return f"{self.claim.property}: {when} {value.get('kind', '')}{planned}".strip()
        if isinstance(value, dict):
            return f"{self.claim.property}: " + "; ".join(f"{k} {v}" for k, v in value.items() if v is not None)
        return f"{self.claim.property}: {value}"

    @property
    def cited(self) -> str:
        """Where the claim comes from, as a citation names it: an address, or a file's name."""
        source = self.claim.source or self.claim.document_id or self.claim.method
        return source.rsplit("/", 1)[-1] if source.startswith("/") else source


def describe_subject(session: Session, subject_type: str, subject_id: str) -> str:
    if subject_type == "partnership":
        partnership = session.get(Partnership, subject_id)
        if partnership is not None:
            a, b = session.get(Party, partnership.party_a_id), session.get(Party, partnership.party_b_id)
            return f"{a.name if a else '?'} – {b.name if b else '?'} ({partnership.kind})"
    if subject_type == "event":
        event = session.get(Event, subject_id)
        if event is not None:
            return f"{event.year} {event.kind}: {event.description[:60]}"
    if subject_type == "party":
        party = session.get(Party, subject_id)
        if party is not None:
            return f"{party.name} ({party.kind})"
    return f"{subject_type} {subject_id}"


def conflicting_claims(session: Session, claims: Sequence[Claim]) -> set[str]:
    """Ids of the claims that stand on one side of a conflict."""
    groups: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.property in SINGLE_VALUED or claim.property == "occurred":
            groups[(claim.subject_type, claim.subject_id, claim.property)].append(claim)
    out: set[str] = set()
    for (subject_type, subject_id, prop), group in groups.items():
        if prop == "occurred":
            if len(group) > 1 and accounts_disagree(group):
                out.update(c.id for c in in_force(group))
            continue
        if subject_type == "party" and prop == "kind":
            party = session.get(Party, subject_id)
            derived = party_kind(party, group) if party is not None else derive(group)
        else:
            derived = derive(group)
        if derived.conflict:
            out.update(c.id for v in derived.values for c in v.claims)
    return out


def list_review(session: Session, conflicts_only: bool = False) -> list[ReviewItem]:
    """Proposed claims, and every claim in a conflict whatever its state; conflicts first."""
    claims = list_claims_in_states(session, [s.value for s in ReviewState])
    conflicts = conflicting_claims(session, claims)
    items = [
        ReviewItem(c, describe_subject(session, c.subject_type, c.subject_id), c.id in conflicts)
        for c in claims
        if c.id in conflicts or (not conflicts_only and c.review_state == ReviewState.PROPOSED.value)
    ]
    return sorted(items, key=lambda i: (not i.conflict, i.subject, i.claim.property, i.claim.id))


def decide(
    session: Session, claim_ids: Sequence[str], state: ReviewState, reason: str, decided_by: str
) -> list[Decision]:
    """Accept, reject or reopen claims; each decision is kept with who, when and why."""
    if not reason.strip() and state is not ReviewState.PROPOSED:
        raise TwinlinkError("give a reason for the decision")
    if not decided_by.strip():
        raise TwinlinkError("say who decides")
    claims = [get_claim(session, cid) for cid in claim_ids]
    decisions = []
    for claim in claims:
        record_audit(
            session,
            decided_by,
            f"review.{state.value}",
            claim.id,
            before=claim.review_state,
            after=state.value,
            reason=reason,
        )
        decisions.append(record_decision(session, claim, state.value, reason, decided_by))
    touched = Touched()
    for claim in claims:
        touched.claim(claim)
        if claim.subject_type == "event" and claim.property == "occurred":
            session.flush()
            settle_event(session, claim.subject_id, decided_by)
    refresh(session, touched)
    return decisions
