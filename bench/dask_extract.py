"""Dask extraction benchmark: the 20 MB realistic corpus of ``bench/run.py`` extracted on a local
Dask cluster of one worker, then of two; prints each rate and how much faster two are."""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from run import make_document

from twinlink.extract.distributed import extract_on_dask


def main(total_mb: int = 20, doc_kb: int = 20) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = []
        for number in range(total_mb * 1024 // doc_kb):
            path = folder / "docs" / f"{number:05d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(make_document(rng, doc_kb * 1024, dense=False), encoding="utf-8")
            sources.append(str(path))
        rates = {}
        for workers in (1, 2):
            started = time.monotonic()
            shards = list(extract_on_dask(sources, str(folder / f"out{workers}"), workers=workers, partition_size=32))
            took = time.monotonic() - started
            assert sum(s.documents for s in shards) == len(sources)
            rates[workers] = total_mb / took
            print(
                f"dask extraction, {total_mb} MB, {workers} worker(s): {rates[workers]:.2f} MB/s ({took:.1f} s, cluster start included)"
            )
        print(f"  two workers {rates[2] / rates[1]:.2f}x one")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
