"""Files to ``Document`` values: plain text, HTML and PDF."""

from twinlink.documents.load import load_bytes, load_document
from twinlink.documents.model import Document

__all__ = ["Document", "load_bytes", "load_document"]
