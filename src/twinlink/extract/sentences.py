"""Split text into blocks (lines, bullets, headings) and sentences, keeping character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BULLET = re.compile(r"^[\s•·\-*–—▪●◦]*(?:\d{1,2}[.)]\s+)?")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nos",
        "cllr",
        "rev",
        "hon",
        "gov",
        "sen",
        "rep",
        "co",
        "ltd",
        "inc",
        "jr",
        "sr",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "approx",
        "dept",
        "est",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
# ". " before a capital or a digit, or a Chinese full stop. A run of stops is tried once, from
# its first stop, so that a line of dots takes time in proportion to its length.
_END = re.compile(
    r"(?<![.!?])[.!?。！？](?:(?<=[.!?])[.!?]*+[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9\u3400-\u9fff])|(?<=[。！？]))"
)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int  # index of the line/paragraph block the sentence belongs to
    bullet: bool


_TERMINAL = re.compile(r"[.!?:;。！？]\s*$")
_WRAPPED_LINE = 60
# a letter's or an e-mail's header field ("Subject: …", "Our ref: …") is a line of its own
_HEADER_FIELD = re.compile(r"\s*(?:subject|re|from|to|cc|sent|date|our ref|your ref|ref)\s*:", re.I)


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence of ``previous`` (hard-wrapped text, PDF lines)."""
    if not previous.strip() or not line.strip() or _TERMINAL.search(previous):
        return False
    if _HEADER_FIELD.match(previous) or _HEADER_FIELD.match(line):
        return False
    lead = _BULLET.match(line)
    if lead and line[: lead.end()].strip():
        return False
    first = line.lstrip()[:1]
    return first.islower() or (len(previous.strip()) >= _WRAPPED_LINE and (first.isalnum() or first in "(“\"'"))


def blocks(text: str) -> list[tuple[int, str]]:
    """Lines, with hard-wrapped continuation lines joined to the line they continue."""
    out: list[tuple[int, str]] = []
    offset = 0
    previous = ""
    for line in text.split("\n"):
        if out and _continues(previous, line):
            start, joined = out[-1]
            out[-1] = (start, joined + "\n" + line)
        else:
            out.append((offset, line))
        previous = line
        offset += len(line) + 1
    return out


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    append = sentences.append
    for block, (line_start, line) in enumerate(blocks(text)):
        if not line.strip():
            continue
        lead = _BULLET.match(line)
        body_start = lead.end() if lead else 0
        bullet = body_start > 0 and line[:body_start].strip() != ""
        cuts: list[int] = []
        cursor = body_start
        for match in _END.finditer(line, body_start):
            if not _abbreviation_stop(line, cursor, match.start()):
                cursor = match.end()
                cuts.append(cursor)
        cuts.append(len(line))
        cursor = body_start
        for end in cuts:
            piece = line[cursor:end]
            stripped = piece.strip()
            if stripped:
                s = line_start + cursor + (len(piece) - len(piece.lstrip()) if piece[0].isspace() else 0)
                append(Sentence(s, s + len(stripped), stripped, block, bullet))
            cursor = end
    return sentences


def _abbreviation_stop(line: str, start: int, stop: int) -> bool:
    """Whether the full stop at ``stop``, in the sentence from ``start``, ends an abbreviation or
    a single letter ("Dr.", "J.") rather than the sentence."""
    if line[stop] != ".":
        return False
    word = line[max(line.rfind(" ", start, stop) + 1, start) : stop]
    if word.isalnum():  # a plain word or number: the usual case
        return len(word) == 1 or word.lower() in _ABBREVIATIONS
    before = line[start:stop].rstrip()
    cut = max(before.rfind(" "), before.rfind("\t"), before.rfind("\xa0"))
    last_word = before[cut + 1 :].lower().rstrip(".")
    return last_word in _ABBREVIATIONS or len(last_word) == 1
