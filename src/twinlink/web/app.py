"""``create_app(settings)``: the FastAPI application, built on demand, never at import."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from twinlink.config import Settings
from twinlink.errors import TwinlinkError
from twinlink.store.engine import make_engine
from twinlink.store.schema import require_current
from twinlink.web import api, pages, reports
from twinlink.web.deps import templates

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    require_current(engine)
    app = FastAPI(
        title="Twinlink",
        description="The evidence-backed register of twinning and sister-city partnerships.",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.settings = settings
    static = resources.files("twinlink.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(reports.router)
    app.include_router(pages.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(TwinlinkError)
    async def domain_error(request: Request, exc: TwinlinkError) -> Response:
        return _error(request, 404 if "no " in str(exc) else 400, str(exc))

    return app


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message}, status_code=status)
    return templates().TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


__all__ = ["HTTPException", "create_app"]
