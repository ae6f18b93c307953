"""Reading and writing stored partnership digests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from twinlink.store.chunks import chunks
from twinlink.store.engine import column_rows
from twinlink.store.tables import PartnershipDigest

_DIGESTS = select(PartnershipDigest.partnership_id, PartnershipDigest.digest).where(
    PartnershipDigest.partnership_id.in_(bindparam("ids", expanding=True))
)


def load_digests(session: Session, partnership_ids: Iterable[str]) -> dict[str, str]:
    ids = list(partnership_ids)
    out: dict[str, str] = {}
    for chunk in chunks(ids):
        out.update((pid, digest) for pid, digest in column_rows(session, _DIGESTS, {"ids": chunk}))
    return out


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
