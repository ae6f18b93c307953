"""Schema versions through Alembic: upgrade, and refuse a database from a newer version."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from twinlink.errors import StoreError


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("twinlink.store") / "migrations"))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_known(engine: Engine) -> None:
    """Refuse a database whose schema this version of twinlink does not know."""
    current = current_revision(engine)
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config(engine))
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise StoreError(f"database schema {current} is newer than this version of twinlink knows; upgrade twinlink")


def upgrade(engine: Engine) -> str:
    """Bring the schema to this version's (derived tables are brought up to date by the register)."""
    check_known(engine)
    command.upgrade(alembic_config(engine), "head")
    return head_revision(engine)


def require_current(engine: Engine) -> None:
    """Make sure the database is at this version's schema, upgrading a fresh or older one."""
    check_known(engine)
    if current_revision(engine) != head_revision(engine):
        upgrade(engine)
