"""Facts and corrections an editor enters by hand: each becomes a claim with method
``editor:<name>`` and the citation given (a document in the register, or an address and a
quote), proposed like any extracted claim: it stands beside the other sources (a conflict, if
they differ) until a reviewer accepts or rejects it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.ids import make_id
from twinlink.register.claims import Evidence, add_claim
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.store.documents import get_document
from twinlink.store.events import involving
from twinlink.store.parties import get_party
from twinlink.store.partnerships import get_partnership
from twinlink.store.tables import Event
from twinlink.store.users import record_audit
from twinlink.vocab import EventKind, PartyKind

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
    span: tuple[int, int] | None = None  # where the quote is in the document
    method: str | None = None  # how it was recorded, when not by an editor's hand ("report:DL-…")


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


@dataclass(frozen=True)
class EventEntry:
    """A dated happening as an editor enters it: the date to the precision known, what kind of
    happening, what happened, and whether it is only planned."""

    year: int
    month: int | None = None
    day: int | None = None
    kind: str = EventKind.OTHER.value
    what: str = ""
    planned: bool = False

    def checked(self) -> EventEntry:
        if self.kind not in {k.value for k in EventKind}:
            raise BadCorrection(f"kind {self.kind!r}: choose one of {', '.join(k.value for k in EventKind)}")
        if not 1800 <= self.year <= date.today().year + 10:
            raise BadCorrection(f"year: give a year from 1800 to {date.today().year + 10}, not {self.year}")
        if self.day is not None and self.month is None:
            raise BadCorrection("day: give the month too")
        try:
            when = date(self.year, self.month or 1, self.day or 1)
        except ValueError:
            raise BadCorrection(f"date: {self.year}-{self.month}-{self.day} is not a date") from None
        if not self.planned and when > date.today():
            raise BadCorrection("date: this is in the future: mark it as planned if it has not happened yet")
        what = " ".join(self.what.split())
        if not what or len(what) > 500:
            raise BadCorrection("what: say what happened, in 1 to 500 characters")
        return replace(self, what=what)

    def value(self) -> dict[str, object]:
        value: dict[str, object] = {
            "what": self.what,
            "kind": self.kind,
            "year": self.year,
            "month": self.month,
            "day": self.day,
        }
        if self.planned:
            value["planned"] = True
        return value


def propose_event(session: Session, partnership_id: str, entry: EventEntry, citation: Citation, editor: str) -> str:
    """Record a happening between a partnership's parties that an editor enters, as an event of the
    partnership with a proposed claim that it occurred; the claim's id."""
    partnership = get_partnership(session, partnership_id)
    if partnership is None:
        raise NotFound(f"no partnership {partnership_id!r} in the register")
    entry = entry.checked()
    party_ids = sorted({partnership.party_a_id, partnership.party_b_id})
    event_id = make_id("ev", entry.year, entry.month, entry.day, entry.kind, *party_ids)
    if session.get(Event, event_id) is None:
        precision = "day" if entry.day else "month" if entry.month else "year"
        session.add(
            Event(
                id=event_id,
                year=entry.year,
                month=entry.month,
                day=entry.day,
                precision=precision,
                kind=entry.kind,
                description=entry.what,
                partnership_id=partnership.id,
            )
        )
        session.flush()
        event = session.get(Event, event_id)
        assert event is not None
        for pid in party_ids:
            session.add(involving(event, pid))
    return _propose(session, "event", event_id, "occurred", entry.value(), citation, editor)


def correct_event(session: Session, event_id: str, entry: EventEntry, citation: Citation, editor: str) -> str:
    """What an editor says of a recorded event (another date, kind or account of it), as a claim
    on that event standing beside what the other sources say."""
    if session.get(Event, event_id) is None:
        raise NotFound(f"no event {event_id!r} in the register")
    return _propose(session, "event", event_id, "occurred", entry.checked().value(), citation, editor)


def propose_funding(
    session: Session,
    partnership_id: str,
    funder: str,
    recipient: str,
    what: str,
    until_year: int | None,
    citation: Citation,
    editor: str,
) -> str:
    """A funding line an editor enters for a partnership: who funded whom, what, and until when."""
    if get_partnership(session, partnership_id) is None:
        raise NotFound(f"no partnership {partnership_id!r} in the register")
    funder, recipient, what = (" ".join(t.split()) for t in (funder, recipient, what))
    if not (funder or recipient) or not what:
        raise BadCorrection("funding: say who funded or was funded, and what")
    if any(len(t) > 300 for t in (funder, recipient, what)):
        raise BadCorrection("funding: keep each part under 300 characters")
    if until_year is not None and not 1800 <= until_year <= date.today().year + 30:
        raise BadCorrection(f"until: give a year from 1800 to {date.today().year + 30}")
    value = {
        "funder": funder or None,
        "recipient": recipient or None,
        "until_year": until_year,
        "until_month": None,
        "what": what,
    }
    return _propose(session, "partnership", partnership_id, "funding", value, citation, editor)


NAME_LANGUAGES = {"en": "English", "zh": "Chinese", "pinyin": "pinyin"}


def propose_party_name(
    session: Session, party_id: str, name: str, language: str, citation: Citation, editor: str
) -> str:
    """A name an editor says a party goes by (in English, Chinese or pinyin); once accepted, the
    party is found by it."""
    if get_party(session, party_id) is None:
        raise NotFound(f"no party {party_id!r} in the register")
    if language not in NAME_LANGUAGES:
        raise BadCorrection(f"language {language!r}: choose {', '.join(NAME_LANGUAGES)}")
    name = " ".join(name.split())
    if not name or len(name) > 300:
        raise BadCorrection("name: give the name, 1 to 300 characters")
    return _propose(session, "party", party_id, "name", {"name": name, "language": language}, citation, editor)


def propose_claim(
    session: Session, subject_type: str, subject_id: str, prop: str, value: object, citation: Citation, editor: str
) -> str:
    """A proposed claim by a user, with the citation given; its id (for what the process records)."""
    return _propose(session, subject_type, subject_id, prop, value, citation, editor)


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
    start, end = citation.span or (None, None)
    method = citation.method or f"editor:{editor}"
    evidence = Evidence(citation.document_id or None, source, quote, start, end, method)
    claim_id, new = add_claim(session, subject_type, subject_id, prop, value, evidence)
    if new:
        touched = Touched()
        if subject_type == "partnership":
            touched.partnerships.add(subject_id)
        elif subject_type == "event":
            touched.events.add(subject_id)
        else:
            touched.parties.add(subject_id)
        refresh(session, touched)
        record_audit(
            session, editor, "claim.propose", claim_id, **{subject_type: subject_id}, property=prop, value=value
        )
    return claim_id
