"""Keeping what the register derives in step with its claims: the partnership digests and party
timelines a write affects are recomputed in the same transaction, before it commits."""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from twinlink.register.digests import partnerships_of_events, refresh_digests
from twinlink.register.timelines import refresh_party_timelines
from twinlink.store.events import event_members
from twinlink.store.tables import Claim, Event, EventParty, Partnership

_TOUCHED = "twinlink.refresh.touched"


def _note_touched(session: Session, _flush_context: Any) -> None:
    touched: dict[str, set[str]] = session.info.setdefault(
        _TOUCHED, {"partnership": set(), "event": set(), "party": set()}
    )
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Claim) and obj.subject_type in ("partnership", "event"):
            touched[obj.subject_type].add(obj.subject_id)
        elif isinstance(obj, Partnership):
            touched["partnership"].add(obj.id)
        elif isinstance(obj, Event):
            touched["event"].add(obj.id)
        elif isinstance(obj, EventParty):
            touched["event"].add(obj.event_id)
            touched["party"].add(obj.party_id)  # kept by name: a removed one is no longer a member


def _refresh_touched(session: Session) -> None:
    session.flush()
    touched = session.info.pop(_TOUCHED, None)
    if not touched or not any(touched.values()):
        return
    members = event_members(session, events=touched["event"])
    refresh_digests(session, touched["partnership"] | partnerships_of_events(session, members))
    refresh_party_timelines(session, touched["party"].union(*members.values()))
    session.flush()
    session.info.pop(_TOUCHED, None)


def _forget_touched(session: Session, _previous: Any = None) -> None:
    session.info.pop(_TOUCHED, None)


# Listening on the Session class, not on one session, keeps every writer honest: whatever code
# adds or reviews a claim, what it affects is refreshed before its transaction commits.
event.listen(Session, "after_flush", _note_touched)
event.listen(Session, "before_commit", _refresh_touched)
event.listen(Session, "after_soft_rollback", _forget_touched)
