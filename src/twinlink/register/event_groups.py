"""Which accounts tell one event, decided from the accounts themselves rather than from the order
they came in. When an account changes an event (another date's precision, more parties) or
arrives among two or more events of its year and kind that share its parties, the accounts of
those events, and of the events they come to share parties with, are grouped again: the most
precise first, each joining the group it fits (the same date, or one it leaves open; parties one
within the other, or two in common), never a group its own document already tells elsewhere. An
account that fits groups of its own date joins them into one; one that fits groups of finer
dates it cannot choose between, as "in 2003" fits a visit in May and one in October, is an event
of its own. Each group is then an event with the id of what its accounts tell together
(``event_keys``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from twinlink.register.event_keys import event_key, move_claim, remove_event, spoken_for
from twinlink.store.events import EventCandidate, event_party_ids, events_of_kind_in_year_with, involving
from twinlink.store.tables import Claim, Event, EventParty


@dataclass(frozen=True)
class Account:
    """One claim that an event occurred, as grouping reads it."""

    claim_id: str
    month: int | None
    day: int | None
    parties: frozenset[str]
    what: str
    told_in: str  # its document (or source): one document telling two happenings tells two events
    span_start: int | None

    def rank(self) -> tuple[object, ...]:
        precision = 2 if self.day else 1 if self.month else 0
        return (-precision, self.month or 0, self.day or 0, -len(self.parties), sorted(self.parties), self.claim_id)


@dataclass
class Group:
    month: int | None
    day: int | None
    parties: set[str]
    accounts: list[Account] = field(default_factory=list)

    def fits(self, account: Account) -> bool:
        if not _agree(self.month, account.month) or not _agree(self.day, account.day):
            return False
        if not related(self.parties, set(account.parties)):
            return False
        return not any(a.told_in == account.told_in and a.span_start != account.span_start for a in self.accounts)

    def joins(self, other: Group) -> bool:
        """Take in another group's accounts, unless a document tells both groups' happenings as
        two; whether it did."""
        for mine in self.accounts:
            if any(a.told_in == mine.told_in and a.span_start != mine.span_start for a in other.accounts):
                return False
        for account in other.accounts:
            self.take(account)
        return True

    def take(self, account: Account) -> None:
        self.accounts.append(account)
        self.parties |= account.parties

    def describe(self) -> str:
        """The fullest account's words, as a known event's description is chosen."""
        return max((a.what for a in self.accounts), key=lambda what: (len(what), what))


def _agree(mine: int | None, theirs: int | None) -> bool:
    return mine is None or theirs is None or mine == theirs


def grouped(accounts: Sequence[Account]) -> list[Group]:
    """The events these accounts (of one year and kind) tell, whatever order they are given in."""
    groups: list[Group] = []
    for account in sorted(accounts, key=Account.rank):
        fitting = [g for g in groups if g.fits(account)]
        same_date = [g for g in fitting if (g.month, g.day) == (account.month, account.day)]
        if same_date:  # one naming the parties of two events of its date joins them
            target = same_date[0]
            for other in same_date[1:]:
                if target.joins(other):
                    groups.remove(other)
            target.take(account)
        elif len(fitting) == 1:
            fitting[0].take(account)
        else:  # none, or several it cannot choose between
            group = Group(account.month, account.day, set())
            group.take(account)
            groups.append(group)
    merged: dict[tuple[object, ...], Group] = {}
    for group in groups:  # two groups telling the same are one event
        key = (group.month, group.day, tuple(sorted(group.parties)))
        if key in merged:
            for account in group.accounts:
                merged[key].take(account)
        else:
            merged[key] = group
    return list(merged.values())


def worth_grouping(session: Session, month: int | None, day: int | None, near: Sequence[EventCandidate]) -> bool:
    """Whether grouping these events again could change them: the new account's date fits two of
    them, or one holds an account less precise than itself, which another event may now make
    ambiguous. Most accounts fit one event and all of its accounts tell its date: nothing to do."""
    if sum(1 for c in near if _agree(c.month, month) and _agree(c.day, day)) >= 2:
        return True
    dated = {c.id: c for c in near if c.month is not None}
    query = select(Claim.subject_id, Claim.value).where(
        Claim.subject_type == "event", Claim.subject_id.in_(sorted(dated)), Claim.property == "occurred"
    )
    for event_id, value in session.execute(query):
        told = orjson.loads(value)
        event = dated[event_id]
        if told.get("month") is None or (event.day is not None and told.get("day") is None):
            return True
    return False


@dataclass
class Regrouped:
    """What grouping again changed: the events it removed or made, the parties they had, and
    the new id of each claim it moved."""

    events: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    claims: dict[str, str] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)

    def then(self, later: Regrouped) -> Regrouped:
        """This and a later grouping as one change."""
        claims = {old: later.claims.get(new, new) for old, new in self.claims.items()}
        return Regrouped(
            events=self.events | later.events,
            parties=self.parties | later.parties,
            claims={**later.claims, **claims},
            gone=(self.gone | later.gone) - (later.events - later.gone),
        )


LARGEST_REGROUPING = 200  # events: past this, a busy year of a busy party is left as it stands


def regroup_around(
    session: Session,
    year: int,
    kind: str,
    near: Sequence[EventCandidate],
    partnership_of: Callable[[list[str]], str | None],
) -> Regrouped | None:
    """Group again these events and, while an event they became shares parties with another of
    their year and kind, that one too, so that a chain of events is grouped whole."""
    ids = {c.id for c in near}
    done: Regrouped | None = None
    for _ in range(8):  # each round takes in the events the last one's became related to
        if len(ids) > LARGEST_REGROUPING:
            break
        step = regroup(session, sorted(ids), partnership_of)
        if step is not None:
            done = step if done is None else done.then(step)
        now = (ids | (step.events if step else set())) - (done.gone if done else set())
        reached = set(now)
        for event_id in sorted(now):
            parties = event_party_ids(session, event_id)
            for other in events_of_kind_in_year_with(session, year, kind, sorted(parties)):
                if related(other.parties, parties):
                    reached.add(other.id)
        if reached <= now:
            break
        ids = reached
    return done


def related(mine: frozenset[str] | set[str], theirs: frozenset[str] | set[str]) -> bool:
    """Whether two events' parties may be one event's: one within the other, or two in common."""
    return mine <= theirs or theirs <= mine or len(mine & theirs) >= 2


def regroup(
    session: Session, event_ids: Sequence[str], partnership_of: Callable[[list[str]], str | None]
) -> Regrouped | None:
    """Group the accounts of these events (of one year and kind) again and make the register say
    so; None when nothing changes, or when one of them is spoken for (``event_keys``)."""
    events = [e for e in (session.get(Event, i) for i in sorted(set(event_ids))) if e is not None]
    if not events or any(spoken_for(session, e.id) for e in events):
        return None
    ids = {e.id for e in events}
    claims = list(
        session.scalars(select(Claim).where(Claim.subject_type == "event", Claim.subject_id.in_(sorted(ids))))
    )
    if any(c.property != "occurred" for c in claims):
        return None
    parties_of = {e.id: event_party_ids(session, e.id) for e in events}
    by_claim = {c.id: c for c in claims}
    accounts = [_account(c, parties_of[c.subject_id]) for c in claims]
    groups = grouped(accounts)
    year, kind = events[0].year, events[0].kind
    keyed = {event_key(year, g.month, g.day, kind, g.parties): g for g in groups}
    if set(keyed) == ids and all(
        by_claim[a.claim_id].subject_id == key and parties_of[key] == g.parties
        for key, g in keyed.items()
        for a in g.accounts
    ):
        return None
    if any(key not in ids and session.get(Event, key) is not None for key in keyed):
        return None  # an event elsewhere already tells one of them: left as it is
    done = Regrouped(events=ids | set(keyed), parties=set().union(*parties_of.values()))
    for key, group in keyed.items():
        _settle(session, key, group, year, kind, partnership_of, done, by_claim)
    for event in events:
        if event.id not in keyed:
            remove_event(session, event)
            done.gone.add(event.id)
    session.flush()
    return done


def _account(claim: Claim, event_parties: set[str]) -> Account:
    value: dict[str, Any] = orjson.loads(claim.value)
    return Account(
        claim_id=claim.id,
        month=value.get("month"),
        day=value.get("day"),
        parties=frozenset(value.get("parties") or event_parties),  # accounts kept before parties were
        what=str(value.get("what") or ""),
        told_in=claim.document_id or claim.source or "",
        span_start=claim.span_start,
    )


def _settle(
    session: Session,
    key: str,
    group: Group,
    year: int,
    kind: str,
    partnership_of: Callable[[list[str]], str | None],
    done: Regrouped,
    by_claim: dict[str, Claim],
) -> None:
    event = session.get(Event, key)
    if event is None:
        event = Event(id=key, year=year, kind=kind, precision="year", description="")
        session.add(event)
    event.month, event.day = group.month, group.day
    event.precision = "day" if group.day else "month" if group.month else "year"
    event.description = group.describe()
    event.partnership_id = partnership_of(sorted(group.parties))
    session.flush()
    present = event_party_ids(session, key)
    for party_id in sorted(group.parties - present):
        session.add(involving(event, party_id))
    if present - group.parties:
        session.execute(
            delete(EventParty).where(EventParty.event_id == key, EventParty.party_id.in_(present - group.parties))
        )
    for account in group.accounts:
        claim = by_claim[account.claim_id]
        if claim.subject_id != key:
            done.claims[claim.id] = move_claim(session, claim, key)
