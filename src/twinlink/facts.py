"""The facts exchange format (JSON Lines, one document per line): models, reading and writing."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TextIO

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from twinlink.errors import BadFacts
from twinlink.vocab import DocumentKind, EventKind, PartnershipKind, ReviewState


class Span(BaseModel):
    start: int
    end: int


class PartnershipFact(BaseModel):
    model_config = ConfigDict(extra="allow")

    parties: list[str] = Field(min_length=2, max_length=2)
    kind: PartnershipKind = PartnershipKind.PLACE
    established: int | list[int] | None = None
    instrument: str | None = None
    evidence: str | None = None
    span: Span | None = None
    rule: str | None = None
    party_ids: list[str | None] | None = None
    locations: dict[str, str] | None = None  # a body's name → the place the text says it is in
    named_kinds: dict[str, str] | None = None  # a place's name → the kind the text calls it

    @field_validator("parties")
    @classmethod
    def _names_not_blank(cls, value: list[str]) -> list[str]:
        if any(not p.strip() for p in value):
            raise ValueError("party names must not be blank")
        return value

    def established_years(self) -> list[int]:
        if self.established is None:
            return []
        return list(self.established) if isinstance(self.established, list) else [self.established]


class EventFact(BaseModel):
    model_config = ConfigDict(extra="allow")

    year: int
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    kind: EventKind = EventKind.OTHER
    parties: list[str] = Field(min_length=1)
    what: str = ""
    evidence: str | None = None
    span: Span | None = None
    rule: str | None = None
    planned: bool = False  # announced for the future: an event, never a link's activity
    party_ids: list[str | None] | None = None  # a register's ids for the parties, when facts come from one
    event_id: str | None = None  # the register's id for the event this telling belongs to


class FundingFact(BaseModel):
    model_config = ConfigDict(extra="allow")

    funder: str | None = None
    recipient: str | None = None
    parties: list[str] = Field(default_factory=list)
    amount: str | None = None
    year: int | None = None
    until_year: int | None = None
    until_month: int | None = None
    what: str = ""
    evidence: str | None = None
    span: Span | None = None
    rule: str | None = None
    party_ids: list[str | None] | None = None


class StatusFact(BaseModel):
    model_config = ConfigDict(extra="allow")

    parties: list[str] = Field(min_length=2, max_length=2)
    status: str
    evidence: str | None = None
    span: Span | None = None
    rule: str | None = None
    party_ids: list[str | None] | None = None


class StoredDocument(BaseModel):
    """The document a register read, as its facts export carries it."""

    id: str = Field(pattern="^[0-9a-f]{64}$", description="The sha256 of the document's bytes.")
    kind: DocumentKind
    media_type: str = "text/plain"
    size: int | None = Field(default=None, ge=0)
    text: str


class RawClaim(BaseModel):
    """A claim of a shape no fact has (an editor's year told alone, a party's name), as it is."""

    id: str | None = None
    subject_type: Literal["party", "partnership", "event"]
    subject_id: str
    property: str
    value: Any
    document_id: str | None = None
    source: str | None = None
    quote: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    method: str = "import"


class ReviewDecision(BaseModel):
    state: ReviewState
    previous_state: ReviewState
    reason: str = ""
    decided_by: str
    decided_at: datetime


class Review(BaseModel):
    """A claim's review state and the decisions that made it."""

    claim: str
    state: ReviewState
    superseded_by: str | None = None
    decisions: list[ReviewDecision] = Field(default_factory=list)


class DocumentFacts(BaseModel):
    model_config = ConfigDict(extra="allow")

    doc: str
    source: str | None = None
    title: str | None = None
    subject: str | None = None
    partnerships: list[PartnershipFact] = Field(default_factory=list)
    events: list[EventFact] = Field(default_factory=list)
    funding: list[FundingFact] = Field(default_factory=list)
    statuses: list[StatusFact] = Field(default_factory=list)
    # what a register's lossless export carries beyond facts (see docs/facts-format.md)
    document: StoredDocument | None = None
    claims: list[RawClaim] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)

    def to_json(self) -> str:
        data = self.model_dump(mode="json", exclude_none=True)
        for register_part in ("claims", "reviews"):  # only an export from a register has them
            if not data.get(register_part):
                data.pop(register_part, None)
        return json.dumps(data, ensure_ascii=False)


def iter_facts(lines: Iterable[str], name: str = "<facts>") -> Iterator[DocumentFacts]:
    """Parse facts lines; a bad line raises ``BadFacts`` naming the file and line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadFacts(f"{name}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise BadFacts(f"{name}:{number}: a facts line must be a JSON object")
        try:
            yield DocumentFacts.model_validate(obj)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise BadFacts(f"{name}:{number}: {where}: {first['msg']}") from None


def load_facts(path: Path) -> list[DocumentFacts]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadFacts(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadFacts(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    return list(iter_facts(text.splitlines(), str(path)))


def dump_facts(items: Iterable[DocumentFacts], out: TextIO) -> int:
    count = 0
    for item in items:
        out.write(item.to_json() + "\n")
        count += 1
    return count


SCHEMA_ID = "https://twinlink.example.org/schemas/facts.schema.json"


def facts_schema() -> dict[str, Any]:
    """The JSON Schema of one facts line (published as ``docs/facts.schema.json``)."""
    schema = DocumentFacts.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Twinlink facts: one document's partnerships, events, funding and statuses",
    }
