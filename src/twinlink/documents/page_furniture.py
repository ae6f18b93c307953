"""What a PDF prints on every page besides its text: running headers and footers and page
numbers, which would otherwise cut sentences that run on from one page to the next."""

from __future__ import annotations

import re
from collections import Counter

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$|^\s*[-–]\s*\d{1,4}\s*[-–]\s*$", re.I)
_EDGE = 3  # lines at the top and at the bottom of a page where headers and footers stand
_MIN_PAGES = 3


def _key(line: str) -> str:
    """A line with its digits masked, so that "Minutes – page 3" repeats as "Minutes – page #"."""
    return re.sub(r"\d+", "#", line.strip().lower())


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Each page without the lines that repeat at the top or bottom of most pages, nor its page number."""
    split = [page.splitlines() for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        edges = {_key(line) for line in lines[:_EDGE] + lines[-_EDGE:] if line.strip()}
        counts.update(edges)
    repeated = (
        {key for key, n in counts.items() if n >= max(_MIN_PAGES, (len(pages) + 1) // 2)}
        if len(pages) >= _MIN_PAGES
        else set()
    )
    cleaned: list[str] = []
    for lines in split:
        keep = list(lines)
        for edge in (range(min(_EDGE, len(keep))), range(len(keep) - 1, max(len(keep) - 1 - _EDGE, -1), -1)):
            for i in edge:
                if _key(keep[i]) in repeated or _PAGE_NUMBER.match(keep[i]):
                    keep[i] = ""
        cleaned.append("\n".join(line for line in keep if line.strip()))
    return cleaned
