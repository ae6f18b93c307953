"""Plain text with its encoding detected."""

from __future__ import annotations

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
