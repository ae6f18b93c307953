"""Start-up from a cold process: ``twinlink --help`` and ``twinlink extract`` on a small file,
each run in a new process several times; prints the median and best wall time.

    python bench/startup.py [RUNS]"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _timed(command: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def main(runs: int = 5) -> None:
    binary = str(Path(sys.executable).with_name("twinlink"))
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "note.txt"
        small.write_text("Derby is twinned with Hefei. In May 2019 a delegation from Hefei visited Derby.\n")
        subprocess.run([binary, "extract", str(small)], check=True, capture_output=True)  # the extractor cached once
        for label, command in (
            ("twinlink --help", [binary, "--help"]),
            ("twinlink extract on a 100-byte file", [binary, "extract", str(small)]),
        ):
            median, best = _timed(command, runs)
            print(f"start-up, {label}: median {median:.2f} s, best {best:.2f} s ({runs} cold processes)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
