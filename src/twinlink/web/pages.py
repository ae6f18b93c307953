"""Server-rendered pages; each calls the same queries as its JSON twin under /api."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import record_of
from twinlink.register import resources
from twinlink.register.accounts import Account
from twinlink.register.corrections import NAME_LANGUAGES, PARTNERSHIP_PROPERTIES
from twinlink.register.interest import LOG_KINDS, contacts_of, log_of_partnership
from twinlink.register.queries import directory, list_partnership_views
from twinlink.register.resources import ClaimRecord, DocumentDetail
from twinlink.reports.exports import EXPORT_FORMATS, export
from twinlink.reports.tables import TABLES
from twinlink.store.events import list_latest_events
from twinlink.store.parties import get_party
from twinlink.store.partnerships import PartnershipFilter
from twinlink.store.search import count_rows, search_with_refs
from twinlink.store.tables import Document, Event, Partnership, Party
from twinlink.vocab import EventKind, PartyKind, Role
from twinlink.web.auth import current_account
from twinlink.web.deps import session, templates, today, window
from twinlink.web.fragments import partnership_rows_html, timeline_html
from twinlink.web.map_svg import VIEW_NAMES, MapLine, MapPoint, map_svg
from twinlink.web.party_changes import change_lines

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(session)]
MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "geojson": "application/geo+json",
    "facts": "application/jsonl",
    "ftm": "application/jsonl",
    "ftm-statements": "application/jsonl",
    "quickstatements": "text/plain",
}
FILE_SUFFIX = {"ftm": "ftm.jsonl", "ftm-statements": "statements.jsonl", "facts": "jsonl", "quickstatements": "qs.txt"}

MAX_PAGE = 100_000  # a bound on page numbers: a page past a database integer is refused (422), not a 500


# the partnerships among this many best matches are counted in a search page's facets
FACETED_MATCHES = 10_000
ROWS_PER_PAGE = 50


def _render(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: SessionDep) -> HTMLResponse:
    counts = {
        name: count_rows(db, table)
        for name, table in (
            ("parties", Party),
            ("partnerships", Partnership),
            ("events", Event),
            ("documents", Document),
        )
    }
    latest = list_latest_events(db, 8)
    return _render(request, "home.html", {"counts": counts, "latest": latest})


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    db: SessionDep,
    q: str = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    country: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    rows: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page of the partnerships table")] = 1,
) -> HTMLResponse:
    per_page = 20
    hits, total, refs = search_with_refs(db, q, per_page, (page - 1) * per_page, FACETED_MATCHES)
    ids = {ref_id for kind, ref_id in refs if kind == "partnership"} if q else None
    where = PartnershipFilter(kind=kind or None, country=country or None, status=status or None, ids=ids)
    listed = directory(db, today(), window(request), where, (rows - 1) * ROWS_PER_PAGE, ROWS_PER_PAGE)
    return _render(
        request,
        "search.html",
        {
            "q": q,
            "hits": hits,
            "total": total,
            "page": page,
            "per_page": per_page,
            "views": listed.views,
            "view_count": listed.total,
            "rows": rows,
            "rows_per_page": ROWS_PER_PAGE,
            "facets": listed.facets,
            "country": country,
            "kind": kind,
            "status": status,
        },
    )


@router.get("/parties/{party_id:path}", response_class=HTMLResponse)
async def party(
    request: Request,
    party_id: str,
    db: SessionDep,
    account: Annotated[Account | None, Depends(current_account)],
    message: str | None = None,
) -> HTMLResponse:
    detail = resources.party_detail(db, party_id, today(), window(request), timeline_parties=False)
    return _render(
        request,
        "party.html",
        {
            "page": detail.page,
            "partnership_rows": partnership_rows_html(detail.page.partnerships, detail.page.party.id),
            "timeline": timeline_html(detail.timeline),
            "can_propose": account is not None and account.may(Role.EDITOR),
            "can_review": account is not None and account.may(Role.REVIEWER),
            "can_coordinate": account is not None and account.may(Role.COORDINATOR),
            "contacts": contacts_of(db, detail.page.party.id)
            if account is not None and account.sees_contacts_of(detail.page.party.id)
            else None,
            "changes": change_lines(db, detail.page.party.id),
            "council": record_of(detail.page.party.id),
            "kinds": [k.value for k in PartyKind],
            "languages": NAME_LANGUAGES,
            "message": message,
        },
    )


@router.get("/partnerships/{partnership_id}", response_class=HTMLResponse)
async def partnership(
    request: Request,
    partnership_id: str,
    db: SessionDep,
    account: Annotated[Account | None, Depends(current_account)],
    message: str | None = None,
) -> HTMLResponse:
    detail = resources.partnership_detail(db, partnership_id, today(), window(request))
    context = {
        "view": detail.view,
        "claims": detail.claims,
        "why_established": detail.why_established,
        "timeline": timeline_html(detail.timeline),
        "can_propose": account is not None and account.may(Role.EDITOR),
        "log": log_of_partnership(db, partnership_id)
        if account is not None and account.may(Role.COORDINATOR)
        else None,
        "log_kinds": LOG_KINDS,
        "today": today(),
        "properties": PARTNERSHIP_PROPERTIES,
        "event_kinds": [k.value for k in EventKind],
        "message": message,
    }
    return _render(request, "partnership.html", context)


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
async def claim(
    request: Request,
    claim_id: str,
    db: SessionDep,
    account: Annotated[Account | None, Depends(current_account)],
    message: str | None = None,
) -> HTMLResponse:
    history = resources.claim_history(db, claim_id)
    link = _subject_link(db, history.claim)
    context = {
        "history": history,
        "c": history.claim,
        "link": link,
        "can_correct_event": account is not None
        and account.may(Role.EDITOR)
        and history.claim.property == "occurred"
        and isinstance(history.claim.value, dict),
        "event_kinds": [k.value for k in EventKind],
        "message": message,
    }
    return _render(request, "claim.html", context)


@dataclass(frozen=True)
class Segment:
    text: str
    claim: ClaimRecord | None
    link: str | None


@router.get("/documents/{document_id}", response_class=HTMLResponse)
async def document(request: Request, document_id: str, db: SessionDep) -> HTMLResponse:
    detail = resources.document_detail(db, document_id)
    return _render(request, "document.html", {"doc": detail.document, "segments": _segments(db, detail)})


def _segments(db: Session, detail: DocumentDetail) -> list[Segment]:
    """The text cut at each evidence span, spans linked to what they state (nested spans are merged)."""
    text = detail.text
    spans = sorted(
        ((c, c.span) for c in detail.claims if c.span is not None), key=lambda pair: (pair[1][0], -pair[1][1])
    )
    segments: list[Segment] = []
    cursor = 0
    for claim, (start, end) in spans:
        if start < cursor or end > len(text):
            continue
        segments.append(Segment(text[cursor:start], None, None))
        segments.append(Segment(text[start:end], claim, _subject_link(db, claim)))
        cursor = end
    segments.append(Segment(text[cursor:], None, None))
    return segments


def _subject_link(db: Session, claim: ClaimRecord) -> str | None:
    if claim.subject_type == "partnership":
        return f"/partnerships/{claim.subject_id}"
    if claim.subject_type == "party":
        return f"/parties/{claim.subject_id}"
    event = db.get(Event, claim.subject_id)
    if event is not None and event.partnership_id:
        return f"/partnerships/{event.partnership_id}"
    return None


@router.get("/map", response_class=HTMLResponse)
def map_page(
    request: Request, db: SessionDep, status: str | None = None, country: str | None = None, view: str = "fit"
) -> HTMLResponse:
    """``view``: ``fit`` (what is drawn), ``world`` or a region; a partnership with a party that
    has no point is counted, not drawn."""
    lines, unplaced = [], 0
    where = PartnershipFilter(kind="place", status=status or None, country=country or None)
    for partnership in list_partnership_views(db, today(), window(request), where):
        a, b = get_party(db, partnership.party_a.id), get_party(db, partnership.party_b.id)
        if a is None or b is None or a.lat is None or a.lon is None or b.lat is None or b.lon is None:
            unplaced += 1
            continue
        lines.append(
            MapLine(
                partnership.id,
                MapPoint(a.id, a.name, a.lat, a.lon),
                MapPoint(b.id, b.name, b.lat, b.lon),
                partnership.status,
                f"{a.name} – {b.name}",
            )
        )
    shown = view if view in VIEW_NAMES else "fit"
    context = {
        "svg": Markup(map_svg(lines, shown)),
        "count": len(lines),
        "unplaced": unplaced,
        "status": status,
        "country": country,
        "view": shown,
        "views": VIEW_NAMES,
    }
    return _render(request, "map.html", context)


@router.get("/export.{fmt}")
def export_page(
    request: Request,
    fmt: str,
    db: SessionDep,
    party: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    as_of: date | None = None,
    bom: bool = False,
    table: str = "partnerships",
) -> Response:
    """``bom=1`` starts a CSV with a byte-order mark, for spreadsheets that read it as UTF-8 only
    then; ``table`` chooses what a CSV holds (partnerships, events, parties or sources)."""
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404, f"no export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    if table not in TABLES:
        raise HTTPException(400, f"no table {table!r}: choose one of {', '.join(TABLES)}")
    who = get_party(db, party) if party else None
    where = PartnershipFilter(party_id=who.id if who else None, kind=kind, country=country, status=status)
    views = list_partnership_views(db, as_of or today(), window(request), where)
    return Response(
        export(db, views, fmt, bom=bom, table=table),
        media_type=MEDIA[fmt] + ("; charset=utf-8" if fmt in ("csv", "quickstatements") else ""),
        headers={"Content-Disposition": f'attachment; filename="twinlink-partnerships.{FILE_SUFFIX.get(fmt, fmt)}"'},
    )
