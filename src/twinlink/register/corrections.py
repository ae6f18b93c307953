"""Facts and corrections an editor enters by hand: each becomes a claim with method
``editor:<name>`` and the citation given (a document in the register, or an address and a
quote), proposed like any extracted claim: it stands beside the other sources (a conflict, if
they differ) until a reviewer accepts or rejects it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.register.claims import Evidence, add_claim
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.store.documents import get_document
from twinlink.store.parties import get_party
from twinlink.store.partnerships import get_partnership
from twinlink.store.users import record_audit
from twinlink.vocab import PartyKind

# what an editor may say of a partnership, and how each value is read from a form
PARTNERSHIP_PROPERTIES = ("established", "status", "instrument")
STATUSES = ("active", "ended")  # dormant and unknown are worked out from dates, not stated


class BadCorrection(TwinlinkError):
    """A proposed fact with a value or citation that cannot be recorded."""


@dataclass(frozen=True)
class Citation:
    """Where a hand-entered fact comes from: a document in the register, or an address; and the
    words of the source that state it."""

    document_id: str | None = None
    address: str | None = None
    quote: str | None = None


def _value(prop: str, text: str) -> object:
    text = text.strip()
    if prop == "established":
        if not text.isdigit() or not 1800 <= int(text) <= date.today().year:
            raise BadCorrection(f"established: give a year from 1800 to {date.today().year}, not {text!r}")
        return int(text)
    if prop == "status":
        if text not in STATUSES:
            raise BadCorrection(f"status: say {' or '.join(STATUSES)} (dormant is worked out from the dates)")
        return text
    if not text or len(text) > 200:
        raise BadCorrection(f"{prop}: give a value of 1 to 200 characters")
    return text


def propose_partnership_fact(
    session: Session, partnership_id: str, prop: str, text: str, citation: Citation, editor: str
) -> str:
    """Record what an editor says of a partnership as a proposed claim; its id."""
    if get_partnership(session, partnership_id) is None:
        raise NotFound(f"no partnership {partnership_id!r} in the register")
    if prop not in PARTNERSHIP_PROPERTIES:
        raise BadCorrection(f"{prop!r}: a partnership's {', '.join(PARTNERSHIP_PROPERTIES)} can be proposed")
    return _propose(session, "partnership", partnership_id, prop, _value(prop, text), citation, editor)


def propose_party_kind(session: Session, party_id: str, kind: str, citation: Citation, editor: str) -> str:
    """Record what an editor says a party is (a county, a city, a school…) as a proposed claim."""
    if get_party(session, party_id) is None:
        raise NotFound(f"no party {party_id!r} in the register")
    if kind not in {k.value for k in PartyKind}:
        raise BadCorrection(f"kind {kind!r}: choose one of {', '.join(k.value for k in PartyKind)}")
    return _propose(session, "party", party_id, "kind", kind, citation, editor)


def _propose(
    session: Session, subject_type: str, subject_id: str, prop: str, value: object, citation: Citation, editor: str
) -> str:
    source = None
    if citation.document_id:
        document = get_document(session, citation.document_id)
        if document is None:
            raise BadCorrection(f"citation: no document {citation.document_id!r} in the register")
        source = document.source
    elif citation.address and citation.address.startswith(("http://", "https://")):
        source = citation.address
    else:
        raise BadCorrection("citation: name a document in the register or give the source's web address")
    quote = (citation.quote or "").strip() or None
    evidence = Evidence(citation.document_id or None, source, quote, None, None, f"editor:{editor}")
    claim_id, new = add_claim(session, subject_type, subject_id, prop, value, evidence)
    if new:
        touched = Touched(partnerships={subject_id}) if subject_type == "partnership" else Touched()
        refresh(session, touched)
        record_audit(
            session, editor, "claim.propose", claim_id, **{subject_type: subject_id}, property=prop, value=value
        )
    return claim_id
