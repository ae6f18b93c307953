"""Reports on the web: the Reports page, an FOI answer for any party, dormant links, the summary."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from twinlink.errors import MergedParty, NotFound
from twinlink.reports.dormant import list_dormant
from twinlink.reports.foi import build_foi_answer
from twinlink.reports.render import render, render_html
from twinlink.reports.summary import DIMENSIONS, summarise
from twinlink.store.parties import get_party
from twinlink.store.party_changes import merged_into
from twinlink.vocab import ReportFormat
from twinlink.web.deps import session, templates, today, window

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(session)]
MEDIA = {
    ReportFormat.MD: "text/markdown; charset=utf-8",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportFormat.PDF: "application/pdf",
}


@router.get("/reports", response_class=HTMLResponse)
def reports_page(
    request: Request, db: SessionDep, years: Annotated[int | None, Query(ge=1, le=200)] = None
) -> HTMLResponse:
    span = years or window(request)
    summary = summarise(db, today(), window(request))
    bars = {
        d: [(k, n, round(100 * n / max(summary.counts[d].values()))) for k, n in sorted(summary.counts[d].items())]
        for d in DIMENSIONS
    }
    context = {"summary": summary, "bars": bars, "dormant": list_dormant(db, today(), span), "years": span}
    return templates().TemplateResponse(request, "reports.html", context)


def _file_stem(name: str) -> str:
    """A party's name as part of a download's file name: letters, digits and hyphens only, so no
    name can break out of the header that carries it."""
    return "-".join(re.findall(r"\w+", name.lower(), flags=re.ASCII)) or "party"


@router.get("/parties/{party_id:path}/foi.{fmt}")
def foi(request: Request, party_id: str, fmt: str, db: SessionDep) -> Response:
    party = get_party(db, party_id)
    if party is None:
        into = merged_into(db, party_id)
        raise MergedParty(party_id, into) if into else NotFound(f"no party {party_id!r} in the register")
    try:
        chosen = ReportFormat(fmt)
    except ValueError:
        raise HTTPException(404, f"no report format {fmt!r}: choose md, html, docx or pdf") from None
    answer = build_foi_answer(db, party, today(), window(request))
    if chosen is ReportFormat.HTML:
        return templates().TemplateResponse(request, "foi.html", {"answer": answer, "body": Markup(_body(answer))})
    filename = f"foi-{_file_stem(party.name)}.{chosen.value}"
    return Response(
        render(answer, chosen),
        media_type=MEDIA[chosen],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _body(answer: object) -> str:
    """The report's own HTML body, inside the site's page (its styles come from the site's sheet)."""
    html = render_html(answer)  # type: ignore[arg-type]
    return html.split("<body>", 1)[1].rsplit("</body>", 1)[0]
