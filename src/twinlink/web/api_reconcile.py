"""A reconciliation service over the register's parties, as the W3C Reconciliation API (0.2)
describes and OpenRefine speaks it: the manifest, queries (GET or form POST), type-ahead
suggestions, proposed properties, data extension and a preview to show in a frame. Answers are
public reads, so any site may ask for them (``Access-Control-Allow-Origin: *``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.register.reconcile import KINDS, PROPERTIES, ReconcileQuery, extension, reconcile, suggest
from twinlink.store.tables import Party
from twinlink.web import models
from twinlink.web.api import ERRORS
from twinlink.web.deps import session, templates
from twinlink.web.process_data import gazetteer

router = APIRouter(prefix="/api/reconcile", tags=["reconciliation"], responses=ERRORS)
SessionDep = Annotated[Session, Depends(session)]
MAX_QUERIES = 100  # OpenRefine sends ten at a time
MAX_LIMIT = 50
ANY_SITE = {"Access-Control-Allow-Origin": "*"}
# the preview is shown in a frame of another site (OpenRefine's page): framing it is its purpose
PREVIEW_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors *"
QueriesParam = Annotated[
    str | None, Query(description='A JSON object of queries: {"q0": {"query": "Ningbo", "type": "city"}}.')
]
ExtendParam = Annotated[
    str | None, Query(description='A JSON data extension request: {"ids": [...], "properties": [{"id": "country"}]}.')
]


class BadReconcileRequest(TwinlinkError):
    pass


def _answer(body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json", headers=ANY_SITE)


def _base(request: Request) -> str:
    return (request.app.state.settings.public_url or str(request.base_url)).rstrip("/")


def manifest(request: Request) -> dict[str, Any]:
    base = _base(request)
    return {
        "versions": ["0.2"],
        "name": "Twinlink parties",
        "identifierSpace": f"{base}/parties/",
        "schemaSpace": f"{base}/kinds/",
        "defaultTypes": [{"id": kind, "name": kind} for kind in sorted(KINDS)],
        "view": {"url": f"{base}/parties/{{{{id}}}}"},
        "preview": {"url": f"{base}/api/reconcile/preview?id={{{{id}}}}", "width": 420, "height": 140},
        "suggest": {
            "entity": {"service_url": base, "service_path": "/api/reconcile/suggest"},
        },
        "extend": {
            "propose_properties": {"service_url": base, "service_path": "/api/reconcile/properties"},
            "property_settings": [],
        },
    }


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadReconcileRequest(f"{what}: not JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise BadReconcileRequest(f"{what}: must be a JSON object")
    return value


def _text(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    raise BadReconcileRequest(f"{what}: must be a string")


def parse_query(key: str, raw: Any) -> ReconcileQuery:
    """One query of the batch, checked field by field, each fault named by its key and field."""
    if not isinstance(raw, dict):
        raise BadReconcileRequest(f"queries.{key}: must be an object")
    text = _text(raw.get("query"), f"queries.{key}.query")
    if not text:
        raise BadReconcileRequest(f"queries.{key}.query: is missing")
    given = raw.get("type")
    types = given if isinstance(given, list) else [given] if given else []
    if not all(isinstance(t, str) for t in types):
        raise BadReconcileRequest(f"queries.{key}.type: must be a type id or a list of them")
    limit = raw.get("limit", 5)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= MAX_LIMIT:
        raise BadReconcileRequest(f"queries.{key}.limit: must be a whole number from 1 to {MAX_LIMIT}")
    properties: dict[str, str] = {}
    for n, item in enumerate(raw.get("properties") or []):
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str):
            raise BadReconcileRequest(f"queries.{key}.properties.{n}: must be an object with a pid and a v")
        value = item.get("v")
        if isinstance(value, dict):  # a value already reconciled: {"id": …}
            value = value.get("id") or value.get("name")
        properties[item["pid"]] = _text(value, f"queries.{key}.properties.{n}.v") or ""
    unknown = set(properties) - {"country", "code", "within"}
    if unknown:
        raise BadReconcileRequest(
            f"queries.{key}.properties: {', '.join(sorted(unknown))} cannot be matched on; use country, code or within"
        )
    return ReconcileQuery(
        text[:300],
        tuple(types),
        limit,
        country=properties.get("country") or None,
        code=properties.get("code") or None,
        within=properties.get("within") or None,
    )


def answer_queries(db: Session, text: str) -> dict[str, Any]:
    batch = _json_object(text, "queries")
    if len(batch) > MAX_QUERIES:
        raise BadReconcileRequest(f"queries: at most {MAX_QUERIES} in one request")
    parsed = {key: parse_query(key, raw) for key, raw in batch.items()}
    places = gazetteer()
    return {
        key: {
            "result": [
                {
                    "id": c.party.id,
                    "name": c.party.name,
                    "type": [{"id": c.party.kind, "name": c.party.kind}],
                    "score": c.score,
                    "match": c.match,
                    "description": _description(c.party, c.why),
                }
                for c in reconcile(db, places, query)
            ]
        }
        for key, query in parsed.items()
    }


def _description(party: Party, why: list[str]) -> str:
    parts = [party.kind, party.country or "", party.name_zh or "", *why]
    return ", ".join(p for p in parts if p)


def answer_extension(db: Session, text: str) -> dict[str, Any]:
    request = _json_object(text, "extend")
    ids, wanted = request.get("ids"), request.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadReconcileRequest("extend.ids: must be a list of party ids")
    if not isinstance(wanted, list) or not all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in wanted):
        raise BadReconcileRequest('extend.properties: must be a list of {"id": …}')
    names = [p["id"] for p in wanted]
    unknown = [n for n in names if n not in PROPERTIES]
    if unknown:
        raise BadReconcileRequest(f"extend.properties: no property {', '.join(unknown)}; see /api/reconcile/properties")
    if len(ids) > 1000:
        raise BadReconcileRequest("extend.ids: at most 1000 in one request")
    meta = [{"id": n, "name": PROPERTIES[n][0]} for n in names]
    return {"meta": meta, "rows": extension(db, ids, names)}


def _respond(request: Request, db: Session, queries: str | None, extend: str | None) -> Response:
    if queries is not None:
        return _answer(answer_queries(db, queries))
    if extend is not None:
        return _answer(answer_extension(db, extend))
    return _answer(manifest(request))


@router.get(
    "",
    summary="The reconciliation service: its manifest, or the answers to queries or a data extension",
    response_model=models.ReconcileServiceOut,
)
def service(request: Request, db: SessionDep, queries: QueriesParam = None, extend: ExtendParam = None) -> Response:
    return _respond(request, db, queries, extend)


@router.post(
    "",
    summary="Queries or a data extension sent as a form, as OpenRefine sends them",
    response_model=models.ReconcileServiceOut,
)
def service_form(
    request: Request,
    db: SessionDep,
    queries: Annotated[str | None, Form()] = None,
    extend: Annotated[str | None, Form()] = None,
) -> Response:
    return _respond(request, db, queries, extend)


@router.get("/suggest", summary="Parties whose name starts with a prefix", response_model=models.ReconcileSuggestOut)
def suggest_entity(
    db: SessionDep, prefix: Annotated[str, Query(max_length=300)], limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10
) -> Response:
    found = suggest(db, prefix, limit)
    return _answer({"result": [{"id": p.id, "name": p.name, "description": _description(p, [])} for p in found]})


@router.get(
    "/properties",
    summary="What a data extension can add to a reconciled column",
    response_model=models.ReconcilePropertiesOut,
)
def propose_properties(type: Annotated[str | None, Query(max_length=60)] = None) -> Response:
    return _answer(
        {"type": type or "party", "properties": [{"id": key, "name": label} for key, (label, _) in PROPERTIES.items()]}
    )


@router.get("/preview", summary="A party in a few lines, for a frame", response_class=HTMLResponse)
def preview(request: Request, db: SessionDep, id: Annotated[str, Query(max_length=64)]) -> Response:
    party = db.get(Party, id)
    if party is None:
        raise NotFound(f"no party {id!r} in the register")
    rows = extension(db, [party.id], ["parent", "partners"])[party.id]
    context = {"party": party, "within": rows["parent"], "partners": rows["partners"]}
    page = templates().TemplateResponse(request, "reconcile_preview.html", context)
    page.headers["Content-Security-Policy"] = PREVIEW_CSP
    return page
