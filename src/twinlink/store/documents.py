"""Stored documents, keyed by the sha256 of their bytes."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinlink.documents.model import Document as DocumentValue
from twinlink.store.tables import Document


def add_document(session: Session, doc: DocumentValue) -> bool:
    """Store a document unless one with the same content is already there; True when added (the
    caller refreshes the search index)."""
    if session.get(Document, doc.id) is not None:
        return False
    stored = Document(
        id=doc.id,
        source=doc.source,
        title=doc.title,
        kind=doc.kind.value,
        media_type=doc.media_type,
        text=doc.text,
        size=doc.size,
    )
    session.add(stored)
    session.flush()
    return True


def get_document(session: Session, doc_id: str) -> Document | None:
    return session.get(Document, doc_id)


def count_documents(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Document)) or 0)


def page_of_documents(session: Session, limit: int, after: str | None = None) -> list[Document]:
    """Documents in id order after the cursor ``after``, at most ``limit`` + 1."""
    query = select(Document).order_by(Document.id)
    if after:
        query = query.where(Document.id > after)
    return list(session.scalars(query.limit(limit + 1)))


def all_document_ids(session: Session) -> list[str]:
    """Every document's id, in the order they were ingested."""
    return list(session.scalars(select(Document.id).order_by(Document.ingested_at, Document.id)))


def get_document_by_source(session: Session, source: str) -> Document | None:
    return session.scalars(select(Document).where(Document.source == source).order_by(Document.id)).first()
