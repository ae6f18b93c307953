"""Signing in and out, one's own account, the review queue, and the admin's users and audit
pages. Every route that changes anything depends on ``auth.require`` (a role and the form's
CSRF token), except signing in, which checks the token and the rate limit itself."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from twinlink.errors import TwinlinkError
from twinlink.register.accounts import (
    MIN_PASSWORD_LENGTH,
    Account,
    accounts,
    authenticate,
    change_password,
    create_user,
    set_role,
)
from twinlink.register.review import decide, list_review
from twinlink.register.site_settings import SiteSettings, read_site_settings, save_site_settings
from twinlink.store.engine import transaction
from twinlink.store.users import list_audit
from twinlink.vocab import ReviewState, Role
from twinlink.web.auth import USER_KEY, SignInLimiter, check_csrf, require
from twinlink.web.deps import session, templates

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(session)]
Reviewer = Annotated[Account, Depends(require(Role.REVIEWER))]
Viewer = Annotated[Account, Depends(require(Role.VIEWER))]
Admin = Annotated[Account, Depends(require(Role.ADMIN))]
REVIEW_ROWS = 200


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context, status_code=status)


def _safe_next(url: str) -> str:
    """Only a path on this site: a sign-in link cannot send the user elsewhere."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


def _limiter(request: Request) -> SignInLimiter:
    limiter: SignInLimiter = request.app.state.sign_in_limiter
    return limiter


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str = "/") -> HTMLResponse:
    return _render(request, "sign_in.html", {"next_url": _safe_next(next), "message": None, "name": None})


@router.post("/sign-in")
async def sign_in(
    request: Request,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    await check_csrf(request)
    address = request.client.host if request.client else "?"
    limiter = _limiter(request)
    context = {"next_url": _safe_next(next), "name": name}
    if limiter.blocked(name, address):
        message = "Too many failed attempts: wait a quarter of an hour and try again."
        return _render(request, "sign_in.html", {**context, "message": message}, 429)
    with transaction(request.app.state.engine) as db:
        account = authenticate(db, name, password)
    if account is None:
        limiter.failed(name, address)
        return _render(request, "sign_in.html", {**context, "message": "Wrong name or password."}, 401)
    request.session.clear()  # a new session for the signed-in user
    request.session[USER_KEY] = account.name
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/sign-out")
async def sign_out(request: Request, account: Viewer) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/account", response_class=HTMLResponse)
async def account_page(request: Request, account: Viewer, message: str | None = None) -> HTMLResponse:
    context = {"account": account, "admin": Role.ADMIN, "min_length": MIN_PASSWORD_LENGTH, "message": message}
    return _render(request, "account.html", context)


@router.post("/account/password")
async def account_password(
    request: Request,
    account: Viewer,
    current: Annotated[str, Form(max_length=1000)],
    new: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        with transaction(request.app.state.engine) as db:
            change_password(db, account.name, current, new)
    except TwinlinkError as exc:
        context = {"account": account, "admin": Role.ADMIN, "min_length": MIN_PASSWORD_LENGTH, "message": str(exc)}
        return _render(request, "account.html", context, 400)
    return RedirectResponse("/account?message=" + quote("Your password is changed."), status_code=303)


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, db: SessionDep, account: Reviewer, message: str | None = None) -> HTMLResponse:
    items = list_review(db)
    context = {
        "items": items[:REVIEW_ROWS],
        "total": len(items),
        "shown": min(len(items), REVIEW_ROWS),
        "conflicts": sum(1 for i in items if i.conflict),
        "message": message,
    }
    return _render(request, "review.html", context)


@router.post("/review")
async def review_decide(
    request: Request,
    account: Reviewer,
    decision: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)],
    claim: Annotated[list[str] | None, Form()] = None,
) -> Response:
    states = {"accepted": ReviewState.ACCEPTED, "rejected": ReviewState.REJECTED}
    if decision not in states:
        raise TwinlinkError(f"decision {decision!r}: accept or reject")
    if not claim:
        raise TwinlinkError("choose at least one claim")
    with transaction(request.app.state.engine) as db:
        decisions = decide(db, claim, states[decision], reason, account.name)
    message = f"{len(decisions)} claims {decision} by {account.name}."
    return RedirectResponse("/review?message=" + quote(message), status_code=303)


@router.get("/admin/users", response_class=HTMLResponse)
async def users_page(request: Request, db: SessionDep, account: Admin, message: str | None = None) -> HTMLResponse:
    context = {"users": accounts(db), "roles": list(Role), "min_length": MIN_PASSWORD_LENGTH, "message": message}
    return _render(request, "users.html", context)


@router.post("/admin/users")
async def users_add(
    request: Request,
    account: Admin,
    name: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    with transaction(request.app.state.engine) as db:
        created = create_user(db, name, password, role, account.name)
    message = f"Added {created.name} ({created.role.value})."
    return RedirectResponse("/admin/users?message=" + quote(message), status_code=303)


@router.post("/admin/users/role")
async def users_role(
    request: Request,
    account: Admin,
    name: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    with transaction(request.app.state.engine) as db:
        set_role(db, name, role, account.name)
    return RedirectResponse("/admin/users?message=" + quote(f"{name} is now {role}."), status_code=303)


@router.get("/admin/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request, db: SessionDep, account: Admin, actor: str | None = None, action: str | None = None
) -> HTMLResponse:
    entries = list_audit(db, limit=200, actor=actor or None, action=action or None)
    return _render(request, "audit.html", {"entries": entries, "actor": actor, "action": action})


@router.get("/admin/settings", response_class=HTMLResponse)
async def settings_page(request: Request, db: SessionDep, account: Admin, message: str | None = None) -> HTMLResponse:
    context = {"settings": read_site_settings(db).model_dump(), "fields": SiteSettings.model_fields, "message": message}
    return _render(request, "settings.html", context)


@router.post("/admin/settings")
async def settings_save(request: Request, account: Admin) -> Response:
    form = await request.form()
    new = SiteSettings(**{name: form.get(name) == "on" for name in SiteSettings.model_fields})
    with transaction(request.app.state.engine) as db:
        changed = save_site_settings(db, new, account.name)
    request.app.state.site_settings.forget()
    message = f"Saved: {', '.join(changed)}." if changed else "Nothing changed."
    return RedirectResponse("/admin/settings?message=" + quote(message), status_code=303)
