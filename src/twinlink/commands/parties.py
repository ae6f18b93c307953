"""``twinlink parties``: merge two parties that are one, split one that is two, undo either."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from twinlink.commands.accounts import AsOption, acting_as
from twinlink.commands.common import DbOption, open_engine, out
from twinlink.commands.output import FormatOption, emit
from twinlink.output import OutputFormat

parties_app = typer.Typer(
    help="Merge parties that are one, split a party that is two, undo either; record their identifiers elsewhere.",
    no_args_is_help=True,
)
ReasonOption = Annotated[str, typer.Option("--reason", help="Why; kept with the change.")]


@parties_app.command("merge")
def merge(
    party: Annotated[str, typer.Argument(help="The party merged away: its id or exact name.")],
    into: Annotated[str, typer.Argument(help="The party it is, which is kept: its id or exact name.")],
    reason: ReasonOption = "",
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Merge a party into another: its partnerships, claims, events and names become the other's."""
    from twinlink.register.party_changes import merge_parties, party_named
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        change = merge_parties(
            session, party_named(session, party), party_named(session, into), reason, acting_as(actor)
        )
        out.print(f"change {change.id}: merged {change.other_id} into {change.party_id}", highlight=False)


@parties_app.command("split")
def split(
    party: Annotated[str, typer.Argument(help="The party that is really two: its id or exact name.")],
    partnership: Annotated[
        list[str], typer.Option("--partnership", help="A partnership of the other party (repeat for each).")
    ],
    name: Annotated[str, typer.Option("--name", help="The other party's name.")],
    kind: Annotated[str, typer.Option("--kind", help="What the other party is (school, university, city…).")],
    reason: ReasonOption = "",
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Give some of a party's partnerships, with their claims and events, to a new party."""
    from twinlink.register.party_changes import party_named, split_party
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        change = split_party(session, party_named(session, party), partnership, name, kind, reason, acting_as(actor))
        out.print(f"change {change.id}: split {change.other_id} off {change.party_id}", highlight=False)


@parties_app.command("undo")
def undo(
    change: Annotated[int, typer.Argument(help="The number of the merge or split.")],
    reason: ReasonOption = "",
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Undo a merge or split: every row it moved goes back."""
    from twinlink.register.party_changes import undo_change
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        undone = undo_change(session, change, reason, acting_as(actor))
        out.print(f"change {undone.id} ({undone.action}) undone", highlight=False)


@parties_app.command("changes")
def changes(
    party: Annotated[str | None, typer.Argument(help="Only this party's (its id or exact name).")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """List merges and splits, the latest first."""
    from sqlalchemy import select

    from twinlink.register.party_changes import party_named
    from twinlink.store.engine import reading
    from twinlink.store.party_changes import changes_of
    from twinlink.store.tables import PartyChange

    with reading(open_engine(db)) as session:
        if party:
            found = changes_of(session, party_named(session, party))
        else:
            found = list(session.scalars(select(PartyChange).order_by(PartyChange.id.desc())))
        rows = [
            {
                "id": c.id,
                "action": c.action,
                "party": c.party_id,
                "other": c.other_id,
                "reason": c.reason,
                "decided_by": c.decided_by,
                "decided_at": c.decided_at.isoformat(timespec="seconds"),
                "undone_at": c.undone_at.isoformat(timespec="seconds") if c.undone_at else None,
            }
            for c in found
        ]

    def table() -> None:
        shown = Table("id", "action", "party", "other", "by", "when", "undone", "reason", title="Merges and splits")
        for r in rows:
            shown.add_row(
                str(r["id"]),
                str(r["action"]),
                str(r["party"]),
                str(r["other"]),
                str(r["decided_by"]),
                str(r["decided_at"]),
                str(r["undone_at"] or ""),
                str(r["reason"]),
            )
        out.print(shown)

    emit(fmt, data=lambda: rows, rows=lambda: rows, table=table)


@parties_app.command("identify")
def identify(
    party: Annotated[str | None, typer.Argument(help="The party: its id or exact name.")] = None,
    wikidata: Annotated[str | None, typer.Option("--wikidata", help="Its Wikidata item, such as Q42.")] = None,
    urn: Annotated[str | None, typer.Option("--urn", help="A school's URN.")] = None,
    ukprn: Annotated[str | None, typer.Option("--ukprn", help="A university's or college's UKPRN.")] = None,
    table: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A CSV file with a 'party' column (id or exact name) and wikidata, urn or ukprn columns, "
            "such as OpenRefine exports after reconciling.",
        ),
    ] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Record a party's identifiers in other registers (a Wikidata item for QuickStatements)."""
    from twinlink.errors import TwinlinkError
    from twinlink.register.identifiers import identify as record
    from twinlink.register.identifiers import identify_from_table
    from twinlink.store.engine import transaction

    given = {scheme: value for scheme, value in (("wikidata", wikidata), ("urn", urn), ("ukprn", ukprn)) if value}
    if (party is None) == (table is None):
        raise TwinlinkError("name a party with --wikidata, --urn or --ukprn, or give --from FILE")
    if party is not None and not given:
        raise TwinlinkError("give the party's --wikidata, --urn or --ukprn")
    with transaction(open_engine(db)) as session:
        if table is not None:
            done = identify_from_table(session, table, acting_as(actor))
        else:
            done = [record(session, party or "", scheme, value, acting_as(actor)) for scheme, value in given.items()]
    changed = [d for d in done if d.changed]
    for d in changed:
        out.print(f"{d.party_id}: {d.scheme} {d.value}", highlight=False)
    out.print(f"{len(changed)} identifiers recorded, {len(done) - len(changed)} already so", highlight=False)
