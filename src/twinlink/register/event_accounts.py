"""An event's date, kind and description as its accounts tell them. Sources may tell one
happening differently (another year, another month); those accounts stand side by side as a
conflict until a reviewer accepts one, and the accepted account is then what the event says
on timelines and in a link's activity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from twinlink.register.derive import claim_value, in_force
from twinlink.store.claims import list_claims
from twinlink.store.tables import Claim, Event
from twinlink.store.users import record_audit
from twinlink.vocab import ReviewState


def _when(value: dict[str, Any]) -> tuple[int, int | None, int | None, str]:
    return int(value["year"]), value.get("month"), value.get("day"), str(value.get("kind") or "")


def accounts_disagree(claims: Sequence[Claim]) -> bool:
    """Whether the accounts in force of one event give different dates or kinds (a month or day
    one leaves out is no disagreement)."""
    told = [_when(claim_value(c)) for c in in_force(claims)]
    for i, (year, month, day, kind) in enumerate(told):
        for other_year, other_month, other_day, other_kind in told[i + 1 :]:
            if year != other_year or (kind and other_kind and kind != other_kind):
                return True
            if month and other_month and month != other_month:
                return True
            if day and other_day and day != other_day:
                return True
    return False


def settle_event(session: Session, event_id: str, actor: str) -> bool:
    """Give the event the date, kind and description of its accepted account, if it has one that
    differs from what the event says now; whether it changed (audited with before and after)."""
    event = session.get(Event, event_id)
    if event is None:
        return False
    accepted = [c for c in in_force(list_claims(session, "event", [event_id], "occurred")[event_id])]
    accepted = [c for c in accepted if c.review_state == ReviewState.ACCEPTED.value]
    if not accepted:
        return False
    value = claim_value(accepted[0])
    year, month, day, kind = _when(value)
    after = {
        "year": year,
        "month": month,
        "day": day,
        "kind": kind or event.kind,
        "description": value.get("what") or event.description,
    }
    before = {
        "year": event.year,
        "month": event.month,
        "day": event.day,
        "kind": event.kind,
        "description": event.description,
    }
    if after == before:
        return False
    event.year, event.month, event.day = year, month, day
    event.precision = "day" if day else "month" if month else "year"
    event.kind, event.description = str(after["kind"]), str(after["description"])
    record_audit(session, actor, "event.settle", event_id, before=before, after=after, claim=accepted[0].id)
    return True
