"""The shapes of the JSON API's responses (``/openapi.json`` is made from them). Responses are
written straight from the register's records for speed; the tests read every response back
through these models, which forbid fields they do not name, so the two cannot drift apart."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from twinlink.register.derived.digests import ValueWithSources
from twinlink.register.derived.timelines import TimelineEntry
from twinlink.store.parties import PartyRef
from twinlink.store.search import Hit


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Out):
    """An RFC 9457 problem details object (served as ``application/problem+json``)."""

    type: str = Field("about:blank", description="A URI naming the kind of problem; about:blank: the status says it.")
    title: str = Field(description="The status's phrase, such as Not Found.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What is wrong here, in one line.")
    error: str = Field(description="The same as detail.")


class PartyOut(Out):
    id: str
    name: str
    name_zh: str | None
    name_pinyin: str | None
    kind: str
    country: str | None = Field(description="ISO 3166-1 alpha-2 code.")
    parent_id: str | None
    iso_code: str | None = Field(description="ISO 3166-2 code of a province or county, if it has one.")
    gss_code: str | None = Field(description="UK Government Statistical Service code.")
    cn_admin_code: str | None = Field(description="Chinese administrative division code.")
    geonames_id: str | None
    lat: float | None
    lon: float | None
    needs_review: bool = Field(description="A body outside the gazetteer, not yet checked by an editor.")
    html: str = Field(description="The party's page.")


class PartyListOut(Out):
    items: list[PartyOut]
    next: str | None = Field(description="Cursor for the next page (`after`), null on the last.")
    next_url: str | None = Field(description="The next page's address (also in the Link header), null on the last.")


class PartnershipFields(Out):
    id: str
    kind: str = Field(description="place, school, university or organisation")
    party_a: PartyRef
    party_b: PartyRef
    established: str = Field(description="The year it was established, or 'conflict: …' when sources disagree.")
    established_values: list[ValueWithSources]
    instruments: list[str]
    status: str = Field(description="active, dormant, ended or unknown, as of the date asked")
    status_reason: str
    latest_activity: str | None
    conflicts: list[str] = Field(description="Properties on which sources disagree.")
    funding: list[dict[str, Any]]
    sources: list[str]
    stage: str | None = Field(
        description="How formal, from what its sources call it: contact, letter of intent / MoU, friendship, "
        "sister or twin; null when no source says."
    )


class PartnershipOut(PartnershipFields):
    html: str = Field(description="The partnership's page.")


class PartnershipListOut(Out):
    items: list[PartnershipOut]
    next: str | None = Field(description="Cursor for the next page (`after`), null on the last.")
    next_url: str | None = Field(description="The next page's address (also in the Link header), null on the last.")


class PartyDetailOut(Out):
    party: PartyRef
    name_pinyin: str | None
    parent: PartyRef | None
    codes: dict[str, str]
    kind: list[ValueWithSources]
    kind_conflict: bool
    needs_review: bool
    partnerships: list[PartnershipFields]
    names: list[ValueWithSources] = Field(description='Names sources give: {"name", "language"} (en, zh, pinyin).')
    timeline: list[TimelineEntry]
    html: str


class ClaimOut(Out):
    id: str
    subject_type: str = Field(description="party, partnership or event")
    subject_id: str
    property: str
    value: Any
    document_id: str | None
    source: str | None
    quote: str | None = Field(description="The words of the source that state it.")
    span: tuple[int, int] | None = Field(description="Where the quote stands in the document's text.")
    method: str = Field(description="The extraction rule and its version, import, or an editor.")
    review_state: str
    superseded_by: str | None
    conflict: bool = Field(description="It stands on one side of a disagreement about its subject.")


class ClaimListOut(Out):
    items: list[ClaimOut]


class PartnershipDetailOut(PartnershipFields):
    why_established: list[str] = Field(
        description="Why the established year reads as it does: each value given, whether it counts, and the decision behind it."
    )
    claims: list[ClaimOut]
    timeline: list[TimelineEntry]
    html: str


class TimelineOut(Out):
    items: list[TimelineEntry]


class DocumentOut(Out):
    id: str
    title: str | None
    kind: str = Field(description="text, html or pdf")
    media_type: str
    source: str = Field(description="The address or citation it came from.")
    size: int = Field(description="Bytes of the file as read.")
    ingested_at: datetime
    html: str


class DocumentListOut(Out):
    items: list[DocumentOut]
    next: str | None = Field(description="Cursor for the next page (`after`), null on the last.")
    next_url: str | None = Field(description="The next page's address (also in the Link header), null on the last.")


class DocumentDetailOut(DocumentOut):
    text: str
    claims: list[ClaimOut]


class SearchOut(Out):
    total: int = Field(description="How many match, counted up to 1,000.")
    items: list[Hit]
    next_url: str | None = Field(description="The next page's address (also in the Link header), null on the last.")


class ClaimIn(Out):
    """A fact an editor proposes about a partnership, with its source."""

    property: str = Field(description="established, status or instrument")
    value: str = Field(description="A year; active or ended; the instrument's name.")
    document_id: str | None = Field(None, description="A document in the register that states it.")
    address: str | None = Field(None, description="Else the web address of the source.")
    quote: str | None = Field(None, description="The words of the source that state it.")


class DecisionIn(Out):
    state: str = Field(description="accepted, rejected, or proposed to reopen")
    reason: str = Field(description="Why; kept with the decision.")


class EventIn(Out):
    """A dated happening an editor enters, or another account of a recorded one, with its source."""

    year: int = Field(ge=1, le=9999)
    month: int | None = Field(None, ge=1, le=12)
    day: int | None = Field(None, ge=1, le=31)
    kind: str = Field(
        "other", description="visit, agreement, founding, exchange, trade, award, gift, anniversary, meeting or other"
    )
    what: str = Field(description="What happened.")
    planned: bool = Field(False, description="Announced, not yet done.")
    document_id: str | None = Field(None, description="A document in the register that states it.")
    address: str | None = Field(None, description="Else the web address of the source.")
    quote: str | None = Field(None, description="The words of the source that state it.")


class FundingIn(Out):
    funder: str = ""
    recipient: str = ""
    what: str = Field(description="What was funded.")
    until_year: int | None = Field(None, ge=1, le=9999)
    document_id: str | None = None
    address: str | None = None
    quote: str | None = None


class NameIn(Out):
    name: str
    language: str = Field("en", description="en, zh or pinyin")
    document_id: str | None = None
    address: str | None = None
    quote: str | None = None


class MergeIn(Out):
    into: str = Field(description="The party this one is: its id or exact name.")
    reason: str = Field("", description="Why; kept with the change.")


class SplitIn(Out):
    partnerships: list[str] = Field(description="The ids of the partnerships that belong to the other party.")
    name: str = Field(description="The other party's name.")
    kind: str = Field(description="What the other party is: school, university, city…")
    reason: str = Field("", description="Why; kept with the change.")


class UndoIn(Out):
    reason: str = Field("", description="Why; kept in the audit trail.")


class PartyChangeOut(Out):
    """A merge or split: ``party`` is the party kept (merge) or split (split), ``other`` the
    party merged away or split off."""

    id: int
    action: str
    party: str
    other: str
    reason: str
    decided_by: str
    decided_at: datetime
    undone_by: str | None
    undone_at: datetime | None


class DecisionOut(Out):
    at: datetime
    by: str
    before: str
    after: str
    reason: str


class TrailOut(Out):
    at: datetime
    actor: str
    action: str


class ClaimHistoryOut(Out):
    claim: ClaimOut
    about: str = Field(description="What the claim is about, as a person reads it.")
    decisions: list[DecisionOut] = Field(description="Every review decision on it, oldest first.")
    trail: list[TrailOut] = Field(description="Its lines of the audit trail, oldest first.")
    html: str


class FormErrorOut(ErrorOut):
    fields: dict[str, str] = Field(description="Each wrong field with its message.")


class RegistrationReceivedOut(Out):
    reference: str = Field(description="The number to quote, such as TL-2026-0001.")
    stage: str


class RegistrationOut(Out):
    reference: str
    organisation: str
    type: str
    party: str | None = Field(description="The organisation's party, once a coordinator has taken it up.")
    stage: str
    received: datetime


class RegistrationListOut(Out):
    items: list[RegistrationOut]


class ContactOut(Out):
    name: str
    role: str
    email: str
    phone: str
    languages: str


class StageMoveOut(Out):
    at: datetime
    by: str
    from_stage: str
    to_stage: str
    reason: str


class LogEntryOut(Out):
    id: int
    happened_on: date
    kind: str
    direction: str
    counterpart: str
    summary: str
    next_action: str
    next_due: date | None
    done: bool
    document_id: str | None


class RegistrationDetailOut(RegistrationOut):
    details: dict[str, Any] = Field(description="Profile, intent and readiness as registered.")
    contact: ContactOut | None = Field(description="Only for coordinators and the organisation's own users.")
    moves: list[StageMoveOut]
    log: list[LogEntryOut]


class MoveIn(Out):
    stage: str
    reason: str = ""


class LogEntryIn(Out):
    happened_on: date | None = Field(None, description="Defaults to today.")
    kind: str = Field(description="letter, e-mail, call, meeting, translation or note")
    summary: str
    direction: str = "out"
    counterpart: str = ""
    next_action: str = ""
    next_due: date | None = None
    document_id: str | None = None


class CandidateIn(Out):
    candidate: str = Field(description="The suggested party's or place's id.")
    decision: str = Field(description="accepted or dismissed")
    reason: str = ""


class CandidateDecisionOut(Out):
    registration: str
    candidate: str
    decision: str
    reason: str
    decided_by: str
    decided_at: datetime


class EvidenceOut(Out):
    text: str
    quote: str | None
    link: str | None


class FactorOut(Out):
    name: str
    label: str
    weight: float
    value: float = Field(description="0 to 1")
    contribution: float
    applies: bool
    reason: str
    evidence: list[EvidenceOut]


class SuggestionOut(Out):
    id: str
    name: str
    name_zh: str | None
    kind: str
    within: str | None
    score: float = Field(description="0 to 100")
    factors: list[FactorOut]
    notes: list[str]


class ExcludedOut(Out):
    id: str
    name: str
    rule: str


class RankingOut(Out):
    reference: str
    filtered_by: list[str]
    weights: dict[str, float]
    suggestions: list[SuggestionOut]
    excluded: list[ExcludedOut]
    accepted: list[str]


class DelegationOut(Out):
    reference: str
    title: str
    travelling_from: str
    travelling_to: str
    starts_on: date
    ends_on: date
    state: str
    partnership: str | None
    html: str


class DelegationListOut(Out):
    items: list[DelegationOut]


class MemberOut(Out):
    id: int
    role: str
    passport_name: str
    name_zh: str
    title_en: str
    title_zh: str
    nationality: str
    passport_number: str
    passport_expiry: date | None
    entry_route: str | None
    entry_warnings: list[str]


class ItemOut(Out):
    id: int
    day: date
    block: str
    starts: str
    ends: str
    timezone: str
    title: str
    venue: str
    took_place: bool | None


class StepOut(Out):
    step: str
    decision: str = Field(description="pending, approved, rejected or withdrawn")
    by: str | None
    at: datetime | None
    note: str


class DelegationDetailOut(DelegationOut):
    purpose: str
    members: list[MemberOut] = Field(description="Personal data: for coordinators only.")
    itinerary: list[ItemOut]
    approvals: list[StepOut]
    costs_pence: int


class DelegationMoveIn(Out):
    state: str
    reason: str = ""


class StepIn(Out):
    step: str
    decision: str = Field(description="approved or rejected")
    note: str = ""


class MemberIn(Out):
    role: str = Field(description="leader, member, officer, interpreter, teacher, pupil or guest")
    passport_name: str
    nationality: str
    name_zh: str = ""
    pinyin: str = ""
    title_en: str = ""
    title_zh: str = ""
    passport_number: str = ""
    passport_expiry: date | None = None
    date_of_birth: date | None = None
    gender: str = ""
    organisation: str = ""
    post: str = ""
    dietary: str = ""
    access_needs: str = ""
    emergency_contact: str = ""


class ItemIn(Out):
    day: date
    block: str = Field(description="morning, afternoon or evening")
    starts: str = Field(description="HH:MM, local to the venue")
    ends: str
    timezone: str = Field(description="IANA time zone, such as Asia/Shanghai")
    title: str
    venue: str = ""
    host: str = ""
    people_met: str = ""
    purpose: str = ""
    attendees: list[int] = Field(default_factory=list, description="Member ids; empty: everyone.")
    interpreter: str = ""
    transport: str = ""


class ReconcileType(Out):
    id: str
    name: str


class ReconcileCandidateOut(Out):
    id: str = Field(description="The party's id.")
    name: str
    type: list[ReconcileType] = Field(description="The party's kind.")
    score: float = Field(description="0–100: how closely its best name form reads like the query, less any mismatch.")
    match: bool = Field(description="True when this is surely the one: a score of 95 or more, 10 ahead of the next.")
    description: str


class ReconcileResultsOut(Out):
    result: list[ReconcileCandidateOut]


class ReconcileManifestOut(BaseModel):
    """The service's manifest (W3C Reconciliation API 0.2)."""

    versions: list[str]
    name: str
    identifierSpace: str
    schemaSpace: str
    defaultTypes: list[ReconcileType]
    view: dict[str, str]
    preview: dict[str, Any]
    suggest: dict[str, dict[str, str]]
    extend: dict[str, Any]


class ReconcileExtensionOut(Out):
    meta: list[ReconcileType] = Field(description="Each property asked for, with its label.")
    rows: dict[str, dict[str, list[dict[str, Any]]]] = Field(
        description='For each party id, each property\'s cells: {"str": …}, {"float": …}, {"int": …} or {"id": …, "name": …}.'
    )


class ReconcileSuggestion(Out):
    id: str
    name: str
    description: str


class ReconcileSuggestOut(Out):
    result: list[ReconcileSuggestion]


class ReconcilePropertiesOut(Out):
    type: str
    properties: list[ReconcileType]


class ReconcileServiceOut(RootModel[ReconcileManifestOut | dict[str, ReconcileResultsOut] | ReconcileExtensionOut]):
    """The manifest (no parameters), the results for each query (``queries``), or the rows of a
    data extension (``extend``)."""
