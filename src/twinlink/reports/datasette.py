"""A copy of the register for Datasette: a SQLite file with the public tables only (parties,
partnerships, events, claims with their quotes, decisions, documents; never accounts, contacts,
registrations or delegations), a flat ``partnerships_flat`` table of what the directory shows
(one row a partnership, its year, status and the status's inputs in columns, as of the day of
the copy), an ``events_flat`` view, and the ``metadata.json`` that describes them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, Text, create_engine, select
from sqlalchemy.orm import Session

from twinlink import __version__
from twinlink.register.queries import PartnershipView
from twinlink.reports.datapackage import FIELDS
from twinlink.reports.exports import partnership_row
from twinlink.store.tables import Base

PUBLIC_TABLES = (
    "parties",
    "aliases",
    "party_identifiers",
    "documents",
    "partnerships",
    "partnership_digests",
    "events",
    "event_parties",
    "claims",
    "decisions",
)
DATABASE = "twinlink"
_TYPES = {"integer": Integer, "boolean": Boolean, "string": Text}
_EVENTS_FLAT = """
CREATE VIEW events_flat AS
SELECT e.id, e.year, e.month, e.day, e.kind, e.description, e.partnership_id,
       (SELECT group_concat(name, '; ') FROM (SELECT p.name FROM event_parties ep JOIN parties p
         ON p.id = ep.party_id WHERE ep.event_id = e.id ORDER BY p.name)) AS parties,
       (SELECT count(*) FROM claims c WHERE c.subject_type = 'event' AND c.subject_id = e.id) AS accounts
FROM events e
"""
_STATUS_INPUTS = {
    "asserted": "Whether a source asserts the link (an 'exists' claim in force).",
    "ended": "Whether a source says the link ended.",
    "said_dormant": "Whether a source says the link is dormant.",
    "said_active": "Whether a source says the link is active.",
    "settled_from": "The year from which a stated status holds.",
    "latest_day": "Its latest activity as a day number (days since 1 January of year 1).",
    "established_min": "The earliest year a source gives for its establishment.",
}


@dataclass(frozen=True)
class Published:
    database: Path
    metadata: Path
    partnerships: int


def publish(session: Session, views: list[PartnershipView], folder: Path, as_of: date) -> Published:
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / f"{DATABASE}.db"
    database.unlink(missing_ok=True)
    target = create_engine(f"sqlite:///{database}")
    copied = MetaData()
    for name in PUBLIC_TABLES:
        Base.metadata.tables[name].to_metadata(copied)
    flat = Table(
        "partnerships_flat",
        copied,
        Column("id", String(64), primary_key=True),
        *(Column(f["name"], _TYPES.get(f["type"], Text)) for f in FIELDS if f["name"] != "id"),
        *(Column(name, Integer) for name in _STATUS_INPUTS),
    )
    copied.create_all(target)
    with target.begin() as out:
        for name in PUBLIC_TABLES:
            table = Base.metadata.tables[name]
            rows = [dict(row._mapping) for row in session.execute(select(table))]
            for start in range(0, len(rows), 1000):
                out.execute(copied.tables[name].insert(), rows[start : start + 1000])
        inputs = {
            row.partnership_id: {name: getattr(row, name) for name in _STATUS_INPUTS}
            for row in session.execute(select(Base.metadata.tables["partnership_digests"]))
        }
        flat_rows = [_flat(partnership_row(v), inputs.get(v.id, {})) for v in views]
        for start in range(0, len(flat_rows), 1000):
            out.execute(flat.insert(), flat_rows[start : start + 1000])
        out.exec_driver_sql(_EVENTS_FLAT)
    target.dispose()
    metadata = folder / "metadata.json"
    metadata.write_text(json.dumps(describe(as_of), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Published(database, metadata, len(flat_rows))


def _flat(row: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    plain = {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}
    return {**plain, **{k: (int(v) if isinstance(v, bool) else v) for k, v in inputs.items()}}


def describe(as_of: date) -> dict[str, Any]:
    """Datasette's metadata for the copy: titles, each table's meaning and its columns'."""
    flat_columns = {f["name"]: f["description"] for f in FIELDS} | _STATUS_INPUTS
    return {
        "title": "Twinlink register",
        "description": "Twinning, sister-city and school partnerships, each value traced to the sources "
        f"that state it; statuses as of {as_of.isoformat()}.",
        "source": f"Twinlink {__version__}",
        "databases": {
            DATABASE: {
                "tables": {
                    "partnerships_flat": {
                        "description": "One row a partnership, as the directory shows it: parties, kind, "
                        "established year (or the conflicting years), status with its reason, and the "
                        "status's inputs.",
                        "columns": flat_columns,
                        "sort": "id",
                    },
                    "parties": {"description": "Places and bodies, with their codes and Chinese names."},
                    "partnerships": {"description": "Which two parties are partnered, and how."},
                    "claims": {
                        "description": "Every sourced statement: its subject, property and value, the quote "
                        "and where in the document it stands, how it was read, and its review state.",
                    },
                    "decisions": {"description": "Reviewers' decisions on claims, with their reasons."},
                    "events": {"description": "Dated happenings between parties."},
                    "documents": {"description": "The documents the claims cite, with their text."},
                    "partnership_digests": {"hidden": True},
                    "event_parties": {"hidden": True},
                    "aliases": {"hidden": True},
                },
                "queries": {
                    "by_status_and_country": {
                        "title": "Partnerships by status and partner country",
                        "sql": "SELECT party_b_country AS country, status, count(*) AS partnerships "
                        "FROM partnerships_flat GROUP BY 1, 2 ORDER BY 3 DESC",
                    },
                    "conflicting_years": {
                        "title": "Partnerships whose sources disagree on the year",
                        "sql": "SELECT party_a, party_b, established_conflict, sources FROM partnerships_flat "
                        "WHERE established_conflict IS NOT NULL ORDER BY party_a",
                    },
                },
            }
        },
    }
