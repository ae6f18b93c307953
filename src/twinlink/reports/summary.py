"""Register-wide counts by country, kind, status and decade, and charts of them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from twinlink.register.queries import list_partnership_views

DIMENSIONS = ("country", "kind", "status", "decade")


@dataclass
class Summary:
    as_of: date
    total: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {d: Counter() for d in DIMENSIONS})

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            **{d: dict(sorted(c.items())) for d, c in self.counts.items()},
        }


def summarise(session: Session, as_of: date, window_years: int) -> Summary:
    summary = Summary(as_of)
    for view in list_partnership_views(session, as_of, window_years):
        summary.total += 1
        for country in {view.party_a.country or "unknown", view.party_b.country or "unknown"}:
            summary.counts["country"][country] += 1
        summary.counts["kind"][view.kind] += 1
        summary.counts["status"][view.status] += 1
        years = [int(v.value) for v in view.established_values]
        summary.counts["decade"][f"{min(years) // 10 * 10}s" if years else "unknown"] += 1
    return summary


def write_charts(summary: Summary, folder: Path) -> list[Path]:
    """One bar chart per dimension, as SVG and PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    for ax, dimension in zip(axes.flat, DIMENSIONS, strict=True):
        counts = summary.counts[dimension]
        labels = sorted(counts) if dimension == "decade" else [k for k, _ in counts.most_common()]
        ax.barh(labels, [counts[k] for k in labels], color="#3b6ea5")
        ax.invert_yaxis()
        ax.set_title(f"Partnerships by {dimension}")
        ax.xaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(f"Twinlink register: {summary.total} partnerships as of {summary.as_of.isoformat()}")
    fig.tight_layout()
    for suffix in ("svg", "png"):
        path = folder / f"summary.{suffix}"
        fig.savefig(path)
        written.append(path)
    plt.close(fig)
    return written
