"""Holding off Python's cyclic garbage collector while many objects are built at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """While thousands of short-lived, acyclic objects are made (every partnership's view for a
    directory's facets or an export, a document's sentences and mentions), collections would walk
    them again and again; reference counting still frees them. The collector is switched back on
    afterwards, unless it was off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
