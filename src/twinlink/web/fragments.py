"""The long lists of the pages, a timeline and a party's partnerships, rendered by the macros of
``lists/lists.html``.

They run in an environment of their own without autoescaping: a timeline runs to hundreds of
lines, and autoescaping makes a MarkupSafe object of every value, which costs about as much as
the rest of the list together; the macros escape each value with the standard library's escape
(the ``x`` filter) instead, on plain strings (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from twinlink.register.derived.timelines import TimelineEntry
from twinlink.register.queries import PartnershipView
from twinlink.web.svg import timeline_svg


@lru_cache(maxsize=1)
def _macros() -> Any:
    environment = Environment(
        loader=PackageLoader("twinlink.web", "lists"), autoescape=False, undefined=StrictUndefined
    )
    environment.filters["x"] = lambda value: escape(str(value))
    return environment.get_template("lists.html").module


def timeline_html(entries: Sequence[TimelineEntry]) -> Markup:
    """The chart and the list of a timeline, oldest first."""
    if not entries:
        return Markup("<p>No dated events recorded.</p>")
    return Markup(timeline_svg(entries) + "\n" + str(_macros().timeline_list(entries)))


def partnership_rows_html(views: Sequence[PartnershipView], party_id: str) -> Markup:
    """A party's partnerships as table rows: partner, kind, instruments, established (linked to
    the partnership) and status with its reason."""
    return Markup(str(_macros().partnership_rows(views, party_id)))
