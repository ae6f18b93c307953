"""HTML to its main text through trafilatura (navigation, banners and footers dropped), with the
standard library's tokenizer as the fallback for markup that lxml cannot build a tree of."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from twinlink.errors import BadDocument

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
# a start tag of more than this many characters (tens of thousands of attributes) is cut back to
# its name before parsing: lxml checks each attribute against the others, in quadratic time
_LONGEST_TAG = 4096
_OVERLONG_TAG = re.compile(rf"<([A-Za-z][\w:-]*)\s[^<>]{{{_LONGEST_TAG},}}>")
_BLOCKS = frozenset(
    {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td", "th"}
)


def html_to_text(markup: str, path: str) -> tuple[str, str | None]:
    markup = without_overlong_tags(markup)
    import trafilatura  # loaded for the first web page, not for every start

    text = trafilatura.extract(
        markup, include_comments=False, include_tables=True, favor_recall=True, deduplicate=False
    )
    if not text or not text.strip():
        text = trafilatura.html2txt(markup) or ""
    if not text.strip():
        text = _tokenized_text(markup)  # nested too deep for a tree (lxml stops at 255 levels)
    if not text.strip():
        raise BadDocument(path, "HTML page with no text")
    match = _TITLE.search(markup)
    title = re.sub(r"\s+", " ", match.group(1)).strip() if match else None
    return text, title or None


def without_overlong_tags(markup: str) -> str:
    """Start tags of thousands of attributes cut back to their names; other tags as they are."""
    return _OVERLONG_TAG.sub(r"<\1>", markup)


class _TextCollector(HTMLParser):
    """The text of a page, block elements on lines of their own; scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template", "noscript"):
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "noscript") and self.skipping:
            self.skipping -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _tokenized_text(markup: str) -> str:
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)
