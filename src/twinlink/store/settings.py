"""Reading and writing the settings an admin changes on the settings page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.store.tables import SiteSetting


def stored_settings(session: Session) -> dict[str, str]:
    return {row.name: row.value for row in session.scalars(select(SiteSetting))}


def store_setting(session: Session, name: str, value: str) -> None:
    row = session.get(SiteSetting, name)
    if row is None:
        session.add(SiteSetting(name=name, value=value))
    else:
        row.value = value
    session.flush()
