"""What the process records as a fact of the register: a letter of intent, memorandum of
understanding or agreement signed between a registered organisation and its partner becomes a
sourced claim (the link exists, with that instrument, and the signing as an event), proposed and
reviewed like any other; the registration itself never is."""

from __future__ import annotations

from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.corrections import BadCorrection, Citation, EventEntry, propose_claim, propose_event
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.register.interest import BadMove, ensure_organisation_party, get_registration
from twinlink.store.parties import ensure_place, get_party
from twinlink.store.partnerships import ensure_partnership
from twinlink.store.users import record_audit
from twinlink.vocab import OrganisationType, PartnershipKind

INSTRUMENTS = (
    "letter of intent",
    "memorandum of understanding",
    "friendship agreement",
    "sister city agreement",
    "school partnership agreement",
)


def record_instrument(
    session: Session,
    gazetteer: Gazetteer,
    reference: str,
    partner_id: str,
    instrument: str,
    signed_year: int,
    citation: Citation,
    actor: str,
) -> str:
    """Record a signed instrument between a registration's organisation and a partner (a party or
    a gazetteer place); the id of the partnership it is a claim about."""
    if instrument not in INSTRUMENTS:
        raise BadCorrection(f"instrument {instrument!r}: choose one of {', '.join(INSTRUMENTS)}")
    registration = get_registration(session, reference)
    own = ensure_organisation_party(session, gazetteer, registration)
    if own is None:
        raise BadMove(f"{registration.reference}: the organisation is not resolved to a party; say where it is")
    touched = Touched()
    if get_party(session, partner_id) is None:
        place = gazetteer.get(partner_id)
        if place is None:
            raise BadMove(f"no party or place {partner_id!r}")
        ensure_place(session, place, gazetteer, touched.parties)
    if partner_id == own:
        raise BadMove("an organisation is not its own partner")
    kind = OrganisationType(registration.organisation_type)
    link_kind = (
        PartnershipKind.SCHOOL
        if kind.schools
        else PartnershipKind.INSTITUTION
        if kind is OrganisationType.UNIVERSITY
        else PartnershipKind.PLACE
    )
    partnership, created = ensure_partnership(session, own, partner_id, link_kind.value)
    if created:
        touched.partnerships.add(partnership.id)
    refresh(session, touched)
    propose_claim(session, "partnership", partnership.id, "exists", True, citation, actor)
    propose_claim(session, "partnership", partnership.id, "instrument", instrument, citation, actor)
    entry = EventEntry(signed_year, kind="agreement", what=f"{instrument} signed")
    propose_event(session, partnership.id, entry, citation, actor)
    record_audit(
        session, actor, "interest.instrument", registration.reference, partnership=partnership.id, instrument=instrument
    )
    return partnership.id
