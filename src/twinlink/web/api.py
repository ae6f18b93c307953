"""The JSON API under /api: the same queries as the pages, keyset pagination, ETags."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.register.derived.timelines import timeline
from twinlink.register.queries import (
    PartnershipView,
    find_party,
    page_partnership_views,
    partnership_view,
    party_page,
)
from twinlink.store.claims import list_claims
from twinlink.store.search import search
from twinlink.store.tables import Claim, Document, Partnership, Party
from twinlink.web.deps import session, today, window

router = APIRouter(prefix="/api", tags=["register"])
SessionDep = Annotated[Session, Depends(session)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
MAX_OFFSET = 1_000_000  # a bound on every offset: numbers past a database integer are refused (422), not a 500
After = Annotated[str | None, Query(description="Keyset cursor: the `next` value of the previous page.")]


def _json(request: Request, body: Any) -> Response:
    """A JSON response with an ETag; a request that already holds this version gets 304. Records
    (dataclasses) in ``body`` are written as objects of their fields."""
    data = orjson.dumps(body, default=str)
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(data, media_type="application/json", headers={"ETag": etag})


def _with_pages(records: Sequence[PartnershipView], folder: str) -> orjson.Fragment:
    """Records as a JSON array of objects of their fields, each with the address of its page
    added as ``html``: written straight from the records rather than through dicts (orjson writes
    each record as one object, so the address goes in before its closing brace)."""
    parts = [orjson.dumps(r, default=str)[:-1] + b',"html":' + orjson.dumps(folder + r.id) + b"}" for r in records]
    return orjson.Fragment(b"[" + b",".join(parts) + b"]")


def _page(items: list[dict[str, Any]], limit: int, key: str = "id") -> dict[str, Any]:
    page = items[:limit]
    return {"items": page, "next": page[-1][key] if len(items) > limit else None}


def _party_dict(p: Party) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "name_zh": p.name_zh,
        "name_pinyin": p.name_pinyin,
        "kind": p.kind,
        "country": p.country,
        "parent_id": p.parent_id,
        "iso_code": p.iso_code,
        "gss_code": p.gss_code,
        "cn_admin_code": p.cn_admin_code,
        "geonames_id": p.geonames_id,
        "lat": p.lat,
        "lon": p.lon,
        "needs_review": p.needs_review,
        "html": f"/parties/{p.id}",
    }


@router.get("/parties", summary="Parties, by name, kind or country")
async def parties(
    request: Request,
    db: SessionDep,
    q: str | None = None,
    kind: str | None = None,
    country: str | None = None,
    limit: Limit = 50,
    after: After = None,
) -> Response:
    query = select(Party).order_by(Party.id)
    if q:
        query = query.where(Party.name.ilike(f"%{q}%"))
    if kind:
        query = query.where(Party.kind == kind)
    if country:
        query = query.where(Party.country == country.upper())
    if after:
        query = query.where(Party.id > after)
    rows = [_party_dict(p) for p in db.scalars(query.limit(limit + 1))]
    return _json(request, _page(rows, limit))


@router.get("/parties/{party_id:path}", summary="One party with its partnerships and timeline")
async def party(request: Request, party_id: str, db: SessionDep, as_of: date | None = None) -> Response:
    found = db.get(Party, party_id)
    if found is None:
        raise HTTPException(404, f"no party {party_id!r} in the register")
    page = party_page(db, found, as_of or today(), window(request))
    body = {**page.to_dict(), "timeline": timeline(db, found), "html": f"/parties/{found.id}"}
    return _json(request, body)


@router.get("/partnerships", summary="Partnerships with derived established date and status")
async def partnerships(
    request: Request,
    db: SessionDep,
    party: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    as_of: date | None = None,
    limit: Limit = 50,
    after: After = None,
) -> Response:
    who = find_party(db, None, party) if party else None
    views, cursor = page_partnership_views(
        db, as_of or today(), window(request), limit, after, who, kind, country, status
    )
    return _json(request, {"items": _with_pages(views, "/partnerships/"), "next": cursor})


@router.get("/partnerships/{partnership_id}", summary="One partnership with every claim and its timeline")
async def partnership(request: Request, partnership_id: str, db: SessionDep, as_of: date | None = None) -> Response:
    found = db.get(Partnership, partnership_id)
    if found is None:
        raise HTTPException(404, f"no partnership {partnership_id!r} in the register")
    claims = list_claims(db, "partnership", [found.id])[found.id]
    view = partnership_view(db, found, as_of or today(), window(request), claims)
    a, b = db.get(Party, found.party_a_id), db.get(Party, found.party_b_id)
    assert a is not None and b is not None
    body = {
        **view.to_dict(),
        "claims": [_claim_dict(c) for c in claims],
        "timeline": timeline(db, a, b),
        "html": f"/partnerships/{found.id}",
    }
    return _json(request, body)


def _claim_dict(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "subject_type": c.subject_type,
        "subject_id": c.subject_id,
        "property": c.property,
        "value": orjson.loads(c.value),
        "document_id": c.document_id,
        "source": c.source,
        "quote": c.quote,
        "span": [c.span_start, c.span_end] if c.span_start is not None else None,
        "method": c.method,
        "review_state": c.review_state,
        "superseded_by": c.superseded_by,
    }


@router.get("/events", summary="Dated events of a party (and a partner), oldest first")
async def events(request: Request, db: SessionDep, party: str, partner: str | None = None) -> Response:
    who = find_party(db, None, party)
    other = find_party(db, None, partner) if partner else None
    return _json(request, {"items": timeline(db, who, other)})


@router.get("/documents", summary="Stored documents")
async def documents(request: Request, db: SessionDep, limit: Limit = 50, after: After = None) -> Response:
    query = select(Document).order_by(Document.id)
    if after:
        query = query.where(Document.id > after)
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "kind": d.kind,
            "source": d.source,
            "size": d.size,
            "ingested_at": d.ingested_at.isoformat(),
            "html": f"/documents/{d.id}",
        }
        for d in db.scalars(query.limit(limit + 1))
    ]
    return _json(request, _page(rows, limit))


@router.get("/documents/{document_id}", summary="One document with its text and the claims it supports")
async def document(request: Request, document_id: str, db: SessionDep) -> Response:
    d = db.get(Document, document_id)
    if d is None:
        raise HTTPException(404, f"no document {document_id!r} in the register")
    claims = db.scalars(select(Claim).where(Claim.document_id == d.id).order_by(Claim.span_start)).all()
    return _json(
        request,
        {
            "id": d.id,
            "title": d.title,
            "kind": d.kind,
            "source": d.source,
            "text": d.text,
            "claims": [_claim_dict(c) for c in claims],
            "html": f"/documents/{d.id}",
        },
    )


@router.get("/claims", summary="Claims about one subject")
async def claims(request: Request, db: SessionDep, subject_type: str, subject_id: str) -> Response:
    found = list_claims(db, subject_type, [subject_id])[subject_id]
    return _json(request, {"items": [_claim_dict(c) for c in found]})


@router.get("/search", summary="Search parties, partnerships, events and documents")
async def search_api(
    request: Request, db: SessionDep, q: str, limit: Limit = 20, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0
) -> Response:
    hits, total = search(db, q, limit, offset)
    return _json(request, {"total": total, "items": [asdict(h) for h in hits]})


__all__ = ["router"]
