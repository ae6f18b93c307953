"""The copy of the register for Datasette: public tables only, a flat table of partnerships with
their status inputs, an events view, and metadata that names only what is there."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from twinlink.register.queries import list_partnership_views
from twinlink.reports.datasette import publish
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Contact

TEXT = "Links\n\nDerby has been twinned with Hefei since 1996. In May 2012 a delegation from Hefei visited Derby.\n"


def test_the_copy_holds_public_tables_a_flat_table_and_its_description(
    engine: Engine, ingest_text: Callable[[str, str], None], tmp_path: Path
) -> None:
    ingest_text("links.txt", TEXT)
    with transaction(engine) as session:
        session.add(Contact(party_id="iso:GB-DER", name="Ann Example", email="ann@example.org", created_by="t"))
    with reading(engine) as session:
        made = publish(
            session, list_partnership_views(session, date(2026, 1, 1), 10), tmp_path / "ds", date(2026, 1, 1)
        )
    db = sqlite3.connect(made.database)
    names = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"partnerships_flat", "events_flat", "claims", "parties"} <= names
    assert not names & {"contacts", "users", "api_tokens", "audit", "registrations", "delegation_members"}
    assert b"ann@example.org" not in made.database.read_bytes()
    row = db.execute("SELECT party_a, party_b, established_year, status, asserted FROM partnerships_flat").fetchone()
    assert row == ("Derby", "Hefei", 1996, "dormant", 1)  # its latest activity is 2012
    assert db.execute("SELECT year, month, kind, parties FROM events_flat").fetchone() == (
        2012,
        5,
        "visit",
        "Derby; Hefei",
    )
    metadata = json.loads(made.metadata.read_text(encoding="utf-8"))["databases"]["twinlink"]
    assert set(metadata["tables"]) <= names
    columns = {c[1] for c in db.execute("PRAGMA table_info(partnerships_flat)")}
    assert set(metadata["tables"]["partnerships_flat"]["columns"]) == columns
    answers = {name: db.execute(query["sql"]).fetchall() for name, query in metadata["queries"].items()}
    assert answers["by_status_and_country"] == [("CN", "dormant", 1)] and answers["conflicting_years"] == []
