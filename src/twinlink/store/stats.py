"""Counts of what the register holds."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinlink.store.tables import Base, Claim


def table_counts(session: Session) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = int(session.scalar(select(func.count()).select_from(table)) or 0)
    return counts


def claim_counts_by_state(session: Session) -> dict[str, int]:
    rows = session.execute(select(Claim.review_state, func.count()).group_by(Claim.review_state))
    return {state: int(n) for state, n in rows}
