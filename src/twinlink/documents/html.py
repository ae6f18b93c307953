"""HTML to its main text through trafilatura (navigation, banners and footers dropped)."""

from __future__ import annotations

import re

import trafilatura

from twinlink.errors import BadDocument

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def html_to_text(markup: str, path: str) -> tuple[str, str | None]:
    text = trafilatura.extract(
        markup, include_comments=False, include_tables=True, favor_recall=True, deduplicate=False
    )
    if not text or not text.strip():
        text = trafilatura.html2txt(markup) or ""
    if not text.strip():
        raise BadDocument(path, "HTML page with no text")
    match = _TITLE.search(markup)
    title = re.sub(r"\s+", " ", match.group(1)).strip() if match else None
    return text, title or None
