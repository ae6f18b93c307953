"""The long lists of the pages as HTML: a timeline (its chart, then one line per event with links
to its sources) and a party's partnerships.

Written in Python rather than as template macros: a timeline runs to hundreds of lines, and a
template escapes each value through MarkupSafe, which makes a ``Markup`` object per value and
costs as much as the rest of the list together; the standard library's escape does the same job
(``&``, ``<``, ``>`` and both quotes) on plain strings at half the cost. Every stored string is
escaped: ingested pages are untrusted."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from twinlink.register.derived.digests import SourceRef
from twinlink.register.derived.timelines import TimelineEntry
from twinlink.register.queries import PartnershipView
from twinlink.web.svg import timeline_svg


def _source_link(source: SourceRef) -> str:
    if source.document_id:
        document, claim = escape(source.document_id), escape(source.claim_id)
        return f' <a class="source" href="/documents/{document}#claim-{claim}">source</a>'
    return f' <span class="source">{escape(source.source or source.method)}</span>'


def timeline_html(entries: Sequence[TimelineEntry]) -> Markup:
    """The chart and the list of a timeline, oldest first."""
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


def partnership_rows_html(views: Sequence[PartnershipView], party_id: str) -> Markup:
    """A party's partnerships as table rows: partner, kind, instruments, established (linked to
    the partnership) and status with its reason."""
    rows = []
    for view in views:
        partner = view.partner_of(party_id)
        chinese = f' <span lang="zh">{escape(partner.name_zh)}</span>' if partner.name_zh else ""
        conflict = ' class="conflict"' if "established" in view.conflicts else ""
        status = escape(view.status)
        rows.append(
            f'<tr><td><a href="/parties/{escape(partner.id)}">{escape(partner.name)}</a>{chinese}</td>'
            f"<td>{escape(view.kind)}</td><td>{escape('; '.join(view.instruments))}</td>"
            f'<td{conflict}><a href="/partnerships/{escape(view.id)}">{escape(view.established or "–")}</a></td>'
            f'<td><span class="status status-{status}">{status}</span> '
            f'<span class="reason">{escape(view.status_reason)}</span></td></tr>'
        )
    return Markup("\n".join(rows))
