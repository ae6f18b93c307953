"""Entry rules as dated data, and what they mean for each member of a delegation: the route that
applies on the travel dates, and what is missing or about to lapse (a rule that ends before the
visit does, a passport that expires too soon). Nothing about entry is written into the code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.store.tables import Delegation, DelegationMember, EntryRule
from twinlink.store.users import record_audit


@dataclass(frozen=True)
class EntryCheck:
    member_id: int
    member: str
    route: str | None
    needs_visa: bool | None
    source: str | None
    warnings: tuple[str, ...]


def list_rules(session: Session) -> list[EntryRule]:
    query = select(EntryRule).order_by(EntryRule.nationality, EntryRule.destination, EntryRule.valid_from)
    return list(session.scalars(query))


def _covers(rule: EntryRule, day: date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= day) and (rule.valid_to is None or day <= rule.valid_to)


def _months_after(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, 28))


def check_member(rules: list[EntryRule], member: DelegationMember, delegation: Delegation) -> EntryCheck:
    """The route of entry for a member on the visit's dates, and what needs attention."""
    stay = (delegation.ends_on - delegation.starts_on).days + 1
    fitting = [
        r
        for r in rules
        if r.nationality == member.nationality
        and r.destination == delegation.travelling_to
        and _covers(r, delegation.starts_on)
        and (r.max_days is None or stay <= r.max_days)
    ]
    warnings: list[str] = []
    # a rule without a visa first; a dated rule before an open-ended one
    fitting.sort(key=lambda r: (r.needs_visa, r.valid_to is None))
    chosen = fitting[0] if fitting else None
    if chosen is None:
        warnings.append(f"no rule of entry for a {member.nationality} national to {delegation.travelling_to}")
    elif chosen.valid_to is not None and chosen.valid_to < delegation.ends_on:
        warnings.append(f"{chosen.route} ends on {chosen.valid_to}, before the visit does: check the route again")
    months = chosen.passport_months if chosen else 6
    if member.passport_expiry is None:
        warnings.append("passport expiry not recorded")
    else:
        needed = _months_after(delegation.ends_on, months)
        if member.passport_expiry < needed:
            warnings.append(
                f"passport expires {member.passport_expiry}: it must be valid to {needed} "
                f"({months} months after the visit)"
            )
    if chosen is not None and chosen.needs_visa:
        warnings.append(f"needs a visa: {chosen.route}")
    return EntryCheck(
        member.id,
        member.passport_name,
        chosen.route if chosen else None,
        chosen.needs_visa if chosen else None,
        chosen.source if chosen else None,
        tuple(warnings),
    )


@dataclass(frozen=True)
class RuleIn:
    nationality: str
    destination: str
    route: str
    needs_visa: bool
    source: str
    max_days: int | None = None
    passport_months: int = 6
    valid_from: date | None = None
    valid_to: date | None = None
    notes: str = ""


def add_rule(session: Session, given: RuleIn, actor: str) -> EntryRule:
    for name in ("nationality", "destination"):
        value = getattr(given, name).strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise TwinlinkError(f"{name}: give a two-letter country code")
    if not given.source.startswith(("http://", "https://")):
        raise TwinlinkError("source: give the web address that states the rule")
    if given.valid_from and given.valid_to and given.valid_to < given.valid_from:
        raise TwinlinkError("dates: the rule ends before it starts")
    if not given.route.strip():
        raise TwinlinkError("route: say how one enters (visa-free, visitor visa…)")
    rule = EntryRule(
        nationality=given.nationality.strip().upper(),
        destination=given.destination.strip().upper(),
        route=given.route.strip(),
        needs_visa=given.needs_visa,
        max_days=given.max_days,
        passport_months=given.passport_months,
        valid_from=given.valid_from,
        valid_to=given.valid_to,
        source=given.source.strip(),
        notes=given.notes.strip(),
    )
    session.add(rule)
    session.flush()
    record_audit(session, actor, "entry_rule.add", str(rule.id), route=rule.route, valid_to=rule.valid_to)
    return rule


def end_rule(session: Session, rule_id: int, last_day: date, actor: str) -> EntryRule:
    rule = session.get(EntryRule, rule_id)
    if rule is None:
        raise NotFound(f"no entry rule {rule_id}")
    before = rule.valid_to
    rule.valid_to = last_day
    record_audit(session, actor, "entry_rule.end", str(rule_id), before=before, after=last_day)
    return rule


def passports_expiring(members: list[DelegationMember], today: date, days: int = 120) -> list[DelegationMember]:
    """Members whose passport expires within ``days`` (a reminder for the coordinator)."""
    return [m for m in members if m.passport_expiry is not None and m.passport_expiry <= today + timedelta(days=days)]
