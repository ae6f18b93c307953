"""Reading partnerships."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import Row, Select, and_, bindparam, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from twinlink.ids import make_id, ordered_pair
from twinlink.store.chunks import chunks
from twinlink.store.engine import column_rows
from twinlink.store.parties import PartyRef
from twinlink.store.tables import Partnership, PartnershipDigest, Party


class PartyPair(Protocol):
    """What reading a partnership's derived values needs of it: an ORM partnership or a row."""

    @property
    def id(self) -> str: ...
    @property
    def party_a_id(self) -> str: ...
    @property
    def party_b_id(self) -> str: ...


@dataclass(frozen=True, kw_only=True)
class PartnershipFilter:
    """Which partnerships a list holds; each field given narrows it. ``status`` is derived, so
    the register applies it after reading (``register.queries``)."""

    party_id: str | None = None
    kind: str | None = None
    country: str | None = None  # a party in this country (ISO code)
    ids: Collection[str] | None = None  # only these partnerships
    status: str | None = None

    def narrowed_by(self) -> frozenset[str]:
        """The names of the filters the database applies, for choosing the query."""
        given = {"party": self.party_id, "kind": self.kind, "country": self.country}
        return frozenset(
            [name for name, value in given.items() if value is not None] + (["ids"] * (self.ids is not None))
        )


EVERY_PARTNERSHIP = PartnershipFilter()


@dataclass(slots=True)
class PartnershipListing:
    """A partnership's own columns, its two parties' and its stored digest (None if it has none
    yet), read in one query, without ORM objects: lists read tens or thousands."""

    id: str
    kind: str
    party_a_id: str
    party_b_id: str
    party_a: PartyRef
    party_b: PartyRef
    digest: str | None


_COLUMNS = (Partnership.id, Partnership.kind, Partnership.party_a_id, Partnership.party_b_id)

# made once: a fresh alias per call would defeat SQLAlchemy's statement cache; queries that join
# a partnership to its two parties elsewhere use these too
PARTY_A, PARTY_B = aliased(Party, name="party_a"), aliased(Party, name="party_b")


def _party_columns(party: type[Party], prefix: str) -> tuple[Any, ...]:
    return tuple(
        getattr(party, column).label(f"{prefix}_{column}") for column in ("id", "name", "kind", "country", "name_zh")
    )


def _party_ref(row: Row[Any], prefix: str) -> PartyRef:
    fields = row._mapping
    return PartyRef(
        fields[f"{prefix}_id"],
        fields[f"{prefix}_name"],
        fields[f"{prefix}_kind"],
        fields[f"{prefix}_country"],
        fields[f"{prefix}_name_zh"],
    )


_LISTING_COLUMNS = (*_party_columns(PARTY_A, "a"), *_party_columns(PARTY_B, "b"), PartnershipDigest.digest)


@lru_cache(maxsize=64)
def _statement(narrowed_by: frozenset[str], paged: bool, after: bool) -> Select[Any]:
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
    if "party" in narrowed_by:
        query = query.where(
            or_(Partnership.party_a_id == bindparam("party"), Partnership.party_b_id == bindparam("party"))
        )
    if "kind" in narrowed_by:
        query = query.where(Partnership.kind == bindparam("kind"))
    if "ids" in narrowed_by:
        query = query.where(Partnership.id.in_(bindparam("ids", expanding=True)))
    if "country" in narrowed_by:
        query = query.where(or_(a.country == bindparam("country"), b.country == bindparam("country")))
    return query


def list_partnerships(
    session: Session,
    where: PartnershipFilter = EVERY_PARTNERSHIP,
    *,
    after: str | None = None,
    limit: int | None = None,
) -> list[PartnershipListing]:
    """The partnerships ``where`` selects (its status aside): by name, or by id from ``after``
    when a page of ``limit`` is asked for."""
    if where.ids is not None and not where.ids:
        return []
    paged = limit is not None
    query = _statement(where.narrowed_by(), paged, paged and after is not None)
    values = {
        "party": where.party_id,
        "kind": where.kind,
        "country": where.country.upper() if where.country else None,
        "limit": limit,
        "after": after,
        "ids": sorted(where.ids or []),
    }
    return [
        PartnershipListing(
            row.id, row.kind, row.party_a_id, row.party_b_id, _party_ref(row, "a"), _party_ref(row, "b"), row.digest
        )
        for row in column_rows(session, query, values)
    ]


def get_partnership(session: Session, partnership_id: str) -> Partnership | None:
    return session.get(Partnership, partnership_id)


def all_partnership_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Partnership.id)))


def find_partnership_between(session: Session, first: str, second: str) -> Partnership | None:
    """A partnership of any kind between two parties (ids in the order ``ordered_pair`` gives)."""
    query = select(Partnership).where(Partnership.party_a_id == first, Partnership.party_b_id == second)
    return session.scalars(query.order_by(Partnership.id)).first()


def partnerships_within(session: Session, groups: Mapping[str, set[str]]) -> set[str]:
    """Partnerships whose two parties are both in one of these groups of parties (the parties of
    each event, as ``event_members`` reads them)."""
    parties = set().union(*groups.values()) if groups else set()
    return {
        pid
        for pid, a, b in _pairs_with(session, parties)
        if any(a in group and b in group for group in groups.values())
    }


def partnerships_of_parties(session: Session, party_ids: Iterable[str]) -> set[str]:
    """Partnerships that one of these parties is in."""
    return {pid for pid, _, _ in _pairs_with(session, party_ids)}


def _pairs_with(session: Session, party_ids: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(id, party a, party b) of each partnership one of these parties is in."""
    for chunk in chunks(sorted(set(party_ids))):
        yield from session.execute(
            select(Partnership.id, Partnership.party_a_id, Partnership.party_b_id).where(
                or_(Partnership.party_a_id.in_(chunk), Partnership.party_b_id.in_(chunk))
            )
        ).all()


def ensure_partnership(session: Session, a: str, b: str, kind: str) -> tuple[Partnership, bool]:
    """The partnership of this kind between two parties, made on first use; and whether it is new."""
    first, second = ordered_pair(a, b)
    pid = make_id("pt", first, second, kind)
    existing = session.get(Partnership, pid)
    if existing is not None:
        return existing, False
    partnership = Partnership(id=pid, party_a_id=first, party_b_id=second, kind=kind)
    session.add(partnership)
    session.flush()
    return partnership, True


# A partnership's status as of a day, judged from its digest's columns (``register.derive.status_of``
# in SQL, for lists that count or filter thousands): bound as ``as_of_day`` and ``cutoff_day``, days
# as numbers YYYYMMDD. "unsettled": some of its activity begins after that day, which only the
# register's own reading of the digest can judge.
_D = PartnershipDigest
STATUS = case(
    (_D.settled_from > bindparam("as_of_day"), literal("unsettled")),
    (_D.ended.is_(True), literal("ended")),
    (
        _D.latest_day.is_(None),
        case(
            (_D.said_dormant.is_(True), literal("dormant")),
            (_D.said_active.is_(True), literal("active")),
            else_=literal("unknown"),
        ),
    ),
    (_D.latest_day >= bindparam("cutoff_day"), literal("active")),
    (and_(_D.founding_only.is_(True), _D.said_dormant.is_not(True)), literal("unknown")),
    else_=literal("dormant"),
)
_DECADE = _D.established_min - _D.established_min % 10  # a year's decade, in integers on every store


@lru_cache(maxsize=64)
def _judged(narrowed_by: frozenset[str], with_status: bool) -> Select[Any]:
    """The partnerships ``narrowed_by`` selects that a claim still asserts, with their status."""
    query = _statement(narrowed_by, False, False).where(_D.asserted.is_(True))
    query = query.add_columns(STATUS.label("status"), _DECADE.label("decade"))
    return query.where(STATUS.in_([bindparam("status"), literal("unsettled")])) if with_status else query


def _values(where: PartnershipFilter, as_of_day: int, cutoff_day: int) -> dict[str, Any]:
    return {
        "party": where.party_id,
        "kind": where.kind,
        "country": where.country.upper() if where.country else None,
        "ids": sorted(where.ids or []),
        "status": where.status,
        "as_of_day": as_of_day,
        "cutoff_day": cutoff_day,
    }


@dataclass(frozen=True)
class Facets:
    """How many partnerships a list holds by country (of either party), kind, status and decade
    established; ``unsettled``: how many the database could not judge the status of."""

    counts: dict[str, dict[str, int]]
    total: int
    unsettled: int


def count_facets(session: Session, where: PartnershipFilter, as_of_day: int, cutoff_day: int) -> Facets:
    """The facets of the partnerships ``where`` selects, counted by the database."""
    if where.ids is not None and not where.ids:
        return Facets({"country": {}, "kind": {}, "status": {}, "decade": {}}, 0, 0)
    listed = _judged(where.narrowed_by(), where.status is not None).order_by(None).subquery()
    a_country = func.coalesce(listed.c.a_country, "-")
    b_country = func.coalesce(listed.c.b_country, "-")
    groups = (listed.c.kind, listed.c.status, listed.c.decade, a_country, b_country)
    counts: dict[str, dict[str, int]] = {"country": {}, "kind": {}, "status": {}, "decade": {}}
    # one pass over the list, grouped by every facet at once: a few hundred groups to add up here
    for kind, status, decade, first, second, n in column_rows(
        session, select(*groups, func.count()).group_by(*groups), _values(where, as_of_day, cutoff_day)
    ):
        for name, value in (
            ("kind", kind),
            ("status", status),
            ("decade", "unknown" if decade is None else f"{decade}s"),
        ):
            counts[name][value] = counts[name].get(value, 0) + n
        for country in {first, second}:
            counts["country"][country] = counts["country"].get(country, 0) + n
    unsettled = counts["status"].pop("unsettled", 0)
    return Facets(
        {k: dict(sorted(counts[k].items())) for k in ("country", "kind", "status", "decade")},
        sum(counts["kind"].values()),
        unsettled,
    )


def page_judged(
    session: Session, where: PartnershipFilter, as_of_day: int, cutoff_day: int, offset: int, limit: int
) -> list[PartnershipListing]:
    """A page of the partnerships ``where`` selects (its status judged by the database), by name."""
    query = _judged(where.narrowed_by(), where.status is not None).limit(limit).offset(offset)
    values = _values(where, as_of_day, cutoff_day)
    return [
        PartnershipListing(
            row.id, row.kind, row.party_a_id, row.party_b_id, _party_ref(row, "a"), _party_ref(row, "b"), row.digest
        )
        for row in column_rows(session, query, values)
    ]
