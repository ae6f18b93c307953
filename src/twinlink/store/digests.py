"""Writing partnership digests; lists read them in the same query as the partnerships (see ``partnerships``)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from twinlink.store.chunks import chunks
from twinlink.store.tables import PartnershipDigest


def save_digests(session: Session, digests: Mapping[str, str]) -> None:
    """Store these partnerships' digests, replacing any there (an upsert: writers at the same time
    on a server database do not trip over each other)."""
    dialect = session.get_bind().dialect.name
    upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    ids = sorted(digests)
    for chunk in chunks(ids):
        rows = [{"partnership_id": pid, "digest": digests[pid]} for pid in chunk]
        statement = upsert(PartnershipDigest).values(rows)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[PartnershipDigest.partnership_id], set_={"digest": statement.excluded.digest}
            )
        )
