"""The answer to a Freedom of Information request about a body's partnerships, drafted from the
register: one section per standard question, every fact with a numbered citation."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from twinlink.errors import TwinlinkError
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.delegations import CostTotals, link_costs_by_year
from twinlink.register.derive import claim_value, in_force
from twinlink.register.derived.timelines import TimelineEntry, timeline
from twinlink.register.queries import (
    PartnershipView,
    find_party,
    list_partnership_views,
)
from twinlink.store.claims import list_claims, list_event_claims_of_document
from twinlink.store.parties import PartyRef, get_party, list_parties_inside
from twinlink.store.partnerships import PartnershipFilter
from twinlink.store.tables import Claim, Document, Party

_ASSESSMENT = re.compile(r"\b(?:review|report|assessment|evaluation|study|audit|scrutiny)\b", re.I)


@dataclass
class Citation:
    number: int
    source: str
    title: str | None
    kind: str | None
    ingested: str | None


@dataclass
class CitedText:
    text: str
    citations: list[int]


@dataclass
class AgreementAnswer:
    partnership: PartnershipView
    partner: PartyRef
    established: CitedText
    status: str
    status_reason: str
    activity: list[CitedText]


@dataclass
class DocumentAnswer:
    citation: Citation
    about: list[str]


@dataclass
class FoiAnswer:
    party: PartyRef
    related: list[PartyRef]
    as_of: date
    agreements: list[AgreementAnswer] = field(default_factory=list)
    documents: list[DocumentAnswer] = field(default_factory=list)
    assessments: list[CitedText] = field(default_factory=list)
    funding: list[CitedText] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


class _Citations:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[str, Citation] = {}

    def cite(self, source: str | None, document_id: str | None) -> int:
        key = document_id or source or "unknown source"
        if key not in self.by_key:
            doc = self.session.get(Document, document_id) if document_id else None
            self.by_key[key] = Citation(
                number=len(self.by_key) + 1,
                source=(doc.source if doc else source) or "unknown source",
                title=doc.title if doc else None,
                kind=doc.kind if doc else None,
                ingested=doc.ingested_at.date().isoformat() if doc else None,
            )
        return self.by_key[key].number

    def claims(self, claims: list[Claim]) -> list[int]:
        return sorted({self.cite(c.source, c.document_id) for c in claims})


def party_for_answer(session: Session, gazetteer: Gazetteer, name: str) -> Party:
    """The register's party, or, for a place the register holds nothing about, the gazetteer's
    place as a party of its own (so the answer can say the register holds no information)."""
    try:
        return find_party(session, gazetteer, name)
    except TwinlinkError:
        candidates = gazetteer.find(name, limit=1)
        if not candidates:
            raise
        place = candidates[0].place
        return Party(id=place.id, kind=place.kind.value, name=place.name, country=place.country, name_zh=place.name_zh)


def related_parties(session: Session, party: Party, names: list[Party]) -> list[Party]:
    """Bodies located in the party (its schools, say) and any parties asked for by name."""
    inside = list_parties_inside(session, party.id)
    seen = {party.id}
    out = []
    for p in [*names, *inside]:
        if p.id not in seen:
            seen.add(p.id)
            out.append(p)
    return out


def _entry_text(entry: TimelineEntry) -> str:
    """The date and the source's own words (in full, where the description is a summary)."""
    quote = next((s.quote for s in entry.sources if s.quote), None)
    return f"{entry.label}: {' '.join((quote or entry.description).split())}"


def _entry_citations(cites: _Citations, entry: TimelineEntry) -> list[int]:
    return sorted({cites.cite(s.source, s.document_id) for s in entry.sources})


def build_foi_answer(
    session: Session, party: Party, as_of: date, window_years: int, include: list[Party] | None = None
) -> FoiAnswer:
    related = related_parties(session, party, include or [])
    cites = _Citations(session)
    answer = FoiAnswer(PartyRef.of(party), [PartyRef.of(p) for p in related], as_of)
    documents: dict[int, set[str]] = {}
    seen_assessments: set[tuple[str, str]] = set()
    for subject in [party, *related]:
        for view in list_partnership_views(session, as_of, window_years, PartnershipFilter(party_id=subject.id)):
            agreement = _agreement(session, cites, subject, view, answer)
            answer.agreements.append(agreement)
            label = f"{subject.name} – {agreement.partner.name}"
            for number in agreement.established.citations + [n for a in agreement.activity for n in a.citations]:
                documents.setdefault(number, set()).add(label)
        for item in in_force(list_claims(session, "party", [subject.id], "funding")[subject.id]):
            answer.funding.append(CitedText(funding_text(claim_value(item)), cites.claims([item])))
        for entry in timeline(session, subject):
            key = (entry.date, entry.description)
            if _ASSESSMENT.search(entry.description) and key not in seen_assessments:
                seen_assessments.add(key)
                answer.assessments.append(CitedText(_entry_text(entry), _entry_citations(cites, entry)))
    for text, citation in _assessments_in_cited_documents(session, cites):
        if (citation, text) not in seen_assessments:
            seen_assessments.add((citation, text))
            answer.assessments.append(CitedText(text, [int(citation)]))
    answer.citations = sorted(cites.by_key.values(), key=lambda c: c.number)
    answer.documents = [DocumentAnswer(c, sorted(documents.get(c.number, set()))) for c in answer.citations]
    return answer


def _agreement(
    session: Session, cites: _Citations, subject: Party, view: PartnershipView, answer: FoiAnswer
) -> AgreementAnswer:
    partner = view.partner_of(subject.id)
    claims = in_force(list_claims(session, "partnership", [view.id])[view.id])
    dated = [c for c in claims if c.property == "established"]
    stating = [c for c in claims if c.property in ("exists", "instrument")]
    if view.established:
        established = CitedText(view.established, cites.claims(dated))
    else:
        established = CitedText("no date recorded", cites.claims(stating))
    activity = [
        CitedText(_entry_text(entry), _entry_citations(cites, entry))
        for entry in timeline(session, subject, get_party(session, partner.id))
    ]
    for item in (c for c in claims if c.property == "funding"):
        answer.funding.append(CitedText(funding_text(claim_value(item)), cites.claims([item])))
    for year, totals in link_costs_by_year(session, view.id).items():
        answer.funding.append(CitedText(_visit_costs_text(subject.name, partner.name, year, totals), []))
    return AgreementAnswer(view, partner, established, view.status, view.status_reason, activity)


def _assessments_in_cited_documents(session: Session, cites: _Citations) -> list[tuple[str, str]]:
    """Reviews, reports and assessments that the documents cited so far mention."""
    found = []
    for key, citation in list(cites.by_key.items()):
        for claim in in_force(list_event_claims_of_document(session, key)):
            value = claim_value(claim)
            if _ASSESSMENT.search(claim.quote or ""):
                found.append((f"{value['year']}: {' '.join((claim.quote or '').split())}", str(citation.number)))
    return found


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


def _visit_costs_text(subject: str, partner: str, year: int, totals: CostTotals) -> str:
    """A year's delegation costs on a link, from the organisation's own delegation records."""
    parts = "; ".join(f"{category} {_pounds(p)}" for category, p in sorted(totals.by_category.items()))
    funders = ", ".join(f"{funder} ({_pounds(p)})" for funder, p in sorted(totals.by_funder.items()))
    return (
        f"Delegation visits on the {subject} – {partner} link in {year} cost {_pounds(totals.total)} ({parts}), "
        f"funded by {funders} (from the delegation records kept in this register)"
    )


def funding_text(value: dict[str, object]) -> str:
    funder = value.get("funder") or "A funder not named"
    recipient = value.get("recipient") or "the partnership"
    text = f"{funder} funded {recipient}"
    if value.get("amount"):
        text += f" ({value['amount']})"
    if value.get("until_year"):
        month = value.get("until_month")
        text += f" until {calendar.month_name[int(str(month))]} " if month else " until "
        text += str(value["until_year"])
    return text
