"""What a register holds, for comparing two registers made in different ways: every row of every
table, leaving out only what says when a row was written (times, and the row numbers of the audit
trail), which no two runs share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime, Engine, Integer, select

from twinlink.store.engine import reading
from twinlink.store.search_index import stored_entries
from twinlink.store.tables import Base


def _kept(column: Any) -> bool:
    if isinstance(column.type, DateTime):
        return False
    return not (column.primary_key and isinstance(column.type, Integer) and column.autoincrement in (True, "auto"))


def register_content(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    with reading(engine) as session:
        content = {}
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if _kept(c)]
            rows = session.execute(select(*columns)).all()
            content[table.name] = sorted(tuple(map(str, row)) for row in rows)
        content["search index"] = sorted((str(key), str(entry)) for key, entry in stored_entries(session).items())
        return content


def differences(one: dict[str, list[tuple[str, ...]]], other: dict[str, list[tuple[str, ...]]]) -> dict[str, Any]:
    """Per table, the rows only one side has (empty when the registers are equal)."""
    found = {}
    for name in sorted(set(one) | set(other)):
        mine, theirs = set(one.get(name, [])), set(other.get(name, []))
        if mine != theirs:
            found[name] = {"only in first": sorted(mine - theirs)[:5], "only in second": sorted(theirs - mine)[:5]}
    return found
