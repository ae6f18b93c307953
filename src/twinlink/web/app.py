"""``create_app(settings)``: the FastAPI application, built on demand, never at import."""

from __future__ import annotations

import gc
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources

import anyio.to_thread
from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twinlink.config import Settings
from twinlink.errors import MergedParty, NotFound, TwinlinkError
from twinlink.register.database import prepare
from twinlink.store.engine import make_engine
from twinlink.web import (
    accounts,
    api,
    api_delegations,
    api_process,
    api_reconcile,
    api_reference,
    api_writes,
    delegations,
    editing,
    interest_public,
    pages,
    party_changes,
    registrations,
    reports,
)
from twinlink.web.auth import Forbidden, SignInLimiter, SignInRequired, csrf_token
from twinlink.web.deps import templates
from twinlink.web.problems import problem
from twinlink.web.site import SiteSettingsCache, private_site_gate

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    prepare(engine)
    app = FastAPI(
        lifespan=_start_up(settings.request_threads),
        title="Twinlink",
        version=_version(),
        description="The evidence-backed register of twinning and sister-city partnerships.",
        docs_url=None,  # /docs is drawn on the server (api_reference): a CDN's Swagger UI would break the CSP
        redoc_url=None,
        dependencies=[Depends(private_site_gate)],
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.site_settings = SiteSettingsCache(engine)
    static = resources.files("twinlink.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.state.sign_in_limiter = SignInLimiter()
    app.state.interest_limiter = SignInLimiter(attempts=5, window=3600.0)
    templates().env.globals["csrf_token"] = csrf_token
    app.include_router(api.router)
    app.include_router(api_writes.router)
    app.include_router(api_process.router)
    app.include_router(api_delegations.router)
    app.include_router(api_reconcile.router)
    app.include_router(api_reference.router)
    app.include_router(reports.router)
    app.include_router(accounts.router)
    app.include_router(editing.router)
    app.include_router(party_changes.router)
    app.include_router(interest_public.router)
    app.include_router(registrations.router)
    app.include_router(delegations.router)
    app.include_router(pages.router)

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key or secrets.token_urlsafe(32),
        session_cookie="twinlink_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=5)  # 9 costs CPU for little
    if settings.cors_origins:  # reads only: the API's writes need a token and the pages a session
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD"],
            allow_headers=["If-None-Match"],
            expose_headers=["ETag"],
        )
    app.add_middleware(HeadAsGet)
    if settings.trusted_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.trusted_hosts))
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        if request.url.path.startswith("/api"):
            return problem(401, "sign in first")
        context = {"next_url": exc.next_url, "message": "Sign in to go on.", "name": None}
        return templates().TemplateResponse(request, "sign_in.html", context, status_code=401)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        """The same shape as every other error, with each wrong field named."""
        fields: dict[str, str] = {}
        for error in exc.errors():
            where = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
            fields.setdefault(".".join(where) or "request", str(error.get("msg", "is wrong")))
        message = "; ".join(f"{name}: {text}" for name, text in fields.items())
        if request.url.path.startswith("/api"):
            return problem(422, message, fields)
        return _error(request, 422, message)

    @app.exception_handler(TwinlinkError)
    async def domain_error(request: Request, exc: TwinlinkError) -> Response:
        if isinstance(exc, MergedParty) and request.method in ("GET", "HEAD"):
            # the same page of the party it was merged into; temporary, as a merge can be undone
            moved = request.url.replace(path=request.url.path.replace(exc.party_id, exc.into, 1))
            return RedirectResponse(str(moved.path) + (f"?{moved.query}" if moved.query else ""), status_code=307)
        return _error(request, 404 if isinstance(exc, NotFound) else 400, str(exc))

    return app


class HeadAsGet:
    """Answers HEAD as GET without the body (what a link checker or a cache asks first)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}  # the headers of the GET, content-length included
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class SecurityHeaders:
    """Adds the Content-Security-Policy and its companions to every response (plain ASGI: a
    ``BaseHTTPMiddleware`` would copy each response through a stream)."""

    HEADERS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own = {name.lower() for name, _ in headers}  # a route that sets its own policy keeps it
                message["headers"] = [*headers, *(h for h in self.HEADERS if h[0] not in own)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("twinlink")
    except PackageNotFoundError:
        return "unknown"


def _start_up(threads: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Handlers that run in threads (the long ones, see ``deps``) are CPU-bound Python: more
    threads than ``threads`` only take turns at the interpreter lock, and every request waits for
    all of them. Templates are compiled before the first request."""

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        environment = templates().env
        for name in environment.list_templates():
            environment.get_template(name)
        yield
        running.state.engine.dispose()  # the pool's connections close with the app, not at exit

    return lifespan


# A request makes thousands of short-lived objects with no cycles among them; with Python's
# default of a young collection every 700 allocations, each request would walk them a dozen times.
_YOUNG_COLLECTION_AFTER = 20_000


def create_served_app() -> FastAPI:
    """The application as ``twinlink serve`` runs it in each worker process: the collector is
    tuned for serving there, and only there (docs/performance.md says why)."""
    app = create_app()
    for name in templates().env.list_templates():
        templates().env.get_template(name)
    gc.collect()
    gc.freeze()  # what start-up made lives as long as the process: full collections skip it
    gc.set_threshold(_YOUNG_COLLECTION_AFTER, *gc.get_threshold()[1:])
    return app


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        return problem(status, message)
    return templates().TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


__all__ = ["HTTPException", "create_app"]
