"""Charts drawn on the server as SVG: a partnership's timeline and the map of place partnerships."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import resources

from twinlink.register.derived.timelines import TimelineEntry
from twinlink.register.matching import FACTOR_LABELS, Factor

_KIND_COLOURS = {
    "agreement": "#1f6feb",
    "founding": "#1f6feb",
    "visit": "#2da44e",
    "exchange": "#2da44e",
    "trade": "#bf8700",
    "award": "#8250df",
    "gift": "#8250df",
    "anniversary": "#cf222e",
    "meeting": "#57606a",
    "other": "#57606a",
}


def timeline_svg(entries: Sequence[TimelineEntry], width: int = 720, height: int = 90) -> str:
    """Events as dots on a line of years, each with its date and kind as a tooltip."""
    if not entries:
        return ""
    years = [int(e.date[:4]) + (int(e.date[5:7]) - 1) / 12 if len(e.date) >= 7 else int(e.date[:4]) for e in entries]
    first, last = int(min(years)), int(max(years)) + 1
    span = max(1, last - first)
    left, right, axis = 30, width - 30, height - 30

    def x(year: float) -> float:
        return left + (year - first) / span * (right - left)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="timeline-chart" aria-label="Timeline of {len(entries)} events, {first} to {last - 1}">',
        f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#57606a"/>',
    ]
    step = 1 if span <= 12 else 5 if span <= 60 else 10
    for year in range(first - first % step, last + 1, step):
        if first <= year <= last:
            parts.append(f'<line x1="{x(year):.1f}" y1="{axis}" x2="{x(year):.1f}" y2="{axis + 5}" stroke="#57606a"/>')
            parts.append(f'<text x="{x(year):.1f}" y="{axis + 18}" font-size="11" text-anchor="middle">{year}</text>')
    stacked: dict[int, int] = {}
    escaped: dict[str, str] = {}  # a few dates and kinds recur across many events
    for entry, when in zip(entries, years, strict=True):
        at = x(when)
        slot = round(at / 8)
        row = stacked.get(slot, 0)
        stacked[slot] = row + 1
        label, kind = escaped.get(entry.label), escaped.get(entry.kind)
        if label is None:
            label = escaped[entry.label] = escape(entry.label)
        if kind is None:
            kind = escaped[entry.kind] = escape(entry.kind)
        colour = _KIND_COLOURS.get(entry.kind, "#57606a")
        parts.append(
            f'<circle cx="{at:.1f}" cy="{axis - 10 - row * 14}" r="6" fill="{colour}"><title>{label}: {kind}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class MapPoint:
    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class MapLine:
    id: str
    a: MapPoint
    b: MapPoint
    status: str
    label: str


_STATUS_COLOURS = {"active": "#2da44e", "dormant": "#bf8700", "ended": "#cf222e", "unknown": "#57606a"}


@lru_cache(maxsize=1)
def _outlines() -> list[tuple[str, list[list[list[float]]]]]:
    """Country outlines shipped with the package (Natural Earth 1:110m): (name, rings)."""
    text = resources.files("twinlink.web").joinpath("data/outlines.geojson").read_text(encoding="utf-8")
    out = []
    for feature in json.loads(text)["features"]:
        rings = [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        out.append((feature["properties"]["name"], rings))
    return out


def map_svg(lines: Sequence[MapLine], width: int = 960, height: int = 440) -> str:
    """An equirectangular map from the Atlantic to the Pacific (20°W–140°E, 15°N–62°N): the UK and
    China drawn from shapes shipped in the package, a dot for each place, a line for each partnership."""
    west, east, south, north = -20.0, 140.0, 15.0, 62.0

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) / (east - west) * width, (north - lat) / (north - south) * height

    def xy(p: MapPoint) -> tuple[float, float]:
        return project(p.lon, p.lat)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="group" class="map" '
        f'aria-label="Map of {len(lines)} place partnerships">',
        f'<rect width="{width}" height="{height}" fill="#f6f8fa"/>',
    ]
    for name, rings in _outlines():
        path = " ".join(
            "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (project(lon, lat) for lon, lat in ring)) + " Z"
            for ring in rings
        )
        parts.append(
            f'<path class="country" d="{path}" fill="#e6ebf0" stroke="#8c959f"><title>{escape(name)}</title></path>'
        )
    for lon in range(-20, 141, 20):
        x = (lon - west) / (east - west) * width
        parts.append(f'<line x1="{x:.0f}" y1="0" x2="{x:.0f}" y2="{height}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{x + 3:.0f}" y="{height - 4}" font-size="10" fill="#57606a">{lon}°</text>')
    for lat in range(20, 61, 10):
        y = (north - lat) / (north - south) * height
        parts.append(f'<line x1="0" y1="{y:.0f}" x2="{width}" y2="{y:.0f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="3" y="{y - 3:.0f}" font-size="10" fill="#57606a">{lat}°N</text>')
    points: dict[str, MapPoint] = {}
    for line in lines:
        (x1, y1), (x2, y2) = xy(line.a), xy(line.b)
        colour = _STATUS_COLOURS.get(line.status, "#57606a")
        parts.append(
            f'<a href="/partnerships/{escape(line.id)}"><line class="link" x1="{x1:.1f}" y1="{y1:.1f}" '
            f'x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="1.5" stroke-opacity="0.7">'
            f"<title>{escape(line.label)} ({escape(line.status)})</title></line></a>"
        )
        points[line.a.id], points[line.b.id] = line.a, line.b
    for point in points.values():
        x, y = xy(point)
        parts.append(
            f'<a href="/parties/{escape(point.id)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#24292f">'
            f"<title>{escape(point.name)}</title></circle></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


_FACTOR_COLOURS = {
    "regional_link": "#1f6feb",
    "activity": "#2da44e",
    "themes": "#bf8700",
    "size_role": "#8250df",
    "school_fit": "#cf222e",
}


def factor_bar(factors: Sequence[Factor], width: int = 220, height: int = 16) -> str:
    """A candidate's score as a bar cut into what each factor contributes, out of the most the
    factors that apply could give; each piece says its factor and contribution as a tooltip."""
    applicable = [f for f in factors if f.applies]
    total = sum(f.weight for f in applicable) or 1.0
    parts = [
        f'<svg class="score-bar" viewBox="0 0 {width} {height}" role="img" aria-label="score by factor">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eaeef2"/>',
    ]
    x = 0.0
    for factor in applicable:
        share = width * factor.contribution / total
        if share <= 0:
            continue
        tip = escape(f"{factor.label}: {100 * factor.contribution / total:.0f} of 100")
        colour = _FACTOR_COLOURS[factor.name]
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{share:.1f}" height="{height}" fill="{colour}"><title>{tip}</title></rect>'
        )
        x += share
    parts.append("</svg>")
    return "".join(parts)


def factor_legend() -> str:
    items = []
    for name, colour in _FACTOR_COLOURS.items():
        swatch = f'<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="{colour}"/></svg>'
        items.append(f"<span>{swatch}{escape(FACTOR_LABELS[name])}</span>")
    return '<p class="legend">' + "".join(items) + "</p>"
