"""Read a file into a ``Document``, choosing the loader by content, not only by name."""

from __future__ import annotations

from pathlib import Path

from twinlink.documents.html import html_to_text
from twinlink.documents.kinds import guess_kind
from twinlink.documents.model import Document
from twinlink.documents.pdf import pdf_to_text
from twinlink.documents.text import canonical_address, decode_text, first_line_title, stated_source
from twinlink.documents.word import MEDIA_TYPE as WORD
from twinlink.documents.word import docx_to_text, is_docx
from twinlink.errors import BadDocument
from twinlink.ids import sha256_hex

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_UNSUPPORTED = {
    ".doc",
    ".xlsx",
    ".xls",
    ".pptx",
    ".zip",
    ".gz",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".exe",
    ".odt",
}


def media_type_of(data: bytes, suffix: str) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if is_docx(data):
        return WORD
    if suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return "text/plain"


def load_bytes(
    data: bytes, name: str, source: str | None = None, fallback: str | None = None, title: str | None = None
) -> Document:
    """``source``: the address given for the document; else the one it states for itself; else
    ``fallback``, else its file name (a citation never shows where a file lay on someone's disk).
    ``title``: the title given for it, else its own."""
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise BadDocument(name, "empty file")
    media_type = media_type_of(data, suffix)
    if suffix == ".docx" and media_type != WORD:
        raise BadDocument(name, "not a readable Word file")
    if suffix in _UNSUPPORTED and media_type == "text/plain":
        raise BadDocument(name, f"unsupported file type {suffix} (text, HTML, PDF and Word .docx are read)")
    stated: str | None = None
    given_title = title
    if media_type == "application/pdf":
        text, title = pdf_to_text(data, name)
    elif media_type == WORD:
        text, title = docx_to_text(data, name)
    elif media_type == "text/html":
        markup = decode_text(data, name)
        text, title = html_to_text(markup, name)
        stated = canonical_address(markup)
    else:
        text = decode_text(data, name)
        stated = stated_source(text)
        title = first_line_title(text[text.index("\n") + 1 :] if stated and "\n" in text else text)
    if not text.strip():
        raise BadDocument(name, "no text")
    return Document(
        id=sha256_hex(data),
        name=Path(name).name,
        source=source or stated or fallback or Path(name).name,
        title=given_title or title,
        kind=guess_kind(text, media_type),
        media_type=media_type,
        text=text,
        size=len(data),
    )


def load_document(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, source: str | None = None, title: str | None = None
) -> Document:
    """Load one file; every failure is a ``BadDocument`` naming the file and the reason."""
    name = str(path)
    if not path.exists():
        raise BadDocument(name, "no such file")
    if path.is_dir():
        raise BadDocument(name, "is a directory")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BadDocument(name, f"too large ({size} bytes; the limit is {max_bytes})")
        data = path.read_bytes()
    except PermissionError:
        raise BadDocument(name, "permission denied") from None
    except OSError as exc:
        raise BadDocument(name, f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    document = load_bytes(data, name, source, title=title)
    return document
