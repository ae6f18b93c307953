"""Charts drawn on the server as SVG: a partnership's timeline and the map of place partnerships."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

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
