"""Schema versions through Alembic: upgrade, and refuse a database from a newer version."""

from __future__ import annotations

from collections.abc import Callable
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


def _rebuild_digests(session: Session) -> None:
    from twinlink.register.digests import rebuild_digests  # the register layer derives them

    rebuild_digests(session)


def _rebuild_party_timelines(session: Session) -> None:
    from twinlink.register.timelines import rebuild_party_timelines

    rebuild_party_timelines(session)


# What a register from before each revision lacks, filled after the schema is upgraded.
_FILLS: tuple[tuple[str, Callable[[Session], object]], ...] = (
    ("0002", rebuild),  # the search index
    ("0004", _rebuild_digests),  # partnership digests
    ("0005", _rebuild_party_timelines),  # party timelines
    ("0006", _rebuild_digests),  # digests with their activity in date order
)


def upgrade(engine: Engine) -> str:
    check_known(engine)
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    done: set[Callable[[Session], object]] = set()
    for revision, fill in _FILLS:
        if before is not None and before < revision and fill not in done:  # a new register has nothing to fill
            done.add(fill)
            with Session(engine) as session, session.begin():
                fill(session)
    return head_revision(engine)


def require_current(engine: Engine) -> None:
    """Make sure the database is at this version's schema, upgrading a fresh or older one."""
    check_known(engine)
    if current_revision(engine) != head_revision(engine):
        upgrade(engine)
