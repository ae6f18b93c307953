"""Reading and writing the record of party merges and splits."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from twinlink.store.tables import PartyChange


def get_change(session: Session, change_id: int) -> PartyChange | None:
    return session.get(PartyChange, change_id)


def changes_of(session: Session, party_id: str) -> list[PartyChange]:
    """Every merge or split a party took part in, the latest first."""
    query = select(PartyChange).where(or_(PartyChange.party_id == party_id, PartyChange.other_id == party_id))
    return list(session.scalars(query.order_by(PartyChange.id.desc())))


def standing_changes(session: Session) -> list[PartyChange]:
    """The merges and splits not undone, oldest first."""
    query = select(PartyChange).where(PartyChange.undone_at.is_(None)).order_by(PartyChange.id)
    return list(session.scalars(query))


def later_standing_changes(session: Session, change: PartyChange, party_ids: set[str]) -> list[PartyChange]:
    """Merges and splits after ``change``, not undone, that involve any of these parties."""
    query = select(PartyChange).where(
        PartyChange.id > change.id,
        PartyChange.undone_at.is_(None),
        or_(PartyChange.party_id.in_(party_ids), PartyChange.other_id.in_(party_ids)),
    )
    return list(session.scalars(query.order_by(PartyChange.id)))


def redirects_for(session: Session, document_id: str | None) -> dict[str, str]:
    """Where a party a document names stands now: a merged party's id leads to the party it was
    merged into, and a split party's id to the new party when the split gave it this document."""
    out: dict[str, str] = {}
    for change in standing_changes(session):
        if change.action == "merge":
            out[change.other_id] = change.party_id
        elif document_id is not None and document_id in json.loads(change.documents):
            out[change.party_id] = change.other_id
    return out


def follow(redirects: Mapping[str, str], party_id: str) -> str:
    seen = {party_id}
    while party_id in redirects:
        party_id = redirects[party_id]
        if party_id in seen:  # a cycle cannot be made by the checks on merging; stop rather than loop
            break
        seen.add(party_id)
    return party_id


def merged_into(session: Session, party_id: str) -> str | None:
    """The party a merged party's id now leads to, or None if it was not merged away."""
    merges = {
        other: kept
        for other, kept in session.execute(
            select(PartyChange.other_id, PartyChange.party_id).where(
                PartyChange.action == "merge", PartyChange.undone_at.is_(None)
            )
        )
    }
    target = follow(merges, party_id)
    return target if target != party_id else None
