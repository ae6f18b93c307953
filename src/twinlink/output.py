"""Rows out as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell("; ".join(map(str, v)) if isinstance(v, list) else v) for k, v in row.items()})
    return buffer.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula ("=HYPERLINK(…)", from an imported
    fact) is written with a leading apostrophe, which spreadsheets show as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_xlsx(rows: Sequence[dict[str, Any]], title: str = "partnerships") -> bytes:
    """A workbook of one sheet (see ``to_workbook``)."""
    return to_workbook({title: rows})


def to_workbook(sheets: dict[str, Sequence[dict[str, Any]]]) -> bytes:
    """A workbook with a sheet for each table: a bold, frozen header row with filters, numbers as
    numbers, lists joined, and every text cell stored as text (a cell an imported fact starts
    with "=" is never a formula)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        _sheet(book, title, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Any, title: str, rows: Sequence[dict[str, Any]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    names = list(rows[0]) if rows else []
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row.values():
            text = "; ".join(map(str, value)) if isinstance(value, list) else value
            cell = WriteOnlyCell(sheet, value=None if text is None else text)
            if isinstance(text, str):
                cell.value = _without_controls(text)
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    if names:
        sheet.auto_filter.ref = f"A1:{_column_letter(len(names))}{len(rows) + 1}"


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(number))


def _without_controls(text: str) -> str:
    """The text without the control characters a workbook cannot hold."""
    return "".join(c for c in text if c in "\t\n" or ord(c) >= 32)
