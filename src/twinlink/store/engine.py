"""Engines and transactions; the one place SQLite and PostgreSQL differ."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVarTuple, overload

from sqlalchemy import Engine, Executable, Row, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TypedReturnsRows

from twinlink.errors import StoreError

_MMAP_BYTES = 1 << 30
SQLITE_LOCK_WAIT_SECONDS = 60


WRITES = "twinlink_writes"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # the driver would begin a transaction only before an INSERT or UPDATE, leaving schema changes
    # outside any transaction (a migration cut short would leave half a schema); transactions are
    # begun by ``_sqlite_begin`` instead, around everything
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0].lower() != "wal":  # setting it again would wait for readers to finish
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # reads through a memory map rather than a system call per page: about a third faster on a
    # register larger than SQLite's page cache
    cursor.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # a writer takes the write lock at once, waiting for it if need be: begun as a reader, its
    # first write could find that another writer committed meanwhile and fail without waiting
    immediate = connection.get_execution_options().get(WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names, when it does not exist yet (None for any other URL)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    path = Path(database)
    return None if path.exists() else path


def make_engine(url: str) -> Engine:
    """An engine for a database URL, checked to be reachable; a ``StoreError`` says why not."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"{url}: not a database URL") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            path = Path(database)
            if path.is_dir():
                raise StoreError(f"{database}: is a directory, not a database file")
            if not path.parent.exists():
                raise StoreError(f"{database}: folder {path.parent} does not exist")
            if path.exists():
                with path.open("rb") as fh:
                    head = fh.read(16)
                if head and head != b"SQLite format 3\x00":
                    raise StoreError(f"{database}: not a SQLite database")
        # a writer waits this long for another's lock before giving up (SQLite has one writer at a time)
        engine = create_engine(url, connect_args={"timeout": SQLITE_LOCK_WAIT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    elif parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True)
    else:
        raise StoreError(f"{url}: only SQLite and PostgreSQL databases are supported")
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "cannot connect"
        raise StoreError(f"{parsed.render_as_string(hide_password=True)}: cannot be opened ({reason})") from None
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        session.connection(execution_options={WRITES: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


_DERIVED_ROWS_LOCK = 0x7477_6E6C  # any fixed number: the lock's name among this database's advisory locks


def lock_derived_rows(session: Session) -> None:
    """Wait until no other transaction is writing derived rows, and hold that turn until this one
    ends. On PostgreSQL, two writers computing a party's timeline at once would each miss what the
    other has not yet committed, and the later would overwrite the earlier; in turn, each computes
    from what the one before committed. (A SQLite writer holds the whole database already.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _DERIVED_ROWS_LOCK})


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reads; closing it ends its transaction (the pool rolls the connection back).
    Sessions are made directly: a ``sessionmaker`` per call would build a new class each time."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except SQLAlchemyError as exc:
        raise StoreError(f"database error: {exc.__class__.__name__}") from exc
    finally:
        session.close()


_Columns = TypeVarTuple("_Columns")


@overload
def column_rows(
    session: Session, statement: TypedReturnsRows[*_Columns], params: dict[str, Any] | None = None
) -> Sequence[Row[*_Columns]]: ...
@overload
def column_rows(
    session: Session, statement: Executable, params: dict[str, Any] | None = None
) -> Sequence[Row[*tuple[Any, ...]]]: ...
def column_rows(
    session: Session, statement: Executable, params: dict[str, Any] | None = None
) -> Sequence[Row[*tuple[Any, ...]]]:
    """The rows of a query of plain columns, run on the session's connection: the ORM's own work
    around a query costs more than SQLite takes to answer a small one, and plain columns need none
    of it. Anything pending in the session is flushed first, as the ORM would. The rows are
    fetched at once: one call into the driver rather than one per row."""
    session.flush()
    return session.connection().execute(statement, params).all()
