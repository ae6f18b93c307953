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
    role: Annotated[str, typer.Option("--role", help="viewer, editor, coordinator, reviewer or admin.")] = "editor",
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
    engine = open_engine(db, create=True)
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
    role: Annotated[str, typer.Argument(help="viewer, editor, coordinator, reviewer or admin.")],
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


@users_app.command("token")
def users_token(
    name: NameArgument,
    label: Annotated[str, typer.Option("--label", help="What the token is for, e.g. 'nightly import'.")] = "token",
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Issue an API token for scripts (sent as 'Authorization: Bearer TOKEN'); it is shown once."""
    from twinlink.register.accounts import issue_token
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        token_id, token = issue_token(session, name, label, acting_as(actor))
    out.print(f"token {token_id} for {name} (shown only now, keep it safe):", highlight=False)
    out.print(token, highlight=False, markup=False)


@users_app.command("tokens")
def users_tokens(name: NameArgument, fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """List a user's API tokens (never the tokens themselves)."""
    from twinlink.register.accounts import tokens_of
    from twinlink.store.engine import reading

    with reading(open_engine(db)) as session:
        rows = [
            {"id": token_id, "label": label, "issued": issued, "revoked": revoked}
            for token_id, label, issued, revoked in tokens_of(session, name)
        ]

    def table() -> None:
        shown = Table("id", "label", "issued", "", title=f"API tokens of {name}")
        for row in rows:
            shown.add_row(str(row["id"]), str(row["label"]), str(row["issued"]), "revoked" if row["revoked"] else "")
        out.print(shown)

    emit(fmt, data=lambda: rows, rows=lambda: rows, table=table)


@users_app.command("revoke-token")
def users_revoke_token(
    token_id: Annotated[int, typer.Argument(help="The token's id, as 'users tokens' lists it.")],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Revoke an API token: scripts using it are refused from now on."""
    from twinlink.register.accounts import revoke_token
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        revoke_token(session, token_id, acting_as(actor))
    out.print(f"token {token_id} revoked", highlight=False)


@users_app.command("organisation")
def users_organisation(
    name: NameArgument,
    party: Annotated[str, typer.Argument(help="The organisation's party id in the register.")],
    remove: Annotated[bool, typer.Option("--remove", help="The user no longer works for it.")] = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Say that a user works for an organisation, so that they see its registrations and contacts."""
    from twinlink.register.accounts import set_membership
    from twinlink.store.engine import transaction

    with transaction(open_engine(db)) as session:
        set_membership(session, name, party, not remove, acting_as(actor))
    out.print(f"{name} {'no longer works' if remove else 'works'} for {party}", highlight=False)
