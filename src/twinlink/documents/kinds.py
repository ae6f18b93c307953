"""Guess what sort of document a text is, from its wording."""

from __future__ import annotations

import re

from twinlink.vocab import DocumentKind

_FOI = re.compile(r"freedom of information|\bFOI\b|environmental information regulations", re.I)
_MOU = re.compile(r"memorandum of understanding", re.I)
_AGREEMENT = re.compile(r"\b(hereby agree|the parties agree|this agreement|signed on behalf of)\b", re.I)
_NEWS = re.compile(r"\b(press release|news release|published \d|reporter)\b", re.I)


def guess_kind(text: str, media_type: str) -> DocumentKind:
    head = text[:4000]
    if _FOI.search(head):
        return DocumentKind.FOI_RESPONSE
    if _MOU.search(head[:600]):
        return DocumentKind.MOU
    if _AGREEMENT.search(head):
        return DocumentKind.AGREEMENT
    if _NEWS.search(head):
        return DocumentKind.NEWS
    if media_type == "text/html":
        return DocumentKind.WEB_PAGE
    return DocumentKind.TEXT
