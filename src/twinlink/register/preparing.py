"""Reading documents ready for the register, outside any transaction: each one loaded (a file,
or a web address fetched) and its facts extracted, in a pool of processes when asked. Only the
writing that follows holds the database (``pipeline``)."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from twinlink.config import Settings
from twinlink.documents import load_document
from twinlink.documents.fetch import fetch_document
from twinlink.documents.model import Document, is_address
from twinlink.errors import BadDocument
from twinlink.extract.pipeline import Extractor
from twinlink.extract.prebuilt import default_extractor
from twinlink.facts import DocumentFacts
from twinlink.register.budget import OverBudget, budget_for, time_budget


@dataclass(frozen=True)
class Citation:
    """How documents are to be cited when the files do not say: their address and title."""

    source: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Prepared:
    """One item read: its document and facts, or why it could not be read; ``known``: the
    register already holds what it says, so it was not extracted again."""

    name: str
    document: Document | None = None
    facts: DocumentFacts | None = None
    error: str | None = None
    known: bool = False


@dataclass(frozen=True)
class Reading:
    """What every item of one ingest is read with."""

    max_bytes: int
    citation: Citation = Citation()
    allow_private: bool = False
    known: frozenset[str] = frozenset()  # ids of documents the register has read already
    seconds: float = 0.0  # the time budget of a document: so long, plus ``seconds_per_mb`` a megabyte
    seconds_per_mb: float = 0.0


def load_item(item: Path | str, reading: Reading) -> Document:
    """A file, or a web address fetched with the same limits; a ``BadDocument`` says why not."""
    citation = reading.citation
    if isinstance(item, str) and is_address(item):
        timeout = Settings().fetch_timeout_seconds
        return fetch_document(
            item,
            max_bytes=reading.max_bytes,
            timeout=timeout,
            allow_private=reading.allow_private,
            title=citation.title,
        )
    return load_document(Path(item), max_bytes=reading.max_bytes, source=citation.source, title=citation.title)


def prepare(item: Path | str, reading: Reading, extractor: Extractor) -> Prepared:
    try:
        document = load_item(item, reading)
    except BadDocument as exc:
        return Prepared(str(item), error=str(exc))
    if document.id in reading.known:
        return Prepared(str(item), document, known=True)
    budget = budget_for(document.size, reading.seconds, reading.seconds_per_mb) if reading.seconds > 0 else None
    try:
        with time_budget(budget):
            facts = extractor.extract(document)
    except OverBudget:
        return Prepared(str(item), error=f"{item}: too complex to read within {budget:g} s; skipped")
    return Prepared(str(item), document, facts)


_worker: tuple[Extractor, Reading] | None = None


def _start_worker(reading: Reading) -> None:
    global _worker
    _worker = (default_extractor(), reading)
    gc.freeze()  # the gazetteer lives as long as the process: spare the collector from walking it


def _prepare_in_worker(item: Path | str) -> Prepared:
    assert _worker is not None
    extractor, reading = _worker
    return prepare(item, reading, extractor)


def prepare_all(
    items: Iterable[Path | str], reading: Reading, extractor: Extractor, jobs: int = 1
) -> Iterator[Prepared]:
    """Each item read and extracted, in the order given; with ``jobs`` above 1, in that many
    processes (each loads its own gazetteer once)."""
    listed = list(items)
    if jobs <= 1 or len(listed) <= 1:
        for item in listed:
            yield prepare(item, reading, extractor)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(reading,)) as pool:
        yield from pool.map(_prepare_in_worker, listed, chunksize=2)
