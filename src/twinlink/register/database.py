"""Opening a register: its schema upgraded to this version's and its derived tables current."""

from __future__ import annotations

from sqlalchemy import Engine

from twinlink.register.derived.refresh import Changes, bring_up_to_date
from twinlink.store.schema import require_current, upgrade


def prepare(engine: Engine) -> dict[str, Changes]:
    """Make a fresh, older or current register ready for this version; what had to be rebuilt."""
    require_current(engine)
    return bring_up_to_date(engine)


def upgrade_register(engine: Engine) -> tuple[str, dict[str, Changes]]:
    """Upgrade the schema and rebuild any derived table computed by another version: the schema
    revision and what was rebuilt."""
    revision = upgrade(engine)
    return revision, bring_up_to_date(engine)
