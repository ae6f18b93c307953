"""The only schema. Every fact is a claim with a source; other tables hold identities."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    name_zh: Mapped[str | None] = mapped_column(String(100))
    name_pinyin: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("parties.id"))
    gazetteer_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    iso_code: Mapped[str | None] = mapped_column(String(10))
    geonames_id: Mapped[str | None] = mapped_column(String(20))
    gss_code: Mapped[str | None] = mapped_column(String(12))
    cn_admin_code: Mapped[str | None] = mapped_column(String(12))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Alias(Base):
    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("party_id", "alias", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300), index=True)
    language: Mapped[str] = mapped_column(String(10), default="en")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    media_type: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    ingested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Partnership(Base):
    __tablename__ = "partnerships"
    __table_args__ = (UniqueConstraint("party_a_id", "party_b_id", "kind"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    party_a_id: Mapped[str] = mapped_column(ForeignKey("parties.id"), index=True)
    party_b_id: Mapped[str] = mapped_column(ForeignKey("parties.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_year_kind", "year", "kind"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    month: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    precision: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    partnership_id: Mapped[str | None] = mapped_column(ForeignKey("partnerships.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EventParty(Base):
    """A party an event involves, with the event's year and kind (which never change): the events
    of a kind in a year that a party is in are found through one index, however many events the
    party has."""

    __tablename__ = "event_parties"
    __table_args__ = (Index("ix_event_parties_party_year_kind", "party_id", "year", "kind", "event_id"),)

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("parties.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))


class Claim(Base):
    """One statement by one source: ``subject`` has ``property`` = ``value``."""

    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_subject", "subject_type", "subject_id", "property"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(String(64))
    property: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"), index=True)
    source: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(80))
    review_state: Mapped[str] = mapped_column(String(20), default="proposed")
    superseded_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Decision(Base):
    """A review decision on a claim, kept with who made it, when and why."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    previous_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PartnershipDigest(Base):
    """What a partnership's claims and events add up to, kept by every write that changes them so
    that lists and pages need not read every claim; derived, never a source of truth."""

    __tablename__ = "partnership_digests"

    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(Text)
    # what lists count statuses and facets from (see register.derive.StatusColumns)
    asserted: Mapped[bool | None] = mapped_column(Boolean)
    ended: Mapped[bool | None] = mapped_column(Boolean)
    said_dormant: Mapped[bool | None] = mapped_column(Boolean)
    said_active: Mapped[bool | None] = mapped_column(Boolean)
    settled_from: Mapped[int | None] = mapped_column(Integer)
    latest_day: Mapped[int | None] = mapped_column(Integer)
    founding_only: Mapped[bool | None] = mapped_column(Boolean)
    established_min: Mapped[int | None] = mapped_column(Integer)


class PartyTimelineLine(Base):
    """One dated event of a party's timeline with its sources, kept by every write that changes
    the event, its parties or a claim that it occurred, so that a party's page reads its lines
    instead of every event and claim, and a write rewrites the lines of the events it changed
    only; derived, never a source of truth."""

    __tablename__ = "party_timeline_lines"

    party_id: Mapped[str] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    # the line's place in the timeline: the event's date (0 for a part not known) and then its id
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    line: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_party_timeline_lines_order", "party_id", "year", "month", "day", "event_id"),
        Index("ix_party_timeline_lines_event", "event_id"),
    )


class DerivedVersion(Base):
    """The version each derived table was last computed with: a table whose version differs from
    the one the code computes is rebuilt when the register is opened (``register.derived``)."""

    __tablename__ = "derived_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class User(Base):
    """Someone who signs in; the password is kept only as an argon2 hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """One write to the register or its accounts, kept append-only: who, when, what and the
    values before and after."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")


class ApiToken(Base):
    """A user's token for scripts, kept only as its SHA-256 (the token itself is shown once)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class PartyChange(Base):
    """A reviewer's merge of two parties into one, or split of one into two: what moved is kept
    (``moves``) so that the change can be undone, and while it stands it steers later writes
    (a merged party's name resolves to the party it was merged into; the documents a split gave
    to the new party keep speaking of it)."""

    __tablename__ = "party_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(10))  # merge | split
    party_id: Mapped[str] = mapped_column(String(64), index=True)  # merge: the party kept; split: the one split
    other_id: Mapped[str] = mapped_column(String(64), index=True)  # merge: the party merged away; split: the new one
    documents: Mapped[str] = mapped_column(Text, default="[]")  # split: the documents that speak of the new party
    moves: Mapped[str] = mapped_column(Text, default="[]")
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    undone_by: Mapped[str | None] = mapped_column(String(100))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class SiteSetting(Base):
    """A setting an admin changes on the settings page (whether the site is private…)."""

    __tablename__ = "site_settings"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PartyIdentifier(Base):
    """An identifier a body has in a register of its own: a school's DfE URN, a university's UKPRN."""

    __tablename__ = "party_identifiers"

    scheme: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("parties.id"), index=True)


class Membership(Base):
    """A user who works for an organisation in the register (and so sees its contacts)."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("parties.id"), primary_key=True)


class Contact(Base):
    """A person at an organisation: personal data, shown only to coordinators and the
    organisation's own users, never in public pages or exports."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    party_id: Mapped[str | None] = mapped_column(ForeignKey("parties.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Registration(Base):
    """A registration of interest in a partnership: who, their profile, what they want and how
    ready they are (``details``, the validated form as JSON). Never itself a partnership."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    organisation_type: Mapped[str] = mapped_column(String(40))
    organisation_name: Mapped[str] = mapped_column(String(300), index=True)
    party_id: Mapped[str | None] = mapped_column(ForeignKey("parties.id"), index=True)
    place_id: Mapped[str | None] = mapped_column(String(64))  # where it is, from the gazetteer
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    stage: Mapped[str] = mapped_column(String(30), index=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    details: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StageMove(Base):
    """A registration moved from one stage to another, by whom and why."""

    __tablename__ = "stage_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    from_stage: Mapped[str] = mapped_column(String(30))
    to_stage: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")
    moved_by: Mapped[str] = mapped_column(String(100))
    moved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ContactLogEntry(Base):
    """A dated letter, call, meeting, e-mail or translation about a registration or a link, with
    the next action and when it is due; an attachment is a document in the register."""

    __tablename__ = "contact_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"), index=True)
    partnership_id: Mapped[str | None] = mapped_column(ForeignKey("partnerships.id"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10), default="out")
    counterpart: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    next_action: Mapped[str] = mapped_column(Text, default="")
    next_due: Mapped[date | None] = mapped_column(Date, index=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CandidateDecision(Base):
    """A coordinator's answer to a suggested partner for a registration: accepted (a first-contact
    step follows) or dismissed, with the reason."""

    __tablename__ = "candidate_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    candidate_id: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Delegation(Base):
    """A delegation visit a coordinator plans and runs: who travels where, when and why, for which
    link or registration, and where it stands (draft → planned → approved → travelling →
    completed → reported, or cancelled)."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text, default="")
    travelling_from: Mapped[str] = mapped_column(String(2))  # country codes: GB → CN is a UK delegation to China
    travelling_to: Mapped[str] = mapped_column(String(2))
    visiting_party_id: Mapped[str | None] = mapped_column(ForeignKey("parties.id"))
    host_party_id: Mapped[str | None] = mapped_column(ForeignKey("parties.id"))
    partnership_id: Mapped[str | None] = mapped_column(ForeignKey("partnerships.id"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"))
    lead: Mapped[str] = mapped_column(String(100))  # the coordinator who runs it
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), index=True)
    approval_chain: Mapped[str] = mapped_column(Text, default="[]")  # the steps, in order
    retention_days: Mapped[int] = mapped_column(Integer, default=365)  # personal data kept after the visit
    report_document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DelegationMember(Base):
    """Someone who travels: personal data, seen only by the delegation's coordinators."""

    __tablename__ = "delegation_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    passport_name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(100), default="")
    pinyin: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    title_zh: Mapped[str] = mapped_column(String(200), default="")
    nationality: Mapped[str] = mapped_column(String(2))
    passport_number: Mapped[str] = mapped_column(String(30), default="")
    passport_expiry: Mapped[date | None] = mapped_column(Date)
    organisation: Mapped[str] = mapped_column(String(300), default="")
    post: Mapped[str] = mapped_column(String(200), default="")
    dietary: Mapped[str] = mapped_column(String(300), default="")
    access_needs: Mapped[str] = mapped_column(String(300), default="")
    emergency_contact: Mapped[str] = mapped_column(String(300), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(20), default="")


class ItineraryItem(Base):
    """One block of a day's programme (morning, afternoon or evening), in the venue's time zone."""

    __tablename__ = "itinerary_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    block: Mapped[str] = mapped_column(String(10))  # morning | afternoon | evening
    starts: Mapped[str] = mapped_column(String(5))  # HH:MM local to the venue
    ends: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    venue: Mapped[str] = mapped_column(String(300), default="")
    venue_place_id: Mapped[str | None] = mapped_column(String(64))
    host: Mapped[str] = mapped_column(String(300), default="")
    people_met: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[str] = mapped_column(Text, default="[]")  # member ids; empty: everyone
    interpreter: Mapped[str] = mapped_column(String(200), default="")
    transport: Mapped[str] = mapped_column(String(300), default="")
    took_place: Mapped[bool | None] = mapped_column(Boolean)


class TravelLeg(Base):
    """A flight or train of the journey, with the members on it (none listed: everyone)."""

    __tablename__ = "travel_legs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # out | back
    carrier: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(20), default="")
    from_place: Mapped[str] = mapped_column(String(200))
    to_place: Mapped[str] = mapped_column(String(200))
    departs: Mapped[datetime] = mapped_column(DateTime)
    departs_tz: Mapped[str] = mapped_column(String(60))
    arrives: Mapped[datetime] = mapped_column(DateTime)
    arrives_tz: Mapped[str] = mapped_column(String(60))
    members: Mapped[str] = mapped_column(Text, default="[]")


class EntryRule(Base):
    """A dated rule of entry: who (nationality) may enter where, how (visa-free, visitor visa…),
    for how long, between which dates, with its source. Kept as data an admin edits."""

    __tablename__ = "entry_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    nationality: Mapped[str] = mapped_column(String(2), index=True)
    destination: Mapped[str] = mapped_column(String(2), index=True)
    route: Mapped[str] = mapped_column(String(200))
    needs_visa: Mapped[bool] = mapped_column(Boolean)
    max_days: Mapped[int | None] = mapped_column(Integer)
    passport_months: Mapped[int] = mapped_column(Integer, default=6)  # validity beyond the stay
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")


class Approval(Base):
    """A step of a delegation's approval chain decided, bound to the hash of what was approved:
    an approval whose hash no longer matches the delegation is withdrawn."""

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    step: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(20))  # approved | rejected | withdrawn
    content_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RiskItem(Base):
    """A hazard of the visit on the 5×5 matrix: before and after further controls, with its owner."""

    __tablename__ = "risk_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    itinerary_item_id: Mapped[int | None] = mapped_column(ForeignKey("itinerary_items.id"))
    hazard: Mapped[str] = mapped_column(String(300))
    who: Mapped[str] = mapped_column(String(300), default="")
    controls: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    further_controls: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[date | None] = mapped_column(Date)
    residual_likelihood: Mapped[int] = mapped_column(Integer)
    residual_severity: Mapped[int] = mapped_column(Integer)
    review_on: Mapped[date | None] = mapped_column(Date)


class CostLine(Base):
    """Money a delegation spends or receives: category, amount in pence, who funds it."""

    __tablename__ = "cost_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(300), default="")
    amount_pence: Mapped[int] = mapped_column(Integer)
    funder: Mapped[str] = mapped_column(String(300), default="")


class Gift(Base):
    """A gift given or received on a visit, with its value (for a councillor's register)."""

    __tablename__ = "gifts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # given | received
    description: Mapped[str] = mapped_column(String(300))
    value_pence: Mapped[int] = mapped_column(Integer, default=0)
    on: Mapped[date] = mapped_column(Date)
    counterpart: Mapped[str] = mapped_column(String(300), default="")


class Letter(Base):
    """A letter made for a delegation (an invitation for a visa or for approval at home), with the
    hash of the plan it was made from: when the plan changes, the letter is out of date."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    file_format: Mapped[str] = mapped_column(String(5))
    content_hash: Mapped[str] = mapped_column(String(64))
    made_by: Mapped[str] = mapped_column(String(100))
    made_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
