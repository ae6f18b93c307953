"""Place partnerships as Wikidata QuickStatements (version 1 commands, tab-separated): "twinned
administrative body" (P190) on each party's item, with the start time (P580) when the sources
agree on the year, and a reference URL (S854) for each web source. Only partnerships whose two
parties carry a Wikidata id (``twinlink parties identify``) can be written; the others are
counted, not dropped silently."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from twinlink.documents.model import is_address
from twinlink.register.queries import PartnershipView
from twinlink.reports.exports import partnership_row
from twinlink.store.identifiers import identifiers_of

TWINNED = "P190"  # twinned administrative body
START_TIME = "P580"
REFERENCE_URL = "S854"


@dataclass
class Statements:
    lines: list[str] = field(default_factory=list)
    written: int = 0
    without_items: list[str] = field(default_factory=list)  # partnerships a party of which has no item
    not_places: int = 0

    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.lines else "")


def quickstatements(session: Session, views: list[PartnershipView]) -> Statements:
    items = identifiers_of(session, [p.id for v in views for p in (v.party_a, v.party_b)], "wikidata")
    made = Statements()
    for view in views:
        if view.kind != "place":
            made.not_places += 1
            continue
        a, b = items.get(view.party_a.id), items.get(view.party_b.id)
        if a is None or b is None:
            made.without_items.append(view.id)
            continue
        year = partnership_row(view)["established_year"]  # when the sources agree on one
        qualifier = [START_TIME, f"+{year:04d}-00-00T00:00:00Z/9"] if year is not None else []
        sources = [s for s in view.sources if is_address(s)] or [""]
        for subject, other in ((a, b), (b, a)):
            for source in sources:
                reference = [REFERENCE_URL, _quoted(source)] if source else []
                made.lines.append("\t".join([subject, TWINNED, other, *qualifier, *reference]))
        made.written += 1
    return made


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "%22").replace("\t", " ").replace("\n", " ") + '"'
