"""Plain text with its encoding detected."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from twinlink.errors import BadDocument


def decode_text(data: bytes, path: str) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadDocument(path, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise BadDocument(path, "binary file, not text (no text encoding fits)")
    return str(best)


def first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return None


_SOURCE_LINE = re.compile(r"\A\ufeff?\s*SOURCE:\s*(\S+)\s*$", re.M)
_CANONICAL = re.compile(
    r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*\bhref=[\"']([^\"'>\s]+)"
    r"|<meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*\bcontent=[\"']([^\"'>\s]+)",
    re.I,
)


def stated_source(text: str) -> str | None:
    """The address a text gives for itself on its first line ("SOURCE: https://…")."""
    m = _SOURCE_LINE.match(text[:2048])
    return m.group(1) if m and "://" in m.group(1) else None


def canonical_address(markup: str) -> str | None:
    """The address an HTML page gives for itself (a canonical link or og:url)."""
    m = _CANONICAL.search(markup[:200_000])
    address = (m.group(1) or m.group(2)) if m else None
    return address if address and address.startswith(("http://", "https://")) else None
