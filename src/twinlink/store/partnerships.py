"""Reading partnerships."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import Row, Select, bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from twinlink.store.engine import column_rows
from twinlink.store.tables import Partnership, PartnershipDigest, Party


class PartyPair(Protocol):
    """What reading a partnership's derived values needs of it: an ORM partnership or a row."""

    @property
    def id(self) -> str: ...
    @property
    def party_a_id(self) -> str: ...
    @property
    def party_b_id(self) -> str: ...


PartyColumns = tuple[str, str, str, str | None, str | None]  # id, name, kind, country, Chinese name


@dataclass(slots=True)
class PartnershipListing:
    """A partnership's own columns, its two parties' and its stored digest (None if it has none
    yet), read in one query, without ORM objects: lists read tens or thousands."""

    id: str
    kind: str
    party_a_id: str
    party_b_id: str
    party_a: PartyColumns
    party_b: PartyColumns
    digest: str | None


_COLUMNS = (Partnership.id, Partnership.kind, Partnership.party_a_id, Partnership.party_b_id)

# made once: a fresh alias per call would defeat SQLAlchemy's statement cache; queries that join
# a partnership to its two parties elsewhere use these too
PARTY_A, PARTY_B = aliased(Party, name="party_a"), aliased(Party, name="party_b")


def _party_columns(party: type[Party]) -> tuple[Any, ...]:
    return (party.id, party.name, party.kind, party.country, party.name_zh)


_LISTING_COLUMNS = (*_party_columns(PARTY_A), *_party_columns(PARTY_B), PartnershipDigest.digest)


@lru_cache(maxsize=64)
def _statement(by_party: bool, by_kind: bool, by_country: bool, paged: bool, after: bool, by_ids: bool) -> Select[Any]:
    """The query for one combination of filters, their values bound at execution: statements are
    built once, since building one costs more than SQLite takes to answer it. The parties and the
    digest are read in the same query: one statement rather than three."""
    a, b = PARTY_A, PARTY_B
    query = select(*_COLUMNS, *_LISTING_COLUMNS)
    query = query.join(a, a.id == Partnership.party_a_id).join(b, b.id == Partnership.party_b_id)
    query = query.outerjoin(PartnershipDigest, PartnershipDigest.partnership_id == Partnership.id)
    if paged:
        query = query.order_by(Partnership.id).limit(bindparam("limit"))
        if after:
            query = query.where(Partnership.id > bindparam("after"))
    else:
        query = query.order_by(a.name, b.name, Partnership.kind)
    if by_party:
        query = query.where(
            or_(Partnership.party_a_id == bindparam("party"), Partnership.party_b_id == bindparam("party"))
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
    party_id: str | None = None,
    kind: str | None = None,
    country: str | None = None,
    after: str | None = None,
    limit: int | None = None,
    ids: Collection[str] | None = None,
) -> list[PartnershipListing]:
    """Partnerships, optionally of one party, of one kind, with a party in one country, or
    among ``ids``; by name, or by id from ``after`` when a page of ``limit`` is asked for."""
    if ids is not None and not ids:
        return []
    paged = limit is not None
    query = _statement(
        party_id is not None,
        kind is not None,
        country is not None,
        paged,
        paged and after is not None,
        ids is not None,
    )
    values = {
        "party": party_id,
        "kind": kind,
        "country": country.upper() if country else None,
        "limit": limit,
        "after": after,
        "ids": sorted(ids or []),
    }
    rows: Sequence[Row[*tuple[Any, ...]]] = column_rows(session, query, values)
    return [
        PartnershipListing(row[0], row[1], row[2], row[3], tuple(row[4:9]), tuple(row[9:14]), row[14]) for row in rows
    ]


def get_partnership(session: Session, partnership_id: str) -> Partnership | None:
    return session.get(Partnership, partnership_id)
