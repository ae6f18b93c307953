"""Commands that answer questions from the register: partnerships, show, timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from twinlink.commands.common import (
    AsOfOption,
    DbOption,
    WindowOption,
    open_engine,
    out,
    parse_as_of,
    short_source,
    window_years,
)
from twinlink.commands.output import FormatOption, emit
from twinlink.output import OutputFormat

if TYPE_CHECKING:  # the register is imported by the commands that read it, not by `--help`
    from twinlink.register.derived.timelines import TimelineEntry
    from twinlink.register.queries import PartnershipView, PartyPage
    from twinlink.store.parties import PartyRef

_STATUS_STYLE = {"active": "green", "dormant": "yellow", "ended": "red", "unknown": "dim"}


def _rows(views: list[PartnershipView]) -> list[dict[str, object]]:
    from twinlink.reports.exports import partnership_row

    return [partnership_row(v) for v in views]


def _named(party: PartyRef) -> str:
    return f"{party.name} [{party.country or '-'}]"


def _status(view: PartnershipView) -> Text:
    return Text(view.status, style=_STATUS_STYLE.get(view.status, ""))


def _established(view: PartnershipView) -> Text:
    return Text(view.established or "-", style="bold red" if "established" in view.conflicts else "")


def partnerships(
    party: Annotated[str | None, typer.Option("--party", help="Only this party's partnerships.")] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only partnerships with a party in this country (ISO code).")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="place, school or institution.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="active, dormant, ended or unknown.")] = None,
    as_of: AsOfOption = None,
    window: WindowOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """List partnerships with when they began, whether they are alive, and their sources."""
    from twinlink.gazetteer.lookup import default_gazetteer
    from twinlink.register.queries import find_party, list_partnership_views
    from twinlink.store.engine import reading
    from twinlink.store.partnerships import PartnershipFilter

    day, years = parse_as_of(as_of), window_years(window)
    engine = open_engine(db)
    with reading(engine) as session:
        who = find_party(session, default_gazetteer(), party) if party else None
        where = PartnershipFilter(party_id=who.id if who else None, kind=kind, country=country, status=status)
        views = list_partnership_views(session, day, years, where)
    emit(
        fmt,
        data=lambda: [v.to_dict() for v in views],
        rows=lambda: _rows(views),
        table=lambda: _print_partnerships(views, day.isoformat()),
    )


def _print_partnerships(views: list[PartnershipView], day: str) -> None:
    table = Table(
        "party",
        "partner",
        "kind",
        "established",
        "status",
        "latest activity",
        "sources",
        title=f"Partnerships as of {day}",
    )
    for v in views:
        table.add_row(
            _named(v.party_a),
            _named(v.party_b),
            v.kind,
            _established(v),
            _status(v),
            v.latest_activity or "-",
            str(len(v.sources)),
        )
    out.print(table)
    out.print(f"{len(views)} partnerships", highlight=False)


def _print_page(page: PartyPage, day: str) -> None:
    p = page.party
    names = " ".join(n for n in (p.name_zh, page.name_pinyin) if n)
    out.print(f"[bold]{p.name}[/bold] {names}", highlight=False)
    kind = " / ".join(str(v.value) for v in page.kind)
    flag = " [red](conflict)[/red]" if page.kind_conflict else ""
    where = f" in {page.parent.name}" if page.parent else ""
    out.print(f"{kind}{flag}{where} [{p.country or '-'}]  id={p.id}", highlight=False)
    if page.kind_conflict:
        for value in page.kind:
            said = value.origin or "; ".join(s.source or "?" for s in value.sources)
            out.print(f"  kind {value.value}: {said}", highlight=False)
    if page.codes:
        out.print("codes: " + " ".join(f"{k}={v}" for k, v in page.codes.items()), highlight=False)
    if page.needs_review:
        out.print("[yellow]not in the gazetteer: marked for review[/yellow]")
    table = Table("partner", "kind", "established", "status", "why", title=f"Partnerships as of {day}")
    for v in page.partnerships:
        partner = v.partner_of(p.id)
        table.add_row(_named(partner), v.kind, _established(v), _status(v), v.status_reason)
    out.print(table)
    for v in page.partnerships:
        partner = v.partner_of(p.id)
        out.print(f"[bold]{partner.name}[/bold] sources:", highlight=False)
        for value in v.established_values:
            for s in value.sources:
                out.print(f"  established {value.value}: {short_source(s.source)} “{s.quote or ''}”", highlight=False)
        for source in v.sources:
            out.print(f"  {short_source(source)}", highlight=False)
        for f in v.funding:
            until = f"until {f.get('until_month') or ''}/{f.get('until_year')}" if f.get("until_year") else ""
            out.print(
                f"  funding: {f.get('funder')} → {f.get('recipient')} {until} ({short_source(f['source'])})",
                highlight=False,
            )


def show(
    party: Annotated[str, typer.Argument(help="A party's name (any form the gazetteer knows) or id.")],
    as_of: AsOfOption = None,
    window: WindowOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """A party: its names, codes and kind, and its partnerships with dates, status and sources."""
    from twinlink.gazetteer.lookup import default_gazetteer
    from twinlink.register.queries import find_party, party_page
    from twinlink.store.engine import reading

    day, years = parse_as_of(as_of), window_years(window)
    engine = open_engine(db)
    with reading(engine) as session:
        page = party_page(session, find_party(session, default_gazetteer(), party), day, years)
    emit(
        fmt,
        data=page.to_dict,
        rows=lambda: _rows(page.partnerships),
        table=lambda: _print_page(page, day.isoformat()),
    )


def year_strip(entries: list[TimelineEntry]) -> str:
    """One character per year from the first event to the last: ● a year with events, · one without."""
    years = sorted({int(e.date[:4]) for e in entries})
    if not years:
        return ""
    marks = "".join("●" if y in years else "·" for y in range(years[0], years[-1] + 1))
    return f"{years[0]} {marks} {years[-1]}"


def timeline(
    party: Annotated[str, typer.Argument(help="A party's name or id.")],
    partner: Annotated[str | None, typer.Argument(help="Only events shared with this partner.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Dated events of a party (with a partner), oldest first, each with its source."""
    from twinlink.gazetteer.lookup import default_gazetteer
    from twinlink.register.derived.timelines import timeline as build_timeline
    from twinlink.register.queries import find_party
    from twinlink.store.engine import reading

    engine = open_engine(db)
    gazetteer = default_gazetteer()
    with reading(engine) as session:
        who = find_party(session, gazetteer, party)
        other = find_party(session, gazetteer, partner) if partner else None
        entries = build_timeline(session, who, other)
        title = who.name + (f" – {other.name}" if other else "")
    emit(
        fmt,
        data=lambda: [e.to_dict() for e in entries],
        rows=lambda: [
            {
                "date": e.date,
                "kind": e.kind,
                "parties": e.parties,
                "description": e.description,
                "sources": [s.source for s in e.sources],
            }
            for e in entries
        ],
        table=lambda: _print_timeline(entries, title),
    )


def _print_timeline(entries: list[TimelineEntry], title: str) -> None:
    table = Table("date", "kind", "parties", "what", "source", title=f"Timeline: {title}")
    for e in entries:
        source = "; ".join(sorted({short_source(s.source) for s in e.sources}))
        table.add_row(e.label, e.kind, ", ".join(e.parties), e.description, source)
    out.print(table)
    out.print(year_strip(entries) or "no dated events", highlight=False)
