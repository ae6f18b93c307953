from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.pg_server import PostgresServer, find_bin
from twinlink.extract.pipeline import Extractor
from twinlink.gazetteer.lookup import Gazetteer, default_gazetteer
from twinlink.register.database import prepare
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import make_engine

_counter = itertools.count()


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Ready-made extractors are kept in the test run's own folder, not the user's cache."""
    os.environ["TWINLINK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if os.environ.get("TWINLINK_TEST_POSTGRES_URL"):
        yield os.environ["TWINLINK_TEST_POSTGRES_URL"]
        return
    if not find_bin("pg_ctl"):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; `make test` installs it")
        pytest.skip("PostgreSQL is not installed")
    server = PostgresServer()
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> str:
    """A database at this version's schema, copied for each test (copying is faster than migrating)."""
    name = f"template_{os.getpid()}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(postgres_url.rsplit("/", 1)[0] + f"/{name}")
    prepare(engine)
    engine.dispose()
    return name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL on each store holding an empty register: a SQLite file, then a PostgreSQL
    database copied from the template and dropped after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.db'}"
        return
    base = request.getfixturevalue("postgres_url")
    template = request.getfixturevalue("postgres_template")
    name = f"t{os.getpid()}_{next(_counter)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    prepare(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'register.db'}")
    prepare(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def extractor(gazetteer: Gazetteer) -> Extractor:
    return Extractor.build(gazetteer)


@pytest.fixture
def ingest_text(engine: Engine, extractor: Extractor, tmp_path: Path) -> Callable[[str, str], None]:
    """Ingest a short text into the test register from a file of the given name; it must be added."""

    def ingest(name: str, body: str) -> None:
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        outcomes = list(ingest_paths(engine, extractor, [path], max_bytes=1_000_000))
        assert outcomes[0].state == "added", outcomes[0].error

    return ingest
