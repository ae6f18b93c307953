"""Keeping the derived tables in step with the claims: one explicit ``refresh`` for what a write
touched, ``rebuild`` for everything (``twinlink db rebuild``), and ``bring_up_to_date`` when the
register is opened, which rebuilds any table computed by another version of this code.

A derived table is listed once in ``TABLES`` with its version; changing how one is computed or
encoded means raising its version, and every register rebuilds it when next opened."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from twinlink.register.derived import digests, timelines
from twinlink.store import derived as stored
from twinlink.store import search_index
from twinlink.store.claims import StatedRow, stated_rows
from twinlink.store.documents import all_document_ids
from twinlink.store.engine import lock_derived_rows, transaction
from twinlink.store.events import all_event_ids, event_members
from twinlink.store.parties import all_party_ids
from twinlink.store.partnerships import all_partnership_ids, partnerships_of_parties, partnerships_within
from twinlink.store.tables import Claim

T = TypeVar("T")


@dataclass
class Touched:
    """What a write changed: the parties, partnerships, events and documents whose derived rows
    must be computed again before it commits."""

    parties: set[str] = field(default_factory=set)  # their names or aliases (the search index)
    partnerships: set[str] = field(default_factory=set)  # made, or changed other than by added claims
    partnership_claims: set[str] = field(default_factory=set)  # claims added about partnerships
    events: set[str] = field(default_factory=set)  # the event, its parties or a claim that it occurred
    documents: set[str] = field(default_factory=set)
    left_events: set[str] = field(default_factory=set)  # parties taken out of an event (their digests)

    def claim(self, claim: Claim) -> None:
        """A claim was added or its state changed."""
        if claim.subject_type == "partnership":
            self.partnerships.add(claim.subject_id)
        elif claim.subject_type == "event":
            self.events.add(claim.subject_id)
        elif claim.property == "name":  # a party found by the names reviewers accept
            self.parties.add(claim.subject_id)

    def __bool__(self) -> bool:
        return bool(
            self.parties
            or self.partnerships
            or self.partnership_claims
            or self.events
            or self.documents
            or self.left_events
        )

    def update(self, other: Touched) -> None:
        """Add what another write touched (a batch refreshes once for all its documents)."""
        self.parties |= other.parties
        self.partnerships |= other.partnerships
        self.partnership_claims |= other.partnership_claims
        self.events |= other.events
        self.documents |= other.documents
        self.left_events |= other.left_events


def refresh(session: Session, touched: Touched) -> None:
    """Compute again, in this transaction, every derived row the write behind ``touched`` affects:
    the index entries of what it touched, the digests of partnerships whose claims or events
    changed, and the timeline lines of every changed event."""
    if not touched:
        return
    session.flush()
    lock_derived_rows(session)  # what follows reads what other writers committed before it
    members = event_members(session, events=touched.events)
    search_index.put_entries(
        session,
        {
            **search_index.party_entries(session, touched.parties),
            **search_index.partnership_entries(session, touched.partnerships),
            **search_index.event_entries(session, touched.events),
            **search_index.document_entries(session, touched.documents),
        },
    )
    _refresh_digests(session, touched, members)
    stored.replace_event_lines(session, touched.events, timelines.event_lines(session, touched.events))
    session.flush()


def _refresh_digests(session: Session, touched: Touched, members: Mapping[str, set[str]]) -> None:
    """The digests of the partnerships a write touched: those it only added claims to, or whose
    parties' events it changed, are extended; the others (made or reviewed, or whose parties
    left an event) are computed afresh from all their claims."""
    afresh = touched.partnerships | partnerships_of_parties(session, touched.left_events)
    added: dict[str, list[StatedRow]] = {}
    for claim in stated_rows(session, touched.partnership_claims):
        added.setdefault(claim.subject_id, []).append(claim)
    near = (set(added) | partnerships_within(session, members)) - afresh
    found, more = digests.extended_digests(session, near, added, touched.events, members)
    stored.save_digests(session, found)
    for digest_chunk in digests.iter_encoded_digests(session, afresh | more):
        stored.save_digests(session, digest_chunk)


@dataclass(frozen=True)
class Changes:
    """What a rebuild found different from what was stored."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def describe(self) -> str:
        if not self:
            return "unchanged"
        return f"{self.added} added, {self.changed} changed, {self.removed} removed"


def _compare(old: Mapping[Any, Any], new: Mapping[Any, Any]) -> tuple[Changes, dict[Any, Any], set[Any]]:
    """The changes from ``old`` to ``new``, the entries to write and the keys to remove."""
    to_write = {k: v for k, v in new.items() if old.get(k) != v}
    removed = set(old) - set(new)
    added = sum(1 for k in to_write if k not in old)
    return Changes(added, len(to_write) - added, len(removed)), to_write, removed


def _merged(chunks: Iterator[dict[str, T]]) -> dict[str, T]:
    out: dict[str, T] = {}
    for chunk in chunks:
        out.update(chunk)
    return out


def _rebuild_digests(session: Session, write: bool) -> Changes:
    ids = all_partnership_ids(session)
    changes, to_write, removed = _compare(
        stored.all_stored_digests(session), _merged(digests.iter_encoded_digests(session, ids))
    )
    if write:
        stored.save_digests(session, to_write)
        stored.delete_digests(session, removed)
    return changes


def _rebuild_timelines(session: Session, write: bool) -> Changes:
    fresh = timelines.event_lines(session, all_event_ids(session))
    changes, to_write, removed = _compare(stored.all_timeline_lines(session), fresh)
    if write:
        stored.delete_timeline_lines(session, removed | set(to_write))
        stored.insert_timeline_lines(session, to_write)
    return changes


def _rebuild_search_index(session: Session, write: bool) -> Changes:
    fresh = {
        **search_index.party_entries(session, all_party_ids(session)),
        **search_index.partnership_entries(session, all_partnership_ids(session)),
        **search_index.event_entries(session, all_event_ids(session)),
        **search_index.document_entries(session, all_document_ids(session)),
    }
    changes, to_write, removed = _compare(search_index.stored_entries(session), fresh)
    if write:
        search_index.put_entries(session, to_write)
        search_index.delete_entries(session, removed)
    return changes


@dataclass(frozen=True)
class DerivedTable:
    name: str
    version: int
    rebuild: Callable[[Session, bool], Changes]


TABLES = (
    DerivedTable("search_index", 1, _rebuild_search_index),
    DerivedTable("partnership_digests", digests.VERSION, _rebuild_digests),
    DerivedTable("party_timelines", timelines.VERSION, _rebuild_timelines),
)


def rebuild(session: Session, names: Iterable[str] | None = None, *, write: bool = True) -> dict[str, Changes]:
    """Recompute every row of the derived tables (all, or those named) and store what differs;
    with ``write`` false, only say what would change. Each table is then marked as computed by
    this version."""
    wanted = set(names) if names is not None else {t.name for t in TABLES}
    report: dict[str, Changes] = {}
    for table in TABLES:
        if table.name in wanted:
            report[table.name] = table.rebuild(session, write)
            if write:
                stored.set_derived_version(session, table.name, table.version)
    session.flush()
    return report


def outdated(session: Session) -> list[str]:
    """The derived tables computed by another version of this code (or never)."""
    versions = stored.derived_versions(session)
    return [t.name for t in TABLES if versions.get(t.name) != t.version]


def bring_up_to_date(engine: Engine) -> dict[str, Changes]:
    """Rebuild the derived tables an upgrade left outdated; nothing to do on a current register."""
    with transaction(engine) as session:
        names = outdated(session)
        return rebuild(session, names) if names else {}
