"""``twinlink report``: the FOI answer, dormant links, the register summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

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
from twinlink.errors import TwinlinkError
from twinlink.output import OutputFormat
from twinlink.vocab import ReportFormat

if TYPE_CHECKING:
    from twinlink.reports.dormant import DormantLink
    from twinlink.reports.summary import Summary

report_app = typer.Typer(help="Draft reports from the register.", no_args_is_help=True)


@report_app.command("foi")
def report_foi(
    party: Annotated[str, typer.Argument(help="The body the request is about, e.g. 'Leicester City Council'.")],
    include: Annotated[
        list[str] | None, typer.Option("--include", help="Also answer for this party (e.g. the county); repeatable.")
    ] = None,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option("--format", help="md, html, docx or pdf (default: the -o file's extension, else md)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here (needed for docx and pdf).")] = None,
    as_of: AsOfOption = None,
    window: WindowOption = None,
    db: DbOption = None,
) -> None:
    """Draft the answer to an FOI request about a body's partnerships: agreements, documents,
    reports and assessments, and financial support, every fact cited."""
    from twinlink.gazetteer.lookup import default_gazetteer
    from twinlink.register.queries import find_party
    from twinlink.reports.foi import build_foi_answer, party_for_answer
    from twinlink.reports.render import render
    from twinlink.store.engine import reading

    fmt = fmt or _format_of(output)
    if fmt in (ReportFormat.DOCX, ReportFormat.PDF) and output is None:
        raise TwinlinkError(f"a {fmt.value} report needs -o FILE")
    day, years = parse_as_of(as_of), window_years(window)
    engine = open_engine(db)
    gazetteer = default_gazetteer()
    with reading(engine) as session:
        subject = party_for_answer(session, gazetteer, party)
        extra = [find_party(session, gazetteer, name) for name in include or []]
        content = render(build_foi_answer(session, subject, day, years, extra), fmt)
    if output is None:
        sys.stdout.write(content.decode("utf-8"))
        return
    output.write_bytes(content)
    out.print(f"wrote {output} ({fmt.value}, {len(content):,} bytes)", highlight=False)


def _format_of(output: Path | None) -> ReportFormat:
    """The format an output file's extension names ("answer.docx"), Markdown for any other."""
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return next((f for f in ReportFormat if f.value == suffix), ReportFormat.MD)


@report_app.command("dormant")
def report_dormant(
    years: Annotated[int, typer.Option("--years", help="Years without recorded activity.")] = 5,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Partnerships with no recorded activity in the last N years, with their last activity and source."""
    from twinlink.reports.dormant import list_dormant
    from twinlink.store.engine import reading

    day = parse_as_of(as_of)
    engine = open_engine(db)
    with reading(engine) as session:
        links = list_dormant(session, day, window_years(years))
    emit(
        fmt,
        data=lambda: [d.to_dict() for d in links],
        rows=lambda: [d.to_dict() for d in links],
        table=lambda: _print_dormant(links, day.isoformat(), years),
    )


def _print_dormant(links: list[DormantLink], day: str, years: int) -> None:
    table = Table("party", "partner", "kind", "established", "last activity", "source", title=f"Dormant as of {day}")
    for d in links:
        last = f"{d.last_activity}: {d.last_activity_what}" if d.last_activity else "-"
        table.add_row(d.party, d.partner, d.kind, d.established or "-", last, short_source(d.source))
    out.print(table)
    out.print(f"{len(links)} partnerships without activity in {years} years", highlight=False)


@report_app.command("summary")
def report_summary(
    charts: Annotated[Path | None, typer.Option("--charts", help="Write summary.svg and summary.png here.")] = None,
    as_of: AsOfOption = None,
    window: WindowOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Partnerships counted by country, kind, status and decade, drawn as bars."""
    from twinlink.reports.summary import DIMENSIONS, summarise, write_charts
    from twinlink.store.engine import reading

    day, years = parse_as_of(as_of), window_years(window)
    engine = open_engine(db)
    with reading(engine) as session:
        summary = summarise(session, day, years)
    emit(
        fmt,
        data=summary.to_dict,
        rows=lambda: [
            {"dimension": dimension, "value": key, "partnerships": n}
            for dimension in DIMENSIONS
            for key, n in sorted(summary.counts[dimension].items())
        ],
        table=lambda: _print_summary(summary, day.isoformat()),
    )
    if charts is not None:
        for path in write_charts(summary, charts):
            out.print(f"wrote {path}", highlight=False)


def _print_summary(summary: Summary, day: str) -> None:
    from twinlink.reports.summary import DIMENSIONS

    out.print(f"[bold]{summary.total} partnerships as of {day}[/bold]")
    for dimension in DIMENSIONS:
        counts = summary.counts[dimension]
        table = Table(dimension, "partnerships", "", title=f"by {dimension}", title_justify="left")
        widest = max(counts.values(), default=1)
        for key in sorted(counts) if dimension == "decade" else [k for k, _ in counts.most_common()]:
            table.add_row(key, str(counts[key]), "█" * max(1, round(30 * counts[key] / widest)))
        out.print(table)
