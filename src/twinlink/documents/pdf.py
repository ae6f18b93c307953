"""PDF text layer through pypdf."""

from __future__ import annotations

import io

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, PdfReadError, PyPdfError

from twinlink.documents.page_furniture import strip_page_furniture
from twinlink.errors import BadDocument


def pdf_to_text(data: bytes, path: str) -> tuple[str, str | None]:
    try:
        reader = PdfReader(io.BytesIO(data))
        # many PDFs are encrypted only to restrict printing or copying, with an empty password to
        # open them: those are read (AES through ``cryptography``); one that needs a password is not
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise BadDocument(path, "encrypted PDF (it needs a password to open)")
        pages = [_page_text(page) for page in reader.pages]
        title = reader.metadata.title if reader.metadata and reader.metadata.title else None
    except BadDocument:
        raise
    except DependencyError:
        raise BadDocument(path, "encrypted PDF (AES: cannot be read without its key)") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        raise BadDocument(path, f"corrupt PDF ({exc.__class__.__name__})") from None
    # pages joined by a line break only, so that a sentence running over a page break is joined back
    # like any hard-wrapped line once the running headers, footers and page numbers are gone
    text = "\n".join(p.strip() for p in strip_page_furniture(pages) if p.strip())
    if not text.strip():
        raise BadDocument(path, "PDF has no text layer (scanned image?)")
    return text, str(title) if title else None


def _page_text(page: PageObject) -> str:
    """A page's text, or nothing for a page pypdf cannot decode (a damaged or unsupported filter):
    the other pages are still read."""
    try:
        return page.extract_text() or ""
    except (PyPdfError, DependencyError, ValueError, KeyError, TypeError, NotImplementedError, ZeroDivisionError):
        return ""
