"""Whether a statement is a hope, a proposal, a question or a denial rather than a fact: "possible
future links", "hoped that Dalian would be twinned", "talks about a partnership", "no longer"."""

from __future__ import annotations

import re

# wording that makes what follows it (within the clause) something not (yet) so
HEDGES = re.compile(
    r"\b(?:possible|possibility|potential(?:ly)?|prospect|hopes?|hoped|hoping|would like|wish(?:es|ed)? to|"
    r"aims? to|aiming to|aspir\w+|propos\w+|plans? to|planning to|intends? to|intention|could|might|"
    r"would be|may be|talks? (?:about|on|with)|discuss\w*|explor\w+|consider\w*|in contact with|"
    r"exploratory|future|seek(?:s|ing)? to|looking to|if)\b",
    re.I,
)
NEGATIONS = re.compile(r"\b(?:not|never|none of|no)\b(?!\s+longer)", re.I)
_REACH = 300
_CLAUSE_START = re.compile(r"[;:.!?]|\bbut\b|\bwhile\b|\balthough\b", re.I)


def hedged(text: str, start: int, end: int) -> bool:
    """Whether the statement from ``start`` to ``end`` of ``text`` is hedged or denied, by wording
    in its own clause before or within it."""
    lookback = max(0, start - _REACH)  # a clause is read back this far at most: linear in the text
    clause_start = lookback
    for m in _CLAUSE_START.finditer(text, lookback, start):
        clause_start = m.end()
    window = text[clause_start : min(end, clause_start + _REACH + (end - start))]
    return HEDGES.search(window) is not None or NEGATIONS.search(window) is not None
