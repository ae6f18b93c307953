"""``twinlink interest`` and ``twinlink match``: registrations of interest, their stages and
suggested partners with their reasons, from the command line. Contacts are not printed: the
command line shows what a registration asks for, not who asked."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from twinlink.commands.accounts import AsOption, acting_as
from twinlink.commands.common import DbOption, open_engine, out
from twinlink.commands.output import FormatOption, emit
from twinlink.output import OutputFormat

interest_app = typer.Typer(
    help="Registrations of interest: list, show and move them through the stages.", no_args_is_help=True
)
ReferenceArgument = Annotated[str, typer.Argument(help="The registration's reference, such as TL-2026-0001.")]


def _summary(registration: Any) -> dict[str, Any]:
    return {
        "reference": registration.reference,
        "organisation": registration.organisation_name,
        "type": registration.organisation_type,
        "party": registration.party_id,
        "stage": registration.stage,
        "received": registration.created_at.isoformat(timespec="seconds"),
    }


@interest_app.command("list")
def interest_list(
    stage: Annotated[str | None, typer.Option("--stage", help="Only those at this stage.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Registrations, the latest first."""
    from twinlink.register.interest import list_registrations
    from twinlink.store.engine import reading
    from twinlink.vocab import Stage

    if stage is not None and stage not in {s.value for s in Stage}:
        raise typer.BadParameter(f"choose one of {', '.join(s.value for s in Stage)}", param_hint="--stage")
    with reading(open_engine(db)) as session:
        rows = [_summary(r) for r in list_registrations(session, stage)]

    def table() -> None:
        shown = Table("reference", "organisation", "type", "stage", "received", title="Registrations of interest")
        for r in rows:
            shown.add_row(r["reference"], r["organisation"], r["type"], r["stage"], r["received"][:10])
        out.print(shown)

    emit(fmt, data=lambda: rows, rows=lambda: rows, table=table)


@interest_app.command("show")
def interest_show(reference: ReferenceArgument, fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """A registration: what it asks for, its stages and its contact log (without the contact)."""
    from twinlink.register.interest import details_of, get_registration, log_of, stage_moves
    from twinlink.store.engine import reading

    with reading(open_engine(db)) as session:
        registration = get_registration(session, reference)
        data = {
            **_summary(registration),
            "details": {k: v for k, v in details_of(registration).items() if k != "will_be"},
            "moves": [
                {
                    "at": m.moved_at.isoformat(timespec="seconds"),
                    "by": m.moved_by,
                    "from": m.from_stage,
                    "to": m.to_stage,
                    "reason": m.reason,
                }
                for m in stage_moves(session, registration)
            ],
            "log": [
                {
                    "on": e.happened_on.isoformat(),
                    "kind": e.kind,
                    "summary": e.summary,
                    "next": e.next_action,
                    "due": e.next_due.isoformat() if e.next_due else None,
                    "done": e.done,
                }
                for e in log_of(session, registration)
            ],
        }

    def table() -> None:
        out.print(f"[bold]{data['reference']}[/bold] {data['organisation']} ({data['type']}), stage {data['stage']}")
        for key, value in data["details"].items():
            if value not in (None, "", [], False):
                out.print(f"  {key}: {value}", highlight=False, markup=False)
        for move in data["moves"]:
            out.print(f"  {move['at']} {move['by']}: {move['from']} → {move['to']} {move['reason']}", markup=False)
        for entry in data["log"]:
            due = f" (next: {entry['next']} by {entry['due']})" if entry["due"] else ""
            out.print(f"  {entry['on']} {entry['kind']}: {entry['summary']}{due}", markup=False)

    emit(fmt, data=lambda: data, rows=lambda: [_flat(data)], table=table)


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not isinstance(v, (dict, list))}


@interest_app.command("move")
def interest_move(
    reference: ReferenceArgument,
    stage: Annotated[str, typer.Argument(help="The stage it moves to (new, contacted, searching, matched…).")],
    reason: Annotated[str, typer.Option("--reason", help="Why; needed to go back, decline or withdraw.")] = "",
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Move a registration to another stage (kept with who and why)."""
    from twinlink.gazetteer.lookup import default_gazetteer
    from twinlink.register.interest import move_stage
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        move = move_stage(session, default_gazetteer(), reference, stage, reason, acting_as(actor))
        out.print(f"{reference}: {move.from_stage} → {move.to_stage}", highlight=False)


def match(
    reference: ReferenceArgument,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight",
            help="A factor's weight, as NAME=0..100 (regional_link, activity, themes, "
            "size_role, school_fit); repeat for each.",
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many suggestions to show.")] = 10,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Suggested partners for a registration, best first, each factor with its reason and evidence."""
    from datetime import date

    from twinlink.config import Settings
    from twinlink.gazetteer.lookup import default_gazetteer
    from twinlink.register.interest import get_registration
    from twinlink.register.matching import Weights, rank
    from twinlink.store.engine import reading

    given: dict[str, str] = {}
    for item in weight or []:
        name, _, value = item.partition("=")
        given[name.strip()] = value.strip()
    try:
        weights = Weights.of(given)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--weight") from None
    with reading(open_engine(db)) as session:
        registration = get_registration(session, reference)
        ranking = rank(
            session, default_gazetteer(), registration, weights, date.today(), Settings().dormant_after_years
        )
    shown = ranking.suggestions[:limit]

    def data() -> dict[str, Any]:
        return {
            "reference": ranking.reference,
            "filtered_by": ranking.filtered_by,
            "weights": weights.as_dict(),
            "suggestions": [
                {
                    "id": s.party_id,
                    "name": s.name,
                    "name_zh": s.name_zh,
                    "kind": s.kind,
                    "within": s.within,
                    "score": s.score,
                    "notes": list(s.notes),
                    "factors": [
                        {
                            "factor": f.name,
                            "weight": f.weight,
                            "value": round(f.value, 3),
                            "contribution": round(f.contribution, 2),
                            "applies": f.applies,
                            "reason": f.reason,
                            "evidence": [{"text": e.text, "quote": e.quote, "link": e.link} for e in f.evidence],
                        }
                        for f in s.factors
                    ],
                }
                for s in shown
            ],
            "excluded": [{"id": e.party_id, "name": e.name, "rule": e.rule} for e in ranking.excluded],
            "accepted": ranking.accepted,
        }

    def rows() -> list[dict[str, Any]]:
        return [
            {
                "rank": i,
                "id": s.party_id,
                "name": s.name,
                "score": s.score,
                **{f.name: round(f.contribution, 2) for f in s.factors},
            }
            for i, s in enumerate(shown, 1)
        ]

    def table() -> None:
        out.print(f"Filtered by: {', '.join(ranking.filtered_by)}; {len(ranking.excluded)} excluded", markup=False)
        for i, s in enumerate(shown, 1):
            out.print(f"[bold]{i}. {s.name}[/bold] ({s.kind}{', ' + s.within if s.within else ''}) score {s.score}")
            for f in s.factors:
                adds = f"{f.contribution:5.1f}" if f.applies else "  n/a"
                out.print(f"   {adds}  {f.label}: {f.reason}", markup=False, highlight=False)

    emit(OutputFormat(fmt), data=data, rows=rows, table=table)
