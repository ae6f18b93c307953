"""After the visit: the report (objectives and outcomes, the programme as it took place, what was
signed, follow-up actions) is stored as a document of the register, and each item that took
place and each instrument signed become sourced claims on the link's timeline (method
``report:<delegation>``, quoting the report's own line), reviewed like any other claim;
follow-up actions go into the contact log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from twinlink.documents.model import Document as DocumentValue
from twinlink.ids import sha256_hex
from twinlink.register.corrections import Citation, EventEntry, propose_claim, propose_event
from twinlink.register.delegations import BadDelegation, get_delegation, itinerary_of, set_state
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.register.interest import LogEntryIn, add_log_entry
from twinlink.store.documents import add_document
from twinlink.store.tables import Delegation, ItineraryItem, Registration
from twinlink.store.users import record_audit
from twinlink.vocab import DelegationState, DocumentKind

DAY_PARTS = {"morning": "in the morning", "afternoon": "in the afternoon", "evening": "in the evening"}


@dataclass(frozen=True)
class FollowUp:
    action: str
    owner: str
    due: date | None = None


@dataclass(frozen=True)
class ReportIn:
    objectives: str
    outcomes: str
    took_place: tuple[int, ...]  # itinerary items that happened as planned
    signed: tuple[str, ...] = ()  # instruments signed on the visit ("memorandum of understanding")
    people_met: str = ""
    follow_ups: tuple[FollowUp, ...] = field(default_factory=tuple)


def _line(delegation: Delegation, item: ItineraryItem) -> str:
    where = f" at {item.venue}" if item.venue else ""
    host = f", hosted by {item.host}" if item.host else ""
    return f"On {item.day.isoformat()} {DAY_PARTS.get(item.block, '')}: {item.title}{where}{host}."


def _compose(
    delegation: Delegation, items: list[ItineraryItem], report: ReportIn
) -> tuple[str, dict[int, tuple[int, int]], dict[str, tuple[int, int]]]:
    """The report's text, and where each item's and each instrument's line is in it."""
    parts = [
        f"Report of the visit {delegation.reference}: {delegation.title}",
        f"{delegation.starts_on.isoformat()} to {delegation.ends_on.isoformat()}",
        "",
        f"Objectives: {report.objectives.strip()}",
        f"Outcomes: {report.outcomes.strip()}",
    ]
    if report.people_met.strip():
        parts.append(f"People met: {report.people_met.strip()}")
    parts += ["", "Programme as it took place:"]
    text = "\n".join(parts) + "\n"
    item_spans: dict[int, tuple[int, int]] = {}
    for item in items:
        line = _line(delegation, item)
        item_spans[item.id] = (len(text), len(text) + len(line))
        text += line + "\n"
    signed_spans: dict[str, tuple[int, int]] = {}
    if report.signed:
        text += "\nSigned on the visit:\n"
        for instrument in report.signed:
            line = f"A {instrument} was signed on {delegation.ends_on.isoformat()}."
            signed_spans[instrument] = (len(text), len(text) + len(line))
            text += line + "\n"
    if report.follow_ups:
        text += "\nFollow-up actions:\n"
        for follow in report.follow_ups:
            due = f" by {follow.due.isoformat()}" if follow.due else ""
            text += f"- {follow.action} ({follow.owner}{due})\n"
    return text, item_spans, signed_spans


def report_visit(session: Session, reference: str, report: ReportIn, actor: str) -> str:
    """Record a completed visit's report; the id of the document it is stored as."""
    delegation = get_delegation(session, reference)
    if DelegationState(delegation.state) is not DelegationState.COMPLETED:
        raise BadDelegation(f"{delegation.reference} is {delegation.state}: a report follows a completed visit")
    if not report.objectives.strip() or not report.outcomes.strip():
        raise BadDelegation("report: give the objectives and the outcomes")
    items = {i.id: i for i in itinerary_of(session, delegation)}
    if not set(report.took_place) <= set(items):
        raise BadDelegation("programme: only this visit's itinerary items")
    happened = [items[i] for i in sorted(report.took_place, key=lambda i: (items[i].day, items[i].id))]
    text, item_spans, signed_spans = _compose(delegation, happened, report)
    data = text.encode("utf-8")
    document = DocumentValue(
        sha256_hex(data),
        f"{delegation.reference}-report.txt",
        f"report of delegation {delegation.reference}",
        f"Report of {delegation.title}",
        DocumentKind.REPORT,
        "text/plain",
        text,
        len(data),
    )
    touched = Touched()
    if add_document(session, document):
        touched.documents.add(document.id)
    refresh(session, touched)
    for item in items.values():
        item.took_place = item.id in report.took_place
    method = f"report:{delegation.reference}"
    if delegation.partnership_id:
        for item in happened:
            start, end = item_spans[item.id]
            citation = Citation(document.id, quote=text[start:end], span=(start, end), method=method)
            entry = EventEntry(item.day.year, item.day.month, item.day.day, "visit", item.title)
            propose_event(session, delegation.partnership_id, entry, citation, actor)
        for instrument, (start, end) in signed_spans.items():
            citation = Citation(document.id, quote=text[start:end], span=(start, end), method=method)
            propose_claim(session, "partnership", delegation.partnership_id, "instrument", instrument, citation, actor)
            signed_on = delegation.ends_on
            entry = EventEntry(signed_on.year, signed_on.month, signed_on.day, "agreement", f"{instrument} signed")
            propose_event(session, delegation.partnership_id, entry, citation, actor)
    for follow in report.follow_ups:
        _follow_up(session, delegation, follow, actor)
    delegation.report_document_id = document.id
    set_state(session, delegation, DelegationState.REPORTED, "report recorded", actor)
    record_audit(
        session,
        actor,
        "delegation.report",
        delegation.reference,
        document=document.id,
        events=len(happened) if delegation.partnership_id else 0,
    )
    return document.id


def _follow_up(session: Session, delegation: Delegation, follow: FollowUp, actor: str) -> None:
    entry = LogEntryIn(
        happened_on=date.today(),
        kind="note",
        summary=f"Follow-up from the visit {delegation.reference}",
        counterpart=follow.owner,
        next_action=follow.action,
        next_due=follow.due,
    )
    registration = session.get(Registration, delegation.registration_id) if delegation.registration_id else None
    if registration is not None:
        add_log_entry(session, entry, actor, registration=registration)
    elif delegation.partnership_id:
        add_log_entry(session, entry, actor, partnership_id=delegation.partnership_id)
