"""``twinlink delegation`` and ``twinlink entry-rules``: delegation visits and the dated rules of
entry, from the command line. Members' personal data is not printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from twinlink.commands.accounts import AsOption, acting_as
from twinlink.commands.common import DbOption, open_engine, out
from twinlink.commands.output import FormatOption, emit
from twinlink.output import OutputFormat

delegation_app = typer.Typer(
    help="Delegation visits: list and show them, export their calendars, purge old personal data.", no_args_is_help=True
)
rules_app = typer.Typer(
    help="The dated rules of entry that delegation members are checked against.", no_args_is_help=True
)
ReferenceArgument = Annotated[str, typer.Argument(help="The delegation's reference, such as DL-2026-0001.")]


@delegation_app.command("list")
def delegation_list(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """Delegations, the latest first."""
    from twinlink.register.delegations import list_delegations
    from twinlink.store.engine import reading

    with reading(open_engine(db)) as session:
        rows = [
            {
                "reference": d.reference,
                "title": d.title,
                "from": d.travelling_from,
                "to": d.travelling_to,
                "starts": d.starts_on.isoformat(),
                "ends": d.ends_on.isoformat(),
                "state": d.state,
            }
            for d in list_delegations(session)
        ]

    def table() -> None:
        shown = Table("reference", "visit", "from → to", "dates", "state", title="Delegations")
        for r in rows:
            shown.add_row(
                r["reference"], r["title"], f"{r['from']} → {r['to']}", f"{r['starts']} to {r['ends']}", r["state"]
            )
        out.print(shown)

    emit(fmt, data=lambda: rows, rows=lambda: rows, table=table)


@delegation_app.command("show")
def delegation_show(reference: ReferenceArgument, fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """A delegation: its state, approvals, itinerary and costs (members by role only)."""
    from twinlink.register.delegations import (
        chain_status,
        cost_totals,
        costs_of,
        get_delegation,
        itinerary_of,
        members_of,
    )
    from twinlink.store.engine import reading

    with reading(open_engine(db)) as session:
        visit = get_delegation(session, reference)
        data: dict[str, Any] = {
            "reference": visit.reference,
            "title": visit.title,
            "state": visit.state,
            "from": visit.travelling_from,
            "to": visit.travelling_to,
            "starts": visit.starts_on.isoformat(),
            "ends": visit.ends_on.isoformat(),
            "partnership": visit.partnership_id,
            "members": [m.role for m in members_of(session, visit)],
            "approvals": [{"step": s.step, "decision": s.decision, "by": s.by} for s in chain_status(session, visit)],
            "itinerary": [
                {
                    "day": i.day.isoformat(),
                    "block": i.block,
                    "starts": i.starts,
                    "ends": i.ends,
                    "timezone": i.timezone,
                    "title": i.title,
                    "venue": i.venue,
                }
                for i in itinerary_of(session, visit)
            ],
            "costs_pence": cost_totals(costs_of(session, visit)).total,
        }

    def table() -> None:
        out.print(
            f"[bold]{data['reference']}[/bold] {data['title']}: {data['from']} → {data['to']}, "
            f"{data['starts']} to {data['ends']}, {data['state']}"
        )
        out.print(f"  members: {', '.join(data['members']) or 'none'}", markup=False)
        for step in data["approvals"]:
            out.print(f"  approval {step['step']}: {step['decision']}", markup=False)
        for item in data["itinerary"]:
            out.print(f"  {item['day']} {item['block']} {item['starts']}–{item['ends']} {item['title']}", markup=False)
        out.print(f"  costs: £{data['costs_pence'] / 100:,.2f}", markup=False)

    emit(fmt, data=lambda: data, rows=lambda: data["itinerary"], table=table)


@delegation_app.command("calendar")
def delegation_calendar(
    reference: ReferenceArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the .ics file.")],
    member: Annotated[int | None, typer.Option("--member", help="Only this member's items.")] = None,
    base_url: Annotated[
        str, typer.Option("--base-url", help="The site's address, for the links back.")
    ] = "http://127.0.0.1:8000",
    db: DbOption = None,
) -> None:
    """Write the itinerary as an iCalendar file (RFC 5545)."""
    from twinlink.register.delegations import get_delegation, itinerary_of
    from twinlink.register.visit_calendar import itinerary_calendar
    from twinlink.store.engine import reading

    with reading(open_engine(db)) as session:
        visit = get_delegation(session, reference)
        body = itinerary_calendar(visit, itinerary_of(session, visit), base_url.rstrip("/"), member)
    output.write_bytes(body)
    out.print(f"wrote {output}", highlight=False)


@delegation_app.command("purge")
def delegation_purge(actor: AsOption = None, db: DbOption = None) -> None:
    """Clear the personal data of members of visits over for longer than their retention."""
    from twinlink.register.delegations import purge_personal_data
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        count = purge_personal_data(session, date.today(), acting_as(actor))
    out.print(f"cleared the personal data of {count} members", highlight=False)


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("give a date as YYYY-MM-DD", param_hint=name) from None


@rules_app.command("list")
def rules_list(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """The rules of entry, with their dates and sources."""
    from twinlink.register.entry import list_rules
    from twinlink.store.engine import reading

    with reading(open_engine(db)) as session:
        rows = [
            {
                "id": r.id,
                "nationality": r.nationality,
                "destination": r.destination,
                "route": r.route,
                "needs_visa": r.needs_visa,
                "max_days": r.max_days,
                "passport_months": r.passport_months,
                "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                "source": r.source,
            }
            for r in list_rules(session)
        ]

    def table() -> None:
        shown = Table("id", "who → where", "route", "days", "from", "to", "source", title="Rules of entry")
        for r in rows:
            shown.add_row(
                str(r["id"]),
                f"{r['nationality']} → {r['destination']}",
                str(r["route"]),
                str(r["max_days"] or ""),
                str(r["valid_from"] or ""),
                str(r["valid_to"] or ""),
                str(r["source"]),
            )
        out.print(shown)

    emit(fmt, data=lambda: rows, rows=lambda: rows, table=table)


@rules_app.command("add")
def rules_add(
    nationality: Annotated[str, typer.Argument(help="Whose passport (country code).")],
    destination: Annotated[str, typer.Argument(help="Where to (country code).")],
    route: Annotated[str, typer.Option("--route", help="How one enters: visa-free, visitor visa…")],
    source: Annotated[str, typer.Option("--source", help="The web address that states the rule.")],
    visa: Annotated[bool, typer.Option("--visa/--no-visa", help="Whether a visa is needed.")] = True,
    max_days: Annotated[int | None, typer.Option("--max-days", help="The longest stay it allows.")] = None,
    passport_months: Annotated[
        int, typer.Option("--passport-months", help="Passport validity needed beyond the stay.")
    ] = 6,
    valid_from: Annotated[str | None, typer.Option("--from", help="First day it applies (YYYY-MM-DD).")] = None,
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day it applies (YYYY-MM-DD).")] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add a dated rule of entry."""
    from twinlink.register.entry import RuleIn, add_rule
    from twinlink.store.engine import transaction

    given = RuleIn(
        nationality,
        destination,
        route,
        visa,
        source,
        max_days,
        passport_months,
        _date(valid_from, "--from"),
        _date(valid_to, "--to"),
    )
    with transaction(open_engine(db)) as session:
        rule = add_rule(session, given, acting_as(actor))
        out.print(f"added rule {rule.id}", highlight=False)


@rules_app.command("end")
def rules_end(
    rule: Annotated[int, typer.Argument(help="The rule's number.")],
    last_day: Annotated[str, typer.Argument(help="The last day it applies (YYYY-MM-DD).")],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """End a rule of entry on a day (when it is withdrawn or replaced)."""
    from twinlink.register.entry import end_rule
    from twinlink.store.engine import transaction

    day = _date(last_day, "LAST_DAY")
    assert day is not None
    with transaction(open_engine(db)) as session:
        end_rule(session, rule, day, acting_as(actor))
    out.print(f"rule {rule} ends on {day}", highlight=False)


@delegation_app.command("plan")
def delegation_plan(
    title: Annotated[str, typer.Option("--title", help="What the visit is.")],
    travelling_from: Annotated[str, typer.Option("--from", help="Country it leaves (code).")],
    travelling_to: Annotated[str, typer.Option("--to", help="Country it visits (code).")],
    start: Annotated[str, typer.Option("--start", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--end", help="Last day (YYYY-MM-DD).")],
    purpose: Annotated[str, typer.Option("--purpose", help="Why it goes.")] = "",
    partnership: Annotated[str | None, typer.Option("--partnership", help="The link it serves (its id).")] = None,
    approval: Annotated[
        list[str] | None,
        typer.Option("--approval", help="A step of the approval chain, as 'step | who | days before'; repeat."),
    ] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Plan a delegation visit (a draft, to fill in on its page)."""
    from twinlink.register.delegations import DEFAULT_CHAIN, DelegationIn, create_delegation
    from twinlink.store.engine import transaction

    first, last = _date(start, "--start"), _date(end, "--end")
    assert first is not None and last is not None
    given = DelegationIn(
        title,
        travelling_from,
        travelling_to,
        first,
        last,
        purpose=purpose,
        partnership_id=partnership,
        approval_chain=tuple(approval) if approval else DEFAULT_CHAIN,
    )
    with transaction(open_engine(db)) as session:
        visit = create_delegation(session, given, acting_as(actor))
        out.print(f"planned {visit.reference}: {visit.title}", highlight=False)


@delegation_app.command("move")
def delegation_move(
    reference: ReferenceArgument,
    state: Annotated[str, typer.Argument(help="draft, planned, travelling, completed or cancelled.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; needed to cancel.")] = "",
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Move a delegation to another state (approved comes from its approvals, reported from its report)."""
    from twinlink.register.delegations import move_delegation
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        visit = move_delegation(session, reference, state, reason, acting_as(actor))
        out.print(f"{visit.reference} is {visit.state}", highlight=False)
