"""Ingest benchmark: generated news items about real UK and Chinese places, with the overlap a
real corpus has (a few busy pairs, a long tail), through ``ingest_paths`` with ``--jobs``; prints
documents a second for each thousand, the last thousand against the first, and the whole run.

    python bench/ingest.py [DOCUMENTS] [JOBS]"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from twinlink.extract.pipeline import Extractor
from twinlink.gazetteer.lookup import default_gazetteer
from twinlink.register.database import prepare
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import make_engine
from twinlink.vocab import CITY_KINDS

SENTENCES = [
    "{uk} is twinned with {cn}.",
    "In {month} {year} a delegation from {cn} visited {uk}.",
    "{uk} and {cn} signed a friendship agreement in {year}.",
    "In {month} {year} pupils from {uk} visited {cn} on an exchange.",
    "In {month} {year} a trade mission from {uk} visited {cn}.",
    "The council published its annual report on international engagement, covering culture and sport.",
    "Members asked how the programme would be evaluated and what outcomes were expected for residents.",
]
MONTHS = ["January", "March", "June", "September", "November"]


def _places(country: str, count: int) -> list[str]:
    gazetteer = default_gazetteer()
    found = sorted(
        (p for p in gazetteer.places if p.country == country and p.kind in CITY_KINDS and " " not in p.name),
        key=lambda p: -p.population,
    )
    return [p.name for p in found[:count]]


def write_corpus(folder: Path, documents: int, seed: int = 7) -> list[Path]:
    """News items, each about one pair: pairs drawn so that a few recur often (Zipf-like)."""
    rng = random.Random(seed)
    uk, cn = _places("GB", 150), _places("CN", 150)
    pairs = [(rng.choice(uk), rng.choice(cn)) for _ in range(600)]
    weights = [1 / (rank + 1) for rank in range(len(pairs))]
    paths = []
    for number in range(documents):
        a, b = rng.choices(pairs, weights)[0]
        sentences = [
            rng.choice(SENTENCES).format(uk=a, cn=b, month=rng.choice(MONTHS), year=rng.randint(1985, 2025))
            for _ in range(5)
        ]
        path = folder / f"{number:06d}.txt"
        path.write_text(f"News item {number}\n\n" + " ".join(sentences) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(documents: int = 10_000, jobs: int = 2) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_corpus(folder, documents)
        engine = make_engine(f"sqlite:///{folder / 'register.db'}")
        prepare(engine)
        extractor = Extractor.build(default_gazetteer())
        started = time.monotonic()
        finished: list[float] = []  # when each document's batch was committed
        for outcome in ingest_paths(engine, extractor, paths, 1_000_000, jobs=jobs):
            assert outcome.state == "added", outcome.error
            finished.append(time.monotonic() - started)
        total = finished[-1]
        laps = [_share_of_time(finished, start, start + 1000) for start in range(0, documents - 999, 1000)]
        for number, lap in enumerate(laps, 1):
            print(f"  {number * 1000:>7,} documents: this thousand {1000 / lap:6.0f} documents/s")
        print(f"ingest, {documents:,} documents, --jobs {jobs}: {documents / total:.0f} documents/s ({total:.1f} s)")
        if len(laps) >= 2:
            print(f"  last thousand took {laps[-1] / laps[0]:.2f}x the first")


def _share_of_time(finished: list[float], first: int, end: int) -> float:
    """The time documents ``first`` to ``end`` took: documents are written in batches that end
    together, so each batch's time is shared evenly among its documents."""
    batches: list[tuple[int, int, float]] = []  # (first document, end, seconds) of each batch
    begin, before = 0, 0.0
    for index in range(1, len(finished) + 1):
        if index == len(finished) or finished[index] - finished[index - 1] > 0.001:
            batches.append((begin, index, finished[index - 1] - before))
            begin, before = index, finished[index - 1]
    return sum(
        seconds * (min(end, stop) - max(first, start)) / (stop - start)
        for start, stop, seconds in batches
        if min(end, stop) > max(first, start)
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
