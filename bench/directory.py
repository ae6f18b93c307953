"""Directory benchmark: the partnerships page with no query (its first rows, the count and every
facet) on the serving benchmark's register of 20,000 partnerships, through the web app; the best
and the median of a number of requests, in milliseconds."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from serve import PARTNERSHIPS, generate

from twinlink.config import Settings
from twinlink.web.app import create_app

REQUESTS = 30


def main(existing: str | None = None) -> None:
    """``existing``: a register ``serve.generate`` made before, to measure again without making it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(existing) if existing else Path(tmp) / "register.db"
        if not existing:
            generate(path)
        with TestClient(create_app(Settings(database_url=f"sqlite:///{path}"))) as client:
            for address in ("/search", "/search?country=CN&status=dormant", "/search?rows=40"):
                assert client.get(address).status_code == 200  # warm
                took = []
                for _ in range(REQUESTS):
                    started = time.perf_counter()
                    answer = client.get(address)
                    took.append((time.perf_counter() - started) * 1000)
                    assert answer.status_code == 200
                print(
                    f"directory {address} at {PARTNERSHIPS:,} partnerships: "
                    f"best {min(took):.0f} ms, median {statistics.median(took):.0f} ms"
                )


if __name__ == "__main__":
    main(*sys.argv[1:2])
