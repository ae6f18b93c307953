"""Plain text with its encoding detected."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from twinlink.documents.model import is_address
from twinlink.errors import BadDocument


def decode_text(data: bytes, path: str) -> str:
    """The text of a file, whatever its encoding; NUL characters (which PostgreSQL cannot store)
    become spaces, so that offsets stay as they are."""
    wide = _bom_less_wide(data)
    if wide is not None:
        return _checked(data.decode(wide, errors="replace"), path).replace("\x00", " ")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadDocument(path, "binary file, not text")
    try:
        return data.decode("utf-8-sig").replace("\x00", " ")
    except UnicodeDecodeError:
        pass
    sample = data[:20_000]
    if sum(sample.count(bytes([b])) for b in _CONTROL_BYTES) > len(sample) * 0.05:
        raise BadDocument(path, "binary file, not text (mostly control bytes)")
    best = from_bytes(data).best()
    if best is None:
        raise BadDocument(path, "binary file, not text (no text encoding fits)")
    return _checked(str(best), path).replace("\x00", " ")


def _bom_less_wide(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the zero bytes of Latin text fall."""
    sample = data[:4096]
    if len(sample) < 8 or sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None
    quarters = [sample[i::4].count(0) / len(sample[i::4]) for i in range(4)]
    if quarters[1] > 0.9 and quarters[2] > 0.9 and quarters[3] > 0.9:
        return "utf-32-le"
    if quarters[0] > 0.9 and quarters[1] > 0.9 and quarters[2] > 0.9:
        return "utf-32-be"
    odd, even = sample[1::2].count(0) / len(sample[1::2]), sample[0::2].count(0) / len(sample[0::2])
    if odd > 0.6 and even < 0.1:
        return "utf-16-le"
    if even > 0.6 and odd < 0.1:
        return "utf-16-be"
    return None


_CONTROL_BYTES = [b for b in range(32) if b not in (9, 10, 12, 13)] + [127]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def _checked(text: str, path: str) -> str:
    """Text that is mostly control characters or replacements is bytes taken for text."""
    sample = text[:20_000]
    if sample and len(_CONTROL.findall(sample)) > len(sample) * 0.05:
        raise BadDocument(path, "binary file, not text (mostly control characters)")
    return text


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
    return address if address and is_address(address) else None
