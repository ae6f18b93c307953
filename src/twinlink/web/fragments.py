"""A timeline as HTML: its chart, then one line per event with links to its sources.

Written in Python rather than as a template macro: a timeline runs to hundreds of lines, and a
template escapes each value through MarkupSafe, which makes a ``Markup`` object per value and
costs as much as the rest of the page's timeline together; the standard library's escape does
the same job (``&``, ``<``, ``>`` and both quotes) on plain strings at half the cost."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from twinlink.register.digests import SourceRef
from twinlink.register.timelines import TimelineEntry
from twinlink.web.svg import timeline_svg


def _source_link(source: SourceRef) -> str:
    if source.document_id:
        document, claim = escape(source.document_id), escape(source.claim_id)
        return f' <a class="source" href="/documents/{document}#claim-{claim}">source</a>'
    return f' <span class="source">{escape(source.source or source.method)}</span>'


def timeline_html(entries: Sequence[TimelineEntry]) -> Markup:
    """The chart and the list of a timeline, oldest first; every stored string escaped."""
    if not entries:
        return Markup("<p>No dated events recorded.</p>")
    lines = [timeline_svg(entries), '<ol class="timeline">']
    for entry in entries:
        sources = "".join(map(_source_link, entry.sources))
        lines.append(
            f'<li><span class="date">{escape(entry.label)}</span> <span class="kind">{escape(entry.kind)}</span> '
            f"{escape(entry.description)}{sources}</li>"
        )
    lines.append("</ol>")
    return Markup("\n".join(lines))
