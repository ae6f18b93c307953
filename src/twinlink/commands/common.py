"""What every command shares: consoles, the --db option, opening the register."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from twinlink.errors import StoreError, TwinlinkError

if TYPE_CHECKING:
    from sqlalchemy import Engine

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or database URL (default: $TWINLINK_DATABASE_URL or ./twinlink.db)."),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Judge status as of this date (YYYY-MM-DD; default today).")
]
WindowOption = Annotated[
    int | None,
    typer.Option("--window", help="Years without activity before a link counts as dormant (default 5)."),
]


def open_engine(db: str | None, *, create: bool = False) -> Engine:
    """The register's engine, its schema and derived tables made current. A command that only
    reads (``create`` false) refuses a SQLite file that does not exist, rather than answering
    from an empty register made on the spot by a mistyped path."""
    from twinlink.config import Settings, database_url_for
    from twinlink.register.database import prepare
    from twinlink.store.engine import make_engine, missing_sqlite_file

    url = database_url_for(db, Settings())
    missing = missing_sqlite_file(url)
    if missing is not None and not create:
        raise StoreError(
            f"{missing}: the file does not exist, so there is no register to read; check --db, or make one "
            "with 'twinlink ingest', 'import' or 'db upgrade'"
        )
    engine = make_engine(url)
    prepare(engine)
    return engine


def parse_as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise TwinlinkError(f"--as-of {value!r}: give a date as YYYY-MM-DD") from None


def window_years(value: int | None) -> int:
    from twinlink.config import Settings

    years = Settings().dormant_after_years if value is None else value
    if years < 1:
        raise TwinlinkError("--window must be at least 1 year")
    return years


def short_source(source: str | None) -> str:
    """A local file by its name; a URL or citation as it is."""
    if not source:
        return "?"
    return Path(source).name if source.startswith("/") else source


_CONTROL = dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)], "?")


def shown(text: object) -> str:
    """Text from outside (a file name, a quote, an error naming either) as the terminal should
    print it: control characters (escape sequences) as "?", and rich markup as plain brackets."""
    from rich.markup import escape

    return escape(str(text).translate(_CONTROL))
