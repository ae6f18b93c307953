"""Schema versions through Alembic: upgrade, and refuse a database from a newer version."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from twinlink.errors import StoreError
from twinlink.store.search_index import rebuild


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
    check_known(engine)
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    if before == "0001":  # the register predates the search index: fill it
        with Session(engine) as session, session.begin():
            rebuild(session)
    if before in ("0001", "0002", "0003"):  # the register predates partnership digests: fill them
        from twinlink.register.digests import rebuild_digests  # the register layer derives them

        with Session(engine) as session, session.begin():
            rebuild_digests(session)
    if before in ("0001", "0002", "0003", "0004"):  # the register predates party timelines: fill them
        from twinlink.register.timelines import rebuild_party_timelines

        with Session(engine) as session, session.begin():
            rebuild_party_timelines(session)
    return head_revision(engine)


def require_current(engine: Engine) -> None:
    """Make sure the database is at this version's schema, upgrading a fresh or older one."""
    check_known(engine)
    if current_revision(engine) != head_revision(engine):
        upgrade(engine)
