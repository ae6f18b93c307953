"""Values computed from claims: a partnership's established date, its status, a party's kind.

Claims that are rejected or superseded do not count; once an editor has accepted any claim on a
property, only accepted claims count. Two or more values left standing are a conflict."""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from twinlink.store.claims import list_claims, stated_rows_about
from twinlink.store.events import event_dates, list_events_of_pairs, list_events_with
from twinlink.store.parties import PartyLike
from twinlink.store.tables import Claim, Event
from twinlink.vocab import CITY_KINDS, COUNTY_KINDS, PLACE_KINDS, PROVINCE_KINDS, LinkStage, PartyKind, ReviewState

SINGLE_VALUED = ("established", "status", "kind")


class Reviewed(Protocol):
    @property
    def superseded_by(self) -> str | None: ...
    @property
    def review_state(self) -> str: ...


R = TypeVar("R", bound=Reviewed)


_REJECTED, _ACCEPTED = ReviewState.REJECTED.value, ReviewState.ACCEPTED.value


def in_force(claims: Sequence[R]) -> list[R]:
    if len(claims) == 1:  # the usual case, without the lists
        claim = claims[0]
        return [] if claim.superseded_by is not None or claim.review_state == _REJECTED else [claim]
    standing = [c for c in claims if c.superseded_by is None and c.review_state != _REJECTED]
    accepted = [c for c in standing if c.review_state == _ACCEPTED]
    return accepted or standing


def claim_value(claim: Claim) -> Any:
    return json.loads(claim.value)


@dataclass(frozen=True)
class Supported:
    """One value and the claims that state it."""

    value: Any
    claims: list[Claim] = field(default_factory=list)
    origin: str | None = None  # set when the value comes from a reference, not a claim ("gazetteer")


@dataclass(frozen=True)
class Derived:
    values: list[Supported]

    @property
    def conflict(self) -> bool:
        return len(self.values) > 1

    @property
    def value(self) -> Any:
        return self.values[0].value if len(self.values) == 1 else None

    def describe(self) -> str:
        return describe_values([v.value for v in self.values])


def describe_values(values: Sequence[Any]) -> str:
    """ "1993", or "conflict: 1985 / 1988" when sources disagree, or "" when none says."""
    if len(values) > 1:
        return "conflict: " + " / ".join(str(v) for v in values)
    return str(values[0]) if values else ""


def derive(claims: Sequence[Claim]) -> Derived:
    grouped: dict[str, Supported] = {}
    for claim in in_force(claims):
        grouped.setdefault(claim.value, Supported(claim_value(claim))).claims.append(claim)
    return Derived(sorted(grouped.values(), key=lambda s: str(s.value)))


@dataclass(slots=True, order=True)  # not frozen: every partnership's status reads several
class When:
    year: int
    month: int | None = None
    day: int | None = None

    def label(self) -> str:
        return date_label(self.year, self.month, self.day)

    def iso(self) -> str:
        return date_iso(self.year, self.month, self.day)

    def latest(self) -> date:
        if not self.month:
            return date(self.year, 12, self.day or 31)
        return date(self.year, self.month, self.day or calendar.monthrange(self.year, self.month)[1])


_MONTH_NAMES = tuple(calendar.month_name)  # read once: each lookup in ``calendar`` formats a date


def date_label(year: int, month: int | None, day: int | None) -> str:
    """ "4 August 2008", "March 2004" or "1993"."""
    if month and day:
        return f"{day} {_MONTH_NAMES[month]} {year}"
    if month:
        return f"{_MONTH_NAMES[month]} {year}"
    return str(year)


def date_iso(year: int, month: int | None, day: int | None) -> str:
    """ "2008-08-04", "2004-03" or "1993"."""
    text = f"{year:04d}"
    if month:
        text += f"-{month:02d}"
    if day:
        text += f"-{day:02d}"
    return text


@dataclass(slots=True)
class Activity:
    when: When
    what: str


@dataclass(slots=True)  # not frozen: frozen records are slow to make, and lists derive thousands
class Status:
    state: str  # active, dormant, ended or unknown
    reason: str
    latest: Activity | None = None


# (year, month, day, what): plain tuples, as a list of partnerships decodes thousands
ActivityRow = tuple[int, int | None, int | None, str]


@dataclass(slots=True)
class StatusInputs:
    """What a partnership's status is derived from, whatever the as-of date: its dated activity,
    oldest first, and, for each state a source asserts (ended, dormant, active), that source's words."""

    activity: tuple[ActivityRow, ...]
    said: dict[str, str]


def live_events(session: Session, party_ids: Sequence[str]) -> list[Event]:
    """Events involving all the parties that still have a claim in force, oldest first."""
    events = list_events_with(session, party_ids)
    claims = list_claims(session, "event", [e.id for e in events], "occurred")
    return [e for e in events if happened(claims[e.id])]


class Telling(Reviewed, Protocol):
    """A claim that an event occurred, as much of it as says whether it counts as activity."""

    @property
    def value(self) -> str: ...


def happened(claims: Sequence[Telling]) -> bool:
    """Whether an event counts as activity: a claim in force says it took place (not only that it
    was planned), or it has no claims at all (entered directly)."""
    if not claims:
        return True
    return any(not _planned(c) for c in in_force(claims))


def _planned(claim: Telling) -> bool:
    return '"planned": true' in claim.value and bool(json.loads(claim.value).get("planned"))


def live_event_rows(session: Session, event_ids: Iterable[str]) -> dict[str, ActivityRow]:
    """``activity_row`` of each of these events that counts as activity (see ``happened``)."""
    dates = event_dates(session, event_ids)
    tellings = stated_rows_about(session, "event", dates, "occurred")
    return {eid: row for eid, row in dates.items() if happened(tellings.get(eid, []))}


@lru_cache(maxsize=64)  # a list asks it of the same date for every partnership
def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def live_events_of_pairs(session: Session, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[Event]]:
    """``live_events`` for many pairs of parties at once."""
    found = list_events_of_pairs(session, pairs)
    claims = list_claims(session, "event", sorted({e.id for events in found.values() for e in events}), "occurred")
    return {pair: [e for e in events if happened(claims[e.id])] for pair, events in found.items()}


def by_property(claims: Sequence[Claim]) -> dict[str, list[Claim]]:
    """Claims grouped by the property they state, each group in the order given."""
    grouped: dict[str, list[Claim]] = {}
    for claim in claims:
        grouped.setdefault(claim.property, []).append(claim)
    return grouped


def status_inputs(claims: Mapping[str, Sequence[Claim]], events: Mapping[str, ActivityRow]) -> StatusInputs:
    """The status inputs of a partnership from its claims (grouped ``by_property``) and the live
    events between its parties (``activity_row`` of each, by event id)."""
    established = [int(claim_value(c)) for c in in_force(claims.get("established", []))]
    said: dict[str, str] = {}
    for claim in in_force(claims.get("status", [])):
        said.setdefault(str(claim_value(claim)), _quote(claim))
    return StatusInputs(activity_of(events, established), said)


def activity_row(event: Event) -> ActivityRow:
    return (event.year, event.month, event.day, event.kind)


def activity_of(events: Mapping[str, ActivityRow], established_years: Iterable[int]) -> tuple[ActivityRow, ...]:
    """A partnership's activity, oldest first: its live events (by id) and a founding for each
    claim of the year it was established. Of several on one date, events come first, in the
    order of their ids, so that the same events and claims give the same activity however they
    were gathered."""
    rows = [events[eid] for eid in sorted(events, key=lambda eid: (_in_date_order(events[eid]), eid))]
    rows += [(year, None, None, "established") for year in established_years]
    return tuple(sorted(rows, key=_in_date_order))


def status_of(inputs: StatusInputs, as_of: date, window_years: int) -> Status:
    """Active when there is activity within the window before ``as_of``; dormant when there is
    none since; ended when a source says so; unknown when nothing dated says either way."""
    said = inputs.said
    if "ended" in said:
        return Status("ended", f"a source says it ended: {said['ended']}")
    activity = _begun_by(inputs.activity, as_of)
    if not activity:
        if "dormant" in said:
            return Status("dormant", f"no dated activity; a source says: {said['dormant']}")
        if "active" in said:
            return Status("active", f"no dated activity; a source says: {said['active']}")
        return Status("unknown", "no dated activity recorded")
    latest = _latest(activity)
    cutoff = years_before(as_of, window_years)
    what = f"latest activity {latest.when.label()} ({latest.what})"
    if latest.when.latest() >= cutoff:
        return Status("active", f"{what}, within {window_years} years of {as_of.isoformat()}", latest)
    founded = {year for year, _, _, kind in activity if kind == "established"}
    if all(_is_founding(a, founded) for a in activity) and "dormant" not in said:
        # a founding date alone says nothing of what happened since
        return Status("unknown", f"no activity recorded since it was established in {latest.when.label()}", latest)
    reason = f"{what}, more than {window_years} years before {as_of.isoformat()}"
    if "dormant" in said:
        reason += f"; a source says: {said['dormant']}"
    return Status("dormant", reason, latest)


@dataclass(frozen=True)
class StatusColumns:
    """What ``status_of`` needs of a partnership's inputs, as columns a database can judge status
    from for any as-of date on or after ``settled_from`` (by then all its activity has begun), so
    that lists count statuses without reading every digest (``store.partnerships.STATUS``).
    Days are numbers YYYYMMDD."""

    ended: bool
    said_dormant: bool
    said_active: bool
    settled_from: int | None  # the first day of its last activity
    latest_day: int | None  # the last possible day of its latest activity
    founding_only: bool  # every activity is its founding


def _day_number(year: int, month: int, day: int) -> int:
    return year * 10_000 + month * 100 + day


def status_columns(inputs: StatusInputs) -> StatusColumns:
    said, activity = inputs.said, inputs.activity
    if not activity:
        return StatusColumns("ended" in said, "dormant" in said, "active" in said, None, None, False)
    latest = _latest(activity).when.latest()
    founded = {year for year, _, _, kind in activity if kind == "established"}
    return StatusColumns(
        "ended" in said,
        "dormant" in said,
        "active" in said,
        _day_number(*_first_day(activity[-1])),
        _day_number(latest.year, latest.month, latest.day),
        all(_is_founding(a, founded) for a in activity),
    )


def _in_date_order(activity: ActivityRow) -> tuple[int, int, int]:
    year, month, day, _ = activity
    return (year, month or 0, day or 0)


def _first_day(activity: ActivityRow) -> tuple[int, int, int]:
    """(year, month, day) of its first possible day, to compare with a date's."""
    year, month, day, _ = activity
    return (year, month or 1, day or 1)


def _begun_by(activity: tuple[ActivityRow, ...], as_of: date) -> tuple[ActivityRow, ...]:
    """The activity whose first possible day is on or before ``as_of``: all but the end of the
    list, as it is oldest first."""
    today = (as_of.year, as_of.month, as_of.day)
    end = len(activity)
    while end and _first_day(activity[end - 1]) > today:
        end -= 1
    return activity if end == len(activity) else activity[:end]


def _latest(activity: tuple[ActivityRow, ...]) -> Activity:
    """The latest activity; of several on the same date, the first listed."""
    first = len(activity) - 1
    last_date = _in_date_order(activity[first])
    while first and _in_date_order(activity[first - 1]) == last_date:
        first -= 1
    year, month, day, what = activity[first]
    return Activity(When(year, month, day), what)


def _is_founding(activity: ActivityRow, established_years: set[int]) -> bool:
    year, _, _, what = activity
    return what in ("established", "founding") or (what == "agreement" and year in established_years)


def _quote(claim: Claim, limit: int = 160) -> str:
    text = " ".join((claim.quote or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return f"“{text}” ({claim.source or claim.document_id or claim.method})"


_NAMED_KIND_FITS: dict[str, frozenset[PartyKind]] = {
    "province": PROVINCE_KINDS | {PartyKind.MUNICIPALITY},  # municipalities stand at province level
    "city": CITY_KINDS,
    "county": COUNTY_KINDS | {PartyKind.DISTRICT},
    "municipality": frozenset({PartyKind.MUNICIPALITY, PartyKind.CITY, PartyKind.PREFECTURE_CITY}),
}


def kind_fits(named: str, kind: str) -> bool:
    fits = _NAMED_KIND_FITS.get(named)
    return named == kind or (fits is not None and PartyKind(kind) in fits)


def party_kind(party: PartyLike, claims: Sequence[Claim]) -> Derived:
    """The party's kind: the gazetteer's, unless sources call it something that does not fit."""
    standing = in_force(claims)
    accepted = [c for c in standing if c.review_state == ReviewState.ACCEPTED.value]
    if accepted:
        return derive(accepted)
    reference = Supported(party.kind, [], "gazetteer" if party.kind in PLACE_KINDS else "register")
    odd = [c for c in standing if not kind_fits(str(claim_value(c)), party.kind)]
    if not odd:
        return Derived([reference])
    return Derived([reference, *derive(odd).values])


_STAGE_WORDS: tuple[tuple[LinkStage, tuple[str, ...]], ...] = (
    (
        LinkStage.SISTER,
        ("twin", "sister", "partner school", "school partnership", "友好城市", "姐妹", "结好", "締結", "缔结", "友城"),
    ),
    (LinkStage.FRIENDSHIP, ("friendship", "friendly", "友好交流", "友好合作", "友好关系")),
    (LinkStage.LETTER_OF_INTENT, ("letter of intent", "memorandum", "mou", "意向书", "备忘录")),
    (LinkStage.CONTACT, ("contact", "correspondence", "联系")),
)


def link_stage(instruments: Sequence[str]) -> LinkStage | None:
    """How formal a link is, from what its sources call it: the most formal instrument they name
    (a twinning or sister link, a friendship, a letter of intent or MoU, a contact); None when no
    source names one."""
    text = " ".join(instruments).lower()
    for stage, words in _STAGE_WORDS:
        if any(word in text for word in words):
            return stage
    return None
