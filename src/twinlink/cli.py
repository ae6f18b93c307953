"""The ``twinlink`` command: a thin client of the library."""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from twinlink.commands import accounts, answers, parties, process
from twinlink.commands import delegations as delegation_commands
from twinlink.commands import register as register_commands
from twinlink.commands import web as web_commands
from twinlink.commands.common import DbOption, err, open_engine, out, shown
from twinlink.commands.output import FormatOption, emit
from twinlink.commands.reports import report_app
from twinlink.errors import BadDocument, BadFacts, NotFound, StoreError, TwinlinkError, UnknownPlace
from twinlink.output import OutputFormat

app = typer.Typer(
    help="Twinlink: the evidence-backed register of twinning and sister-city partnerships.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(shown: bool) -> None:
    if shown:
        from importlib.metadata import version

        out.print(f"twinlink {version('twinlink')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="The register for the command that follows (a SQLite path or a database URL)."),
    ] = None,
) -> None:
    """Twinlink: the evidence-backed register of twinning and sister-city partnerships."""
    if db:  # `twinlink --db r.db show Leicester`: the command's own --db, if given, still wins
        os.environ["TWINLINK_DATABASE_URL"] = db


db_app = typer.Typer(help="Create, upgrade and rebuild the register database.", no_args_is_help=True)
gazetteer_app = typer.Typer(help="Look places up in the gazetteer.", no_args_is_help=True)
documents_app = typer.Typer(help="Store source documents.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(documents_app, name="documents")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database if missing and bring its schema to this version."""
    from twinlink.config import Settings, database_url_for
    from twinlink.register.database import upgrade_register
    from twinlink.store.engine import make_engine

    engine = make_engine(database_url_for(db, Settings()))
    revision, rebuilt = upgrade_register(engine)
    out.print(f"database at schema {revision}: {engine.url.render_as_string(hide_password=True)}")
    for name, changes in rebuilt.items():
        if changes:
            out.print(f"rebuilt {name}: {changes.describe()}", highlight=False)


@db_app.command("rebuild")
def db_rebuild(
    check: Annotated[
        bool, typer.Option("--check", help="Only say what a rebuild would change; exit 1 if anything would.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Recompute every derived table (partnership digests, party timelines, the search index) from
    the claims, and say what changed."""
    from twinlink.register.derived.refresh import rebuild
    from twinlink.store.engine import transaction

    engine = open_engine(db)
    with transaction(engine) as session:
        report = rebuild(session, write=not check)
    for name, changes in report.items():
        out.print(f"{name}: {changes.describe()}", highlight=False)
    if check and any(report.values()):
        err.print("derived tables are out of step with the claims; run 'twinlink db rebuild'", highlight=False)
        raise typer.Exit(1)


@gazetteer_app.command("find")
def gazetteer_find(
    name: Annotated[
        str,
        typer.Argument(
            help="Any name form (English, Chinese characters, pinyin, with or without 'Province', 'City Council'…) "
            "or a code: GSS (E08000035), ISO 3166 (GB-LDS), Chinese (330200), GeoNames id."
        ),
    ],
    country: Annotated[str | None, typer.Option(help="ISO country code to prefer, e.g. GB or CN.")] = None,
    limit: Annotated[int, typer.Option(help="How many candidates to show.")] = 5,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Show the places a name may mean, best first, with kind, parent and codes."""
    from twinlink.gazetteer.lookup import Candidate, council_record, default_gazetteer, describe

    gazetteer = default_gazetteer()
    by_code = gazetteer.by_code(name)
    candidates = [Candidate(p, 100.0, name) for p in by_code] or gazetteer.find(name, country=country, limit=limit)
    if not candidates:
        suggestions = gazetteer.suggest(name)
        did_you_mean = (
            "; did you mean " + " or ".join(describe(p, gazetteer) for p in suggestions) if suggestions else ""
        )
        raise UnknownPlace(f"no place called {name!r} in the gazetteer{did_you_mean}")

    def rows() -> list[dict[str, object]]:
        return [
            {
                "id": c.place.id,
                "name": c.place.name,
                "kind": c.place.kind.value,
                "country": c.place.country,
                "name_zh": c.place.name_zh,
                "name_pinyin": c.place.name_pinyin,
                "within": " › ".join(a.name for a in gazetteer.ancestors(c.place)) or None,
                **{
                    scheme: c.place.codes.get(scheme)
                    for scheme in ("gss", "iso3166_2", "iso3166_1", "cn_admin", "geonames")
                },
                "lat": c.place.lat,
                "lon": c.place.lon,
                "since": c.place.since,
                "until": c.place.until,
                "replaced_by": " | ".join(c.place.replaced_by) or None,
                "former_codes": " | ".join(c.place.former_codes) or None,
                "score": c.score,
            }
            for c in candidates
        ]

    def table() -> None:
        for c in candidates:
            p = c.place
            where = " › ".join(a.name for a in gazetteer.ancestors(p)) or "-"
            names = " ".join(n for n in (p.name_zh, p.name_pinyin) if n)
            codes = " ".join(f"{k}={v}" for k, v in p.codes.items())
            out.print(f"[bold]{p.name}[/bold]  {p.kind.value} in {where}  [{p.country}]  {names}", highlight=False)
            out.print(
                f"    id={p.id} {codes}"
                + (f" lat={p.lat:.4f} lon={p.lon:.4f}" if p.lat is not None and p.lon is not None else "")
                + f"  score={c.score:.0f}",
                highlight=False,
            )
            if (record := council_record(p, gazetteer)) is not None:
                out.print(f"    record: {record}", highlight=False)

    emit(fmt, data=rows, rows=rows, table=table)


@documents_app.command("add")
def documents_add(
    paths: Annotated[list[Path], typer.Argument(help="Text, HTML or PDF files.")],
    db: DbOption = None,
) -> None:
    """Store documents by content hash; adding the same file twice changes nothing."""
    from twinlink.config import Settings
    from twinlink.documents import load_document
    from twinlink.register.derived.refresh import Touched, refresh
    from twinlink.store.documents import add_document
    from twinlink.store.engine import transaction

    engine = open_engine(db, create=True)
    settings = Settings()
    failures = 0
    for path in paths:
        try:
            document = load_document(path, max_bytes=settings.max_document_bytes)
        except BadDocument as exc:
            err.print(f"[red]error[/red]: {shown(exc)}", highlight=False)
            failures += 1
            continue
        with transaction(engine) as session:
            added = add_document(session, document)
            refresh(session, Touched(documents={document.id} if added else set()))
        state = "added" if added else "already stored"
        out.print(f"{state}: {shown(path)} ({document.kind.value}, {document.id[:12]})", highlight=False)
    if failures:
        raise typer.Exit(1)


@app.command("import")
def import_facts(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Facts files (JSON Lines), folders of shards of them, or - for standard input."),
    ] = None,
    starter: Annotated[
        bool, typer.Option("--starter", help="Load the starter register shipped with Twinlink.")
    ] = False,
    actor: accounts.AsOption = None,
    db: DbOption = None,
) -> None:
    """Load facts made elsewhere (by hand, another tool, the starter set) into the register."""
    from twinlink.facts import iter_facts, load_facts
    from twinlink.gazetteer.lookup import default_gazetteer
    from twinlink.register.ingest import register_many
    from twinlink.store.engine import transaction
    from twinlink.store.users import record_audit

    sets = []
    if starter:
        text = resources.files("twinlink.starter").joinpath("partnerships.jsonl").read_text(encoding="utf-8")
        sets.append(("starter register", list(iter_facts(text.splitlines(), "starter/partnerships.jsonl"))))
    for path in paths or []:
        if str(path) == "-":
            sets.append(("stdin", list(iter_facts(sys.stdin.read().splitlines(), "stdin"))))
            continue
        # a folder: its shards of facts (as `twinlink extract --output-dir` writes them), in order
        for file in sorted(path.glob("*.jsonl")) if path.is_dir() else [path]:
            sets.append((str(file), load_facts(file)))
    if not sets:
        raise TwinlinkError("name a facts file, or --starter")
    engine = open_engine(db, create=True)
    gazetteer = default_gazetteer()
    for label, items in sets:
        with transaction(engine) as session:
            totals = register_many(session, gazetteer, items, method="import", source=label)
            if totals:
                record_audit(session, accounts.acting_as(actor), "import", label, **totals)
        summary = ", ".join(f"{n} new {k}" for k, n in sorted(totals.items())) or "nothing new"
        out.print(f"{label}: {summary}")


@app.command("extract")
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Text, HTML, PDF or Word files, or - for one document on standard input; with --dask-workers "
            "or --scheduler also folders, globs, s3:// or https:// addresses and @list.txt files of them."
        ),
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON Lines here, not to stdout.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 1,
    max_bytes: Annotated[int | None, typer.Option(help="Largest file to read, in bytes.")] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Extract on the Dask cluster at this address (tcp://host:8786).")
    ] = None,
    dask_workers: Annotated[
        int, typer.Option("--dask-workers", min=0, help="Extract on a local Dask cluster of this many processes.")
    ] = 0,
    output_dir: Annotated[
        str | None,
        typer.Option("--output-dir", help="Where Dask writes its shards of facts (a folder, s3://bucket/path …)."),
    ] = None,
    partition_size: Annotated[int, typer.Option("--partition-size", min=1, help="Documents per shard.")] = 200,
) -> None:
    """Write the partnership and event facts of each document as JSON Lines (one line per document);
    on Dask, one shard of JSON Lines per partition of the corpus, for `twinlink import`."""
    from twinlink.config import Settings

    limit = max_bytes or Settings().max_document_bytes
    if scheduler or dask_workers:
        if not output_dir:
            raise TwinlinkError("--output-dir names where the shards of facts go")
        _extract_on_dask(paths, output_dir, scheduler, dask_workers or 2, partition_size, limit)
        return
    if "-" in paths and len(paths) > 1:
        raise TwinlinkError("'-' reads one document from standard input: give it alone")
    _extract_here([Path(p) for p in paths], output, jobs, limit)


def _extract_here(paths: list[Path], output: Path | None, jobs: int, limit: int) -> None:
    from rich.progress import Progress

    from twinlink.extract.run import extract_data, extract_files
    from twinlink.facts import DocumentFacts

    names = [str(p) for p in paths]
    failures = 0
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("extracting", total=len(names))
            outcomes = (
                [extract_data(sys.stdin.buffer.read(), "stdin", limit)]
                if names == ["-"]
                else extract_files(names, limit, jobs)
            )
            for outcome in outcomes:
                progress.advance(task)
                if outcome.error:
                    failures += 1
                    err.print(f"[red]error[/red]: {shown(outcome.error)}", highlight=False)
                    continue
                facts: DocumentFacts | None = outcome.facts
                assert facts is not None
                sink.write(facts.to_json() + "\n")
    finally:
        if output:
            sink.close()
    if failures:
        err.print(f"{failures} of {len(names)} files could not be read", highlight=False)
        raise typer.Exit(1)


def _extract_on_dask(
    items: list[str], output_dir: str, scheduler: str | None, workers: int, partition_size: int, limit: int
) -> None:
    import time

    from twinlink.extract.distributed import extract_on_dask, list_sources

    sources = list_sources(items)
    if not sources:
        raise TwinlinkError("no documents found in what was named")
    where = scheduler or f"a local cluster of {workers} processes"
    err.print(f"extracting {len(sources):,} documents on {where}, {partition_size} a shard", highlight=False)
    started, done, failures = time.monotonic(), 0, 0
    for shard in extract_on_dask(
        sources, output_dir, scheduler=scheduler, workers=workers, partition_size=partition_size, max_bytes=limit
    ):
        done += shard.documents + len(shard.failures)
        failures += len(shard.failures)
        for failure in shard.failures:
            err.print(f"[red]error[/red]: {shown(failure)}", highlight=False)
        rate = done / max(time.monotonic() - started, 1e-9)
        out.print(
            f"shard {shard.path}: {shard.documents} documents ({done:,} of {len(sources):,}, {rate:,.0f} a second)"
        )
    err.print(f"{done - failures:,} documents extracted, {failures} could not be read", highlight=False)
    if failures:
        raise typer.Exit(1)


@app.command("stats")
def stats(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """Count what the register holds."""
    from twinlink.store.engine import reading
    from twinlink.store.stats import claim_counts_by_state, table_counts

    engine = open_engine(db)
    with reading(engine) as session:
        counts = table_counts(session)
        states = claim_counts_by_state(session)
    names = ("parties", "partnerships", "events", "documents", "claims", "decisions", "aliases")

    def table() -> None:
        listing = Table("table", "rows", title="Twinlink register")
        for name in names:
            listing.add_row(name, str(counts.get(name, 0)))
        out.print(listing)
        if states:
            out.print("claims by review state: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))

    emit(
        fmt,
        data=lambda: {"rows": {n: counts.get(n, 0) for n in names}, "claims_by_state": dict(sorted(states.items()))},
        rows=lambda: [{"table": n, "rows": counts.get(n, 0)} for n in names],
        table=table,
    )


app.command("ingest")(register_commands.ingest)
app.add_typer(accounts.users_app, name="users")
app.command("audit")(accounts.audit)
app.add_typer(parties.parties_app, name="parties")
app.add_typer(process.interest_app, name="interest")
app.command("match")(process.match)
app.add_typer(delegation_commands.delegation_app, name="delegation")
app.add_typer(delegation_commands.rules_app, name="entry-rules")
app.add_typer(register_commands.review_app, name="review")
app.command("partnerships")(answers.partnerships)
app.command("show")(answers.show)
app.command("timeline")(answers.timeline)
app.add_typer(report_app, name="report")
app.command("serve")(web_commands.serve)
app.command("export")(web_commands.export)


@app.command("reference")
def reference_command(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of printing.")
    ] = None,
    facts_schema: Annotated[
        bool, typer.Option("--facts-schema", help="Write the facts format's JSON Schema instead.")
    ] = False,
) -> None:
    """Write the command-line reference (every command's usage and options) as Markdown, or the
    facts format's JSON Schema."""
    import json

    from twinlink.commands.reference import reference
    from twinlink.facts import facts_schema as schema

    text = json.dumps(schema(), indent=2, ensure_ascii=False) + "\n" if facts_schema else reference(app)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def explain(exc: BaseException) -> str | None:
    """The one-line message a user sees for an error the command expects, None for any other."""
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, TwinlinkError):
        return str(exc)
    if isinstance(exc, SQLAlchemyError):
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return f"database error, nothing was written ({reason})"
    return None


class ExitCode(IntEnum):
    """What ``twinlink`` exits with (docs/guide.md, "Exit codes")."""

    OK = 0
    INPUT_FAILED = 1  # some inputs could not be read or loaded: the others were
    USAGE = 2  # an option or argument the command cannot take
    NOT_FOUND = 3  # nothing in the register or the gazetteer has that id, name or code
    STORE = 4  # the register cannot be opened, read or written


def exit_code(exc: BaseException) -> ExitCode:
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, StoreError | SQLAlchemyError):
        return ExitCode.STORE
    if isinstance(exc, NotFound | UnknownPlace):
        return ExitCode.NOT_FOUND
    if isinstance(exc, BadFacts | BadDocument):
        return ExitCode.INPUT_FAILED
    return ExitCode.USAGE


def main() -> None:
    try:
        app()
    except Exception as exc:
        message = explain(exc)
        if message is None:
            raise
        err.print(f"[red]error[/red]: {shown(message)}", highlight=False)
        sys.exit(exit_code(exc))
