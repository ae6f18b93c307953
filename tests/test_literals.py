import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinlink.extract import events, funding, partnerships, status
from twinlink.extract.literals import LiteralIndex, required_literals

RULE_PATTERNS = (
    partnerships.trigger_patterns() + events.trigger_patterns() + funding.trigger_patterns() + status.trigger_patterns()
)


def test_required_literals_of_simple_forms() -> None:
    assert required_literals(re.compile(r"\bsister cit(?:y|ies)\b", re.I)) == {"sister city", "sister cities"}
    assert required_literals(re.compile(r"(?:is|was) twinned with")) == {"is twinned with", "was twinned with"}
    # the longest of the literals a match cannot do without
    assert required_literals(re.compile(r"signed an? [^.]{0,60}?agreement")) == {"agreement"}
    assert required_literals(re.compile(r"\d+ years")) == {" years"}
    # a text that holds "visits" holds "visit"
    assert required_literals(re.compile(r"(?:visit|trip)s?")) == {"visit", "trip"}
    # a pattern that can match without any literal of two characters has nothing to scan for
    assert required_literals(re.compile(r"\w+ly")) == {"ly"}
    assert required_literals(re.compile(r"[A-Z]\w+")) is None
    assert required_literals(re.compile(r"visit|\d")) is None


def test_every_rule_pattern_has_literals_to_scan_for() -> None:
    assert all(required_literals(p) for p in RULE_PATTERNS)


@pytest.mark.parametrize("pattern", RULE_PATTERNS, ids=lambda p: p.pattern[:30])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_whatever_a_rule_pattern_matches_holds_one_of_its_literals(
    pattern: re.Pattern[str], data: st.DataObject
) -> None:
    text = data.draw(st.from_regex(pattern))
    if pattern.search(text):
        literals = required_literals(pattern)
        assert literals is not None
        assert any(literal in text.lower() for literal in literals), text


def test_index_finds_the_sentences_that_may_match() -> None:
    twinned, visit = re.compile(r"\btwinned with\b", re.I), re.compile(r"\bvisit(?:ed|s)?\b", re.I)
    index = LiteralIndex([twinned, visit])
    text = "Derby is Twinned with Hefei. Nothing here. A delegation visited in 1990."
    starts, ends = [0, 29, 43], [28, 42, len(text)]
    assert index.sentences(text.lower(), starts, ends) == {twinned: {0}, visit: {2}}
