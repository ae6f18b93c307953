"""The one switch between a table, JSON and CSV for the commands that list things."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from twinlink.commands.common import out
from twinlink.output import OutputFormat, to_csv, to_json

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")]


def emit(
    fmt: OutputFormat,
    *,
    data: Callable[[], Any],
    rows: Callable[[], Sequence[dict[str, Any]]],
    table: Callable[[], None],
) -> None:
    """Print the command's answer in the format asked: ``data`` as JSON, ``rows`` as CSV (one
    line per row, a header first), or ``table`` for a person at a terminal. Each is computed only
    when it is the one asked for."""
    if fmt is OutputFormat.JSON:
        out.print(to_json(data()), highlight=False, markup=False)
    elif fmt is OutputFormat.CSV:
        out.print(to_csv(rows()), end="", highlight=False, markup=False)
    else:
        table()
