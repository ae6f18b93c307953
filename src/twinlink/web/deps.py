"""What pages and API routes share: a read session, the templates, the as-of date, the window.

Routes whose work is bounded (one party, one page of rows) are ``async def``: they run on the
event loop, one request at a time per worker process, with no hop to a thread and no threads
contending for the interpreter. Routes whose work grows with the register (facets over every
match, the map, exports, reports) are plain ``def`` and run in the thread pool, so that a long
one does not hold the quick ones up. ``twinlink serve --workers`` runs one process per core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Path, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from twinlink.register.derive import date_label
from twinlink.store.engine import reading


async def session(request: Request) -> AsyncIterator[Session]:
    # opened and closed on the event loop: a thread hop each way costs more than the work
    with reading(request.app.state.engine) as s:
        yield s


def window(request: Request) -> int:
    return int(request.app.state.settings.dormant_after_years)


def today() -> date:
    return date.today()


def with_params(request: Request, **changes: object) -> str:
    """A link to this page with some query parameters changed: a path and a query, never the
    host the request named (a Host header is the client's to choose)."""
    params = dict(request.query_params)
    params.update({k: str(v) for k, v in changes.items()})
    return request.url.path + "?" + urlencode(params)


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    folder = resources.files("twinlink.web").joinpath("templates")
    environment = Jinja2Templates(directory=str(folder))
    environment.env.globals["with_params"] = with_params
    environment.env.filters["told"] = told
    environment.env.filters["web_address"] = web_address
    return environment


def web_address(value: str | None) -> str:
    """An address stored from a form or a document, fit for a link only when it is a web page
    (http or https) or a path of this site: a ``javascript:`` or ``data:`` address links nowhere."""
    if not value:
        return ""
    if value.startswith("/") and not value.startswith("//"):
        return value
    return value if urlsplit(value.strip()).scheme in ("http", "https") else ""


def told(value: Any) -> str:
    """A claim's value as a reader would say it: an event's date, kind and account, a funding
    line, a name in its language; a plain value as it is."""
    if not isinstance(value, dict):
        return str(value)
    if "year" in value and "what" in value:
        when = date_label(int(value["year"]), value.get("month"), value.get("day"))
        planned = " (planned)" if value.get("planned") else ""
        return f"{when} · {value.get('kind') or 'event'} · {value['what']}{planned}"
    if "name" in value and "language" in value:
        return f"{value['name']} ({value['language']})"
    if "what" in value:
        who = " → ".join(str(value[k]) for k in ("funder", "recipient") if value.get(k))
        until = f" until {value['until_year']}" if value.get("until_year") else ""
        return f"{who}: {value['what']}{until}" if who else f"{value['what']}{until}"
    return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()) if v is not None)


# a row number in an address: past a database integer it names nothing (422), never a 500
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
