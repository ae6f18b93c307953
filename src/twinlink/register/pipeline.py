"""Documents into the register: read and extracted first (``preparing``), then written in
batches, one transaction a batch and a savepoint a document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from twinlink.config import Settings
from twinlink.documents.model import Document as DocumentValue
from twinlink.extract.pipeline import Extractor
from twinlink.extract.rules import extractor_version
from twinlink.facts import DocumentFacts
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.register.ingest import Registrar
from twinlink.register.preparing import Citation, Prepared, Reading, prepare_all
from twinlink.store.claims import extracted_document_ids, list_document_claims
from twinlink.store.documents import add_document, all_document_ids, count_documents
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Document, Event, Partnership, Party
from twinlink.store.users import record_audit

EXTRACTED = "rule:"
NO_CITATION = Citation()
LOCAL = "local"  # who writes when no one is named (a script calling the library)


@dataclass
class IngestOutcome:
    name: str
    state: str  # added, unchanged, reextracted or failed
    document_id: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    error: str | None = None


def _has_extracted_claims(session: Session, document_id: str) -> bool:
    return any(c.method.startswith(EXTRACTED) for c in list_document_claims(session, document_id))


def write_document(
    session: Session, gazetteer: Gazetteer, document: DocumentValue, facts: DocumentFacts, actor: str = LOCAL
) -> tuple[IngestOutcome, Touched]:
    """Store a document and the facts read from it, in the caller's transaction, leaving its
    derived rows to the caller to refresh (what it touched is returned); a document the register
    has read already changes nothing."""
    added = add_document(session, document)
    if not added and _has_extracted_claims(session, document.id):
        return IngestOutcome(document.source, "unchanged", document.id), Touched()
    result = Registrar(session, gazetteer, facts, document.id, "import", document.source, new_document=added).run()
    if added:
        result.touched.documents.add(document.id)
    if added or result.counts:
        record_audit(session, actor, "ingest", document.id, source=document.source, **result.counts)
    state = "added" if added or result.counts else "unchanged"
    return IngestOutcome(document.source, state, document.id, result.counts), result.touched


def register_document(
    session: Session, gazetteer: Gazetteer, document: DocumentValue, facts: DocumentFacts, actor: str = LOCAL
) -> IngestOutcome:
    """``write_document`` with its derived rows refreshed, in the caller's transaction."""
    outcome, touched = write_document(session, gazetteer, document, facts, actor)
    refresh(session, touched)
    return outcome


def ingest_document(engine: Engine, extractor: Extractor, document: DocumentValue, actor: str = LOCAL) -> IngestOutcome:
    """Read one document and write what it says: the extraction runs before the transaction, so
    a long document does not hold the database while it is read."""
    with reading(engine) as session:
        if _has_extracted_claims(session, document.id):
            return IngestOutcome(document.source, "unchanged", document.id)
    facts = extractor.extract(document)
    with transaction(engine) as session:
        return register_document(session, extractor.gazetteer, document, facts, actor)


WRITE_ATTEMPTS = 4
BATCH_DOCUMENTS = 100  # documents written in one transaction, their derived rows refreshed once
# a long ingest's batches grow to this share of what it has written: a party or partnership that
# many of its documents speak of has its stored timeline or digest, which grows with its history,
# rewritten once a batch, so that rewriting them does not come to cost more than the writing
BATCH_SHARE = 0.25
LARGEST_BATCH = 1_000
# what a batch looks up again: the parties, partnerships and events its documents share, and
# the documents themselves when their text is indexed (not read back from the store)
SHARED = (Party, Partnership, Event, Document)


def _another_writer_won(exc: SQLAlchemyError) -> bool:
    """Whether a write failed only because another writer at the same time wrote the same row
    first (ids are hashes of what a thing is, so both meant the same party or claim), or because
    the server chose this transaction to undo in a deadlock: tried again, it goes through."""
    if isinstance(exc, IntegrityError):
        return "unique" in str(exc.orig).lower() or "duplicate key" in str(exc.orig).lower()
    return _must_start_again(exc) or (isinstance(exc, OperationalError) and "database is locked" in str(exc.orig))


def _must_start_again(exc: SQLAlchemyError) -> bool:
    """Whether the server undid this transaction's statement to break a deadlock or keep writers
    serializable: the locks the transaction holds from before are what the other writer waits
    for, so only the whole transaction, not the document's savepoint, can be tried again."""
    reason = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, OperationalError) and ("deadlock" in reason or "could not serialize" in reason)


def _refused(name: str, exc: SQLAlchemyError) -> IngestOutcome:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return IngestOutcome(name, "failed", error=f"{name}: the database refused it, nothing of it was written ({reason})")


class _BatchUndone(SQLAlchemyError):
    """A batch's transaction that the server undid in part (a deadlock): it cannot be committed."""


R = TypeVar("R")


def _retried(name: str, write: Callable[[], R], refused: Callable[[IngestOutcome], R]) -> R:
    """``write``, tried again while it fails only because another writer got to the same rows
    first; what ``refused`` makes of the reason when it fails otherwise."""
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            return write()
        except _BatchUndone:
            raise
        except SQLAlchemyError as exc:
            if attempt == WRITE_ATTEMPTS or not _another_writer_won(exc):
                return refused(_refused(name, exc))
    raise AssertionError("unreachable")


def _write_in_savepoint(
    session: Session, gazetteer: Gazetteer, item: Prepared, actor: str
) -> tuple[IngestOutcome, Touched]:
    """One document of a batch, in a savepoint of its own: refused, it is undone alone."""
    assert item.document is not None and item.facts is not None
    document, facts = item.document, item.facts

    def write() -> tuple[IngestOutcome, Touched]:
        try:
            with session.begin_nested():
                return write_document(session, gazetteer, document, facts, actor)
        except OperationalError as exc:
            if _must_start_again(exc):
                raise _BatchUndone from exc  # the batch is written again, a document at a time
            raise

    return _retried(item.name, write, lambda outcome: (outcome, Touched()))


def _write_batch(engine: Engine, gazetteer: Gazetteer, batch: list[Prepared], actor: str) -> list[IngestOutcome]:
    """A batch of documents in one transaction, each in a savepoint, their derived rows refreshed
    once at the end: a party that many of them speak of has its timeline and digests computed once."""
    with transaction(engine) as session:
        # the session holds what it loaded only weakly: what is kept here is read once a batch
        # instead of once a document (not claims, which are never read again, and are most of
        # what a long document writes)
        kept: list[object] = []

        def keep(_session: Session, instance: object) -> None:
            if isinstance(instance, SHARED):
                kept.append(instance)

        event.listen(session, "loaded_as_persistent", keep)
        event.listen(session, "pending_to_persistent", keep)
        outcomes, touched = [], Touched()
        for item in batch:
            outcome, wrote = _write_in_savepoint(session, gazetteer, item, actor)
            outcomes.append(outcome)
            touched.update(wrote)
        refresh(session, touched)
    return outcomes


def _write_one_by_one(engine: Engine, gazetteer: Gazetteer, batch: list[Prepared], actor: str) -> list[IngestOutcome]:
    """The batch again, a transaction a document, when writing it whole failed at its end."""

    def writer(item: Prepared) -> Callable[[], IngestOutcome]:
        assert item.document is not None and item.facts is not None
        document, facts = item.document, item.facts

        def write() -> IngestOutcome:
            with transaction(engine) as session:
                return register_document(session, gazetteer, document, facts, actor)

        return write

    return [_retried(item.name, writer(item), lambda outcome: outcome) for item in batch]


def _written(engine: Engine, gazetteer: Gazetteer, batch: list[Prepared], actor: str) -> list[IngestOutcome]:
    if not batch:
        return []
    try:
        return _write_batch(engine, gazetteer, batch, actor)
    except SQLAlchemyError:
        return _write_one_by_one(engine, gazetteer, batch, actor)


def _read_already(engine: Engine) -> frozenset[str]:
    with reading(engine) as session:
        return frozenset(extracted_document_ids(session, EXTRACTED))


def ingest_paths(
    engine: Engine,
    extractor: Extractor,
    paths: Iterable[Path | str],
    max_bytes: int,
    actor: str = LOCAL,
    citation: Citation = NO_CITATION,
    allow_private: bool = False,
    jobs: int = 1,
    batch_documents: int = BATCH_DOCUMENTS,
) -> Iterator[IngestOutcome]:
    """Each file or address read and extracted outside any transaction (in ``jobs`` processes),
    then written with others in a batch, each document in a savepoint of its own: a bad one is
    reported and the others still go in. Outcomes come in the order given, once written."""
    settings = Settings()
    read = Reading(
        max_bytes,
        citation,
        allow_private,
        _read_already(engine),
        settings.read_seconds,
        settings.read_seconds_per_mb,
    )
    waiting: list[IngestOutcome | Prepared] = []  # outcomes known at once, and documents to write
    done = 0

    def flush() -> Iterator[IngestOutcome]:
        nonlocal done
        to_write = [item for item in waiting if isinstance(item, Prepared)]
        written = iter(_written(engine, extractor.gazetteer, to_write, actor))
        for item in waiting:
            yield next(written) if isinstance(item, Prepared) else item
        done += len(waiting)
        waiting.clear()

    for prepared in prepare_all(paths, read, extractor, jobs):
        if prepared.error is not None or prepared.document is None:
            waiting.append(IngestOutcome(prepared.name, "failed", error=prepared.error))
        elif prepared.known or prepared.facts is None:
            waiting.append(IngestOutcome(prepared.document.source, "unchanged", prepared.document.id))
        else:
            waiting.append(prepared)
        if len(waiting) >= max(batch_documents, min(LARGEST_BATCH, int(done * BATCH_SHARE))):
            yield from flush()
    yield from flush()


def reextract_document(session: Session, extractor: Extractor, stored: Document, actor: str = LOCAL) -> IngestOutcome:
    """Read a stored document again with the current rules. Extracted claims the rules no longer
    make are marked superseded (kept, with the version that replaced them); claims made again stand."""
    facts = extractor.extract_text(stored.text, Path(stored.source).name, stored.source, stored.title)
    result = Registrar(session, extractor.gazetteer, facts, stored.id, "import", stored.source).run()
    version = extractor_version()
    for claim in list_document_claims(session, stored.id):
        if not claim.method.startswith(EXTRACTED):
            continue
        if claim.id in result.claim_ids:
            if claim.superseded_by is None:
                continue
            claim.superseded_by = None
            result.counts["restored"] += 1
        elif claim.superseded_by is None:
            claim.superseded_by = version
            result.counts["superseded"] += 1
        else:
            continue
        result.touched.claim(claim)
    refresh(session, result.touched)
    if result.counts:
        record_audit(session, actor, "reextract", stored.id, version=version, **result.counts)
    return IngestOutcome(stored.source, "reextracted", stored.id, result.counts)


def reextract_all(engine: Engine, extractor: Extractor, actor: str = LOCAL) -> Iterator[IngestOutcome]:
    with reading(engine) as session:
        ids = all_document_ids(session)
    for doc_id in ids:
        with transaction(engine) as session:
            stored = session.get(Document, doc_id)
            if stored is None:
                continue
            outcome = reextract_document(session, extractor, stored, actor)
        yield outcome


def count_stored(engine: Engine) -> int:
    with reading(engine) as session:
        return count_documents(session)
