"""A party's identifiers in other registers, as read: those an editor recorded, and a place's
Wikidata item from the gazetteer until an editor records one. An item an editor gives another
party is no longer the place's, so a wrong item in the gazetteer is mended by recording it where
it belongs."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.gazetteer.lookup import item_of
from twinlink.store.chunks import chunks
from twinlink.store.tables import Party, PartyIdentifier


def identifiers_of(session: Session, party_ids: Iterable[str], scheme: str) -> dict[str, str]:
    """Each party's identifier in ``scheme``, for the parties that have one: the one recorded,
    else (for a Wikidata item) the gazetteer's for the place the party is."""
    wanted = sorted(set(party_ids))
    found: dict[str, str] = {}
    for chunk in chunks(wanted):
        rows = session.execute(
            select(PartyIdentifier.party_id, PartyIdentifier.value).where(
                PartyIdentifier.scheme == scheme, PartyIdentifier.party_id.in_(chunk)
            )
        )
        found.update({party_id: value for party_id, value in rows})
    if scheme == "wikidata":
        found.update(_gazetteer_items(session, [p for p in wanted if p not in found]))
    return found


def _gazetteer_items(session: Session, party_ids: list[str]) -> dict[str, str]:
    items: dict[str, str] = {}
    for chunk in chunks(party_ids):
        for party_id, place_id in session.execute(
            select(Party.id, Party.gazetteer_id).where(Party.id.in_(chunk), Party.gazetteer_id.is_not(None))
        ):
            if item := item_of(place_id or ""):
                items[party_id] = item
    held: set[str] = set()
    for chunk in chunks(sorted(set(items.values()))):
        held.update(
            session.scalars(
                select(PartyIdentifier.value).where(
                    PartyIdentifier.scheme == "wikidata", PartyIdentifier.value.in_(chunk)
                )
            )
        )
    return {party_id: item for party_id, item in items.items() if item not in held}
