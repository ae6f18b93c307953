"""Parties: gazetteer places as they enter the register, and bodies of their own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place
from twinlink.store.chunks import chunks
from twinlink.store.engine import column_rows
from twinlink.store.party_changes import follow
from twinlink.store.tables import Alias, Party


def ensure_place(
    session: Session,
    place: Place,
    gazetteer: Gazetteer,
    created: set[str] | None = None,
    merged: Mapping[str, str] | None = None,
) -> Party:
    """The register's party for a gazetteer place, with its ancestors, created on first use; the
    ids of the parties it creates are added to ``created``. A place merged into another party
    (``merged``: its id → the party's) is that party and is not made again."""
    target = follow(merged, place.id) if merged else place.id
    if target != place.id:
        found = session.get(Party, target)
        if found is not None:
            return found
    existing = session.get(Party, place.id)
    if existing is not None:
        return existing
    parent = gazetteer.parent(place)
    parent_id = ensure_place(session, parent, gazetteer, created, merged).id if parent is not None else None
    party = Party(
        id=place.id,
        kind=place.kind.value,
        name=place.name,
        name_zh=place.name_zh,
        name_pinyin=place.name_pinyin,
        country=place.country,
        parent_id=parent_id,
        gazetteer_id=place.id,
        iso_code=place.codes.get("iso3166_2") or place.codes.get("iso3166_1"),
        geonames_id=place.codes.get("geonames"),
        gss_code=place.codes.get("gss"),
        cn_admin_code=place.codes.get("cn_admin"),
        lat=place.lat,
        lon=place.lon,
    )
    session.add(party)
    session.flush()
    if created is not None:
        created.add(party.id)
    for alias in place.aliases[:12]:
        session.add(Alias(party_id=party.id, alias=alias, language="zh" if _is_han(alias) else "en"))
    return party


def ensure_body(
    session: Session, party_id: str, name: str, kind: str, country: str | None, parent_id: str | None
) -> Party:
    """A party outside the gazetteer (a school, university or other body), marked for review.
    An existing one is left as it is: where a body is belongs to its identity (its id), so a later
    document cannot move it."""
    existing = session.get(Party, party_id)
    if existing is not None:
        return existing
    party = Party(id=party_id, kind=kind, name=name, country=country, parent_id=parent_id, needs_review=True)
    session.add(party)
    session.flush()
    return party


def get_party(session: Session, party_id: str) -> Party | None:
    return session.get(Party, party_id)


class PartyLike(Protocol):
    """What a party's page reads of it: an ORM party or a ``PartyRecord``."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def name_zh(self) -> str | None: ...
    @property
    def name_pinyin(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def parent_id(self) -> str | None: ...
    @property
    def iso_code(self) -> str | None: ...
    @property
    def gss_code(self) -> str | None: ...
    @property
    def cn_admin_code(self) -> str | None: ...
    @property
    def geonames_id(self) -> str | None: ...
    @property
    def needs_review(self) -> bool: ...


@dataclass(slots=True)  # not frozen: frozen records are slow to make, and lists make thousands
class PartyRef:
    """How lists name a party: enough to link to it and say what and where it is."""

    id: str
    name: str
    kind: str
    country: str | None
    name_zh: str | None = None

    @classmethod
    def of(cls, party: PartyLike) -> PartyRef:
        return cls(party.id, party.name, party.kind, party.country, party.name_zh)


@dataclass(slots=True)
class PartyRecord:
    """A party's own columns without the ORM object, for pages and lists that only read it."""

    id: str
    kind: str
    name: str
    name_zh: str | None
    name_pinyin: str | None
    country: str | None
    parent_id: str | None
    iso_code: str | None
    gss_code: str | None
    cn_admin_code: str | None
    geonames_id: str | None
    needs_review: bool
    lat: float | None
    lon: float | None


_RECORD_COLUMNS = (
    Party.id,
    Party.kind,
    Party.name,
    Party.name_zh,
    Party.name_pinyin,
    Party.country,
    Party.parent_id,
    Party.iso_code,
    Party.gss_code,
    Party.cn_admin_code,
    Party.geonames_id,
    Party.needs_review,
    Party.lat,
    Party.lon,
)
_RECORD = select(*_RECORD_COLUMNS).where(Party.id == bindparam("id"))


def party_record(session: Session, party_id: str) -> PartyRecord | None:
    for row in column_rows(session, _RECORD, {"id": party_id}):
        return PartyRecord(**row._asdict())
    return None


_NAMED = select(Party.id, Party.name, Party.kind, Party.country, Party.name_zh).where(
    Party.id.in_(bindparam("ids", expanding=True))
)


def party_refs(session: Session, party_ids: Iterable[str]) -> dict[str, PartyRef]:
    """Each party as lists name it, without the ORM objects: for lists that name tens or
    thousands of parties."""
    ids = sorted(set(party_ids))
    out: dict[str, PartyRef] = {}
    for chunk in chunks(ids):
        for row in column_rows(session, _NAMED, {"ids": chunk}):
            out[row.id] = PartyRef(row.id, row.name, row.kind, row.country, row.name_zh)
    return out


def find_parties(session: Session, name: str, limit: int = 20) -> list[Party]:
    pattern = f"%{name}%"
    by_name = select(Party).where(Party.name.ilike(pattern)).limit(limit)
    found = list(session.scalars(by_name))
    if len(found) < limit:
        by_alias = select(Party).join(Alias, Alias.party_id == Party.id).where(Alias.alias.ilike(pattern))
        for party in session.scalars(by_alias.limit(limit)):
            if party not in found:
                found.append(party)
    return found[:limit]


def _is_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def page_of_parties(
    session: Session,
    limit: int,
    after: str | None = None,
    *,
    name_contains: str | None = None,
    kind: str | None = None,
    country: str | None = None,
) -> list[PartyRecord]:
    """Parties in id order after the cursor ``after``, at most ``limit`` + 1 (the extra one says
    there is a next page)."""
    query = select(*_RECORD_COLUMNS).order_by(Party.id)
    if name_contains:
        query = query.where(Party.name.ilike(f"%{name_contains}%"))
    if kind:
        query = query.where(Party.kind == kind)
    if country:
        query = query.where(Party.country == country.upper())
    if after:
        query = query.where(Party.id > after)
    return [PartyRecord(**row._asdict()) for row in column_rows(session, query.limit(limit + 1))]


def all_party_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Party.id)))


def list_parties_inside(session: Session, party_id: str) -> list[Party]:
    """The parties whose parent is this one (a place's schools, a province's cities), by name."""
    return list(session.scalars(select(Party).where(Party.parent_id == party_id).order_by(Party.name)))
