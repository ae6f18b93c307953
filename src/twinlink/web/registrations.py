"""The coordinator's pages: registrations with the next actions due, one registration with its
contact, stages, contact log and the links its organisation has, matching with the reasons
drawn, and a stable assignment of many schools. Contacts are shown only to coordinators and to
the organisation's own users; every route that writes needs the coordinator role."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import quote_plus

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from twinlink.errors import TwinlinkError
from twinlink.register.accounts import Account
from twinlink.register.assignment import assign
from twinlink.register.candidates import candidate_name, decide_candidate
from twinlink.register.corrections import Citation
from twinlink.register.instruments import INSTRUMENTS, record_instrument
from twinlink.register.interest import (
    LOG_KINDS,
    ContactIn,
    LogEntryIn,
    actions_due,
    add_contact,
    add_log_entry,
    details_of,
    get_registration,
    list_registrations,
    log_of,
    mark_done,
    move_stage,
    stage_moves,
)
from twinlink.register.matching import FACTOR_LABELS, Ranking, Weights, rank
from twinlink.register.partner_search import PartnerQuery, search_partners
from twinlink.store.engine import transaction
from twinlink.store.partnerships import get_partnership
from twinlink.store.tables import Contact, ContactLogEntry, Registration
from twinlink.vocab import OrganisationType, Role, Stage
from twinlink.web.auth import Forbidden, SignInRequired, current_account, require
from twinlink.web.deps import RowId, session, templates, today, window
from twinlink.web.process_data import gazetteer, known_links
from twinlink.web.svg import factor_bar, factor_legend

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(session)]
Coordinator = Annotated[Account, Depends(require(Role.COORDINATOR))]
DUE_DAYS = 14
SHOWN = 40  # suggestions on the matching page


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context, status_code=status)


def _back(reference: str, message: str, page: str = "") -> Response:
    return RedirectResponse(f"/registrations/{reference}{page}?message={quote_plus(message)}", status_code=303)


@router.get("/registrations", response_class=HTMLResponse)
def registrations_page(request: Request, db: SessionDep, account: Coordinator, stage: str = "") -> HTMLResponse:
    until = today() + timedelta(days=DUE_DAYS)
    context = {
        "registrations": list_registrations(db, stage or None),
        "stages": [s.value for s in Stage],
        "stage": stage,
        "due": actions_due(db, until),
        "today": today(),
        "days": DUE_DAYS,
    }
    return _render(request, "registrations.html", context)


def _viewer(account: Account | None, registration: Registration, request: Request) -> Account:
    """Coordinators see every registration; an organisation's own users see its own."""
    if account is None:
        raise SignInRequired(request.url.path)
    if not account.sees_contacts_of(registration.party_id):
        raise Forbidden(f"this needs the coordinator role; you are signed in as a {account.role.value}")
    return account


@router.get("/registrations/{reference}", response_class=HTMLResponse)
def registration_page(
    request: Request,
    reference: str,
    db: SessionDep,
    account: Annotated[Account | None, Depends(current_account)],
    message: str | None = None,
) -> HTMLResponse:
    registration = get_registration(db, reference)
    viewer = _viewer(account, registration, request)
    details = details_of(registration)
    links = known_links(
        db, gazetteer(), registration.organisation_name, str(details.get("place") or ""), today(), window(request)
    )
    context = {
        "r": registration,
        "d": details,
        "contact": db.get(Contact, registration.contact_id),
        "moves": stage_moves(db, registration),
        "log": log_of(db, registration),
        "links": links,
        "stages": [s.value for s in Stage],
        "log_kinds": LOG_KINDS,
        "instruments": INSTRUMENTS,
        "can_work": viewer.may(Role.COORDINATOR),
        "today": today(),
        "message": message,
    }
    return _render(request, "registration.html", context)


@router.post("/registrations/{reference}/stage")
def move(
    request: Request,
    reference: str,
    account: Coordinator,
    stage: Annotated[str, Form(max_length=30)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        with transaction(request.app.state.engine) as db:
            move_stage(db, gazetteer(), reference, stage, reason, account.name)
        message = f"Moved to {stage}."
    except TwinlinkError as exc:
        message = str(exc)
    return _back(reference, message)


def _date(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TwinlinkError(f"{field}: give a date as YYYY-MM-DD, not {text!r}") from None


def _log_entry(form: FormData) -> LogEntryIn:
    """A contact-log entry from the log forms (of a registration or of a link)."""

    def text(name: str, limit: int) -> str:
        return str(form.get(name) or "")[:limit]

    return LogEntryIn(
        _date(text("happened_on", 10), "date") or today(),
        text("kind", 20),
        text("summary", 4000),
        text("direction", 3) or "out",
        text("counterpart", 300),
        text("next_action", 2000),
        _date(text("next_due", 10), "due"),
        text("document_id", 64).strip() or None,
    )


@router.post("/registrations/{reference}/log")
async def log(request: Request, reference: str, account: Coordinator) -> Response:
    """A dated contact-log entry; an attachment is a document added to the register first."""
    try:
        entry = _log_entry(await request.form())
        with transaction(request.app.state.engine) as db:
            add_log_entry(db, entry, account.name, registration=get_registration(db, reference))
        message = "Logged."
    except TwinlinkError as exc:
        message = str(exc)
    return _back(reference, message)


@router.post("/contact-log/{entry_id}/done")
def done(request: Request, entry_id: RowId, account: Coordinator) -> Response:
    with transaction(request.app.state.engine) as db:
        entry = db.get(ContactLogEntry, entry_id)
        registration = db.get(Registration, entry.registration_id) if entry and entry.registration_id else None
        mark_done(db, entry_id, account.name)
    back = f"/registrations/{registration.reference}" if registration else "/registrations"
    return RedirectResponse(back, status_code=303)


def _weights(request: Request) -> Weights:
    given = {k: v for k, v in request.query_params.items() if k in Weights.__dataclass_fields__ and v.strip()}
    try:
        return Weights.of(given)
    except ValueError as exc:
        raise TwinlinkError(str(exc)) from None


@router.get("/registrations/{reference}/matches", response_class=HTMLResponse)
def matches_page(
    request: Request, reference: str, db: SessionDep, account: Coordinator, message: str | None = None
) -> HTMLResponse:
    registration = get_registration(db, reference)
    weights = _weights(request)
    ranking = rank(db, gazetteer(), registration, weights, today(), window(request))
    rules: dict[str, list[str]] = {}
    for excluded in ranking.excluded:
        rules.setdefault(excluded.rule.split(":")[0], []).append(excluded.name)
    context = {
        "r": registration,
        "ranking": ranking,
        "shown": ranking.suggestions[:SHOWN],
        "bars": {s.party_id: Markup(factor_bar(s.factors)) for s in ranking.suggestions[:SHOWN]},
        "legend": Markup(factor_legend()),
        "labels": FACTOR_LABELS,
        "weights": weights.as_dict(),
        "rules": rules,
        "accepted": [(c, candidate_name(db, gazetteer(), c)) for c in ranking.accepted],
        "message": message,
    }
    return _render(request, "matches.html", context)


@router.post("/registrations/{reference}/candidates")
def decide(
    request: Request,
    reference: str,
    account: Coordinator,
    candidate: Annotated[str, Form(max_length=64)],
    decision: Annotated[str, Form(max_length=10)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        with transaction(request.app.state.engine) as db:
            decide_candidate(db, gazetteer(), reference, candidate, decision, reason, account.name)
        message = "Accepted: a first contact is due in the contact log." if decision == "accepted" else "Dismissed."
    except TwinlinkError as exc:
        message = str(exc)
    return _back(reference, message, "/matches")


@router.post("/registrations/{reference}/instrument")
def instrument(
    request: Request,
    reference: str,
    account: Coordinator,
    partner: Annotated[str, Form(max_length=64)],
    kind: Annotated[str, Form(max_length=60)],
    year: Annotated[str, Form(max_length=4)],
    address: Annotated[str, Form(max_length=2000)] = "",
    document_id: Annotated[str, Form(max_length=64)] = "",
    quote: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """A signed letter of intent, MoU or agreement: proposed claims about the link, with the source."""
    try:
        if not year.strip().isdigit():
            raise TwinlinkError("year: give the year it was signed")
        citation = Citation(document_id.strip() or None, address.strip() or None, quote)
        with transaction(request.app.state.engine) as db:
            pid = record_instrument(
                db, gazetteer(), reference, partner.strip(), kind, int(year), citation, account.name
            )
        return RedirectResponse(
            f"/partnerships/{pid}?message={quote_plus('Recorded: proposed claims, until a reviewer decides.')}",
            status_code=303,
        )
    except TwinlinkError as exc:
        return _back(reference, str(exc))


@router.get("/registrations-assignment", response_class=HTMLResponse)
def assignment_page(request: Request, db: SessionDep, account: Coordinator, capacity: int = 1) -> HTMLResponse:
    """Open school registrations paired with candidate schools that each take ``capacity``."""
    schools = [
        r for r in list_registrations(db) if OrganisationType(r.organisation_type).schools and not Stage(r.stage).closed
    ]
    rankings: list[Ranking] = [rank(db, gazetteer(), r, Weights(), today(), window(request)) for r in schools]
    made = assign(rankings, max(1, min(capacity, 50)))
    names = {s.party_id: s.name for ranking in rankings for s in ranking.suggestions}
    context = {"assignment": made, "names": names, "registrations": {r.reference: r for r in schools}}
    return _render(request, "assignment.html", context)


def _int(text: str | None) -> int | None:
    text = (text or "").strip().replace(",", "")
    return int(text) if text.isdigit() else None


@router.get("/partners", response_class=HTMLResponse)
def partners_page(
    request: Request,
    db: SessionDep,
    account: Annotated[Account | None, Depends(current_account)],
    country: str = "CN",
    region: str = "",
    level: str = "",
    linked: str = "",
    status: str = "",
    sector: str = "",
    min_population: str = "",
    max_population: str = "",
    q: str = "",
    offset: int = 0,
) -> HTMLResponse:
    """Partner search: places and schools with facets (sectors, from registrations, for coordinators)."""
    coordinator = account is not None and account.may(Role.COORDINATOR)
    query = PartnerQuery(
        country=country[:2] or "CN",
        region=region or None,
        level=level or None,
        linked=linked or None,
        status=status or None,
        sector=(sector or None) if coordinator else None,
        min_population=_int(min_population),
        max_population=_int(max_population),
        q=q.strip() or None,
    )
    page = search_partners(db, gazetteer(), query, today(), window(request), offset=max(0, offset))
    if not coordinator:
        page.facets.pop("sector", None)
    params = {k: v for k, v in request.query_params.items() if k != "offset"}
    context = {"page": page, "query": query, "params": params, "offset": max(0, offset), "coordinator": coordinator}
    return _render(request, "partners.html", context)


@router.post("/parties/{party_id:path}/contacts")
def add_party_contact(
    request: Request,
    party_id: str,
    account: Coordinator,
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    languages: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A person at an organisation, seen only by coordinators and the organisation's own users."""
    try:
        with transaction(request.app.state.engine) as db:
            add_contact(db, party_id, ContactIn(name, role, email, phone, languages), account.name)
        message = f"Added {name.strip()} to the contacts."
    except TwinlinkError as exc:
        message = str(exc)
    return RedirectResponse(f"/parties/{party_id}?message={quote_plus(message)}", status_code=303)


@router.post("/partnerships/{partnership_id}/log")
async def log_partnership(request: Request, partnership_id: str, account: Coordinator) -> Response:
    """A dated contact about an existing link (support for links is part of the process too)."""
    try:
        entry = _log_entry(await request.form())
        with transaction(request.app.state.engine) as db:
            if get_partnership(db, partnership_id) is None:
                raise TwinlinkError(f"no partnership {partnership_id!r}")
            add_log_entry(db, entry, account.name, partnership_id=partnership_id)
        message = "Logged."
    except TwinlinkError as exc:
        message = str(exc)
    return RedirectResponse(f"/partnerships/{partnership_id}?message={quote_plus(message)}", status_code=303)
