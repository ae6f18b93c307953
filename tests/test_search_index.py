"""A long document is indexed in parts: every store takes it (PostgreSQL's tsvector holds 1 MB
at most), a word anywhere in it finds it, and it is one hit however many parts match."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from twinlink.extract.pipeline import Extractor
from twinlink.register.derived.refresh import rebuild
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import reading, transaction
from twinlink.store.search import search
from twinlink.store.search_index import text_parts


def _words(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(count)]


def test_a_long_text_of_words_all_different_is_ingested_and_found_as_one_document(
    engine: Engine, extractor: Extractor, tmp_path: Path
) -> None:
    # about 900,000 characters: whole, its tsvector would be over PostgreSQL's limit
    text = "Bristol is twinned with Ningbo. Firstword here.\n\n" + " ".join(_words(120_000)) + " lastword.\n"
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    [outcome] = ingest_paths(engine, extractor, [path], 10_000_000)
    assert outcome.state == "added", outcome.error
    with reading(engine) as session:
        for word in ("firstword", "lastword"):
            hits, total = search(session, word)
            assert total == 1 and [(h.type, h.id) for h in hits] == [("document", outcome.document_id)]
        hits, total = search(session, "bristol")
        assert [h.type for h in hits].count("document") == 1
    with transaction(engine) as session:
        assert not any(rebuild(session, write=False).values())


@given(st.text(alphabet="ab \n", max_size=300), st.integers(min_value=4, max_value=40))
def test_parts_cover_the_text_in_order_within_their_size(body: str, size: int) -> None:
    parts = list(text_parts(body, size))
    assert "".join(parts) == body
    assert all(len(part) <= size for part in parts)
    assert all(part for part in parts) or parts == [""]


def test_a_text_is_cut_between_words() -> None:
    parts = list(text_parts("alpha beta gamma delta epsilon", 12))
    assert parts == ["alpha beta ", "gamma delta ", "epsilon"]
