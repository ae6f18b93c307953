"""Partnerships with no recorded activity for some years: their last activity and its source."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from twinlink.register.derived.timelines import timeline
from twinlink.register.queries import list_partnership_views
from twinlink.store.parties import get_party
from twinlink.store.partnerships import PartnershipFilter


@dataclass(frozen=True)
class DormantLink:
    party: str
    partner: str
    kind: str
    established: str
    last_activity: str | None
    last_activity_what: str | None
    source: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_dormant(session: Session, as_of: date, years: int) -> list[DormantLink]:
    out = []
    for view in list_partnership_views(session, as_of, years, PartnershipFilter(status="dormant")):
        a, b = get_party(session, view.party_a.id), get_party(session, view.party_b.id)
        assert a is not None and b is not None
        past = [e for e in timeline(session, a, b) if e.date <= as_of.isoformat()]
        last = past[-1] if past else None
        source = next((s.source for s in last.sources), None) if last else None
        out.append(
            DormantLink(
                party=view.party_a.name,
                partner=view.party_b.name,
                kind=view.kind,
                established=view.established,
                last_activity=last.label if last else None,
                last_activity_what=last.description if last else None,
                source=source,
                reason=view.status_reason,
            )
        )
    return sorted(out, key=lambda d: (d.last_activity is not None, d.party, d.partner))
