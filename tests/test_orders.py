"""The register does not depend on the order documents are read in: any order of the same
documents, one at a time or all at once, gives the same rows (derived rows included)."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.corpus import TEXTS, write_corpus
from tests.register_content import differences, register_content
from twinlink.extract.pipeline import Extractor
from twinlink.register.database import prepare
from twinlink.register.derived.refresh import rebuild
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import make_engine, transaction

ORDERS = int(os.environ.get("TWINLINK_ORDER_EXAMPLES", "6"))


def _register_in_order(
    folder: Path, paths: list[Path], extractor: Extractor, name: str
) -> dict[str, list[tuple[str, ...]]]:
    engine = make_engine(f"sqlite:///{folder / name}")
    prepare(engine)
    for path in paths:  # one ingest per document, as documents arrive over time
        outcomes = list(ingest_paths(engine, extractor, [path], 1_000_000))
        assert outcomes[0].state == "added", outcomes[0].error
    with transaction(engine) as session:  # derived rows kept up write by write equal those computed afresh
        assert not any(rebuild(session, write=False).values())
    content = register_content(engine)
    del content["audit"]  # what each ingest added depends on what came before; the register does not
    engine.dispose()
    return content


@settings(max_examples=ORDERS, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(sorted(TEXTS)))
def test_any_order_of_ingestion_gives_the_same_register(
    extractor: Extractor, tmp_path_factory: object, order: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("orders")  # type: ignore[attr-defined]
    paths = {p.name: p for p in write_corpus(folder / "docs")}
    first = _register_in_order(folder, [paths[n] for n in sorted(TEXTS)], extractor, "sorted.db")
    other = _register_in_order(folder, [paths[n] for n in order], extractor, "permuted.db")
    found = differences(first, other)
    assert not found, found
