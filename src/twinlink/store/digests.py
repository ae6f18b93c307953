"""Reading and writing stored partnership digests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from twinlink.store.tables import PartnershipDigest


def load_digests(session: Session, partnership_ids: Iterable[str]) -> dict[str, str]:
    ids = list(partnership_ids)
    out: dict[str, str] = {}
    for chunk_start in range(0, len(ids), 500):
        rows = session.execute(
            select(PartnershipDigest.partnership_id, PartnershipDigest.digest).where(
                PartnershipDigest.partnership_id.in_(ids[chunk_start : chunk_start + 500])
            )
        )
        out.update((pid, digest) for pid, digest in rows)
    return out


def save_digests(session: Session, digests: Mapping[str, str]) -> None:
    """Replace the stored digests of these partnerships."""
    ids = sorted(digests)
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        session.execute(delete(PartnershipDigest).where(PartnershipDigest.partnership_id.in_(chunk)))
        session.execute(insert(PartnershipDigest), [{"partnership_id": pid, "digest": digests[pid]} for pid in chunk])
