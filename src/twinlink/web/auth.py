"""Who is asking: the signed-in account from the session cookie, the role a route needs, the
CSRF token every form carries, and a limit on sign-in attempts.

The session is a signed cookie (Starlette's SessionMiddleware: HTTP-only, SameSite=Lax, Secure
when the site is served over HTTPS) holding the user's name and the CSRF token; the account is
read again on every request, so a disabled user or a changed role takes effect at once."""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from twinlink.register.accounts import Account, account_of, account_of_token
from twinlink.vocab import Role
from twinlink.web.deps import session

USER_KEY = "user"
CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """The page needs a signed-in user: the app answers with the sign-in page (401)."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class Forbidden(Exception):
    """The signed-in user's role does not allow this (403)."""

    def __init__(self, message: str) -> None:
        self.message = message


async def current_account(request: Request, db: Annotated[Session, Depends(session)]) -> Account | None:
    name = request.session.get(USER_KEY)
    if not isinstance(name, str):
        return None
    account = account_of(db, name)
    if account is None:
        request.session.pop(USER_KEY, None)  # disabled or removed since signing in
    return account


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; forms put it in a hidden field."""
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse a form whose token is not the session's (403): another site cannot post for a user."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_KEY)
    if not isinstance(sent, str) or not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise Forbidden("the form has expired or did not come from this site; reload the page and try again")


RoleCheck = Callable[..., Coroutine[Any, Any, Account]]


def require(role: Role) -> RoleCheck:
    """A dependency that lets through a signed-in user whose role allows ``role`` and whose form
    (on a write) carries the session's CSRF token."""

    async def check(request: Request, account: Annotated[Account | None, Depends(current_account)]) -> Account:
        if account is None:
            raise SignInRequired(request.url.path)
        if not account.may(role):
            raise Forbidden(f"this needs the {role.value} role; you are signed in as a {account.role.value}")
        if request.method not in ("GET", "HEAD"):
            await check_csrf(request)
        return account

    check.needed_role = role  # type: ignore[attr-defined]  # read by the test that every write is checked
    return check


class SignInLimiter:
    """At most ``attempts`` failed sign-ins per name and per address in ``window`` seconds; kept
    per server process (each of ``serve --workers`` counts its own)."""

    def __init__(self, attempts: int = 5, window: float = 900.0) -> None:
        self.attempts = attempts
        self.window = window
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        times = self.failures[key]
        while times and times[0] < time.monotonic() - self.window:
            times.popleft()
        return times

    def blocked(self, name: str, address: str) -> bool:
        return any(len(self._recent(k)) >= self.attempts for k in (f"name:{name}", f"address:{address}"))

    def failed(self, name: str, address: str) -> None:
        for key in (f"name:{name}", f"address:{address}"):
            self._recent(key).append(time.monotonic())


def require_token(role: Role) -> RoleCheck:
    """A dependency for the write API: the account of the request's bearer token (a token from
    ``twinlink users token``), whose role must allow ``role``. Tokens are not cookies, so the API
    needs no CSRF token."""

    async def check(request: Request, db: Annotated[Session, Depends(session)]) -> Account:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        account = account_of_token(db, token.strip()) if scheme.lower() == "bearer" else None
        if account is None:
            raise SignInRequired(request.url.path)
        if not account.may(role):
            raise Forbidden(f"this needs the {role.value} role; the token acts for a {account.role.value}")
        return account

    check.needed_role = role  # type: ignore[attr-defined]
    return check
