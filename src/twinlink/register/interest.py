"""Registrations of interest: a council, school or other body asks for a partner. A registration
resolves its organisation to a party where it can (a council to its gazetteer place; a school by
its URN or its name in its place), refuses a second open registration of the same organisation,
and then moves through the process's stages, each move kept with who made it and why. A
registration is never itself a partnership: only a sourced claim makes one."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place, name_key
from twinlink.ids import make_id
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.register.interest_form import EMAIL, PHONE, InterestForm
from twinlink.store.parties import ensure_body, ensure_place
from twinlink.store.tables import (
    Contact,
    ContactLogEntry,
    Party,
    PartyIdentifier,
    Registration,
    StageMove,
    utcnow,
)
from twinlink.store.users import record_audit
from twinlink.vocab import OrganisationType, PartyKind, Stage

PUBLIC = "public"  # who a registration from the public form is recorded as made by
LOG_KINDS = ("letter", "e-mail", "call", "meeting", "translation", "note")


class AlreadyRegistered(TwinlinkError):
    """The organisation has a registration that is still open."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"this organisation is registered already ({reference}); a coordinator will be in touch")
        self.reference = reference


class BadMove(TwinlinkError):
    """A stage move or contact-log entry that cannot be recorded."""


def body_kind(kind: OrganisationType) -> PartyKind:
    if kind is OrganisationType.SCHOOL:
        return PartyKind.SCHOOL
    if kind is OrganisationType.UNIVERSITY:
        return PartyKind.UNIVERSITY
    return PartyKind.ORGANISATION


@dataclass(frozen=True)
class Resolved:
    """Where a registering organisation stands in the register: its party, if it has one yet,
    the gazetteer place it is in, and the party id it will have."""

    party_id: str | None
    place: Place | None
    will_be: str | None


def _place(gazetteer: Gazetteer, name: str, avoid_country: str) -> Place | None:
    if not name:
        return None
    found = gazetteer.find(name, limit=5)
    home = [c for c in found if c.place.country != avoid_country]
    chosen = (home or found)[:1]
    return chosen[0].place if chosen else None


def resolve_organisation(session: Session, gazetteer: Gazetteer, form: InterestForm) -> Resolved:
    """A council is its place; a body is found by its identifier, or by its name in its place."""
    kind = form.organisation_type
    if kind.local_government:
        place = _place(gazetteer, form.organisation_name, form.partner_country) or _place(
            gazetteer, form.place, form.partner_country
        )
        if place is not None and name_key(place.name) in name_key(form.organisation_name):
            known = place.id if session.get(Party, place.id) is not None else None
            return Resolved(known, place, place.id)
        return Resolved(None, place, None)
    place = _place(gazetteer, form.place, form.partner_country)
    for scheme, value in (("urn", form.urn), ("ukprn", form.ukprn)):
        if value:
            identified = session.get(PartyIdentifier, (scheme, value))
            if identified is not None:
                return Resolved(identified.party_id, place, identified.party_id)
    will_be = make_id("body", body_kind(kind).value, name_key(form.organisation_name), place.id if place else None)
    return Resolved(will_be if session.get(Party, will_be) is not None else None, place, will_be)


def _open_duplicate(session: Session, form: InterestForm, resolved: Resolved) -> Registration | None:
    query = select(Registration).where(Registration.stage.not_in([s.value for s in Stage if s.closed]))
    for registration in session.scalars(query):
        details = json.loads(registration.details)
        if resolved.will_be is not None and resolved.will_be in (registration.party_id, details.get("will_be")):
            return registration
        for scheme in ("urn", "ukprn"):
            if getattr(form, scheme) and details.get(scheme) == getattr(form, scheme):
                return registration
        same_place = registration.place_id == (resolved.place.id if resolved.place else None)
        if same_place and name_key(registration.organisation_name) == name_key(form.organisation_name):
            return registration
    return None


def submit_registration(
    session: Session, gazetteer: Gazetteer, form: InterestForm, language: str = "en", actor: str = PUBLIC
) -> Registration:
    """Record a registration of interest at stage *new*; its reference is the number to quote."""
    resolved = resolve_organisation(session, gazetteer, form)
    duplicate = _open_duplicate(session, form, resolved)
    if duplicate is not None:
        raise AlreadyRegistered(duplicate.reference)
    contact = Contact(
        party_id=resolved.party_id,
        name=form.contact_name,
        role=form.contact_role,
        email=form.contact_email,
        phone=form.contact_phone,
        languages=form.contact_languages,
        created_by=actor,
    )
    session.add(contact)
    session.flush()
    details = form.model_dump(mode="json", exclude={"contact_name", "contact_role", "contact_email", "contact_phone"})
    details["will_be"] = resolved.will_be
    registration = Registration(
        reference=secrets.token_hex(8),  # until the row has its number
        organisation_type=form.organisation_type.value,
        organisation_name=form.organisation_name,
        party_id=resolved.party_id,
        place_id=resolved.place.id if resolved.place else None,
        contact_id=contact.id,
        stage=Stage.NEW.value,
        language=language if language in ("en", "zh") else "en",
        details=json.dumps(details, ensure_ascii=False, sort_keys=True),
    )
    session.add(registration)
    session.flush()
    registration.reference = f"TL-{date.today().year}-{registration.id:04d}"
    session.flush()
    record_audit(session, actor, "interest.register", registration.reference, organisation=form.organisation_name)
    return registration


def get_registration(session: Session, reference: str) -> Registration:
    found = session.scalars(select(Registration).where(Registration.reference == reference.upper())).first()
    if found is None:
        raise NotFound(f"no registration {reference!r}")
    return found


def details_of(registration: Registration) -> dict[str, Any]:
    details: dict[str, Any] = json.loads(registration.details)
    return details


def ensure_organisation_party(session: Session, gazetteer: Gazetteer, registration: Registration) -> str | None:
    """Give a registration's organisation its party in the register, once a coordinator has taken
    it up (a form from the public makes no party by itself); its id."""
    if registration.party_id is not None:
        return registration.party_id
    details = details_of(registration)
    kind = OrganisationType(registration.organisation_type)
    touched = Touched()
    place = gazetteer.get(registration.place_id) if registration.place_id else None
    if kind.local_government:
        if place is None:
            return None
        party_id = ensure_place(session, place, gazetteer, touched.parties).id
    else:
        party_id = str(details["will_be"])
        parent = ensure_place(session, place, gazetteer, touched.parties).id if place else None
        country = place.country if place else None
        ensure_body(session, party_id, registration.organisation_name, body_kind(kind).value, country, parent)
        for scheme in ("urn", "ukprn"):
            if details.get(scheme) and session.get(PartyIdentifier, (scheme, details[scheme])) is None:
                session.add(PartyIdentifier(scheme=scheme, value=details[scheme], party_id=party_id))
    touched.parties.add(party_id)
    registration.party_id = party_id
    contact = session.get(Contact, registration.contact_id)
    if contact is not None and contact.party_id is None:
        contact.party_id = party_id
    session.flush()
    refresh(session, touched)
    return party_id


def move_stage(session: Session, gazetteer: Gazetteer, reference: str, to: str, reason: str, actor: str) -> StageMove:
    """Move a registration to another stage; going back, declining or withdrawing needs a reason."""
    registration = get_registration(session, reference)
    try:
        target = Stage(to)
    except ValueError:
        raise BadMove(f"stage {to!r}: choose one of {', '.join(s.value for s in Stage)}") from None
    current = Stage(registration.stage)
    if target is current:
        raise BadMove(f"{registration.reference} is at {current.value} already")
    order = list(Stage)
    backwards = not current.closed and not target.closed and order.index(target) < order.index(current)
    if (backwards or target in (Stage.DECLINED, Stage.WITHDRAWN) or current.closed) and not reason.strip():
        raise BadMove(f"say why {registration.reference} goes from {current.value} to {target.value}")
    if target is not Stage.NEW:
        ensure_organisation_party(session, gazetteer, registration)
    move = StageMove(
        registration_id=registration.id,
        from_stage=current.value,
        to_stage=target.value,
        reason=reason.strip(),
        moved_by=actor,
    )
    session.add(move)
    registration.stage = target.value
    registration.updated_at = utcnow()
    session.flush()
    record_audit(
        session, actor, "interest.move", registration.reference, before=current.value, after=target.value, reason=reason
    )
    return move


def stage_moves(session: Session, registration: Registration) -> list[StageMove]:
    query = select(StageMove).where(StageMove.registration_id == registration.id).order_by(StageMove.id)
    return list(session.scalars(query))


def list_registrations(session: Session, stage: str | None = None) -> list[Registration]:
    query = select(Registration).order_by(Registration.id.desc())
    if stage:
        query = query.where(Registration.stage == stage)
    return list(session.scalars(query))


@dataclass(frozen=True)
class LogEntryIn:
    """A contact-log entry as a coordinator enters it."""

    happened_on: date
    kind: str
    summary: str
    direction: str = "out"
    counterpart: str = ""
    next_action: str = ""
    next_due: date | None = None
    document_id: str | None = None


def add_log_entry(
    session: Session,
    entry: LogEntryIn,
    actor: str,
    *,
    registration: Registration | None = None,
    partnership_id: str | None = None,
) -> ContactLogEntry:
    """Keep a dated letter, call, meeting, e-mail or translation with the next action due."""
    if (registration is None) == (partnership_id is None):
        raise BadMove("a contact-log entry is about one registration or one partnership")
    if entry.kind not in LOG_KINDS:
        raise BadMove(f"kind {entry.kind!r}: choose one of {', '.join(LOG_KINDS)}")
    if entry.direction not in ("in", "out"):
        raise BadMove("direction: in (received) or out (sent)")
    if entry.happened_on > date.today():
        raise BadMove("date: a contact-log entry records what has happened; put what is planned as the next action")
    if not entry.summary.strip():
        raise BadMove("summary: say what was said or sent")
    if entry.next_due is not None and not entry.next_action.strip():
        raise BadMove("next action: say what is due by that date")
    if entry.next_due is not None and entry.next_due < entry.happened_on:
        raise BadMove("next action: the date it is due is before the entry's own date")
    row = ContactLogEntry(
        registration_id=registration.id if registration else None,
        partnership_id=partnership_id,
        happened_on=entry.happened_on,
        kind=entry.kind,
        direction=entry.direction,
        counterpart=" ".join(entry.counterpart.split()),
        summary=entry.summary.strip(),
        next_action=entry.next_action.strip(),
        next_due=entry.next_due,
        done=False,
        document_id=entry.document_id,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    subject = registration.reference if registration else str(partnership_id)
    record_audit(session, actor, "contact_log.add", subject, entry=row.id, kind=entry.kind)
    return row


def log_of(session: Session, registration: Registration) -> list[ContactLogEntry]:
    query = select(ContactLogEntry).where(ContactLogEntry.registration_id == registration.id)
    return list(session.scalars(query.order_by(ContactLogEntry.happened_on, ContactLogEntry.id)))


def actions_due(session: Session, until: date) -> list[tuple[ContactLogEntry, Registration | None]]:
    """Next actions not done and due by ``until``, soonest first, with their registrations."""
    query = (
        select(ContactLogEntry, Registration)
        .outerjoin(Registration, Registration.id == ContactLogEntry.registration_id)
        .where(
            ContactLogEntry.next_due.is_not(None), ContactLogEntry.next_due <= until, ContactLogEntry.done.is_(False)
        )
        .order_by(ContactLogEntry.next_due, ContactLogEntry.id)
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def mark_done(session: Session, entry_id: int, actor: str) -> None:
    entry = session.get(ContactLogEntry, entry_id)
    if entry is None:
        raise NotFound(f"no contact-log entry {entry_id}")
    entry.done = True
    record_audit(session, actor, "contact_log.done", str(entry_id))


@dataclass(frozen=True)
class ContactIn:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    languages: str = ""


def add_contact(session: Session, party_id: str, given: ContactIn, actor: str) -> Contact:
    """A person at an organisation in the register (personal data: shown only to coordinators and
    the organisation's own users)."""
    if session.get(Party, party_id) is None:
        raise NotFound(f"no party {party_id!r} in the register")
    name = " ".join(given.name.split())
    if not 2 <= len(name) <= 200:
        raise BadMove("name: give the person's name")
    if given.email and not EMAIL.match(given.email.strip()):
        raise BadMove("e-mail: give an address such as name@example.org")
    if given.phone and not PHONE.match(given.phone.strip()):
        raise BadMove("telephone: digits, spaces and an optional +")
    contact = Contact(
        party_id=party_id,
        name=name,
        role=given.role.strip()[:200],
        email=given.email.strip().lower(),
        phone=given.phone.strip(),
        languages=given.languages.strip()[:200],
        created_by=actor,
    )
    session.add(contact)
    session.flush()
    record_audit(session, actor, "contact.add", party_id, contact=contact.id)
    return contact


def contacts_of(session: Session, party_id: str) -> list[Contact]:
    return list(session.scalars(select(Contact).where(Contact.party_id == party_id).order_by(Contact.name)))


def log_of_partnership(session: Session, partnership_id: str) -> list[ContactLogEntry]:
    query = select(ContactLogEntry).where(ContactLogEntry.partnership_id == partnership_id)
    return list(session.scalars(query.order_by(ContactLogEntry.happened_on, ContactLogEntry.id)))
