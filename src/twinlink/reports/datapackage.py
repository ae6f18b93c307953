"""The CSV export described as a Frictionless Data Package (``datapackage.json``): each column's
type, meaning and allowed values, so that tools that read data packages (frictionless, Datasette's
metadata, pandas through them, OpenRefine) take the columns as what they are."""

from __future__ import annotations

from datetime import date
from typing import Any

from twinlink import __version__
from twinlink.vocab import PartnershipKind

STATUSES = ["active", "dormant", "ended", "unknown"]


def _party_fields(side: str, who: str) -> list[dict[str, Any]]:
    return [
        {"name": f"party_{side}", "type": "string", "description": f"{who}: its name."},
        {"name": f"party_{side}_zh", "type": "string", "description": "Its name in Chinese."},
        {
            "name": f"party_{side}_id",
            "type": "string",
            "description": "Its id in the register (iso:GB-LDS, cn:330200).",
        },
        {"name": f"party_{side}_country", "type": "string", "description": "Its country, ISO 3166-1 alpha-2."},
    ]


_LIST = "several values joined by '; '"
FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "string", "description": "The partnership's id in the register."},
    *_party_fields("a", "The first party (the home country's first)"),
    *_party_fields("b", "The second party"),
    {
        "name": "kind",
        "type": "string",
        "description": "What is partnered: places, schools or other institutions.",
        "constraints": {"enum": [k.value for k in PartnershipKind]},
    },
    {"name": "stage", "type": "string", "description": "How far the link has come, from its instruments."},
    {"name": "established", "type": "string", "description": "When it was established, as the sources say."},
    {"name": "established_year", "type": "integer", "description": "The year, when the sources agree on one."},
    {"name": "established_conflict", "type": "string", "description": "The years the sources give, when they differ."},
    {
        "name": "status",
        "type": "string",
        "description": "Active, dormant, ended or unknown, as of the export's date.",
        "constraints": {"enum": STATUSES},
    },
    {"name": "status_reason", "type": "string", "description": "Why: the latest activity or what a source says."},
    {
        "name": "latest_activity",
        "type": "string",
        "description": "The date of its latest activity (YYYY, YYYY-MM or YYYY-MM-DD).",
    },
    {"name": "instruments", "type": "string", "description": f"Agreements, MoUs and letters recorded; {_LIST}."},
    {"name": "conflicts", "type": "string", "description": f"Properties the sources disagree on; {_LIST}."},
    {"name": "sources", "type": "string", "description": f"The documents and addresses its claims cite; {_LIST}."},
]


def datapackage(as_of: date, path: str = "partnerships.csv") -> dict[str, Any]:
    """The description of a partnerships CSV written at ``path`` with statuses as of ``as_of``."""
    return {
        "profile": "tabular-data-package",
        "name": "twinlink-partnerships",
        "title": "Partnerships from a Twinlink register",
        "description": f"Partnerships with their derived dates and statuses as of {as_of.isoformat()}, "
        "each value traced to the sources that state it.",
        "created": as_of.isoformat(),
        "contributors": [{"title": f"Twinlink {__version__}", "role": "author"}],
        "resources": [
            {
                "name": "partnerships",
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": FIELDS, "primaryKey": "id", "missingValues": [""]},
            }
        ],
    }
