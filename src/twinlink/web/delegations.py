"""Delegation pages for coordinators: the list with reminders, planning a visit, and one visit
with its state, approvals, entry checks, members, itinerary, travel, risk assessment, costs,
gifts, calendar feeds and report. Everything here holds personal data or plans not yet public:
every route needs the coordinator role."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote_plus

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from twinlink.errors import TwinlinkError
from twinlink.register.accounts import Account
from twinlink.register.delegations import (
    BLOCKS,
    COST_CATEGORIES,
    ROLES,
    DelegationIn,
    ItemIn,
    LegIn,
    MemberIn,
    RiskIn,
    add_cost,
    add_gift,
    add_item,
    add_leg,
    add_member,
    add_risk,
    chain_status,
    cost_totals,
    costs_of,
    create_delegation,
    decide_step,
    get_delegation,
    gifts_of,
    itinerary_of,
    legs_of,
    list_delegations,
    members_of,
    missing_travel,
    move_delegation,
    remove_member,
    risk_band,
    risks_of,
    seed_risks,
)
from twinlink.register.entry import RuleIn, add_rule, check_member, end_rule, list_rules, passports_expiring
from twinlink.register.interest import get_registration
from twinlink.register.letters import KINDS, itinerary_pdf, letters_of, make_letter, risk_assessment_pdf
from twinlink.register.visit_calendar import itinerary_calendar
from twinlink.register.visit_report import FollowUp, ReportIn, report_visit
from twinlink.store.engine import transaction
from twinlink.vocab import DelegationState, Role
from twinlink.web.auth import require
from twinlink.web.deps import RowId, session, templates, today
from twinlink.web.process_data import gazetteer

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(session)]
Coordinator = Annotated[Account, Depends(require(Role.COORDINATOR))]


def _render(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context)


def _text(form: FormData, name: str) -> str:
    return str(form.get(name) or "").strip()


def _day(form: FormData, name: str, required: bool = True) -> date | None:
    text = _text(form, name)
    if not text and not required:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TwinlinkError(f"{name.replace('_', ' ')}: give a date as YYYY-MM-DD") from None


def _number(form: FormData, name: str, default: int | None = None) -> int | None:
    text = _text(form, name).replace(",", "")
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise TwinlinkError(f"{name.replace('_', ' ')}: give a whole number") from None


def _pence(form: FormData, name: str) -> int:
    text = _text(form, name).replace(",", "").lstrip("£")
    try:
        return round(float(text or "0") * 100)
    except ValueError:
        raise TwinlinkError(f"{name}: give an amount in pounds such as 120.50") from None


def _ids(form: FormData, name: str) -> tuple[int, ...]:
    return tuple(int(str(v)) for v in form.getlist(name) if str(v).isdigit())


def _back(reference: str, message: str) -> Response:
    return RedirectResponse(f"/delegations/{reference}?message={quote_plus(message)}", status_code=303)


@router.get("/delegations", response_class=HTMLResponse)
def delegations_page(
    request: Request, db: SessionDep, account: Coordinator, message: str | None = None
) -> HTMLResponse:
    visits = list_delegations(db)
    reminders: list[str] = []
    now = today()
    for visit in visits:
        state = DelegationState(visit.state)
        if state is DelegationState.COMPLETED:
            reminders.append(f"{visit.reference}: completed on {visit.ends_on}, report due")
        if (
            state in (DelegationState.DRAFT, DelegationState.PLANNED, DelegationState.APPROVED)
            and visit.starts_on >= now
        ):
            for member in passports_expiring(members_of(db, visit), now):
                reminders.append(
                    f"{visit.reference}: {member.passport_name}'s passport expires {member.passport_expiry}"
                )
            if state is DelegationState.PLANNED and visit.starts_on <= now + timedelta(days=42):
                reminders.append(f"{visit.reference}: leaves on {visit.starts_on} and is not yet approved")
            for step in chain_status(db, visit):
                if step.decision != "approved" and step.due is not None and step.due <= now + timedelta(days=14):
                    who = f" ({step.approver})" if step.approver else ""
                    reminders.append(f"{visit.reference}: approval '{step.step}'{who} due by {step.due}")
            rules = list_rules(db)
            for member in members_of(db, visit):
                for warning in check_member(rules, member, visit).warnings:
                    if "ends on" in warning or "no rule" in warning:
                        reminders.append(f"{visit.reference}: {member.passport_name}: {warning}")
            for risk in risks_of(db, visit):
                if risk.review_on is not None and risk.review_on <= now + timedelta(days=14):
                    reminders.append(f"{visit.reference}: review the risk '{risk.hazard}' by {risk.review_on}")
    context = {"visits": visits, "reminders": reminders, "message": message, "today": now}
    return _render(request, "delegations.html", context)


@router.post("/delegations")
async def plan(request: Request, account: Coordinator) -> Response:
    form = await request.form()
    try:
        with transaction(request.app.state.engine) as db:
            registration = _text(form, "registration")
            chain = tuple(line for line in _text(form, "approval_chain").splitlines() if line.strip())
            given = DelegationIn(
                title=_text(form, "title"),
                travelling_from=_text(form, "travelling_from"),
                travelling_to=_text(form, "travelling_to"),
                starts_on=_day(form, "starts_on") or today(),
                ends_on=_day(form, "ends_on") or today(),
                purpose=_text(form, "purpose"),
                visiting_party_id=_text(form, "visiting_party") or None,
                host_party_id=_text(form, "host_party") or None,
                partnership_id=_text(form, "partnership") or None,
                registration_id=get_registration(db, registration).id if registration else None,
                retention_days=_number(form, "retention_days", 365) or 0,
                **({"approval_chain": chain} if chain else {}),
            )
            reference = create_delegation(db, given, account.name).reference
    except TwinlinkError as exc:
        return RedirectResponse(f"/delegations?message={quote_plus(str(exc))}", status_code=303)
    return _back(reference, "Planned as a draft: add members and the itinerary, then move it to planned.")


@router.get("/delegations/{reference}", response_class=HTMLResponse)
def delegation_page(
    request: Request, reference: str, db: SessionDep, account: Coordinator, message: str | None = None
) -> HTMLResponse:
    visit = get_delegation(db, reference)
    members = members_of(db, visit)
    rules = list_rules(db)
    items = itinerary_of(db, visit)
    days: dict[date, list[Any]] = {}
    for item in items:
        days.setdefault(item.day, []).append(item)
    risks = risks_of(db, visit)
    context = {
        "v": visit,
        "members": members,
        "checks": {m.id: check_member(rules, m, visit) for m in members},
        "days": days,
        "items": items,
        "legs": legs_of(db, visit),
        "missing": missing_travel(db, visit),
        "chain": chain_status(db, visit),
        "risks": [(r, r.likelihood * r.severity, r.residual_likelihood * r.residual_severity) for r in risks],
        "band": risk_band,
        "costs": costs_of(db, visit),
        "totals": cost_totals(costs_of(db, visit)),
        "gifts": gifts_of(db, visit),
        "roles": ROLES,
        "blocks": BLOCKS,
        "categories": COST_CATEGORIES,
        "states": [s.value for s in DelegationState],
        "places": {i.venue_place_id: _place_name(i.venue_place_id) for i in items if i.venue_place_id},
        "letter_kinds": KINDS,
        "letters": letters_of(db, visit),
        "message": message,
    }
    return _render(request, "delegation.html", context)


async def _act(request: Request, reference: str, account: Account, action: Any, done: str) -> Response:
    form = await request.form()
    try:
        with transaction(request.app.state.engine) as db:
            result = action(db, form)
        message = done if not isinstance(result, str) else result
    except TwinlinkError as exc:
        message = str(exc)
    return _back(reference, message)


@router.post("/delegations/{reference}/state")
async def move(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> str:
        move_delegation(db, reference, _text(form, "state"), _text(form, "reason"), account.name)
        return f"Now {_text(form, 'state')}."

    return await _act(request, reference, account, act, "")


@router.post("/delegations/{reference}/approvals")
async def approve(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> str:
        decide_step(db, reference, _text(form, "step"), _text(form, "decision"), _text(form, "note"), account.name)
        return f"{_text(form, 'step')}: {_text(form, 'decision')}."

    return await _act(request, reference, account, act, "")


@router.post("/delegations/{reference}/members")
async def member(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> None:
        add_member(
            db,
            reference,
            MemberIn(
                _text(form, "role"),
                _text(form, "passport_name"),
                _text(form, "nationality"),
                name_zh=_text(form, "name_zh"),
                pinyin=_text(form, "pinyin"),
                title_en=_text(form, "title_en"),
                title_zh=_text(form, "title_zh"),
                passport_number=_text(form, "passport_number"),
                passport_expiry=_day(form, "passport_expiry", required=False),
                organisation=_text(form, "organisation"),
                post=_text(form, "post"),
                dietary=_text(form, "dietary"),
                access_needs=_text(form, "access_needs"),
                emergency_contact=_text(form, "emergency_contact"),
                date_of_birth=_day(form, "date_of_birth", required=False),
                gender=_text(form, "gender"),
            ),
            account.name,
        )

    return await _act(request, reference, account, act, "Member added.")


@router.post("/delegations/{reference}/members/{member_id}/remove")
async def member_remove(request: Request, reference: str, member_id: RowId, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> None:
        remove_member(db, reference, member_id, account.name)

    return await _act(request, reference, account, act, "Member removed.")


def _place_name(place_id: str) -> str:
    place = gazetteer().get(place_id)
    return place.name + (f" {place.name_zh}" if place and place.name_zh else "") if place else place_id


def _venue_place(db: Session, reference: str, name: str) -> str | None:
    """The gazetteer place of a venue's town or city, in the country visited."""
    if not name:
        return None
    found = gazetteer().find(name, country=get_delegation(db, reference).travelling_to, limit=1)
    if not found:
        raise TwinlinkError(f"venue's place: no place called {name!r} in the gazetteer")
    return found[0].place.id


@router.post("/delegations/{reference}/items")
async def item(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> None:
        add_item(
            db,
            reference,
            ItemIn(
                _day(form, "day") or today(),
                _text(form, "block"),
                _text(form, "starts"),
                _text(form, "ends"),
                _text(form, "timezone"),
                _text(form, "title"),
                venue=_text(form, "venue"),
                venue_place_id=_venue_place(db, reference, _text(form, "venue_place")),
                host=_text(form, "host"),
                people_met=_text(form, "people_met"),
                purpose=_text(form, "purpose"),
                attendees=_ids(form, "attendees"),
                interpreter=_text(form, "interpreter"),
                transport=_text(form, "transport"),
            ),
            account.name,
        )

    return await _act(request, reference, account, act, "Added to the itinerary.")


def _moment(form: FormData, name: str) -> datetime:
    try:
        return datetime.fromisoformat(_text(form, name))
    except ValueError:
        raise TwinlinkError(f"{name}: give a date and time") from None


@router.post("/delegations/{reference}/legs")
async def leg(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> None:
        add_leg(
            db,
            reference,
            LegIn(
                _text(form, "direction"),
                _text(form, "carrier"),
                _text(form, "from_place"),
                _text(form, "to_place"),
                _moment(form, "departs"),
                _text(form, "departs_tz"),
                _moment(form, "arrives"),
                _text(form, "arrives_tz"),
                number=_text(form, "number"),
                members=_ids(form, "members"),
            ),
            account.name,
        )

    return await _act(request, reference, account, act, "Travel added.")


@router.post("/delegations/{reference}/risks")
async def risk(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> None:
        item_id = _number(form, "itinerary_item")
        add_risk(
            db,
            reference,
            RiskIn(
                _text(form, "hazard"),
                _number(form, "likelihood", 0) or 0,
                _number(form, "severity", 0) or 0,
                _number(form, "residual_likelihood", 0) or 0,
                _number(form, "residual_severity", 0) or 0,
                who=_text(form, "who"),
                controls=_text(form, "controls"),
                further_controls=_text(form, "further_controls"),
                owner=_text(form, "owner"),
                due=_day(form, "due", required=False),
                review_on=_day(form, "review_on", required=False),
                itinerary_item_id=item_id,
            ),
            account.name,
        )

    return await _act(request, reference, account, act, "Risk added.")


@router.post("/delegations/{reference}/risks/standard")
async def risk_seed(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> str:
        return f"{seed_risks(db, reference, account.name)} standard hazards added: edit them to fit the visit."

    return await _act(request, reference, account, act, "")


@router.post("/delegations/{reference}/costs")
async def cost(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> None:
        add_cost(
            db,
            reference,
            _text(form, "category"),
            _pence(form, "amount"),
            _text(form, "funder"),
            _text(form, "description"),
            account.name,
        )

    return await _act(request, reference, account, act, "Cost added.")


@router.post("/delegations/{reference}/gifts")
async def gift(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> None:
        add_gift(
            db,
            reference,
            _text(form, "direction"),
            _text(form, "description"),
            _pence(form, "value"),
            _day(form, "on") or today(),
            _text(form, "counterpart"),
            account.name,
        )

    return await _act(request, reference, account, act, "Gift recorded.")


@router.post("/delegations/{reference}/report")
async def report(request: Request, reference: str, account: Coordinator) -> Response:
    def act(db: Session, form: FormData) -> str:
        follow_ups = tuple(
            FollowUp(action.strip(), owner.strip() or account.name)
            for action, _, owner in (line.partition("|") for line in _text(form, "follow_ups").splitlines())
            if action.strip()
        )
        signed = tuple(line.strip() for line in _text(form, "signed").splitlines() if line.strip())
        made = ReportIn(
            _text(form, "objectives"),
            _text(form, "outcomes"),
            _ids(form, "took_place"),
            signed,
            _text(form, "people_met"),
            follow_ups,
        )
        document_id = report_visit(db, reference, made, account.name)
        return f"Reported: stored as document {document_id[:12]}; its events wait for review on the link."

    return await _act(request, reference, account, act, "")


@router.get("/delegations/{reference}/calendar.ics")
def calendar(
    request: Request, reference: str, db: SessionDep, account: Coordinator, member: int | None = None
) -> Response:
    visit = get_delegation(db, reference)
    base = (request.app.state.settings.public_url or str(request.base_url)).rstrip("/")
    body = itinerary_calendar(visit, itinerary_of(db, visit), base, member)
    name = f"{visit.reference}{'-' + str(member) if member else ''}.ics"
    return Response(body, media_type="text/calendar", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/delegations/{reference}/letters")
async def letter(request: Request, reference: str, account: Coordinator) -> Response:
    """Make a letter from the records (a file to download), kept with the plan it was made from."""
    form = await request.form()
    kind, file_format = _text(form, "kind"), _text(form, "format")
    try:
        with transaction(request.app.state.engine) as db:
            body = make_letter(db, get_delegation(db, reference), kind, file_format, account.name)
    except TwinlinkError as exc:
        return _back(reference, str(exc))
    media = (
        "application/pdf"
        if file_format == "pdf"
        else ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    )
    name = f"{reference}-{kind}.{file_format}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/delegations/{reference}/itinerary.pdf")
def printable_itinerary(reference: str, db: SessionDep, account: Coordinator) -> Response:
    """The programme to print, bilingual where names and titles have Chinese forms."""
    visit = get_delegation(db, reference)
    body = itinerary_pdf(db, visit)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{visit.reference}-itinerary.pdf"'},
    )


@router.get("/delegations/{reference}/risks.pdf")
def printable_risks(reference: str, db: SessionDep, account: Coordinator) -> Response:
    """The risk assessment to print."""
    visit = get_delegation(db, reference)
    return Response(
        risk_assessment_pdf(db, visit),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{visit.reference}-risk-assessment.pdf"'},
    )


Admin = Annotated[Account, Depends(require(Role.ADMIN))]


@router.get("/admin/entry-rules", response_class=HTMLResponse)
def entry_rules_page(request: Request, db: SessionDep, account: Admin, message: str | None = None) -> HTMLResponse:
    return _render(request, "entry_rules.html", {"rules": list_rules(db), "message": message})


@router.post("/admin/entry-rules")
async def entry_rule_add(request: Request, account: Admin) -> Response:
    form = await request.form()
    try:
        given = RuleIn(
            _text(form, "nationality"),
            _text(form, "destination"),
            _text(form, "route"),
            form.get("needs_visa") == "on",
            _text(form, "source"),
            _number(form, "max_days"),
            _number(form, "passport_months", 6) or 0,
            _day(form, "valid_from", required=False),
            _day(form, "valid_to", required=False),
            _text(form, "notes"),
        )
        with transaction(request.app.state.engine) as db:
            rule = add_rule(db, given, account.name)
        message = f"Added rule {rule.id}."
    except TwinlinkError as exc:
        message = str(exc)
    return RedirectResponse(f"/admin/entry-rules?message={quote_plus(message)}", status_code=303)


@router.post("/admin/entry-rules/{rule_id}/end")
async def entry_rule_end(request: Request, rule_id: RowId, account: Admin) -> Response:
    form = await request.form()
    try:
        last = _day(form, "last_day") or today()
        with transaction(request.app.state.engine) as db:
            end_rule(db, rule_id, last, account.name)
        message = f"Rule {rule_id} ends on {last}."
    except TwinlinkError as exc:
        message = str(exc)
    return RedirectResponse(f"/admin/entry-rules?message={quote_plus(message)}", status_code=303)
