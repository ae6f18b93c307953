"""The settings an admin changes while the site runs (the environment's ``Settings`` are fixed
when it starts): whether the site is private, and whether documents may be fetched from
internal addresses. Each change is audited with the values before and after."""

from __future__ import annotations

import json

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from twinlink.store.settings import store_setting, stored_settings
from twinlink.store.users import record_audit


class SiteSettings(BaseModel):
    private: bool = Field(False, description="Only signed-in users see the register (pages and API).")
    fetch_private_addresses: bool = Field(
        False, description="Let editors fetch documents from internal addresses (an intranet, localhost)."
    )


def read_site_settings(session: Session) -> SiteSettings:
    stored = stored_settings(session)
    known = {name: json.loads(value) for name, value in stored.items() if name in SiteSettings.model_fields}
    return SiteSettings(**known)


def save_site_settings(session: Session, new: SiteSettings, actor: str) -> list[str]:
    """Store what differs from the stored settings; the names of the settings changed."""
    old = read_site_settings(session)
    changed = [name for name in SiteSettings.model_fields if getattr(old, name) != getattr(new, name)]
    for name in changed:
        store_setting(session, name, json.dumps(getattr(new, name)))
        record_audit(session, actor, "settings.change", name, before=getattr(old, name), after=getattr(new, name))
    return changed
