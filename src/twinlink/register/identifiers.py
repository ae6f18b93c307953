"""Identifiers other registers give a party (a Wikidata item, a school's URN, a university's
UKPRN), recorded by an editor, one party for each identifier."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.errors import TwinlinkError
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.register.party_changes import party_named
from twinlink.store.tables import PartyIdentifier
from twinlink.store.users import record_audit

SCHEMES: dict[str, tuple[re.Pattern[str], str]] = {
    "wikidata": (re.compile(r"Q[1-9]\d{0,11}"), "a Wikidata item id such as Q42"),
    "urn": (re.compile(r"\d{6}"), "a school's six-digit URN"),
    "ukprn": (re.compile(r"1\d{7}"), "a provider's eight-digit UKPRN, starting with 1"),
}


class BadIdentifier(TwinlinkError):
    pass


@dataclass(frozen=True)
class Identified:
    party_id: str
    scheme: str
    value: str
    changed: bool


def checked(scheme: str, value: str) -> str:
    scheme = scheme.strip().lower()
    if scheme not in SCHEMES:
        raise BadIdentifier(f"scheme {scheme!r}: choose one of {', '.join(SCHEMES)}")
    pattern, meaning = SCHEMES[scheme]
    value = value.strip().upper() if scheme == "wikidata" else value.strip()
    if not pattern.fullmatch(value):
        raise BadIdentifier(f"{scheme} {value!r}: give {meaning}")
    return value


def identify(session: Session, party: str, scheme: str, value: str, actor: str) -> Identified:
    """Record that ``party`` (an id or exact name) is ``value`` in ``scheme``, replacing the
    party's earlier identifier in that scheme; an identifier another party holds is refused."""
    party_id = party_named(session, party)
    value = checked(scheme, value)
    scheme = scheme.strip().lower()
    held = session.get(PartyIdentifier, (scheme, value))
    if held is not None:
        if held.party_id != party_id:
            raise BadIdentifier(f"{scheme} {value} is already {held.party_id}'s: give each party its own")
        return Identified(party_id, scheme, value, False)
    for earlier in session.scalars(
        select(PartyIdentifier).where(PartyIdentifier.party_id == party_id, PartyIdentifier.scheme == scheme)
    ):
        session.delete(earlier)
    session.flush()
    session.add(PartyIdentifier(scheme=scheme, value=value, party_id=party_id))
    session.flush()
    record_audit(session, actor, "party.identify", party_id, scheme=scheme, value=value)
    refresh(session, Touched(parties={party_id}))
    return Identified(party_id, scheme, value, True)


def identify_from_table(session: Session, path: Path, actor: str) -> list[Identified]:
    """Identifiers from a CSV file with a ``party`` column (an id or exact name) and a column for
    each scheme (``wikidata``, ``urn``, ``ukprn``), such as OpenRefine writes after reconciling;
    a bad row is refused naming its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise BadIdentifier(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or "party" not in rows[0] or not set(rows[0]) & set(SCHEMES):
        raise BadIdentifier(f"{path}: give a column 'party' and one of {', '.join(SCHEMES)}")
    done = []
    for line, row in enumerate(rows, 2):
        for scheme in SCHEMES:
            value = (row.get(scheme) or "").strip()
            if not value:
                continue
            try:
                done.append(identify(session, row["party"], scheme, value, actor))
            except TwinlinkError as exc:
                raise BadIdentifier(f"{path}:{line}: {exc}") from None
    return done
