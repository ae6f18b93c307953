"""The JSON API under /api: the same read functions as the pages (``register.resources``),
keyset pagination, ETags; each route's response model (``models``) describes what it returns."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from twinlink.register import resources
from twinlink.register.derived.timelines import timeline
from twinlink.register.queries import PartnershipView, find_party, page_partnership_views
from twinlink.store.partnerships import PartnershipFilter
from twinlink.store.search import search
from twinlink.vocab import PartnershipKind, PartyKind
from twinlink.web import models
from twinlink.web.deps import session, today, window
from twinlink.web.problems import described

ERRORS: dict[int | str, dict[str, Any]] = {
    404: described(models.ErrorOut, "Nothing in the register has that id or name."),
    400: described(models.ErrorOut, "A parameter the register cannot answer for."),
    422: described(models.FormErrorOut, "A parameter or field of the wrong kind, each named."),
}
router = APIRouter(prefix="/api", tags=["register"], responses=ERRORS)
SessionDep = Annotated[Session, Depends(session)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
MAX_OFFSET = 1_000_000  # a bound on every offset: numbers past a database integer are refused (422), not a 500
After = Annotated[str | None, Query(description="Keyset cursor: the `next` value of the previous page.")]
AsOf = Annotated[date | None, Query(description="Judge status as of this date (default today).")]
Country = Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO country code, e.g. GB or CN.")]
Status = Literal["active", "dormant", "ended", "unknown"]


# times are kept in UTC without a zone; written as RFC 3339 times, they say so
_JSON_OPTIONS = orjson.OPT_NAIVE_UTC


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=str, option=_JSON_OPTIONS)


def _matches(header: str | None, etag: str) -> bool:
    """RFC 9110's weak comparison, as If-None-Match asks: a list of tags, ``W/`` ignored, ``*`` any."""
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def next_url(request: Request, **page: str | int | None) -> str | None:
    """The address of the next page: this one's path and query with ``page``'s parameters
    replaced; relative, so no Host header a client sent is written back. None on the last page."""
    if any(value is None for value in page.values()):
        return None
    query = {**request.query_params, **{name: str(value) for name, value in page.items()}}
    return f"{request.url.path}?{urlencode(query)}"


def page_response(request: Request, items: Any, cursor: str | None) -> Response:
    """A page of a keyset-paginated list, with the cursor and the next page's address."""
    following = next_url(request, after=cursor)
    return linked_response(request, {"items": items, "next": cursor, "next_url": following}, following)


def linked_response(request: Request, body: dict[str, Any], following: str | None) -> Response:
    """``json_response`` with the next page's address also in a ``Link`` header (rel="next")."""
    response = json_response(request, body)
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return response


def json_response(request: Request, body: Any) -> Response:
    """A JSON response with an ETag; a request that already holds this version gets 304. Records
    (dataclasses) in ``body`` are written as objects of their fields."""
    data = _dumps(body)
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(data, media_type="application/json", headers={"ETag": etag})


def model_response(model: BaseModel, status: int = 200) -> Response:
    """A response model's JSON, as the writing routes answer (no ETag: a write is not cached)."""
    return JSONResponse(model.model_dump(mode="json"), status_code=status)


def _with_pages(records: Sequence[Any], folder: str) -> orjson.Fragment:
    """Records as a JSON array of objects of their fields, each with the address of its page
    added as ``html``: written straight from the records rather than through dicts (orjson writes
    each record as one object, so the address goes in before its closing brace)."""
    parts = [_dumps(r)[:-1] + b',"html":' + orjson.dumps(folder + r.id) + b"}" for r in records]
    return orjson.Fragment(b"[" + b",".join(parts) + b"]")


def fields_of(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(_dumps(record))
    return data


@router.get("/parties", summary="Parties, by name, kind or country", response_model=models.PartyListOut)
async def parties(
    request: Request,
    db: SessionDep,
    q: Annotated[str | None, Query(description="Part of the party's name.")] = None,
    kind: PartyKind | None = None,
    country: Country = None,
    limit: Limit = 50,
    after: After = None,
) -> Response:
    page = resources.parties(db, limit, after, name_contains=q, kind=kind, country=country)
    return page_response(request, _with_pages(page.items, "/parties/"), page.next)


@router.get(
    "/parties/{party_id:path}",
    summary="One party with its partnerships and timeline",
    response_model=models.PartyDetailOut,
)
async def party(request: Request, party_id: str, db: SessionDep, as_of: AsOf = None) -> Response:
    detail = resources.party_detail(db, party_id, as_of or today(), window(request))
    body = {**fields_of(detail.page), "timeline": detail.timeline, "html": f"/parties/{detail.page.party.id}"}
    return json_response(request, body)


@router.get(
    "/partnerships",
    summary="Partnerships with derived established date and status",
    response_model=models.PartnershipListOut,
)
async def partnerships(
    request: Request,
    db: SessionDep,
    party: Annotated[str | None, Query(description="A party's id or any form of its name.")] = None,
    country: Country = None,
    kind: PartnershipKind | None = None,
    status: Status | None = None,
    as_of: AsOf = None,
    limit: Limit = 50,
    after: After = None,
) -> Response:
    who = find_party(db, None, party) if party else None
    where = PartnershipFilter(party_id=who.id if who else None, kind=kind, country=country, status=status)
    views, cursor = page_partnership_views(db, as_of or today(), window(request), where, limit=limit, after=after)
    return page_response(request, _with_pages(views, "/partnerships/"), cursor)


@router.get(
    "/partnerships/{partnership_id}",
    summary="One partnership with every claim and its timeline",
    response_model=models.PartnershipDetailOut,
)
async def partnership(request: Request, partnership_id: str, db: SessionDep, as_of: AsOf = None) -> Response:
    detail = resources.partnership_detail(db, partnership_id, as_of or today(), window(request))
    view: PartnershipView = detail.view
    body = {
        **fields_of(view),
        "why_established": detail.why_established,
        "claims": detail.claims,
        "timeline": detail.timeline,
        "html": f"/partnerships/{view.id}",
    }
    return json_response(request, body)


@router.get(
    "/events", summary="Dated events of a party (and a partner), oldest first", response_model=models.TimelineOut
)
async def events(request: Request, db: SessionDep, party: str, partner: str | None = None) -> Response:
    who = find_party(db, None, party)
    other = find_party(db, None, partner) if partner else None
    return json_response(request, {"items": timeline(db, who, other)})


@router.get("/documents", summary="Stored documents", response_model=models.DocumentListOut)
async def documents(request: Request, db: SessionDep, limit: Limit = 50, after: After = None) -> Response:
    page = resources.documents(db, limit, after)
    return page_response(request, _with_pages(page.items, "/documents/"), page.next)


@router.get(
    "/documents/{document_id}",
    summary="One document with its text and the claims it supports",
    response_model=models.DocumentDetailOut,
)
async def document(request: Request, document_id: str, db: SessionDep) -> Response:
    detail = resources.document_detail(db, document_id)
    body = {
        **fields_of(detail.document),
        "text": detail.text,
        "claims": detail.claims,
        "html": f"/documents/{detail.document.id}",
    }
    return json_response(request, body)


@router.get("/claims", summary="Claims about one subject", response_model=models.ClaimListOut)
async def claims(
    request: Request,
    db: SessionDep,
    subject_type: Annotated[str, Query(description="party, partnership or event")],
    subject_id: str,
) -> Response:
    return json_response(request, {"items": resources.claims_about(db, subject_type, subject_id)})


@router.get(
    "/claims/{claim_id}",
    summary="One claim with every review decision made on it",
    response_model=models.ClaimHistoryOut,
)
async def claim(request: Request, claim_id: str, db: SessionDep) -> Response:
    history = resources.claim_history(db, claim_id)
    body = {
        "claim": history.claim,
        "about": history.about,
        "decisions": history.decisions,
        "trail": history.trail,
        "html": f"/claims/{history.claim.id}",
    }
    return json_response(request, body)


@router.get("/search", summary="Search parties, partnerships, events and documents", response_model=models.SearchOut)
async def search_api(
    request: Request, db: SessionDep, q: str, limit: Limit = 20, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0
) -> Response:
    hits, total = search(db, q, limit, offset)
    following = next_url(request, offset=offset + limit) if offset + limit < total else None
    return linked_response(
        request, {"total": total, "items": [asdict(h) for h in hits], "next_url": following}, following
    )


__all__ = ["router"]
