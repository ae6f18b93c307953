"""PDF text layer through pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from twinlink.documents.page_furniture import strip_page_furniture
from twinlink.errors import BadDocument


def pdf_to_text(data: bytes, path: str) -> tuple[str, str | None]:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise BadDocument(path, "encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata and reader.metadata.title else None
    except BadDocument:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise BadDocument(path, f"corrupt PDF ({exc.__class__.__name__})") from None
    # pages joined by a line break only, so that a sentence running over a page break is joined back
    # like any hard-wrapped line once the running headers, footers and page numbers are gone
    text = "\n".join(p.strip() for p in strip_page_furniture(pages) if p.strip())
    if not text.strip():
        raise BadDocument(path, "PDF has no text layer (scanned image?)")
    return text, str(title) if title else None
