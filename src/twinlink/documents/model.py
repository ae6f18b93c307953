"""The document value every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass

from twinlink.vocab import DocumentKind


@dataclass(frozen=True, slots=True)
class Document:
    id: str  # sha256 of the file's bytes
    name: str  # the file's base name, as the facts format's "doc"
    source: str
    title: str | None
    kind: DocumentKind
    media_type: str
    text: str
    size: int
