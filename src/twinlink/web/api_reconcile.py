"""A reconciliation service over the register's parties, as the W3C Reconciliation API (0.2)
describes and OpenRefine speaks it: the manifest, queries (GET or form POST), type-ahead
suggestions, proposed properties, data extension and a preview to show in a frame. Answers are
public reads, so any site may ask for them (``Access-Control-Allow-Origin: *``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, field_validator
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
MATCHED_ON = ("country", "code", "within")  # the properties a query may narrow candidates by
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


class _Property(BaseModel):
    pid: str
    v: str | int | float | dict[str, Any]

    @field_validator("pid")
    @classmethod
    def _known(cls, pid: str) -> str:
        if pid not in MATCHED_ON:
            raise ValueError(f"{pid} cannot be matched on; use {', '.join(MATCHED_ON)}")
        return pid

    def text(self) -> str:
        """The value; a value already reconciled ({"id": …}) by its id."""
        value = self.v.get("id") or self.v.get("name") if isinstance(self.v, dict) else self.v
        return str(value or "")


class _Query(BaseModel):
    query: Annotated[str, Field(min_length=1)]
    type: str | list[str] | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = 5
    properties: list[_Property] = []

    def checked(self) -> ReconcileQuery:
        given = {p.pid: p.text() for p in self.properties}
        types = [self.type] if isinstance(self.type, str) else self.type or []
        return ReconcileQuery(
            self.query[:300],
            tuple(types),
            self.limit,
            country=given.get("country") or None,
            code=given.get("code") or None,
            within=given.get("within") or None,
        )


class _Wanted(BaseModel):
    id: str


class _Extension(BaseModel):
    ids: Annotated[list[str], Field(max_length=1000)]
    properties: list[_Wanted]


_QUERIES = TypeAdapter(dict[str, _Query])
_SAID = {"missing": "is missing", "dict_type": "must be a JSON object", "model_type": "must be a JSON object"}


def _read(model: TypeAdapter[Any] | type[BaseModel], text: str, what: str) -> Any:
    """The request's JSON read into ``model``; the first fault named by its place in the request."""
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_json(text)
        return model.model_validate_json(text)
    except ValidationError as exc:
        error = exc.errors()[0]
        place = ".".join([what, *(str(part) for part in error["loc"])])
        message = _SAID.get(error["type"], error["msg"])
        if error["type"] == "json_invalid":
            message = f"not JSON ({error['msg']})"
        raise BadReconcileRequest(f"{place}: {message}") from None


def answer_queries(db: Session, text: str) -> dict[str, Any]:
    batch: dict[str, _Query] = _read(_QUERIES, text, "queries")
    if len(batch) > MAX_QUERIES:
        raise BadReconcileRequest(f"queries: at most {MAX_QUERIES} in one request")
    parsed = {key: query.checked() for key, query in batch.items()}
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
    request: _Extension = _read(_Extension, text, "extend")
    names = [p.id for p in request.properties]
    unknown = [n for n in names if n not in PROPERTIES]
    if unknown:
        raise BadReconcileRequest(f"extend.properties: no property {', '.join(unknown)}; see /api/reconcile/properties")
    meta = [{"id": n, "name": PROPERTIES[n][0]} for n in names]
    return {"meta": meta, "rows": extension(db, request.ids, names)}


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
