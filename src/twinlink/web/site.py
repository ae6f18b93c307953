"""The admin's settings as the web applies them: read from the register at most every few
seconds per server process (so a change reaches every worker within that time, and a request
does not pay a query for them), and the gate that keeps a private site to signed-in users."""

from __future__ import annotations

import threading
import time

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from twinlink.register.accounts import account_of_token
from twinlink.register.site_settings import SiteSettings, read_site_settings
from twinlink.store.engine import reading
from twinlink.web.auth import SignInRequired, current_account

SETTINGS_SECONDS = 5.0
OPEN_PATHS = ("/sign-in", "/static/", "/register-interest")  # what a private site shows to everyone


class SiteSettingsCache:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._value: SiteSettings | None = None
        self._read_at = 0.0

    def get(self) -> SiteSettings:
        with self._lock:
            if self._value is None or time.monotonic() - self._read_at > SETTINGS_SECONDS:
                with reading(self.engine) as db:
                    self._value = read_site_settings(db)
                self._read_at = time.monotonic()
            return self._value

    def forget(self) -> None:
        with self._lock:
            self._value = None


def site_settings(request: Request) -> SiteSettings:
    cache: SiteSettingsCache = request.app.state.site_settings
    return cache.get()


async def private_site_gate(request: Request) -> None:
    """On a private site, every page and API answer needs a signed-in user or a token."""
    if not site_settings(request).private or request.url.path.startswith(OPEN_PATHS):
        return
    with reading(request.app.state.engine) as db:
        if await _signed_in(request, db):
            return
    raise SignInRequired(request.url.path)


async def _signed_in(request: Request, db: Session) -> bool:
    if await current_account(request, db) is not None:
        return True
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and account_of_token(db, token.strip()) is not None
