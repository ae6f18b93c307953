from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text

from twinlink.documents import load_bytes
from twinlink.errors import StoreError
from twinlink.facts import DocumentFacts, EventFact, PartnershipFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.ingest import register_facts
from twinlink.store.documents import add_document, get_document
from twinlink.store.engine import make_engine, transaction
from twinlink.store.schema import check_known, current_revision, head_revision
from twinlink.store.stats import table_counts
from twinlink.store.tables import Claim, Partnership, Party


def sample_facts() -> DocumentFacts:
    return DocumentFacts(
        doc="sample.txt",
        source="https://example.org/sample",
        partnerships=[
            PartnershipFact(
                parties=["Bristol City Council", "Guangzhou"],
                established=2001,
                instrument="sister city",
                evidence="Bristol and Guangzhou became sister cities in 2001",
            )
        ],
        events=[EventFact(year=2012, month=5, kind="visit", parties=["Bristol", "Guangzhou"], what="delegation")],
    )


def test_schema_is_at_head(engine: Engine) -> None:
    assert current_revision(engine) == head_revision(engine)


def test_round_trip_of_documents_and_facts(engine: Engine, gazetteer: Gazetteer) -> None:
    doc = load_bytes("Bristol and 广州 are twinned.".encode(), "note.txt")
    with transaction(engine) as session:
        assert add_document(session, doc) is True
        register_facts(session, gazetteer, sample_facts(), document_id=doc.id)
    with transaction(engine) as session:
        stored = get_document(session, doc.id)
        assert stored is not None and stored.text == "Bristol and 广州 are twinned."
        partnership = session.scalars(select(Partnership)).one()
        a, b = session.get(Party, partnership.party_a_id), session.get(Party, partnership.party_b_id)
        assert {a.name, b.name} == {"Bristol", "Guangzhou"}  # type: ignore[union-attr]
        guangzhou = session.get(Party, "cn:440100")
        assert guangzhou is not None and guangzhou.name_zh == "广州市" and guangzhou.parent_id == "iso:CN-GD"
        props = sorted(c.property for c in session.scalars(select(Claim)))
        assert props == ["established", "exists", "instrument", "occurred"]


def test_writing_the_same_facts_twice_changes_nothing(engine: Engine, gazetteer: Gazetteer) -> None:
    with transaction(engine) as session:
        register_facts(session, gazetteer, sample_facts())
    with transaction(engine) as session:
        before = table_counts(session)
    with transaction(engine) as session:
        result = register_facts(session, gazetteer, sample_facts())
        assert sum(result.counts.values()) == 0
    with transaction(engine) as session:
        assert table_counts(session) == before


def test_a_failed_transaction_leaves_nothing(engine: Engine, gazetteer: Gazetteer) -> None:
    with pytest.raises(RuntimeError), transaction(engine) as session:
        register_facts(session, gazetteer, sample_facts())
        raise RuntimeError("boom")
    with transaction(engine) as session:
        assert all(
            n == 0
            for name, n in table_counts(session).items()
            if name not in ("alembic_version", "derived_versions", "entry_rules")  # entry rules: starter data
        )


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(Partnership(id="x", party_a_id="nope", party_b_id="nada", kind="place"))


def test_sqlite_uses_wal(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_newer_schema_is_refused(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num='9999_future'"))
    with pytest.raises(StoreError, match="newer"):
        check_known(sqlite_engine)


def test_unopenable_databases(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match="does not exist"):
        make_engine(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all")
    with pytest.raises(StoreError, match="not a SQLite database"):
        make_engine(f"sqlite:///{junk}")
    with pytest.raises(StoreError, match="only SQLite and PostgreSQL"):
        make_engine("mysql://localhost/x")


_SEARCH = ("search_", "ix_search_")


def test_the_migrations_make_the_tables_the_code_describes(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from twinlink.store.tables import Base

    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # the full-text index is made by hand (FTS5 or tsvector); SQLite keeps no length of a VARCHAR
    left = [
        d
        for d in differences
        if not (isinstance(d, tuple) and d[0] in ("remove_table", "remove_index") and d[1].name.startswith(_SEARCH))
        and not (isinstance(d, list) and d[0][0] == "modify_type" and engine.dialect.name == "sqlite")
    ]
    assert left == []
