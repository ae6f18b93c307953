"""``twinlink serve`` and ``twinlink export``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from twinlink.commands.common import (
    AsOfOption,
    DbOption,
    WindowOption,
    err,
    open_engine,
    out,
    parse_as_of,
    window_years,
)
from twinlink.errors import TwinlinkError


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes; one per CPU core serves the most requests.")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Serve the directory, party, partnership, document and map pages and the JSON API."""
    import os
    import secrets

    import uvicorn

    from twinlink.config import Settings, database_url_for
    from twinlink.register.database import prepare
    from twinlink.store.engine import make_engine, reading
    from twinlink.store.users import count_users

    url = database_url_for(db, Settings())
    engine = make_engine(url)
    prepare(engine)  # once, before any worker starts
    with reading(engine) as session:
        users = count_users(session)
    engine.dispose()
    os.environ["TWINLINK_DATABASE_URL"] = url
    os.environ.setdefault("TWINLINK_SECRET_KEY", secrets.token_urlsafe(32))  # one for every worker
    out.print(
        f"Twinlink is serving {url} at http://{host}:{port}/ (API docs at /docs); Ctrl-C stops it", highlight=False
    )
    if not users:
        out.print(
            "No accounts yet: the pages are public, and 'twinlink users add NAME --admin' makes the first admin "
            "(who can then sign in, review and add users).",
            highlight=False,
        )
    uvicorn.run(
        "twinlink.web.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # a line per request would be formatted only to be dropped at this level
    )


def export(
    fmt: Annotated[
        str, typer.Option("--format", help="csv, xlsx, json, geojson, facts, ftm, ftm-statements or quickstatements.")
    ] = "csv",
    party: Annotated[str | None, typer.Option("--party", help="Only this party's partnerships.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Only with a party in this country.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="place, school or institution.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="active, dormant, ended or unknown.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here, not to stdout.")] = None,
    bom: Annotated[bool, typer.Option("--bom", help="Start a CSV with a byte-order mark (for Excel).")] = False,
    table: Annotated[
        str, typer.Option("--table", help="What a CSV holds: partnerships, events, parties or sources.")
    ] = "partnerships",
    datapackage: Annotated[
        Path | None,
        typer.Option(
            "--datapackage",
            help="Write partnerships.csv and its datapackage.json (a Frictionless Data Package) into this folder.",
        ),
    ] = None,
    datasette: Annotated[
        Path | None,
        typer.Option(
            "--datasette",
            help="Write twinlink.db (the register's public tables and a flat partnerships table) and its "
            "metadata.json into this folder, for Datasette.",
        ),
    ] = None,
    as_of: AsOfOption = None,
    window: WindowOption = None,
    db: DbOption = None,
) -> None:
    """Export every partnership a filter selects, with derived date, status and sources."""
    from twinlink.gazetteer.lookup import default_gazetteer
    from twinlink.register.queries import find_party, list_partnership_views
    from twinlink.reports.exports import BINARY_FORMATS, EXPORT_FORMATS
    from twinlink.reports.exports import export as make_export
    from twinlink.store.engine import reading
    from twinlink.store.partnerships import PartnershipFilter

    if fmt not in EXPORT_FORMATS:
        raise TwinlinkError(f"--format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    from twinlink.reports.tables import TABLES

    if table not in TABLES:
        raise TwinlinkError(f"--table {table!r}: choose one of {', '.join(TABLES)}")
    if datapackage is not None:
        fmt, output = "csv", datapackage / "partnerships.csv"
        datapackage.mkdir(parents=True, exist_ok=True)
    if fmt in BINARY_FORMATS and output is None and sys.stdout.isatty():
        raise TwinlinkError(f"--format {fmt} writes a file: give -o FILE (or send it through a pipe)")
    engine = open_engine(db)
    with reading(engine) as session:
        who = find_party(session, default_gazetteer(), party) if party else None
        where = PartnershipFilter(party_id=who.id if who else None, kind=kind, country=country, status=status)
        views = list_partnership_views(session, parse_as_of(as_of), window_years(window), where)
        if datasette is not None:
            from twinlink.reports.datasette import publish

            published = publish(session, views, datasette, parse_as_of(as_of))
            out.print(
                f"wrote {published.partnerships} partnerships to {published.database} and {published.metadata}; "
                f"serve them with: datasette {published.database} -m {published.metadata}",
                highlight=False,
            )
            return
        if fmt == "quickstatements":
            from twinlink.reports.quickstatements import quickstatements

            made = quickstatements(session, views)
            text: str | bytes = made.text()
            err.print(
                f"{made.written} partnerships as statements; {len(made.without_items)} left out because a party "
                f"has no Wikidata id (twinlink parties identify), {made.not_places} not between places",
                highlight=False,
            )
        else:
            text = make_export(session, views, fmt, bom=bom, table=table)
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
    else:
        if isinstance(text, bytes):
            output.write_bytes(text)
        else:
            output.write_text(text, encoding="utf-8")
        out.print(f"wrote {len(views)} partnerships to {output} ({fmt})", highlight=False)
    if datapackage is not None:
        import json

        from twinlink.reports.datapackage import datapackage as describe

        description = describe(parse_as_of(as_of))
        (datapackage / "datapackage.json").write_text(json.dumps(description, indent=2, ensure_ascii=False) + "\n")
        out.print(f"wrote {datapackage / 'datapackage.json'}", highlight=False)
