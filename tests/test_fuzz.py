"""Hostile and odd documents through loading, extraction and ingest: every one is reported by
name, none stops the others, none raises. `make test` runs a bounded number of cases;
`make fuzz` (TWINLINK_FUZZ_EXAMPLES=10000) runs many more and prints the figures."""

from __future__ import annotations

import os
import resource
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from twinlink.config import Settings
from twinlink.extract.pipeline import Extractor
from twinlink.register.budget import budget_for
from twinlink.register.database import prepare
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import make_engine

EXAMPLES = int(os.environ.get("TWINLINK_FUZZ_EXAMPLES", "25"))
PLACES = ["Derby", "Hefei", "Leeds", "Hangzhou", "宁波", "Nottingham", "Ningbo"]
TIES = [" is twinned with ", " and ", "与", "缔结友好城市", ", ", " signed an agreement with "]


def _families() -> st.SearchStrategy[tuple[str, bytes]]:
    words = st.lists(st.sampled_from(PLACES + TIES + [" in 1985", ".", "?", "\u200b", "\u202e", "😀", "\x00"]))
    run_on = st.integers(1, 2_000).map(lambda n: ("Bristol is twinned with Ningbo, " * n).encode())
    dots = st.integers(1, 20_000).map(lambda n: ("." * n).encode())
    nested = st.integers(1, 3_000).map(lambda n: ("<div>" * n + "Derby is twinned with Hefei." + "</div>" * n).encode())
    attributes = st.integers(1, 5_000).map(
        lambda n: ("<p " + " ".join(f"a{i}=x" for i in range(n)) + ">Leeds</p>").encode()
    )
    mixed = words.map(lambda ws: ("Notes\n\n" + "".join(ws)).encode("utf-8"))
    utf16 = mixed.map(lambda b: b.decode("utf-8").encode("utf-16-le"))
    families = {
        "run-on sentence": run_on,
        "dots": dots,
        "nested html": nested,
        "attributes": attributes,
        "mixed marks": mixed,
        "utf-16 without bom": utf16,
        "random bytes": st.binary(max_size=2_000),
    }
    return st.one_of(*(strategy.map(lambda data, name=name: (name, data)) for name, strategy in families.items()))


class Figures:
    """What the cases did, printed when the module's tests end (seen with ``make fuzz``)."""

    def __init__(self) -> None:
        self.states: Counter[str] = Counter()
        self.slowest = (0.0, "", 0)

    def record(self, family: str, size: int, state: str, seconds: float) -> None:
        self.states[state] += 1
        if seconds > self.slowest[0]:
            self.slowest = (seconds, family, size)

    def report(self) -> str:
        seconds, family, size = self.slowest
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        states = ", ".join(f"{n} {state}" for state, n in sorted(self.states.items()))
        return (
            f"fuzz: {sum(self.states.values())} hostile documents ({states}), 0 tracebacks; "
            f"slowest {seconds:.2f} s ({family}, {size:,} bytes); peak memory {peak:.0f} MB"
        )


FIGURES = Figures()


@pytest.fixture(scope="module", autouse=True)
def print_figures() -> Iterator[None]:
    yield
    print("\n" + FIGURES.report())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_families(), suffix=st.sampled_from([".txt", ".html", ".pdf", ".docx"]))
def test_no_document_raises_or_stops_an_ingest(
    extractor: Extractor, tmp_path: Path, case: tuple[str, bytes], suffix: str
) -> None:
    family, data = case
    folder = tmp_path / f"case{time.monotonic_ns()}"
    folder.mkdir()
    hostile, fine = folder / f"hostile{suffix}", folder / "fine.txt"
    hostile.write_bytes(data)
    fine.write_text("Notes\n\nDerby is twinned with Hefei.\n", encoding="utf-8")
    engine = make_engine(f"sqlite:///{folder / 'r.db'}")
    prepare(engine)
    started = time.monotonic()
    outcomes = list(ingest_paths(engine, extractor, [hostile, fine], 1_000_000))
    took = time.monotonic() - started
    FIGURES.record(family, len(data), outcomes[0].state, took)
    assert took < budget_for(len(data), Settings().read_seconds, Settings().read_seconds_per_mb) + 5
    assert len(outcomes) == 2 and outcomes[1].state == "added"  # the document after it still goes in
    assert outcomes[0].state in ("added", "unchanged", "failed")
    if outcomes[0].state == "failed":
        assert "hostile" in (outcomes[0].error or "")  # named, with a reason
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        stored = connection.execute(text("SELECT text FROM documents")).scalars().all()
    assert all("\x00" not in t for t in stored)
    engine.dispose()
