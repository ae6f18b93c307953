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
from twinlink.documents.fetch import fetch_document, is_address
from twinlink.documents.load import load_bytes
from twinlink.documents.model import Document
from twinlink.errors import BadDocument, TwinlinkError
from twinlink.extract.pipeline import Extractor
from twinlink.register.accounts import Account
from twinlink.register.corrections import BadCorrection, Citation, propose_partnership_fact, propose_party_kind
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
            from twinlink.gazetteer.lookup import default_gazetteer

            extractor = Extractor.build(default_gazetteer())
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
