"""Deterministic ids: a thing's id is a hash of what it is, so writing it twice is a no-op."""

from __future__ import annotations

import hashlib


def make_id(prefix: str, *parts: object) -> str:
    """``make_id("p", "gn:1", "iso:CN-ZJ")`` → ``"p-3f2a…"`` (16 hex digits)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"{prefix}-{digest}"


def ordered_pair(a: str, b: str) -> tuple[str, str]:
    """The canonical order of two party ids, so A–B and B–A are one partnership."""
    return (a, b) if a <= b else (b, a)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
