"""A time budget for reading one document: past it, the document is reported as too complex
and skipped, so that no document can stall an ingest. Enforced with a timer signal, which only
the main thread of a process can receive (the command line and its worker processes); elsewhere
(a web request's thread) the document is read without one."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class OverBudget(Exception):
    """Reading a document took longer than its budget."""


def _expired(_signum: int, _frame: FrameType | None) -> None:
    raise OverBudget


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ``OverBudget`` in the block once ``seconds`` have passed (None: no budget)."""
    usable = (
        seconds is not None and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def budget_for(size: int, base_seconds: float, seconds_per_mb: float) -> float:
    """The seconds a document of ``size`` bytes may take to read."""
    return base_seconds + seconds_per_mb * size / 1_000_000
