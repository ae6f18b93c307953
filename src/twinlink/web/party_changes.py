"""A reviewer merges two parties that are one, splits one that is two, or undoes either, from a
party's page; each answer comes back to the page with what was done."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote_plus

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.register.accounts import Account
from twinlink.register.party_changes import merge_parties, party_named, split_party, undo_change
from twinlink.store.engine import transaction
from twinlink.store.parties import get_party
from twinlink.store.party_changes import changes_of, get_change
from twinlink.store.tables import PartyChange
from twinlink.vocab import Role
from twinlink.web.auth import require
from twinlink.web.deps import RowId

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[Account, Depends(require(Role.REVIEWER))]


def _back(party_id: str, message: str) -> Response:
    return RedirectResponse(f"/parties/{party_id}?message={quote_plus(message)}", status_code=303)


@router.post("/parties/{party_id:path}/merge")
def merge(
    request: Request,
    party_id: str,
    account: Reviewer,
    into: Annotated[str, Form(max_length=300)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Merge this party into another."""
    try:
        with transaction(request.app.state.engine) as db:
            kept = party_named(db, into)
            change = merge_parties(db, party_id, kept, reason.strip(), account.name)
            message = f"Merged into this party (change {change.id}); it can be undone below."
    except TwinlinkError as exc:
        return _back(party_id, str(exc))
    return _back(kept, message)


@router.post("/parties/{party_id:path}/split")
def split(
    request: Request,
    party_id: str,
    account: Reviewer,
    name: Annotated[str, Form(max_length=300)],
    kind: Annotated[str, Form(max_length=40)],
    partnership: Annotated[list[str] | None, Form()] = None,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Give the chosen partnerships of this party to a new party."""
    try:
        with transaction(request.app.state.engine) as db:
            change = split_party(db, party_id, partnership or [], name, kind, reason.strip(), account.name)
            message = f"Split: {name.strip()} is a party of its own (change {change.id}); it can be undone below."
            new_id = change.other_id
    except TwinlinkError as exc:
        return _back(party_id, str(exc))
    return _back(new_id, message)


@router.post("/party-changes/{change_id}/undo")
def undo(
    request: Request,
    change_id: RowId,
    account: Reviewer,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Undo a merge or split: every row it moved goes back."""
    with transaction(request.app.state.engine) as db:
        change = get_change(db, change_id)
        if change is None:
            raise NotFound(f"no merge or split {change_id} in the register")
        party_id = change.party_id
    try:
        with transaction(request.app.state.engine) as db:
            undo_change(db, change_id, reason.strip(), account.name)
    except TwinlinkError as exc:
        return _back(party_id, str(exc))
    return _back(party_id, f"Change {change_id} undone.")


@dataclass(frozen=True)
class ChangeLine:
    """A merge or split as a party's page lists it."""

    id: int
    what: str
    other_id: str | None  # the other party, when it is in the register to link to
    other_name: str
    reason: str
    decided: str
    undone: str | None


def change_lines(session: Session, party_id: str) -> list[ChangeLine]:
    lines = []
    for change in changes_of(session, party_id):
        other_id = change.other_id if change.party_id == party_id else change.party_id
        other = get_party(session, other_id)
        if change.action == "merge":
            what = "merged from" if change.party_id == party_id else "merged into"
            name = other.name if other else _merged_name(change)
        else:
            what = "split off" if change.party_id == party_id else "split from"
            name = other.name if other else other_id
        undone = f"undone by {change.undone_by} on {change.undone_at:%Y-%m-%d}" if change.undone_at else None
        lines.append(
            ChangeLine(
                change.id,
                what,
                other_id if other else None,
                name,
                change.reason,
                f"{change.decided_by} on {change.decided_at:%Y-%m-%d}",
                undone,
            )
        )
    return lines


def _merged_name(change: PartyChange) -> str:
    for move in json.loads(change.moves):
        if move["op"] == "party":
            return str(move["row"]["name"])
    return change.other_id
