"""``twinlink users`` and ``twinlink audit``: accounts and the trail of who changed what."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.table import Table

from twinlink.commands.common import DbOption, open_engine, out
from twinlink.commands.output import FormatOption, emit
from twinlink.errors import TwinlinkError
from twinlink.output import OutputFormat

users_app = typer.Typer(help="Accounts for the web: add users and set their roles.", no_args_is_help=True)

AsOption = Annotated[
    str | None, typer.Option("--as", help="Who makes the change, for the audit trail (default: your login name).")
]
NameArgument = Annotated[str, typer.Argument(help="The user's name (no spaces).")]


def acting_as(name: str | None) -> str:
    return name or getpass.getuser()


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Again", hide_input=True) != first:
        raise TwinlinkError("the two passwords differ")
    return str(first)


@users_app.command("add")
def users_add(
    name: NameArgument,
    role: Annotated[str, typer.Option("--role", help="viewer, editor, reviewer or admin.")] = "editor",
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an admin (same as --role admin).")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add a user who can sign in to the web with a password."""
    from twinlink.register.accounts import create_user
    from twinlink.store.engine import transaction

    password = _new_password(password_stdin)
    engine = open_engine(db)
    with transaction(engine) as session:
        account = create_user(session, name, password, "admin" if admin else role, acting_as(actor))
    out.print(f"added {account.name} ({account.role.value})", highlight=False)


@users_app.command("list")
def users_list(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """List users with their roles."""
    from twinlink.register.accounts import accounts
    from twinlink.store.engine import reading

    engine = open_engine(db)
    with reading(engine) as session:
        rows = [{"name": a.name, "role": a.role.value, "disabled": off} for a, off in accounts(session)]

    def table() -> None:
        shown = Table("name", "role", "", title="Users")
        for row in rows:
            shown.add_row(str(row["name"]), str(row["role"]), "disabled" if row["disabled"] else "")
        out.print(shown)

    emit(fmt, data=lambda: rows, rows=lambda: rows, table=table)


@users_app.command("set-role")
def users_set_role(
    name: NameArgument,
    role: Annotated[str, typer.Argument(help="viewer, editor, reviewer or admin.")],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Give a user another role."""
    from twinlink.register.accounts import set_role
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        set_role(session, name, role, acting_as(actor))
    out.print(f"{name} is now {role}", highlight=False)


@users_app.command("disable")
def users_disable(name: NameArgument, actor: AsOption = None, db: DbOption = None) -> None:
    """Stop a user from signing in (their past decisions stay theirs)."""
    from twinlink.register.accounts import set_disabled
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        set_disabled(session, name, True, acting_as(actor))
    out.print(f"{name} is disabled", highlight=False)


@users_app.command("enable")
def users_enable(name: NameArgument, actor: AsOption = None, db: DbOption = None) -> None:
    """Let a disabled user sign in again."""
    from twinlink.register.accounts import set_disabled
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        set_disabled(session, name, False, acting_as(actor))
    out.print(f"{name} is enabled", highlight=False)


def audit(
    actor: Annotated[str | None, typer.Option("--actor", help="Only what this user did.")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only actions starting so: ingest, review, user, sign-in…")
    ] = None,
    subject: Annotated[
        str | None, typer.Option("--subject", help="Only lines about this claim, document or user.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many lines, latest first.")] = 50,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """The audit trail: every write with who made it, when, and the values before and after."""
    import json

    from twinlink.store.engine import reading
    from twinlink.store.users import list_audit

    engine = open_engine(db)
    with reading(engine) as session:
        rows = [
            {
                "at": e.at.isoformat(timespec="seconds"),
                "actor": e.actor,
                "action": e.action,
                "subject": e.subject,
                "detail": json.loads(e.detail),
            }
            for e in list_audit(session, limit=limit, actor=actor, action=action, subject=subject)
        ]

    def table() -> None:
        shown = Table("at", "who", "action", "subject", "detail", title="Audit trail")
        for row in rows:
            detail = ", ".join(f"{k}={v}" for k, v in row["detail"].items())
            shown.add_row(str(row["at"]), str(row["actor"]), str(row["action"]), str(row["subject"])[:24], detail)
        out.print(shown)

    emit(fmt, data=lambda: rows, rows=lambda: [{**r, "detail": json.dumps(r["detail"])} for r in rows], table=table)
