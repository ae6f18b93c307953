"""One large text document through ``twinlink ingest``, in a process of its own: prints the time
it takes and the process's peak memory.

    python bench/large_document.py [MEGABYTES]"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARAGRAPH = [
    "The council's international committee met on {day} {month} {year} to review its links abroad.",
    "{uk} has been twinned with {cn} since {year}, and a delegation from {cn} visited {uk} in {month} {year}.",
    "Members asked how the programme would be evaluated and what outcomes were expected for residents.",
    "Officers reported on culture, sport, education and trade, with schools taking part in exchanges.",
]
UK = ["Leicester", "Nottingham", "Derby", "Bristol", "Leeds", "Coventry", "Norwich", "Exeter"]
CN = ["Chongqing", "Ningbo", "Hefei", "Guangzhou", "Hangzhou", "Jinan", "Xi'an", "Chengdu"]
MONTHS = ["January", "March", "June", "September", "November"]


def write_text(path: Path, megabytes: float) -> int:
    rng = random.Random(7)
    target = int(megabytes * 1_000_000)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("Minutes of the international committee\n\n")
        while written < target:
            line = " ".join(
                s.format(
                    uk=rng.choice(UK),
                    cn=rng.choice(CN),
                    year=rng.randint(1980, 2024),
                    month=rng.choice(MONTHS),
                    day=rng.randint(1, 28),
                )
                for s in PARAGRAPH
            )
            out.write(line + "\n\n")
            written += len(line) + 2
    return path.stat().st_size


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 50.0
    with tempfile.TemporaryDirectory() as folder:
        text = Path(folder) / "minutes.txt"
        size = write_text(text, megabytes)
        binary = Path(sys.executable).with_name("twinlink")
        command = [
            str(binary),
            "ingest",
            str(text),
            "--db",
            str(Path(folder) / "r.db"),
            "--max-bytes",
            str(400_000_000),
        ]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0:
            sys.exit(f"ingest failed: {done.stderr.strip()}")
        print(f"large document: {size / 1e6:.0f} MB of text ingested in {elapsed:.0f} s, peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
