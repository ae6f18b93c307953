"""Delegation visits from plan to report: the visit, its members, its day-by-day itinerary and
travel, where it stands (draft → planned → approved → travelling → completed → reported, or
cancelled, each move audited), and its approvals, each bound to a hash of what was approved: an
edit afterwards withdraws them. Personal data stays with the delegation's coordinators."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.store.parties import get_party
from twinlink.store.partnerships import get_partnership
from twinlink.store.tables import (
    Approval,
    CostLine,
    Delegation,
    DelegationMember,
    Gift,
    ItineraryItem,
    RiskItem,
    TravelLeg,
    utcnow,
)
from twinlink.store.users import record_audit
from twinlink.vocab import DelegationState

ROLES = ("leader", "member", "officer", "interpreter", "teacher", "pupil", "guest")
BLOCKS = ("morning", "afternoon", "evening")
MAX_DAYS = 60
DEFAULT_CHAIN = ("coordinator", "head or director", "council committee")
MOVES: dict[DelegationState, tuple[DelegationState, ...]] = {
    DelegationState.DRAFT: (DelegationState.PLANNED, DelegationState.CANCELLED),
    DelegationState.PLANNED: (DelegationState.DRAFT, DelegationState.CANCELLED),  # approved: by its approvals
    DelegationState.APPROVED: (DelegationState.TRAVELLING, DelegationState.PLANNED, DelegationState.CANCELLED),
    DelegationState.TRAVELLING: (DelegationState.COMPLETED,),
    DelegationState.COMPLETED: (),  # reported: by its report
    DelegationState.REPORTED: (),
    DelegationState.CANCELLED: (DelegationState.DRAFT,),
}
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class BadDelegation(TwinlinkError):
    """A delegation, member, itinerary item or decision that cannot be recorded."""


@dataclass(frozen=True)
class DelegationIn:
    title: str
    travelling_from: str
    travelling_to: str
    starts_on: date
    ends_on: date
    purpose: str = ""
    visiting_party_id: str | None = None
    host_party_id: str | None = None
    partnership_id: str | None = None
    registration_id: int | None = None
    approval_chain: tuple[str, ...] = DEFAULT_CHAIN
    retention_days: int = 365  # how long after the visit members' personal data is kept


def _country(code: str, field_name: str) -> str:
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise BadDelegation(f"{field_name}: give a two-letter country code such as GB or CN")
    return code


def create_delegation(session: Session, given: DelegationIn, actor: str) -> Delegation:
    title = " ".join(given.title.split())
    if not 3 <= len(title) <= 300:
        raise BadDelegation("title: say what the visit is, in 3 to 300 characters")
    if given.ends_on < given.starts_on:
        raise BadDelegation("dates: the visit ends before it starts")
    if (given.ends_on - given.starts_on).days + 1 > MAX_DAYS:
        raise BadDelegation(f"dates: a visit of more than {MAX_DAYS} days is not a delegation visit")
    origin, destination = _country(given.travelling_from, "from"), _country(given.travelling_to, "to")
    if origin == destination:
        raise BadDelegation("to: a delegation travels to another country")
    for party_id, name in ((given.visiting_party_id, "visiting"), (given.host_party_id, "host")):
        if party_id and get_party(session, party_id) is None:
            raise BadDelegation(f"{name}: no party {party_id!r} in the register")
    if given.partnership_id and get_partnership(session, given.partnership_id) is None:
        raise BadDelegation(f"link: no partnership {given.partnership_id!r} in the register")
    chain = [chain_step(line) for line in given.approval_chain if line.strip()]
    if not chain:
        raise BadDelegation("approvals: name at least one step")
    if not 0 <= given.retention_days <= 3650:
        raise BadDelegation("retention: keep personal data from 0 to 3,650 days after the visit")
    delegation = Delegation(
        reference=secrets.token_hex(8),
        title=title,
        purpose=given.purpose.strip(),
        travelling_from=origin,
        travelling_to=destination,
        visiting_party_id=given.visiting_party_id or None,
        host_party_id=given.host_party_id or None,
        partnership_id=given.partnership_id or None,
        registration_id=given.registration_id,
        lead=actor,
        starts_on=given.starts_on,
        ends_on=given.ends_on,
        state=DelegationState.DRAFT.value,
        approval_chain=json.dumps(chain, ensure_ascii=False),
        retention_days=given.retention_days,
    )
    session.add(delegation)
    session.flush()
    delegation.reference = f"DL-{given.starts_on.year}-{delegation.id:04d}"
    session.flush()
    record_audit(session, actor, "delegation.create", delegation.reference, title=title)
    return delegation


def get_delegation(session: Session, reference: str) -> Delegation:
    found = session.scalars(select(Delegation).where(Delegation.reference == reference.upper())).first()
    if found is None:
        raise NotFound(f"no delegation {reference!r}")
    return found


def list_delegations(session: Session) -> list[Delegation]:
    return list(session.scalars(select(Delegation).order_by(Delegation.starts_on.desc(), Delegation.id.desc())))


def members_of(session: Session, delegation: Delegation) -> list[DelegationMember]:
    query = select(DelegationMember).where(DelegationMember.delegation_id == delegation.id)
    return list(session.scalars(query.order_by(DelegationMember.id)))


def itinerary_of(session: Session, delegation: Delegation) -> list[ItineraryItem]:
    order = {b: i for i, b in enumerate(BLOCKS)}
    items = session.scalars(select(ItineraryItem).where(ItineraryItem.delegation_id == delegation.id))
    return sorted(items, key=lambda i: (i.day, order.get(i.block, 9), i.starts, i.id))


def legs_of(session: Session, delegation: Delegation) -> list[TravelLeg]:
    query = select(TravelLeg).where(TravelLeg.delegation_id == delegation.id).order_by(TravelLeg.departs)
    return list(session.scalars(query))


def risks_of(session: Session, delegation: Delegation) -> list[RiskItem]:
    query = select(RiskItem).where(RiskItem.delegation_id == delegation.id).order_by(RiskItem.id)
    return list(session.scalars(query))


def costs_of(session: Session, delegation: Delegation) -> list[CostLine]:
    query = select(CostLine).where(CostLine.delegation_id == delegation.id).order_by(CostLine.id)
    return list(session.scalars(query))


def gifts_of(session: Session, delegation: Delegation) -> list[Gift]:
    return list(session.scalars(select(Gift).where(Gift.delegation_id == delegation.id).order_by(Gift.on, Gift.id)))


def _editable(delegation: Delegation) -> None:
    if DelegationState(delegation.state) in (
        DelegationState.COMPLETED,
        DelegationState.REPORTED,
        DelegationState.CANCELLED,
    ):
        raise BadDelegation(f"{delegation.reference} is {delegation.state}: its plan can no longer change")


@dataclass(frozen=True)
class MemberIn:
    role: str
    passport_name: str
    nationality: str
    name_zh: str = ""
    pinyin: str = ""
    title_en: str = ""
    title_zh: str = ""
    passport_number: str = ""
    passport_expiry: date | None = None
    organisation: str = ""
    post: str = ""
    dietary: str = ""
    access_needs: str = ""
    emergency_contact: str = ""
    date_of_birth: date | None = None
    gender: str = ""


def add_member(session: Session, reference: str, given: MemberIn, actor: str) -> DelegationMember:
    delegation = get_delegation(session, reference)
    _editable(delegation)
    if given.role not in ROLES:
        raise BadDelegation(f"role {given.role!r}: choose one of {', '.join(ROLES)}")
    name = " ".join(given.passport_name.split())
    if not 2 <= len(name) <= 200:
        raise BadDelegation("name: give the name as in the passport")
    if given.passport_number and not re.fullmatch(r"[A-Z0-9]{5,20}", given.passport_number.strip().upper()):
        raise BadDelegation("passport number: letters and digits, 5 to 20 of them")
    values = asdict(given)
    values.update(
        passport_name=name,
        nationality=_country(given.nationality, "nationality"),
        passport_number=given.passport_number.strip().upper(),
    )
    member = DelegationMember(delegation_id=delegation.id, **values)
    session.add(member)
    session.flush()
    record_audit(session, actor, "delegation.member.add", delegation.reference, member=member.id, role=given.role)
    _changed(session, delegation, actor)
    return member


def remove_member(session: Session, reference: str, member_id: int, actor: str) -> None:
    delegation = get_delegation(session, reference)
    _editable(delegation)
    member = session.get(DelegationMember, member_id)
    if member is None or member.delegation_id != delegation.id:
        raise NotFound(f"no member {member_id} of {delegation.reference}")
    session.delete(member)
    session.flush()
    record_audit(session, actor, "delegation.member.remove", delegation.reference, member=member_id)
    _changed(session, delegation, actor)


@dataclass(frozen=True)
class ItemIn:
    day: date
    block: str
    starts: str
    ends: str
    timezone: str
    title: str
    venue: str = ""
    venue_place_id: str | None = None
    host: str = ""
    people_met: str = ""
    purpose: str = ""
    attendees: tuple[int, ...] = ()
    interpreter: str = ""
    transport: str = ""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadDelegation(f"time zone {name!r}: give one such as Europe/London or Asia/Shanghai") from None


def add_item(session: Session, reference: str, given: ItemIn, actor: str) -> ItineraryItem:
    delegation = get_delegation(session, reference)
    _editable(delegation)
    if not delegation.starts_on <= given.day <= delegation.ends_on:
        raise BadDelegation(f"day: {given.day} is outside the visit ({delegation.starts_on} to {delegation.ends_on})")
    if given.block not in BLOCKS:
        raise BadDelegation(f"block: choose {', '.join(BLOCKS)}")
    if not (_TIME.match(given.starts) and _TIME.match(given.ends)) or given.ends <= given.starts:
        raise BadDelegation("times: give a start and a later end as HH:MM")
    zone(given.timezone)
    title = " ".join(given.title.split())
    if not title:
        raise BadDelegation("title: say what happens")
    members = {m.id for m in members_of(session, delegation)}
    if not set(given.attendees) <= members:
        raise BadDelegation("attendees: only members of this delegation")
    values = asdict(given)
    values.update(title=title, attendees=json.dumps(sorted(given.attendees)))
    item = ItineraryItem(delegation_id=delegation.id, **values)
    session.add(item)
    session.flush()
    record_audit(session, actor, "delegation.item.add", delegation.reference, item=item.id, day=given.day)
    _changed(session, delegation, actor)
    return item


@dataclass(frozen=True)
class LegIn:
    direction: str
    carrier: str
    from_place: str
    to_place: str
    departs: datetime
    departs_tz: str
    arrives: datetime
    arrives_tz: str
    number: str = ""
    members: tuple[int, ...] = ()


def add_leg(session: Session, reference: str, given: LegIn, actor: str) -> TravelLeg:
    delegation = get_delegation(session, reference)
    _editable(delegation)
    if given.direction not in ("out", "back"):
        raise BadDelegation("direction: out or back")
    departs = given.departs.replace(tzinfo=zone(given.departs_tz))
    arrives = given.arrives.replace(tzinfo=zone(given.arrives_tz))
    if arrives <= departs:
        raise BadDelegation("times: it arrives before it leaves (mind the time zones)")
    values = asdict(given)
    values["members"] = json.dumps(sorted(given.members))
    leg = TravelLeg(delegation_id=delegation.id, **values)
    session.add(leg)
    session.flush()
    record_audit(session, actor, "delegation.leg.add", delegation.reference, leg=leg.id)
    _changed(session, delegation, actor)
    return leg


def missing_travel(session: Session, delegation: Delegation) -> list[str]:
    """Members with no journey out or back among the travel legs."""
    legs = legs_of(session, delegation)
    out: list[str] = []
    for member in members_of(session, delegation):
        for direction, word in (("out", "arrival"), ("back", "departure")):
            mine = [
                leg
                for leg in legs
                if leg.direction == direction and (not json.loads(leg.members) or member.id in json.loads(leg.members))
            ]
            if not mine:
                out.append(f"{member.passport_name}: no {word} travel")
    return out


# -- approvals ---------------------------------------------------------------------------------


def content_hash(session: Session, delegation: Delegation) -> str:
    """A hash of everything an approval approves: the visit, its members, itinerary, travel and
    risk assessment."""

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [{c.key: getattr(i, c.key) for c in i.__table__.columns if c.key != "took_place"} for i in items]

    content = {
        "visit": {
            k: getattr(delegation, k)
            for k in (
                "title",
                "purpose",
                "travelling_from",
                "travelling_to",
                "visiting_party_id",
                "host_party_id",
                "starts_on",
                "ends_on",
                "approval_chain",
            )
        },
        "members": rows(members_of(session, delegation)),
        "itinerary": rows(itinerary_of(session, delegation)),
        "travel": rows(legs_of(session, delegation)),
        "risks": rows(risks_of(session, delegation)),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def approvals_of(session: Session, delegation: Delegation) -> list[Approval]:
    query = select(Approval).where(Approval.delegation_id == delegation.id).order_by(Approval.id)
    return list(session.scalars(query))


@dataclass(frozen=True)
class StepStatus:
    step: str
    decision: str  # pending | approved | rejected | withdrawn
    by: str | None = None
    at: datetime | None = None
    note: str = ""
    approver: str | None = None  # who must decide it, when the chain names someone
    due: date | None = None  # by when, from its lead time before the visit


def chain_step(line: str) -> dict[str, Any]:
    """A step of an approval chain from a line "step | who decides | days before the visit" (the
    last two may be left out: anyone coordinating decides, with no lead time)."""
    step, _, rest = line.partition("|")
    approver, _, days = rest.partition("|")
    step, approver, days = " ".join(step.split()), approver.strip(), days.strip()
    if not step:
        raise BadDelegation(f"approvals: {line!r} names no step")
    if days and not days.isdigit():
        raise BadDelegation(f"approvals: the lead time of {step!r} is a number of days before the visit")
    return {"step": step, "approver": approver or None, "days": int(days) if days else None}


def chain_of(delegation: Delegation) -> list[dict[str, Any]]:
    return [chain_step(s) if isinstance(s, str) else s for s in json.loads(delegation.approval_chain)]


def chain_status(session: Session, delegation: Delegation) -> list[StepStatus]:
    latest: dict[str, Approval] = {}
    for approval in approvals_of(session, delegation):
        latest[approval.step] = approval
    out = []
    for link in chain_of(delegation):
        step = link["step"]
        due = delegation.starts_on - timedelta(days=link["days"]) if link["days"] is not None else None
        found = latest.get(step)
        if found is None:
            out.append(StepStatus(step, "pending", approver=link["approver"], due=due))
        else:
            out.append(
                StepStatus(step, found.decision, found.decided_by, found.decided_at, found.note, link["approver"], due)
            )
    return out


def decide_step(session: Session, reference: str, step: str, decision: str, note: str, actor: str) -> Approval:
    """Approve or reject the next step of the chain; the last approval makes the visit approved."""
    delegation = get_delegation(session, reference)
    if DelegationState(delegation.state) is not DelegationState.PLANNED:
        raise BadDelegation(f"{delegation.reference} is {delegation.state}: approvals are for a planned visit")
    if decision not in ("approved", "rejected"):
        raise BadDelegation("decision: approved or rejected")
    if decision == "rejected" and not note.strip():
        raise BadDelegation("say why the step is rejected")
    status = chain_status(session, delegation)
    waiting = [s for s in status if s.decision != "approved"]
    if not waiting or waiting[0].step != step:
        expected = waiting[0].step if waiting else "none"
        raise BadDelegation(f"step {step!r}: the next step to decide is {expected!r}")
    if waiting[0].approver and waiting[0].approver != actor:
        raise BadDelegation(f"step {step!r} is for {waiting[0].approver} to decide")
    approval = Approval(
        delegation_id=delegation.id,
        step=step,
        decision=decision,
        content_hash=content_hash(session, delegation),
        note=note.strip(),
        decided_by=actor,
    )
    session.add(approval)
    session.flush()
    record_audit(session, actor, f"delegation.{decision}", delegation.reference, step=step, note=note)
    if decision == "approved" and len(waiting) == 1:
        set_state(session, delegation, DelegationState.APPROVED, "every step approved", actor)
    return approval


def _changed(session: Session, delegation: Delegation, actor: str) -> None:
    """After an edit: approvals of what is no longer there are withdrawn, and an approved visit
    is planned again until approved anew."""
    delegation.updated_at = utcnow()
    current = content_hash(session, delegation)
    withdrawn = []
    for status in chain_status(session, delegation):
        if status.decision != "approved":
            continue
        latest = [a for a in approvals_of(session, delegation) if a.step == status.step][-1]
        if latest.content_hash != current:
            session.add(
                Approval(
                    delegation_id=delegation.id,
                    step=status.step,
                    decision="withdrawn",
                    content_hash=current,
                    note="withdrawn: the visit changed after it was approved",
                    decided_by=actor,
                )
            )
            withdrawn.append(status.step)
    if withdrawn:
        session.flush()
        record_audit(session, actor, "delegation.withdrawn", delegation.reference, steps=withdrawn)
        if DelegationState(delegation.state) is DelegationState.APPROVED:
            set_state(session, delegation, DelegationState.PLANNED, "approvals withdrawn by an edit", actor)


def set_state(session: Session, delegation: Delegation, target: DelegationState, reason: str, actor: str) -> None:
    """Put the delegation in a state, audited (the checks of a move are the caller's)."""
    before = delegation.state
    delegation.state = target.value
    delegation.updated_at = utcnow()
    session.flush()
    record_audit(
        session, actor, "delegation.move", delegation.reference, before=before, after=target.value, reason=reason
    )


def move_delegation(session: Session, reference: str, to: str, reason: str, actor: str) -> Delegation:
    delegation = get_delegation(session, reference)
    try:
        target = DelegationState(to)
    except ValueError:
        raise BadDelegation(f"state {to!r}: choose one of {', '.join(s.value for s in DelegationState)}") from None
    current = DelegationState(delegation.state)
    if target not in MOVES[current]:
        allowed = ", ".join(s.value for s in MOVES[current]) or "none (it moves on by its approvals or report)"
        raise BadDelegation(f"{delegation.reference} is {current.value}: it may move to {allowed}")
    if target is DelegationState.CANCELLED and not reason.strip():
        raise BadDelegation("say why the visit is cancelled")
    set_state(session, delegation, target, reason.strip(), actor)
    return delegation


# -- risk, costs, gifts ------------------------------------------------------------------------

# what a coordinator starts an overseas visit's assessment from, and edits
STANDARD_HAZARDS = (
    ("Road travel between venues", "all members", "licensed coaches and drivers booked by the host", 3, 4),
    ("Illness or injury abroad", "all members", "travel insurance; members' medical needs known to the leader", 2, 4),
    (
        "A member separated from the group",
        "pupils and guests",
        "buddy pairs, meeting points, the leader's number",
        2,
        3,
    ),
    ("Food allergies and dietary needs", "members with needs", "needs sent to hosts in advance, in Chinese", 3, 3),
    ("Loss of passport or documents", "all members", "copies held by the leader; hotel safes", 2, 3),
    ("Heat, pollution or extreme weather", "all members", "forecasts checked; water; indoor alternatives", 3, 2),
)


def risk_band(score: int) -> str:
    """The band of a score on the 5×5 matrix (likelihood × severity)."""
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


@dataclass(frozen=True)
class RiskIn:
    hazard: str
    likelihood: int
    severity: int
    residual_likelihood: int
    residual_severity: int
    who: str = ""
    controls: str = ""
    further_controls: str = ""
    owner: str = ""
    due: date | None = None
    review_on: date | None = None
    itinerary_item_id: int | None = None


def add_risk(session: Session, reference: str, given: RiskIn, actor: str) -> RiskItem:
    delegation = get_delegation(session, reference)
    _editable(delegation)
    for name in ("likelihood", "severity", "residual_likelihood", "residual_severity"):
        if not 1 <= getattr(given, name) <= 5:
            raise BadDelegation(f"{name.replace('_', ' ')}: 1 to 5")
    if given.residual_likelihood * given.residual_severity > given.likelihood * given.severity:
        raise BadDelegation("residual: further controls do not make a risk greater")
    if not given.hazard.strip():
        raise BadDelegation("hazard: say what could go wrong")
    if given.itinerary_item_id is not None:
        item = session.get(ItineraryItem, given.itinerary_item_id)
        if item is None or item.delegation_id != delegation.id:
            raise BadDelegation("itinerary item: one of this visit's")
    risk = RiskItem(delegation_id=delegation.id, **asdict(given))
    session.add(risk)
    session.flush()
    record_audit(session, actor, "delegation.risk.add", delegation.reference, risk=risk.id)
    _changed(session, delegation, actor)
    return risk


def seed_risks(session: Session, reference: str, actor: str) -> int:
    """Add the standard hazards of an overseas visit (those not there already); how many."""
    delegation = get_delegation(session, reference)
    known = {r.hazard for r in risks_of(session, delegation)}
    added = 0
    for hazard, who, controls, likelihood, severity in STANDARD_HAZARDS:
        if hazard not in known:
            add_risk(
                session,
                reference,
                RiskIn(hazard, likelihood, severity, max(1, likelihood - 1), severity, who=who, controls=controls),
                actor,
            )
            added += 1
    return added


COST_CATEGORIES = (
    "travel",
    "accommodation",
    "subsistence",
    "interpreting",
    "gifts",
    "visas and insurance",
    "hospitality",
    "other",
)


def add_cost(
    session: Session, reference: str, category: str, amount_pence: int, funder: str, description: str, actor: str
) -> CostLine:
    delegation = get_delegation(session, reference)
    if category not in COST_CATEGORIES:
        raise BadDelegation(f"category {category!r}: choose one of {', '.join(COST_CATEGORIES)}")
    if amount_pence < 0:
        raise BadDelegation("amount: not below nothing")
    line = CostLine(
        delegation_id=delegation.id,
        category=category,
        amount_pence=amount_pence,
        funder=funder.strip(),
        description=description.strip(),
    )
    session.add(line)
    session.flush()
    record_audit(session, actor, "delegation.cost.add", delegation.reference, category=category, pence=amount_pence)
    return line


def add_gift(
    session: Session,
    reference: str,
    direction: str,
    description: str,
    value_pence: int,
    on: date,
    counterpart: str,
    actor: str,
) -> Gift:
    delegation = get_delegation(session, reference)
    if direction not in ("given", "received"):
        raise BadDelegation("direction: given or received")
    if not description.strip():
        raise BadDelegation("gift: say what it was")
    gift = Gift(
        delegation_id=delegation.id,
        direction=direction,
        description=description.strip(),
        value_pence=max(0, value_pence),
        on=on,
        counterpart=counterpart.strip(),
    )
    session.add(gift)
    session.flush()
    record_audit(session, actor, "delegation.gift.add", delegation.reference, gift=gift.id)
    return gift


@dataclass(frozen=True)
class CostTotals:
    by_category: dict[str, int] = field(default_factory=dict)
    by_funder: dict[str, int] = field(default_factory=dict)
    total: int = 0


def cost_totals(lines: list[CostLine]) -> CostTotals:
    by_category: dict[str, int] = {}
    by_funder: dict[str, int] = {}
    for line in lines:
        by_category[line.category] = by_category.get(line.category, 0) + line.amount_pence
        funder = line.funder or "not stated"
        by_funder[funder] = by_funder.get(funder, 0) + line.amount_pence
    return CostTotals(by_category, by_funder, sum(by_category.values()))


def purge_personal_data(session: Session, today: date, actor: str) -> int:
    """Blank the personal data of members of visits over for longer than their retention; how
    many members."""
    purged = 0
    for delegation in list_delegations(session):
        if delegation.ends_on + timedelta(days=delegation.retention_days) >= today:
            continue
        here = 0
        for member in members_of(session, delegation):
            if member.passport_number or member.passport_expiry or member.emergency_contact or member.dietary:
                member.passport_number, member.passport_expiry = "", None
                member.emergency_contact = member.dietary = member.access_needs = ""
                here += 1
        if here:
            record_audit(session, actor, "delegation.purge", delegation.reference, members=here)
        purged += here
    return purged


def link_costs_by_year(session: Session, partnership_id: str) -> dict[int, CostTotals]:
    """What the visits for a link cost, by the year each took place (cancelled ones left out)."""
    query = select(Delegation).where(
        Delegation.partnership_id == partnership_id, Delegation.state != DelegationState.CANCELLED.value
    )
    lines: dict[int, list[CostLine]] = {}
    for delegation in session.scalars(query):
        lines.setdefault(delegation.starts_on.year, []).extend(costs_of(session, delegation))
    return {year: cost_totals(found) for year, found in sorted(lines.items()) if found}
