"""Twinlink: an evidence-backed register of twinning, sister-city and school partnerships.

``from twinlink import extract_text, open_register`` (see docs/python.md); they are loaded when
first asked for, so that ``import twinlink`` stays quick."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Register", "__version__", "extract_text", "open_register"]


def __getattr__(name: str) -> Any:
    if name in ("Register", "extract_text", "open_register"):
        from twinlink import library

        return getattr(library, name)
    raise AttributeError(f"module 'twinlink' has no attribute {name!r}")
