"""Everything a filter selects, as CSV, JSON, GeoJSON or the facts format."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from twinlink.output import to_csv
from twinlink.register.queries import PartnershipView
from twinlink.reports.facts_export import exported_facts
from twinlink.store.parties import get_party
from twinlink.store.tables import Party

EXPORT_FORMATS = ("csv", "xlsx", "json", "geojson", "facts", "ftm", "ftm-statements", "quickstatements")
BINARY_FORMATS = frozenset({"xlsx"})


def partnership_row(view: PartnershipView) -> dict[str, Any]:
    years = sorted({int(v.value) for v in view.established_values if str(v.value).isdigit()})
    return {
        "id": view.id,
        "party_a": view.party_a.name,
        "party_a_zh": view.party_a.name_zh,
        "party_a_id": view.party_a.id,
        "party_a_country": view.party_a.country,
        "party_b": view.party_b.name,
        "party_b_zh": view.party_b.name_zh,
        "party_b_id": view.party_b.id,
        "party_b_country": view.party_b.country,
        "kind": view.kind,
        "stage": view.stage,
        "established": view.established,
        # typed for spreadsheets: a year when the sources agree, the years they give when not
        "established_year": years[0] if len(years) == 1 else None,
        "established_conflict": " / ".join(map(str, years)) if len(years) > 1 else None,
        "status": view.status,
        "status_reason": view.status_reason,
        "latest_activity": view.latest_activity,
        "instruments": view.instruments,
        "conflicts": view.conflicts,
        "sources": view.sources,
    }


def _coordinates(session: Session, party_id: str) -> tuple[float, float] | None:
    """A party's point: its own, or the place it is in (a school takes its town's)."""
    party: Party | None = get_party(session, party_id)
    while party is not None:
        if party.lat is not None and party.lon is not None:
            return party.lon, party.lat
        party = get_party(session, party.parent_id) if party.parent_id else None
    return None


def to_geojson(session: Session, views: list[PartnershipView]) -> dict[str, Any]:
    """A line between the two parties for each partnership; one that cannot be placed (a party
    with no point, nor a place it is in) is kept with no geometry (RFC 7946 allows it) and
    ``placed`` false, never left out."""
    features = []
    for view in views:
        a, b = _coordinates(session, view.party_a.id), _coordinates(session, view.party_b.id)
        placed = a is not None and b is not None
        row = partnership_row(view)
        features.append(
            {
                "type": "Feature",
                "id": view.id,
                "geometry": {"type": "LineString", "coordinates": [list(a), list(b)]} if a and b else None,
                "properties": {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}
                | {"placed": placed},
            }
        )
    return {"type": "FeatureCollection", "features": features}


BOM = "\ufeff"  # tells a spreadsheet the CSV is UTF-8, so Chinese names are not garbled


def export(
    session: Session, views: list[PartnershipView], fmt: str, bom: bool = False, table: str = "partnerships"
) -> str | bytes:
    """The views in a format of ``EXPORT_FORMATS``: text, or bytes for a workbook. A CSV holds
    ``table``: the partnerships, or their events, parties or sources."""
    if fmt == "csv":
        from twinlink.reports.tables import table_rows

        return (BOM if bom else "") + to_csv(table_rows(session, views, table))
    if fmt == "xlsx":
        from twinlink.reports.tables import workbook  # it reads partnership_row from here

        return workbook(session, views)
    if fmt == "json":
        return json.dumps([v.to_dict() for v in views], ensure_ascii=False, indent=2, default=str)
    if fmt == "geojson":
        return json.dumps(to_geojson(session, views), ensure_ascii=False)
    if fmt == "facts":
        return exported_facts(session, views)
    if fmt in ("ftm", "ftm-statements"):
        from twinlink.reports.ftm import to_ftm, to_ftm_statements  # they read the tables made here

        return to_ftm(session, views) if fmt == "ftm" else to_ftm_statements(session, views)
    if fmt == "quickstatements":
        from twinlink.reports.quickstatements import quickstatements  # it reads partnership_row from here

        return quickstatements(session, views).text()
    raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
