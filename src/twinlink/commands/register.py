"""Commands that write the register: ingest documents, review claims."""

from __future__ import annotations

import getpass
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from twinlink.commands.common import DbOption, err, open_engine, out, short_source, shown
from twinlink.commands.output import FormatOption, emit
from twinlink.errors import TwinlinkError
from twinlink.output import OutputFormat
from twinlink.vocab import ReviewState

if TYPE_CHECKING:
    from twinlink.register.review import ReviewItem

review_app = typer.Typer(
    help="List proposed and conflicting claims; accept, reject or reopen them.", invoke_without_command=True
)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[current]}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


class Pace:
    """How fast a long run goes: documents a second and the time left, for the progress bar and,
    when the output is not a terminal (a log), a line every ``every`` seconds."""

    def __init__(self, total: int, every: float = 30.0) -> None:
        self.total, self.every = total, every
        self.started = self.said = time.monotonic()
        self.done = 0

    def advance(self) -> None:
        self.done += 1

    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)

    def describe(self) -> str:
        rate = self.rate()
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        minutes, seconds = divmod(round(left), 60)
        remaining = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        return f"{self.done:,} of {self.total:,} documents, {rate:,.0f} a second, about {remaining} left"

    def due(self) -> bool:
        """Whether a line should be written now (then it counts as written)."""
        now = time.monotonic()
        if now - self.said < self.every or self.done >= self.total:
            return False
        self.said = now
        return True


READ_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")


def _expand(items: list[str]) -> list[Path | str]:
    """Files and web addresses as given; folders are walked for the files Twinlink reads."""
    from twinlink.documents.model import is_address

    found: list[Path | str] = []
    for item in items:
        path = Path(item)
        if is_address(item):
            found.append(item)
        elif path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in READ_SUFFIXES)
        else:
            found.append(path)
    return found


def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Text, HTML, PDF or Word (.docx) files, folders of them, or web addresses to fetch."),
    ] = None,
    reextract: Annotated[
        bool,
        typer.Option(
            "--reextract", help="Re-read every stored document with the current rules; older claims are superseded."
        ),
    ] = False,
    max_bytes: Annotated[int | None, typer.Option(help="Largest file to read, in bytes.")] = None,
    source_url: Annotated[
        str | None, typer.Option("--source-url", help="The address to cite the document by (one document only).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The title to cite it by (one document only).")] = None,
    actor: Annotated[
        str | None, typer.Option("--as", help="Who ingests, for the audit trail (default: your login name).")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Processes that read documents while one writes them.")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Load, extract and register documents, one transaction each; a second ingest changes nothing."""
    from twinlink.config import Settings
    from twinlink.extract.prebuilt import default_extractor
    from twinlink.register.pipeline import count_stored, ingest_paths, reextract_all
    from twinlink.register.preparing import Citation

    if not paths and not reextract:
        raise TwinlinkError("name files or folders to ingest, or give --reextract")
    engine = open_engine(db, create=True)
    extractor = default_extractor()
    files = _expand(paths or [])
    if (source_url or title) and len(files) != 1:
        raise TwinlinkError("--source-url and --title name one document: give one file or address")
    total = len(files) if not reextract else count_stored(engine)
    who = actor or getpass.getuser()
    outcomes = (
        reextract_all(engine, extractor, who)
        if reextract
        else ingest_paths(
            engine,
            extractor,
            files,
            max_bytes or Settings().max_document_bytes,
            who,
            Citation(source_url, title),
            Settings().fetch_private_addresses,
            jobs,
        )
    )
    states: dict[str, int] = {}
    new: dict[str, int] = {}
    pace = Pace(total)
    with _progress() as progress:
        task = progress.add_task("re-extracting" if reextract else "ingesting", total=total, current="", rate="")
        for outcome in outcomes:
            pace.advance()
            progress.update(task, advance=1, current=Path(outcome.name).name, rate=f"{pace.rate():,.0f}/s")
            if not err.is_terminal and pace.due():
                err.print(f"progress: {pace.describe()}", highlight=False)
            states[outcome.state] = states.get(outcome.state, 0) + 1
            for key, n in outcome.counts.items():
                new[key] = new.get(key, 0) + n
            if outcome.error:
                err.print(f"[red]error[/red]: {shown(outcome.error)}", highlight=False)
            else:
                changes = ", ".join(f"{n} {k}" for k, n in sorted(outcome.counts.items())) or "no change"
                out.print(f"{outcome.state}: {shown(outcome.name)} ({changes})", highlight=False)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(states.items()))
    additions = ", ".join(f"{n} {k}" for k, n in sorted(new.items())) or "nothing new"
    out.print(f"documents: {summary}; register: {additions}", highlight=False)
    if pace.done:
        err.print(f"read {pace.done:,} documents at {pace.rate():,.1f} a second", highlight=False)
    if states.get("failed"):
        raise typer.Exit(1)


@review_app.callback()
def review_list(
    ctx: typer.Context,
    conflicts: Annotated[bool, typer.Option("--conflicts", help="Only claims in conflict.")] = False,
    limit: Annotated[int, typer.Option(help="Show at most this many claims (0 = all).")] = 50,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """List claims waiting for review: conflicts first, then proposed claims."""
    if ctx.invoked_subcommand is not None:
        return
    from twinlink.register.review import list_review
    from twinlink.store.engine import reading

    engine = open_engine(db)
    with reading(engine) as session:
        items = list_review(session, conflicts_only=conflicts)
        shown = items[:limit] if limit else items
        rows = _review_rows(shown)
    n_conflicts = sum(1 for i in items if i.conflict)
    summary = f"{len(items)} claims to review ({n_conflicts} in conflict); showing {len(shown)}"
    emit(fmt, data=lambda: rows, rows=lambda: rows, table=lambda: _print_review(rows, summary))


def _review_rows(items: list[ReviewItem]) -> list[dict[str, object]]:
    return [
        {
            "claim": i.claim.id,
            "conflict": i.conflict,
            "state": i.claim.review_state,
            "subject": i.subject,
            "property": i.claim.property,
            "value": i.claim.value,
            "source": i.claim.source or i.claim.document_id,
            "quote": i.claim.quote,
            "method": i.claim.method,
        }
        for i in items
    ]


def _print_review(rows: list[dict[str, object]], summary: str) -> None:
    table = Table("claim", "", "state", "subject", "property", "value", "source", title="Claims to review")
    for r in rows:
        table.add_row(
            str(r["claim"])[:12],
            "[red]conflict[/red]" if r["conflict"] else "",
            str(r["state"]),
            str(r["subject"]),
            str(r["property"]),
            str(r["value"])[:60],
            short_source(str(r["source"] or "")),
        )
    out.print(table)
    out.print(summary, highlight=False)


ReasonOption = Annotated[str, typer.Option("--reason", "-r", help="Why; kept with the decision.")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who decides (default: your login name).")]
ClaimIds = Annotated[list[str], typer.Argument(help="Claim ids, or unambiguous prefixes of at least 6 characters.")]


def _decide(claim_ids: list[str], state: ReviewState, reason: str, by: str | None, db: str | None) -> None:
    from twinlink.register.review import decide
    from twinlink.store.engine import transaction

    engine = open_engine(db)
    who = by or getpass.getuser()
    with transaction(engine) as session:
        decisions = decide(session, claim_ids, state, reason, who)
        done = [(d.claim_id, d.previous_state) for d in decisions]
    for claim_id, previous in done:
        out.print(f"{claim_id[:12]}: {previous} → {state.value} by {who}", highlight=False)


@review_app.command("accept")
def review_accept(claim_ids: ClaimIds, reason: ReasonOption, by: ByOption = None, db: DbOption = None) -> None:
    """Accept claims: once a property has an accepted claim, only accepted claims count for it."""
    _decide(claim_ids, ReviewState.ACCEPTED, reason, by, db)


@review_app.command("reject")
def review_reject(claim_ids: ClaimIds, reason: ReasonOption, by: ByOption = None, db: DbOption = None) -> None:
    """Reject claims: they are kept, but no longer count."""
    _decide(claim_ids, ReviewState.REJECTED, reason, by, db)


@review_app.command("reopen")
def review_reopen(claim_ids: ClaimIds, reason: ReasonOption = "", by: ByOption = None, db: DbOption = None) -> None:
    """Undo a decision: the claims are proposed again (the earlier decisions stay on record)."""
    _decide(claim_ids, ReviewState.PROPOSED, reason, by, db)


@review_app.command("history")
def review_history(
    claim_id: Annotated[str, typer.Argument(help="A claim id or prefix.")],
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """A claim with every decision made on it."""
    from twinlink.store.claims import get_claim, list_decisions
    from twinlink.store.engine import reading

    engine = open_engine(db)
    with reading(engine) as session:
        claim = get_claim(session, claim_id)
        decisions = [
            {
                "decided_at": d.decided_at.isoformat(timespec="seconds"),
                "decided_by": d.decided_by,
                "previous_state": d.previous_state,
                "state": d.state,
                "reason": d.reason,
            }
            for d in list_decisions(session, claim.id)
        ]
        about = {
            "id": claim.id,
            "subject_type": claim.subject_type,
            "subject_id": claim.subject_id,
            "property": claim.property,
            "value": claim.value,
            "review_state": claim.review_state,
            "source": claim.source or claim.document_id,
            "method": claim.method,
            "quote": claim.quote,
        }

    def table() -> None:
        out.print(
            f"{about['id']}: {about['subject_type']} {about['subject_id']} {about['property']} = {about['value']} "
            f"[{about['review_state']}] from {about['source']} by {about['method']}",
            highlight=False,
        )
        if about["quote"]:
            out.print(f"  “{shown(str(about['quote']))}”", highlight=False)
        for d in decisions:
            out.print(
                f"  {d['decided_at'][:16].replace('T', ' ')} {d['decided_by']}: "
                f"{d['previous_state']} → {d['state']} ({d['reason']})",
                highlight=False,
            )
        if not decisions:
            out.print("  no decisions yet", highlight=False)

    emit(fmt, data=lambda: {**about, "decisions": decisions}, rows=lambda: decisions, table=table)
