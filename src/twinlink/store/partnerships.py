"""Reading partnerships."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from twinlink.store.engine import column_rows
from twinlink.store.tables import Partnership, Party


class PartyPair(Protocol):
    """What reading a partnership's derived values needs of it: an ORM partnership or a row."""

    @property
    def id(self) -> str: ...
    @property
    def party_a_id(self) -> str: ...
    @property
    def party_b_id(self) -> str: ...


@dataclass(slots=True)
class PartnershipRow:
    """A partnership's own columns, without the ORM object: lists read tens or thousands."""

    id: str
    kind: str
    party_a_id: str
    party_b_id: str


_COLUMNS = (Partnership.id, Partnership.kind, Partnership.party_a_id, Partnership.party_b_id)

# made once: a fresh alias per call would defeat SQLAlchemy's statement cache; queries that join
# a partnership to its two parties elsewhere use these too
PARTY_A, PARTY_B = aliased(Party, name="party_a"), aliased(Party, name="party_b")


@lru_cache(maxsize=64)
def _statement(
    by_party: bool, by_kind: bool, by_country: bool, paged: bool, after: bool, by_ids: bool
) -> Select[str, str, str, str]:
    """The query for one combination of filters, their values bound at execution: statements are
    built once, since building one costs more than SQLite takes to answer it."""
    a, b = PARTY_A, PARTY_B
    query = select(*_COLUMNS).join(a, a.id == Partnership.party_a_id).join(b, b.id == Partnership.party_b_id)
    if paged:
        query = query.order_by(Partnership.id).limit(bindparam("limit"))
        if after:
            query = query.where(Partnership.id > bindparam("after"))
    else:
        query = query.order_by(a.name, b.name, Partnership.kind)
    if by_party:
        query = query.where(
            or_(
                Partnership.party_a_id.in_(bindparam("parties", expanding=True)),
                Partnership.party_b_id.in_(bindparam("parties", expanding=True)),
            )
        )
    if by_kind:
        query = query.where(Partnership.kind == bindparam("kind"))
    if by_ids:
        query = query.where(Partnership.id.in_(bindparam("ids", expanding=True)))
    if by_country:
        query = query.where(or_(a.country == bindparam("country"), b.country == bindparam("country")))
    return query


def list_partnerships(
    session: Session,
    party_ids: Sequence[str] | None = None,
    kind: str | None = None,
    country: str | None = None,
    after: str | None = None,
    limit: int | None = None,
    ids: Collection[str] | None = None,
) -> list[PartnershipRow]:
    """Partnerships, optionally of given parties, of one kind, with a party in one country, or
    among ``ids``; by name, or by id from ``after`` when a page of ``limit`` is asked for."""
    if ids is not None and not ids:
        return []
    paged = limit is not None
    query = _statement(
        party_ids is not None,
        kind is not None,
        country is not None,
        paged,
        paged and after is not None,
        ids is not None,
    )
    values = {
        "parties": list(party_ids or []),
        "kind": kind,
        "country": country.upper() if country else None,
        "limit": limit,
        "after": after,
        "ids": sorted(ids or []),
    }
    return [PartnershipRow(*row) for row in column_rows(session, query, values)]


def get_partnership(session: Session, partnership_id: str) -> Partnership | None:
    return session.get(Partnership, partnership_id)
