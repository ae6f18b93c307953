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


def is_address(text: str) -> bool:
    """Whether a source is a web address (http or https), not a file's name or a citation."""
    return text.lower().startswith(("http://", "https://"))
