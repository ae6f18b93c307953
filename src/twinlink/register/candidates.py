"""A coordinator's answer to a suggested partner: accepted, it becomes a first-contact step (a
contact-log entry with the next action due, and the registration moves on to *matched*);
dismissed, it leaves the suggestions with the reason, listed among the excluded."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.interest import BadMove, LogEntryIn, add_log_entry, get_registration, move_stage
from twinlink.store.parties import get_party
from twinlink.store.tables import CandidateDecision
from twinlink.store.users import record_audit
from twinlink.vocab import Stage

FIRST_CONTACT_DAYS = 14
BEFORE_MATCHED = (Stage.NEW, Stage.CONTACTED, Stage.SEARCHING)


def candidate_name(session: Session, gazetteer: Gazetteer, candidate_id: str) -> str:
    party = get_party(session, candidate_id)
    if party is not None:
        return party.name
    place = gazetteer.get(candidate_id)
    if place is None:
        raise BadMove(f"no place or party {candidate_id!r} to suggest")
    return place.name


def decide_candidate(
    session: Session,
    gazetteer: Gazetteer,
    reference: str,
    candidate_id: str,
    decision: str,
    reason: str,
    actor: str,
) -> CandidateDecision:
    registration = get_registration(session, reference)
    if decision not in ("accepted", "dismissed"):
        raise BadMove("decision: accepted or dismissed")
    if decision == "dismissed" and not reason.strip():
        raise BadMove("say why the suggestion is dismissed")
    name = candidate_name(session, gazetteer, candidate_id)
    made = CandidateDecision(
        registration_id=registration.id,
        candidate_id=candidate_id,
        decision=decision,
        reason=reason.strip(),
        decided_by=actor,
    )
    session.add(made)
    session.flush()
    record_audit(session, actor, f"match.{decision}", registration.reference, candidate=candidate_id, reason=reason)
    if decision == "accepted":
        add_log_entry(
            session,
            LogEntryIn(
                happened_on=date.today(),
                kind="note",
                summary=f"Suggested partner accepted: {name}." + (f" {reason.strip()}" if reason.strip() else ""),
                counterpart=name,
                next_action=f"First contact with {name}",
                next_due=date.today() + timedelta(days=FIRST_CONTACT_DAYS),
            ),
            actor,
            registration=registration,
        )
        if Stage(registration.stage) in BEFORE_MATCHED:
            move_stage(session, gazetteer, registration.reference, Stage.MATCHED.value, f"accepted {name}", actor)
    return made
