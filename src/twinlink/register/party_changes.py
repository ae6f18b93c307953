"""Merging two parties that are one, splitting one party that is two, and undoing either.

A merge moves everything about the merged party (its partnerships with their claims and events,
its claims, its places and bodies inside it, its names as aliases) to the party kept, and removes
the merged party. A split moves chosen partnerships, with their claims and events, to a new party,
and gives it the documents that speak only of those partnerships. Each change is a decision kept
with who made it and why, and every row it moved is recorded, so that undoing it puts each back.
While a change stands, later documents follow it (``store.party_changes.redirects_for``).

Claims that move get the id they would have been written with, so that reading their document
again finds them instead of writing them twice; their review decisions move with them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, delete, select, update
from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.gazetteer.model import name_key
from twinlink.ids import make_id, ordered_pair
from twinlink.register.claims import Evidence, claim_key
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.store import search_index
from twinlink.store.derived import delete_digests, delete_party_timelines
from twinlink.store.events import involving
from twinlink.store.parties import find_parties, get_party
from twinlink.store.party_changes import get_change, later_standing_changes
from twinlink.store.tables import (
    Alias,
    Claim,
    Contact,
    Decision,
    Event,
    EventParty,
    Membership,
    Partnership,
    Party,
    PartyChange,
    PartyIdentifier,
    Registration,
    utcnow,
)
from twinlink.store.users import record_audit
from twinlink.vocab import PartyKind

Move = dict[str, Any]
_REFERENCING: dict[str, Any] = {m.__tablename__: m for m in (Registration, Contact, PartyIdentifier)}


class BadPartyChange(TwinlinkError):
    """A merge, split or undo that cannot be made."""


def _row(obj: Any) -> dict[str, Any]:
    out = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.key)
        out[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _restore(model: type[Any], row: dict[str, Any]) -> Any:
    values = dict(row)
    for column in model.__table__.columns:
        if isinstance(column.type, DateTime) and values.get(column.key) is not None:
            values[column.key] = datetime.fromisoformat(values[column.key])
    return model(**values)


def _party(session: Session, party_id: str) -> Party:
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(f"no party {party_id!r} in the register")
    return party


def _ancestors(session: Session, party: Party) -> set[str]:
    out: set[str] = set()
    parent_id = party.parent_id
    while parent_id and parent_id not in out:
        out.add(parent_id)
        parent = session.get(Party, parent_id)
        parent_id = parent.parent_id if parent else None
    return out


class _Mover:
    """Moves rows from one party to another, recording each move so that it can be put back."""

    def __init__(self, session: Session, touched: Touched) -> None:
        self.session = session
        self.touched = touched
        self.moves: list[Move] = []
        self.removed_partnerships: set[str] = set()

    def claim(self, claim: Claim, subject_id: str) -> None:
        evidence = Evidence(
            claim.document_id, claim.source, claim.quote, claim.span_start, claim.span_end, claim.method
        )
        new_id = claim_key(claim.subject_type, subject_id, claim.property, claim.value, evidence)
        old = _row(claim)
        decisions = list(self.session.scalars(select(Decision.id).where(Decision.claim_id == claim.id)))
        created = self.session.get(Claim, new_id) is None
        if created:
            self.session.add(_restore(Claim, {**old, "id": new_id, "subject_id": subject_id}))
            self.session.flush()
        self.session.execute(update(Decision).where(Decision.claim_id == claim.id).values(claim_id=new_id))
        self.session.delete(claim)
        self.session.flush()
        self.moves.append({"op": "claim", "old": old, "new_id": new_id, "created": created, "decisions": decisions})

    def claims_of(self, subject_type: str, subject_id: str, new_subject_id: str) -> None:
        query = select(Claim).where(Claim.subject_type == subject_type, Claim.subject_id == subject_id)
        for claim in list(self.session.scalars(query.order_by(Claim.id))):
            self.claim(claim, new_subject_id)

    def partnership(self, partnership: Partnership, old_party: str, new_party: str) -> None:
        other = partnership.party_b_id if partnership.party_a_id == old_party else partnership.party_a_id
        first, second = ordered_pair(new_party, other)
        new_id = make_id("pt", first, second, partnership.kind)
        created = self.session.get(Partnership, new_id) is None
        if created:
            self.session.add(Partnership(id=new_id, party_a_id=first, party_b_id=second, kind=partnership.kind))
            self.session.flush()
        events = list(self.session.scalars(select(Event.id).where(Event.partnership_id == partnership.id)))
        self.session.execute(update(Event).where(Event.partnership_id == partnership.id).values(partnership_id=new_id))
        self.moves.append(
            {"op": "partnership", "old": _row(partnership), "new_id": new_id, "created": created, "events": events}
        )
        self.claims_of("partnership", partnership.id, new_id)
        self.session.delete(partnership)
        self.session.flush()
        self.removed_partnerships.add(partnership.id)
        self.touched.partnerships.update({partnership.id, new_id})
        self.touched.events.update(events)

    def references(self, old_party: str, new_party: str) -> None:
        """The process's rows about the party (registrations, contacts, identifiers, members)."""
        for model in (Registration, Contact, PartyIdentifier):
            keys = [_row(r) for r in self.session.scalars(select(model).where(model.party_id == old_party))]
            if keys:
                self.session.execute(update(model).where(model.party_id == old_party).values(party_id=new_party))
                self.moves.append({"op": "refs", "table": model.__tablename__, "rows": keys, "new": new_party})
        members = [_row(m) for m in self.session.scalars(select(Membership).where(Membership.party_id == old_party))]
        if members:
            self.session.execute(delete(Membership).where(Membership.party_id == old_party))
            added = [m["user_id"] for m in members if self.session.get(Membership, (m["user_id"], new_party)) is None]
            for user_id in added:
                self.session.add(Membership(user_id=user_id, party_id=new_party))
            self.moves.append({"op": "members", "rows": members, "added": added, "new": new_party})
        self.session.flush()

    def event_party(self, event_id: str, old_party: str, new_party: str) -> None:
        self.session.execute(
            delete(EventParty).where(EventParty.event_id == event_id, EventParty.party_id == old_party)
        )
        dropped = self.session.get(EventParty, (event_id, new_party)) is not None
        if not dropped:
            self.session.add(involving(_event(self.session, event_id), new_party))
        self.session.flush()
        self.moves.append(
            {"op": "event_party", "event": event_id, "old": old_party, "new": new_party, "dropped": dropped}
        )
        self.touched.events.add(event_id)
        self.touched.left_events.add(old_party)


def _event(session: Session, event_id: str) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"no event {event_id!r} in the register")
    return event


def party_named(session: Session, text: str) -> str:
    """A party's id from its id or its exact name (one party only)."""
    text = text.strip()
    if get_party(session, text) is not None:
        return text
    exact = [p for p in find_parties(session, text, limit=20) if p.name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0].id
    if exact:
        raise TwinlinkError(f"{text!r} names {len(exact)} parties: give the id of the one meant")
    raise NotFound(f"no party {text!r} in the register: give its id or its exact name")


def merge_parties(session: Session, merged_id: str, kept_id: str, reason: str, reviewer: str) -> PartyChange:
    """Make ``merged_id`` part of ``kept_id``: one party with the claims, partnerships, events and
    names of both. Refused when they are partners of each other or one lies inside the other."""
    if merged_id == kept_id:
        raise BadPartyChange("a party cannot be merged into itself")
    merged, kept = _party(session, merged_id), _party(session, kept_id)
    if merged.id in _ancestors(session, kept):
        raise BadPartyChange(f"{kept.name} lies inside {merged.name}: merge the other way round")
    first, second = ordered_pair(merged_id, kept_id)
    together = session.scalars(
        select(Partnership.id).where(Partnership.party_a_id == first, Partnership.party_b_id == second)
    ).first()
    if together is not None:
        raise BadPartyChange(f"{merged.name} and {kept.name} are partners ({together}): they cannot be one party")
    split_from = session.scalars(
        select(PartyChange).where(
            PartyChange.action == "split",
            PartyChange.undone_at.is_(None),
            PartyChange.party_id.in_([merged_id, kept_id]),
            PartyChange.other_id.in_([merged_id, kept_id]),
        )
    ).first()
    if split_from is not None:
        raise BadPartyChange(f"these parties were split apart by change {split_from.id}: undo that instead")
    touched = Touched(parties={merged_id, kept_id})
    mover = _Mover(session, touched)
    for child in list(session.scalars(select(Party).where(Party.parent_id == merged_id))):
        child.parent_id = kept_id
        mover.moves.append({"op": "parent", "child": child.id, "old": merged_id})
        touched.parties.add(child.id)
    query = select(Partnership).where((Partnership.party_a_id == merged_id) | (Partnership.party_b_id == merged_id))
    for partnership in list(session.scalars(query.order_by(Partnership.id))):
        mover.partnership(partnership, merged_id, kept_id)
    for event_id in list(session.scalars(select(EventParty.event_id).where(EventParty.party_id == merged_id))):
        mover.event_party(event_id, merged_id, kept_id)
    mover.claims_of("party", merged_id, kept_id)
    mover.references(merged_id, kept_id)
    known = {(a.alias, a.language) for a in session.scalars(select(Alias).where(Alias.party_id == kept_id))}
    for alias, language in [(merged.name, "en"), (merged.name_zh, "zh")]:
        if alias and (alias, language) not in known and alias != kept.name:
            added = Alias(party_id=kept_id, alias=alias, language=language)
            session.add(added)
            session.flush()
            mover.moves.append({"op": "alias", "id": added.id})
    aliases = [_row(a) for a in session.scalars(select(Alias).where(Alias.party_id == merged_id))]
    session.execute(delete(Alias).where(Alias.party_id == merged_id))
    mover.moves.append({"op": "party", "row": _row(merged), "aliases": aliases})
    session.delete(merged)
    session.flush()
    change = PartyChange(
        action="merge",
        party_id=kept_id,
        other_id=merged_id,
        documents="[]",
        moves=json.dumps(mover.moves, ensure_ascii=False),
        reason=reason,
        decided_by=reviewer,
    )
    session.add(change)
    session.flush()
    _finish(session, touched, mover.removed_partnerships, {merged_id})
    record_audit(
        session, reviewer, "party.merge", kept_id, change=change.id, merged=merged_id, name=merged.name, reason=reason
    )
    return change


def split_party(
    session: Session,
    party_id: str,
    partnership_ids: list[str],
    name: str,
    kind: str,
    reason: str,
    reviewer: str,
) -> PartyChange:
    """Give the chosen partnerships of a party, with their claims and events, to a new party
    named ``name`` (in the same place), for when one party in the register is really two."""
    party = _party(session, party_id)
    name = " ".join(name.split())
    if not name or len(name) > 300:
        raise BadPartyChange("name: give the other party's name (1 to 300 characters)")
    if kind not in {k.value for k in PartyKind}:
        raise BadPartyChange(f"kind {kind!r}: choose one of {', '.join(k.value for k in PartyKind)}")
    chosen = []
    for pid in dict.fromkeys(partnership_ids):
        partnership = session.get(Partnership, pid)
        if partnership is None or party_id not in (partnership.party_a_id, partnership.party_b_id):
            raise BadPartyChange(f"partnership {pid!r} is not one of {party.name}'s")
        chosen.append(partnership)
    if not chosen:
        raise BadPartyChange("choose the partnerships that belong to the other party")
    new_id = make_id("body", kind, name_key(name), party.parent_id)
    if session.get(Party, new_id) is not None:
        raise BadPartyChange(f"there is a party {name!r} there already ({new_id}): merge into it instead")
    session.add(Party(id=new_id, kind=kind, name=name, country=party.country, parent_id=party.parent_id))
    session.flush()
    touched = Touched(parties={party_id, new_id})
    mover = _Mover(session, touched)
    mover.moves.append({"op": "new_party", "id": new_id})
    moved_documents: set[str] = set()
    for partnership in chosen:
        moved_documents.update(_documents_of("partnership", [partnership.id], session))
        events = list(session.scalars(select(Event.id).where(Event.partnership_id == partnership.id)))
        mover.partnership(partnership, party_id, new_id)
        for event_id in events:
            if session.get(EventParty, (event_id, party_id)) is not None:
                mover.event_party(event_id, party_id, new_id)
    staying = select(Partnership.id).where((Partnership.party_a_id == party_id) | (Partnership.party_b_id == party_id))
    kept_documents = _documents_of("partnership", list(session.scalars(staying)), session)
    kept_documents |= _documents_of("party", [party_id], session)
    change = PartyChange(
        action="split",
        party_id=party_id,
        other_id=new_id,
        documents=json.dumps(sorted(moved_documents - kept_documents)),
        moves=json.dumps(mover.moves, ensure_ascii=False),
        reason=reason,
        decided_by=reviewer,
    )
    session.add(change)
    session.flush()
    _finish(session, touched, mover.removed_partnerships, set())
    record_audit(
        session,
        reviewer,
        "party.split",
        party_id,
        change=change.id,
        new=new_id,
        name=name,
        partnerships=[p.id for p in chosen],
        reason=reason,
    )
    return change


def _documents_of(subject_type: str, subject_ids: list[str], session: Session) -> set[str]:
    if not subject_ids:
        return set()
    query = select(Claim.document_id).where(
        Claim.subject_type == subject_type, Claim.subject_id.in_(subject_ids), Claim.document_id.is_not(None)
    )
    return {d for d in session.scalars(query) if d}


def undo_change(session: Session, change_id: int, reason: str, reviewer: str) -> PartyChange:
    """Put back everything a merge or split moved. Refused while a later change to the same
    parties stands (undo that first)."""
    change = get_change(session, change_id)
    if change is None:
        raise NotFound(f"no merge or split {change_id} in the register")
    if change.undone_at is not None:
        raise BadPartyChange(f"change {change_id} was undone already, by {change.undone_by}")
    later = later_standing_changes(session, change, {change.party_id, change.other_id})
    if later:
        raise BadPartyChange(f"change {later[-1].id} to the same parties came later: undo it first")
    if change.action == "split":
        _check_split_undoable(session, change)
    touched = Touched(parties={change.party_id, change.other_id})
    removed_partnerships: set[str] = set()
    removed_parties: set[str] = set()
    for move in reversed(json.loads(change.moves)):
        _undo_move(session, move, touched, removed_partnerships, removed_parties)
    change.undone_by, change.undone_at = reviewer, utcnow()
    session.flush()
    _finish(session, touched, removed_partnerships, removed_parties)
    record_audit(session, reviewer, f"party.{change.action}.undo", change.party_id, change=change.id, reason=reason)
    return change


def _check_split_undoable(session: Session, change: PartyChange) -> None:
    new_id = change.other_id
    moved = {m["new_id"] for m in json.loads(change.moves) if m["op"] == "partnership"}
    query = select(Partnership.id).where((Partnership.party_a_id == new_id) | (Partnership.party_b_id == new_id))
    since = set(session.scalars(query)) - moved
    if since or session.scalars(select(Party.id).where(Party.parent_id == new_id)).first():
        raise BadPartyChange(f"{new_id} has partnerships or parties of its own since the split: merge it back instead")


def _undo_move(
    session: Session, move: Move, touched: Touched, removed_partnerships: set[str], removed_parties: set[str]
) -> None:
    op = move["op"]
    if op == "party":
        session.add(_restore(Party, move["row"]))
        session.flush()
        for alias in move["aliases"]:
            session.add(_restore(Alias, alias))
    elif op == "alias":
        session.execute(delete(Alias).where(Alias.id == move["id"]))
    elif op == "parent":
        child = session.get(Party, move["child"])
        if child is not None:
            child.parent_id = move["old"]
            touched.parties.add(child.id)
    elif op == "event_party":
        session.add(involving(_event(session, move["event"]), move["old"]))
        if not move["dropped"]:
            session.execute(
                delete(EventParty).where(EventParty.event_id == move["event"], EventParty.party_id == move["new"])
            )
            touched.left_events.add(move["new"])
        touched.events.add(move["event"])
    elif op == "claim":
        _undo_claim(session, move)
    elif op == "partnership":
        _undo_partnership(session, move, touched, removed_partnerships)
    elif op == "refs":
        model = _REFERENCING[move["table"]]
        for row in move["rows"]:
            key = [row[c.key] for c in model.__table__.primary_key.columns]
            found = session.get(model, tuple(key) if len(key) > 1 else key[0])
            if found is not None:
                found.party_id = row["party_id"]
    elif op == "members":
        for user_id in move["added"]:
            session.execute(delete(Membership).where(Membership.user_id == user_id, Membership.party_id == move["new"]))
        session.flush()
        for row in move["rows"]:
            session.add(Membership(user_id=row["user_id"], party_id=row["party_id"]))
    elif op == "new_party":
        session.execute(delete(Alias).where(Alias.party_id == move["id"]))
        session.execute(delete(Party).where(Party.id == move["id"]))
        removed_parties.add(move["id"])
    session.flush()


def _undo_claim(session: Session, move: Move) -> None:
    old = move["old"]
    session.add(_restore(Claim, old))
    session.flush()
    moved_back = select(Decision.id).where(Decision.claim_id == move["new_id"])
    if not move["created"]:
        moved_back = moved_back.where(Decision.id.in_(move["decisions"] or [-1]))
    session.execute(update(Decision).where(Decision.id.in_(moved_back.scalar_subquery())).values(claim_id=old["id"]))
    if move["created"]:
        session.execute(delete(Claim).where(Claim.id == move["new_id"]))


def _undo_partnership(session: Session, move: Move, touched: Touched, removed: set[str]) -> None:
    old = move["old"]
    session.add(_restore(Partnership, old))
    session.flush()
    if move["events"]:
        session.execute(update(Event).where(Event.id.in_(move["events"])).values(partnership_id=old["id"]))
    new_id = move["new_id"]
    still_used = (
        session.scalars(select(Claim.id).where(Claim.subject_type == "partnership", Claim.subject_id == new_id)).first()
        or session.scalars(select(Event.id).where(Event.partnership_id == new_id)).first()
    )
    if move["created"] and still_used is None:
        session.execute(delete(Partnership).where(Partnership.id == new_id))
        removed.add(new_id)
    touched.partnerships.update({old["id"], new_id})
    touched.events.update(move["events"])


def _finish(session: Session, touched: Touched, removed_partnerships: set[str], removed_parties: set[str]) -> None:
    """Drop the derived rows of what is gone, and compute again those of what changed."""
    gone_partnerships = {p for p in removed_partnerships if session.get(Partnership, p) is None}
    gone_parties = {p for p in removed_parties | touched.parties if session.get(Party, p) is None}
    delete_digests(session, gone_partnerships)
    delete_party_timelines(session, gone_parties)
    search_index.delete_entries(
        session, [("partnership", p) for p in gone_partnerships] + [("party", p) for p in gone_parties]
    )
    touched.partnerships -= gone_partnerships
    touched.parties -= gone_parties
    touched.left_events -= gone_parties
    refresh(session, touched)
