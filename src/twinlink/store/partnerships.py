"""Reading partnerships."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from twinlink.store.tables import Partnership, Party

# made once: a fresh alias per call would defeat SQLAlchemy's statement cache
_PARTY_A, _PARTY_B = aliased(Party, name="party_a"), aliased(Party, name="party_b")


def list_partnerships(
    session: Session,
    party_ids: Sequence[str] | None = None,
    kind: str | None = None,
    country: str | None = None,
    after: str | None = None,
    limit: int | None = None,
    ids: Collection[str] | None = None,
) -> list[Partnership]:
    """Partnerships, optionally of given parties, of one kind, with a party in one country, or
    among ``ids``; by name, or by id from ``after`` when a page of ``limit`` is asked for."""
    a, b = _PARTY_A, _PARTY_B
    query = select(Partnership).join(a, a.id == Partnership.party_a_id).join(b, b.id == Partnership.party_b_id)
    if limit is None:
        query = query.order_by(a.name, b.name, Partnership.kind)
    else:
        query = query.order_by(Partnership.id).limit(limit)
        if after is not None:
            query = query.where(Partnership.id > after)
    if party_ids is not None:
        parties = list(party_ids)
        query = query.where(or_(Partnership.party_a_id.in_(parties), Partnership.party_b_id.in_(parties)))
    if kind is not None:
        query = query.where(Partnership.kind == kind)
    if ids is not None:
        if not ids:
            return []
        query = query.where(Partnership.id.in_(sorted(ids)))
    if country is not None:
        query = query.where(or_(a.country == country.upper(), b.country == country.upper()))
    return list(session.scalars(query))


def get_partnership(session: Session, partnership_id: str) -> Partnership | None:
    return session.get(Partnership, partnership_id)
