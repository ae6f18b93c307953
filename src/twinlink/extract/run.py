"""Extract many files, in a process pool when asked; bad files are reported and skipped."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from twinlink.documents import load_document
from twinlink.documents.load import load_bytes
from twinlink.errors import BadDocument
from twinlink.extract.pipeline import Extractor
from twinlink.extract.prebuilt import default_extractor
from twinlink.facts import DocumentFacts

_worker: Extractor | None = None


@dataclass(frozen=True)
class Outcome:
    path: str
    facts: DocumentFacts | None
    error: str | None


def worker_extractor() -> Extractor:
    """The extractor of this process, loaded on first use and kept for every document after."""
    global _worker
    if _worker is None:
        _worker = default_extractor()
        # the gazetteer lives as long as the process: spare the collector from walking it again
        # and again while documents come and go
        gc.freeze()
    return _worker


def extract_file(path: str, max_bytes: int) -> Outcome:
    try:
        document = load_document(Path(path), max_bytes=max_bytes)
    except BadDocument as exc:
        return Outcome(path, None, str(exc))
    return Outcome(path, worker_extractor().extract(document), None)


def extract_data(data: bytes, name: str, max_bytes: int) -> Outcome:
    """A document given as bytes (read from standard input): its kind told from its content."""
    try:
        if len(data) > max_bytes:
            raise BadDocument(name, f"too large ({len(data)} bytes; the limit is {max_bytes})")
        document = load_bytes(data, name)
    except BadDocument as exc:
        return Outcome(name, None, str(exc))
    return Outcome(name, worker_extractor().extract(document), None)


def extract_files(paths: list[str], max_bytes: int, jobs: int = 1) -> Iterator[Outcome]:
    """Outcomes in the order of ``paths``."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield extract_file(path, max_bytes)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(extract_file, paths, [max_bytes] * len(paths), chunksize=4)
