"""Documents into the register: load, extract, register; one transaction per document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from twinlink.config import Settings
from twinlink.documents import load_document
from twinlink.documents.fetch import fetch_document, is_address
from twinlink.documents.model import Document as DocumentValue
from twinlink.errors import BadDocument
from twinlink.extract.pipeline import Extractor
from twinlink.extract.rules import extractor_version
from twinlink.register.derived.refresh import refresh
from twinlink.register.ingest import Registrar
from twinlink.store.claims import list_document_claims
from twinlink.store.documents import add_document, all_document_ids, count_documents
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Document
from twinlink.store.users import record_audit

EXTRACTED = "rule:"
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


def ingest_document(
    session: Session, extractor: Extractor, document: DocumentValue, actor: str = LOCAL
) -> IngestOutcome:
    """Store a document and register what it says; a document already ingested changes nothing."""
    added = add_document(session, document)
    if not added and _has_extracted_claims(session, document.id):
        return IngestOutcome(document.source, "unchanged", document.id)
    facts = extractor.extract(document)
    result = Registrar(session, extractor.gazetteer, facts, document.id, "import", document.source).run()
    if added:
        result.touched.documents.add(document.id)
    refresh(session, result.touched)
    if added or result.counts:
        record_audit(session, actor, "ingest", document.id, source=document.source, **result.counts)
    return IngestOutcome(
        document.source, "added" if added or result.counts else "unchanged", document.id, result.counts
    )


@dataclass(frozen=True)
class Citation:
    """How documents are to be cited when the files do not say: their address and title."""

    source: str | None = None
    title: str | None = None


def load_item(
    item: Path | str, max_bytes: int, citation: Citation = Citation(), allow_private: bool = False
) -> DocumentValue:
    """A file, or a web address fetched with the same limits; a ``BadDocument`` says why not."""
    if isinstance(item, str) and is_address(item):
        settings_timeout = Settings().fetch_timeout_seconds
        return fetch_document(
            item, max_bytes=max_bytes, timeout=settings_timeout, allow_private=allow_private, title=citation.title
        )
    return load_document(Path(item), max_bytes=max_bytes, source=citation.source, title=citation.title)


def ingest_paths(
    engine: Engine,
    extractor: Extractor,
    paths: Iterable[Path | str],
    max_bytes: int,
    actor: str = LOCAL,
    citation: Citation = Citation(),
    allow_private: bool = False,
) -> Iterator[IngestOutcome]:
    """Each file or address in its own transaction: a bad one is reported and the others still go in."""
    for path in paths:
        try:
            document = load_item(path, max_bytes, citation, allow_private)
        except BadDocument as exc:
            yield IngestOutcome(str(path), "failed", error=str(exc))
            continue
        try:
            with transaction(engine) as session:
                outcome = ingest_document(session, extractor, document, actor)
        except SQLAlchemyError as exc:
            # this document's transaction is rolled back; those before it stand, those after go on
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            yield IngestOutcome(
                str(path), "failed", error=f"{path}: the database refused it, nothing of it was written ({reason})"
            )
            continue
        yield outcome


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
