"""Mentions between two offsets, found by bisection so that a pass over a document's lines or
sentences stays linear in its length."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar


class Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


class Ordered(Generic[S]):
    """Items with offsets, in order of their start."""

    def __init__(self, items: Sequence[S]) -> None:
        self.items: list[S] = sorted(items, key=lambda m: m.start)
        self.starts: list[int] = [m.start for m in self.items]

    def within(self, start: int, end: int) -> list[S]:
        """The items that lie wholly between ``start`` and ``end``."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [m for m in self.items[lo:hi] if m.end <= end]

    def covering(self, offset: int) -> S | None:
        """The item that covers ``offset``, if any (items do not overlap)."""
        k = bisect_left(self.starts, offset + 1) - 1
        if k >= 0 and self.items[k].start <= offset < self.items[k].end:
            return self.items[k]
        return None
