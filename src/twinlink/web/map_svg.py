"""The map of place partnerships, drawn on the server as SVG (no script, no tiles, nothing from
another site): the world's country outlines shipped in the package, a line for each partnership
whose status shows in its dash as well as its colour, the places labelled, and a legend. A view
(``fit``, the extent of what is drawn; ``world``; a region) chooses what the map shows."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import resources


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


# what each status looks like: colour, and a dash pattern so that it reads without colour too
STATUS_STYLES = {
    "active": ("#1a7f37", ""),
    "dormant": ("#9a6700", "7 4"),
    "ended": ("#cf222e", "2 3"),
    "unknown": ("#57606a", "10 3 2 3"),
}
# west, south, east, north
VIEWS: dict[str, tuple[float, float, float, float]] = {
    "world": (-170.0, -58.0, 180.0, 78.0),
    "europe-asia": (-20.0, 10.0, 145.0, 65.0),
    "europe": (-15.0, 34.0, 45.0, 66.0),
    "uk": (-9.0, 49.5, 3.0, 59.5),
    "china": (72.0, 17.0, 136.0, 54.0),
}
VIEW_NAMES = ("fit", *VIEWS)
LABELS = 30  # places labelled at most, the most partnered first


@dataclass(frozen=True)
class Extent:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def around(cls, points: list[MapPoint], margin: float = 0.12) -> Extent:
        """The points' extent with a margin, no narrower than a few degrees, and as wide as the
        map's shape needs (so a place stays where it is)."""
        if not points:
            return cls(*VIEWS["europe-asia"])
        west, east = min(p.lon for p in points), max(p.lon for p in points)
        south, north = min(p.lat for p in points), max(p.lat for p in points)
        span_x, span_y = max(east - west, 4.0), max(north - south, 3.0)
        return cls(
            west - span_x * margin,
            max(south - span_y * margin, -85),
            east + span_x * margin,
            min(north + span_y * margin, 85),
        )

    def shaped(self, width: int, height: int) -> Extent:
        """Widened in one direction to the map's proportions."""
        span_x, span_y = self.east - self.west, self.north - self.south
        want = width / height
        if span_x / span_y < want:
            grow = (span_y * want - span_x) / 2
            return Extent(self.west - grow, self.south, self.east + grow, self.north)
        grow = (span_x / want - span_y) / 2
        return Extent(self.west, self.south - grow, self.east, self.north + grow)


@lru_cache(maxsize=1)
def _outlines() -> list[tuple[str, list[list[tuple[float, float]]], tuple[float, float, float, float]]]:
    """The world's countries (Natural Earth 1:110m): name, rings, bounding box."""
    text = resources.files("twinlink.web").joinpath("data/outlines.geojson").read_text(encoding="utf-8")
    out = []
    for feature in json.loads(text)["features"]:
        rings = [[(x, y) for x, y in ring] for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        out.append((feature["properties"]["name"], rings, (min(xs), min(ys), max(xs), max(ys))))
    return out


def map_svg(lines: list[MapLine], view: str = "fit", width: int = 960, height: int = 520) -> str:
    points = {p.id: p for line in lines for p in (line.a, line.b)}
    base = Extent(*VIEWS[view]) if view in VIEWS else Extent.around(list(points.values()))
    extent = base.shaped(width, height)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        x = (lon - extent.west) / (extent.east - extent.west) * width
        y = (extent.north - lat) / (extent.north - extent.south) * height
        return x, y

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="group" class="map" '
        f'aria-label="Map of {len(lines)} place partnerships">',
        f'<rect width="{width}" height="{height}" fill="#eaf2fa"/>',
    ]
    for name, rings, (west, south, east, north) in _outlines():
        if east < extent.west or west > extent.east or north < extent.south or south > extent.north:
            continue
        path = " ".join(
            "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat in ring)) + " Z" for ring in rings
        )
        parts.append(
            f'<path class="country" d="{path}" fill="#f6f8fa" stroke="#afb8c1" stroke-width="0.6" '
            f'fill-rule="evenodd"><title>{escape(name)}</title></path>'
        )
    for line in sorted(lines, key=lambda item: item.status == "active"):  # active links drawn on top
        (x1, y1), (x2, y2) = xy(line.a.lon, line.a.lat), xy(line.b.lon, line.b.lat)
        colour, dash = STATUS_STYLES.get(line.status, STATUS_STYLES["unknown"])
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<a href="/partnerships/{escape(line.id)}"><line class="link status-{escape(line.status)}" '
            f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="2"{dashed}>'
            f"<title>{escape(line.label)} ({escape(line.status)})</title></line></a>"
        )
    links = Counter(p.id for line in lines for p in (line.a, line.b))
    labelled = {pid for pid, _ in links.most_common(LABELS)}
    for point in sorted(points.values(), key=lambda p: p.id):
        x, y = xy(point.lon, point.lat)
        parts.append(
            f'<a href="/parties/{escape(point.id)}"><circle class="place" cx="{x:.1f}" cy="{y:.1f}" r="3.5" '
            f'fill="#24292f"><title>{escape(point.name)}</title></circle></a>'
        )
        if point.id in labelled:
            parts.append(
                f'<text class="place-label" x="{x + 5:.1f}" y="{y - 4:.1f}" font-size="11" fill="#24292f" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(point.name)}</text>'
            )
    parts.append(_legend(height))
    parts.append("</svg>")
    return "".join(parts)


def _legend(height: int) -> str:
    rows = []
    top = height - 18 * len(STATUS_STYLES) - 8
    rows.append(
        f'<rect x="6" y="{top - 6}" width="118" height="{18 * len(STATUS_STYLES) + 8}" fill="#ffffff" opacity="0.85"/>'
    )
    for i, (status, (colour, dash)) in enumerate(STATUS_STYLES.items()):
        y = top + 18 * i + 6
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        rows.append(
            f'<line x1="12" y1="{y}" x2="48" y2="{y}" stroke="{colour}" stroke-width="2.5"{dashed}/>'
            f'<text x="54" y="{y + 4}" font-size="11" fill="#24292f">{status}</text>'
        )
    return '<g class="legend" aria-label="Legend">' + "".join(rows) + "</g>"
