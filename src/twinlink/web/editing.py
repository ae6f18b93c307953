"""Adding documents from the browser: a file (text, HTML, PDF, Word) or a web address, with the
address and title to cite it by. What extraction finds becomes proposed claims, shown on the
document's page, that count once reviewed like any other."""

from __future__ import annotations

import threading
from typing import Annotated, Any
from urllib.parse import quote_plus

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from twinlink.config import Settings
from twinlink.documents.fetch import fetch_document
from twinlink.documents.load import load_bytes
from twinlink.documents.model import Document, is_address
from twinlink.errors import BadDocument, TwinlinkError
from twinlink.extract.pipeline import Extractor
from twinlink.register.accounts import Account
from twinlink.register.corrections import (
    BadCorrection,
    Citation,
    EventEntry,
    correct_event,
    propose_event,
    propose_funding,
    propose_partnership_fact,
    propose_party_kind,
    propose_party_name,
)
from twinlink.register.pipeline import ingest_document
from twinlink.store.engine import transaction
from twinlink.vocab import Role
from twinlink.web.auth import require
from twinlink.web.deps import templates
from twinlink.web.site import site_settings

router = APIRouter(include_in_schema=False)
Editor = Annotated[Account, Depends(require(Role.EDITOR))]
_EXTRACTOR_LOCK = threading.Lock()


def extractor_of(request: Request) -> Extractor:
    """Built on the first upload (loading the gazetteer takes seconds), then kept."""
    with _EXTRACTOR_LOCK:
        extractor: Extractor | None = getattr(request.app.state, "extractor", None)
        if extractor is None:
            from twinlink.extract.prebuilt import default_extractor

            extractor = default_extractor()
            request.app.state.extractor = extractor
        return extractor


def _form(request: Request, message: str | None = None, status: int = 200, **values: Any) -> HTMLResponse:
    context = {"message": message, "max_mb": request.app.state.settings.max_document_bytes // 1_000_000, **values}
    return templates().TemplateResponse(request, "add_document.html", context, status_code=status)


@router.get("/documents/new", response_class=HTMLResponse)
async def add_document_page(request: Request, account: Editor) -> HTMLResponse:
    return _form(request)


def read_upload(upload: UploadFile, limit: int) -> bytes:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise BadDocument(upload.filename or "upload", f"too large (the limit is {limit} bytes)")
    return data


def submitted_document(
    request: Request, file: UploadFile | None, address: str, source_url: str, title: str
) -> Document:
    """The document an editor sends, from the page or the API: an uploaded file, cited by the
    address and title given, or a web address fetched with the site's limits."""
    settings: Settings = request.app.state.settings
    if source_url and not is_address(source_url):
        raise BadDocument(source_url, "the source address must start with http:// or https://")
    if file is not None and file.filename:
        data = read_upload(file, settings.max_document_bytes)
        return load_bytes(data, file.filename, source=source_url or None, title=title or None)
    if address.strip():
        return fetch_document(
            address.strip(),
            max_bytes=settings.max_document_bytes,
            timeout=settings.fetch_timeout_seconds,
            allow_private=settings.fetch_private_addresses or site_settings(request).fetch_private_addresses,
            title=title or None,
        )
    raise TwinlinkError("choose a file or give a web address")


@router.post("/documents/new")
def add_document(  # a plain def: reading and extracting run in a thread, not on the event loop
    request: Request,
    account: Editor,
    file: Annotated[UploadFile | None, File()] = None,
    address: Annotated[str, Form(max_length=2000)] = "",
    source_url: Annotated[str, Form(max_length=2000)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    values = {"address": address, "source_url": source_url, "title": title}
    try:
        document = submitted_document(request, file, address, source_url, title)
    except TwinlinkError as exc:
        return _form(request, str(exc), 400, **values)
    ingest_document(request.app.state.engine, extractor_of(request), document, account.name)
    return RedirectResponse(f"/documents/{document.id}", status_code=303)


@router.post("/partnerships/{partnership_id}/claims")
def propose_fact(
    request: Request,
    partnership_id: str,
    account: Editor,
    prop: Annotated[str, Form(alias="property", max_length=40)],
    value: Annotated[str, Form(max_length=200)],
    document_id: Annotated[str, Form(max_length=64)] = "",
    address: Annotated[str, Form(max_length=2000)] = "",
    quote: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """An editor's fact or correction about a partnership, proposed for review."""
    citation = Citation(document_id.strip() or None, address.strip() or None, quote)
    try:
        with transaction(request.app.state.engine) as db:
            claim_id = propose_partnership_fact(db, partnership_id, prop, value, citation, account.name)
        message = (
            f"Proposed: {prop} {value.strip()} (claim {claim_id[:12]}); it stands beside the other sources "
            "until a reviewer decides."
        )
    except BadCorrection as exc:
        message = str(exc)
    return RedirectResponse(f"/partnerships/{partnership_id}?message={quote_plus(message)}", status_code=303)


@router.post("/parties/{party_id:path}/kind")
def propose_kind(
    request: Request,
    party_id: str,
    account: Editor,
    kind: Annotated[str, Form(max_length=40)],
    document_id: Annotated[str, Form(max_length=64)] = "",
    address: Annotated[str, Form(max_length=2000)] = "",
    quote: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """An editor's word on what a party is (a county, a city, a school…), proposed for review."""
    citation = Citation(document_id.strip() or None, address.strip() or None, quote)
    try:
        with transaction(request.app.state.engine) as db:
            claim_id = propose_party_kind(db, party_id, kind, citation, account.name)
        message = f"Proposed: kind {kind} (claim {claim_id[:12]}); it stands beside the other sources until reviewed."
    except BadCorrection as exc:
        message = str(exc)
    return RedirectResponse(f"/parties/{party_id}?message={quote_plus(message)}", status_code=303)


def _optional_int(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise BadCorrection(f"{field}: give a number, not {text!r}")
    return int(text)


def _event_entry(year: str, month: str, day: str, kind: str, what: str, planned: str) -> EventEntry:
    found = _optional_int(year, "year")
    if found is None:
        raise BadCorrection("year: give the year it happened")
    return EventEntry(found, _optional_int(month, "month"), _optional_int(day, "day"), kind, what, planned == "on")


def _citation(document_id: str, address: str, quote: str) -> Citation:
    return Citation(document_id.strip() or None, address.strip() or None, quote)


@router.post("/partnerships/{partnership_id}/events")
def propose_partnership_event(
    request: Request,
    partnership_id: str,
    account: Editor,
    year: Annotated[str, Form(max_length=4)],
    what: Annotated[str, Form(max_length=500)],
    kind: Annotated[str, Form(max_length=20)] = "other",
    month: Annotated[str, Form(max_length=2)] = "",
    day: Annotated[str, Form(max_length=2)] = "",
    planned: Annotated[str, Form(max_length=3)] = "",
    document_id: Annotated[str, Form(max_length=64)] = "",
    address: Annotated[str, Form(max_length=2000)] = "",
    quote: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """An event between a partnership's parties that an editor enters, proposed for review."""
    try:
        entry = _event_entry(year, month, day, kind, what, planned)
        with transaction(request.app.state.engine) as db:
            claim_id = propose_event(db, partnership_id, entry, _citation(document_id, address, quote), account.name)
        message = (
            f"Proposed: the event (claim {claim_id[:12]}); it is on the timeline, marked proposed, until reviewed."
        )
    except BadCorrection as exc:
        message = str(exc)
    return RedirectResponse(f"/partnerships/{partnership_id}?message={quote_plus(message)}", status_code=303)


@router.post("/partnerships/{partnership_id}/funding")
def propose_partnership_funding(
    request: Request,
    partnership_id: str,
    account: Editor,
    what: Annotated[str, Form(max_length=300)],
    funder: Annotated[str, Form(max_length=300)] = "",
    recipient: Annotated[str, Form(max_length=300)] = "",
    until_year: Annotated[str, Form(max_length=4)] = "",
    document_id: Annotated[str, Form(max_length=64)] = "",
    address: Annotated[str, Form(max_length=2000)] = "",
    quote: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """A funding line an editor enters for a partnership, proposed for review."""
    try:
        until = _optional_int(until_year, "until")
        with transaction(request.app.state.engine) as db:
            claim_id = propose_funding(
                db, partnership_id, funder, recipient, what, until, _citation(document_id, address, quote), account.name
            )
        message = f"Proposed: the funding line (claim {claim_id[:12]}), until a reviewer decides."
    except BadCorrection as exc:
        message = str(exc)
    return RedirectResponse(f"/partnerships/{partnership_id}?message={quote_plus(message)}", status_code=303)


@router.post("/events/{event_id}/claims")
def propose_event_correction(
    request: Request,
    event_id: str,
    account: Editor,
    year: Annotated[str, Form(max_length=4)],
    what: Annotated[str, Form(max_length=500)],
    kind: Annotated[str, Form(max_length=20)] = "other",
    month: Annotated[str, Form(max_length=2)] = "",
    day: Annotated[str, Form(max_length=2)] = "",
    planned: Annotated[str, Form(max_length=3)] = "",
    from_claim: Annotated[str, Form(max_length=64)] = "",
    document_id: Annotated[str, Form(max_length=64)] = "",
    address: Annotated[str, Form(max_length=2000)] = "",
    quote: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Another account of a recorded event (its date, kind or what happened), proposed for review."""
    try:
        entry = _event_entry(year, month, day, kind, what, planned)
        with transaction(request.app.state.engine) as db:
            claim_id = correct_event(db, event_id, entry, _citation(document_id, address, quote), account.name)
        message = "Proposed: this account of the event; it stands beside the others until a reviewer decides."
        return RedirectResponse(f"/claims/{claim_id}?message={quote_plus(message)}", status_code=303)
    except BadCorrection as exc:
        back = f"/claims/{from_claim}" if from_claim else "/"
        return RedirectResponse(f"{back}?message={quote_plus(str(exc))}", status_code=303)


@router.post("/parties/{party_id:path}/names")
def propose_name(
    request: Request,
    party_id: str,
    account: Editor,
    name: Annotated[str, Form(max_length=300)],
    language: Annotated[str, Form(max_length=10)] = "en",
    document_id: Annotated[str, Form(max_length=64)] = "",
    address: Annotated[str, Form(max_length=2000)] = "",
    quote: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """A name a party goes by, proposed for review; once accepted the party is found by it."""
    try:
        with transaction(request.app.state.engine) as db:
            claim_id = propose_party_name(
                db, party_id, name, language, _citation(document_id, address, quote), account.name
            )
        message = f"Proposed: the name {name.strip()} (claim {claim_id[:12]}), until a reviewer decides."
    except BadCorrection as exc:
        message = str(exc)
    return RedirectResponse(f"/parties/{party_id}?message={quote_plus(message)}", status_code=303)
