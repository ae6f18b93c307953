"""The one write path from facts to the register."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from twinlink.facts import DocumentFacts, EventFact, FundingFact, PartnershipFact, StatusFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import name_key
from twinlink.ids import make_id, ordered_pair
from twinlink.register.claims import Evidence, add_claim
from twinlink.register.derive import kind_fits
from twinlink.register.derived.refresh import Touched, refresh
from twinlink.register.event_groups import regroup_around, related, worth_grouping
from twinlink.register.event_keys import event_key
from twinlink.register.resolve import ResolvedParty, Resolver
from twinlink.register.restore import restore_claims, restore_document, restore_reviews
from twinlink.store.claims import claim_spans_in, claim_spans_of_events, has_accepted_claim
from twinlink.store.events import (
    EventCandidate,
    event_party_ids,
    events_of_kind_in_year_with,
    involving,
    list_events_with,
)
from twinlink.store.parties import ensure_body, ensure_place, get_party
from twinlink.store.partnerships import ensure_partnership, find_partnership_between
from twinlink.store.party_changes import follow, redirects_for
from twinlink.store.tables import Event, Partnership
from twinlink.vocab import PartnershipKind, PartyKind


@dataclass
class RegisterResult:
    counts: Counter[str] = field(default_factory=Counter)
    claim_ids: set[str] = field(default_factory=set)
    touched: Touched = field(default_factory=Touched)


def _evidence(
    fact: PartnershipFact | EventFact | FundingFact | StatusFact,
    facts: DocumentFacts,
    document_id: str | None,
    method: str,
    source: str | None,
) -> Evidence:
    span = fact.span
    return Evidence(
        document_id=document_id,
        source=facts.source or source,
        quote=fact.evidence,
        span_start=span.start if span else None,
        span_end=span.end if span else None,
        method=fact.rule or method,
    )


class Registrar:
    def __init__(
        self,
        session: Session,
        gazetteer: Gazetteer,
        facts: DocumentFacts,
        document_id: str | None,
        method: str,
        source: str | None = None,
        new_document: bool = False,
    ) -> None:
        self.session = session
        self.source = source
        self.gazetteer = gazetteer
        self.facts = facts
        self.document_id = document_id
        self.method = method
        subject = gazetteer.find(facts.subject, limit=1) if facts.subject else []
        self.resolver = Resolver(gazetteer, subject[0].place if subject else None)
        self.result = RegisterResult()
        self.touched = self.result.touched
        self._bodies: dict[str, ResolvedParty] = {}  # bodies this document named, by the name used
        self.redirects = redirects_for(session, document_id)  # merges and splits that stand
        # a document new to the register has no claims there but the ones written here, so what
        # it has said is known without asking the register
        self.new_document = new_document and document_id is not None
        self._spans: dict[str, set[int | None]] = {}  # where this document tells each event
        self._candidates: list[EventCandidate] = []  # the events the last account could have been of
        self._partnerships: dict[tuple[str, str], Partnership | None] = {}

    def parties_of(
        self, names: list[str], party_ids: list[str | None] | None, locations: dict[str, str] | None = None
    ) -> list[ResolvedParty]:
        """The parties of a fact: by the register ids it gives (facts exported from a register),
        else by name."""
        ids = party_ids if party_ids and len(party_ids) == len(names) else [None] * len(names)
        where = locations or {}
        return [self.party(name, where.get(name), party_id) for name, party_id in zip(names, ids, strict=True)]

    def party(self, name: str, located_in: str | None = None, party_id: str | None = None) -> ResolvedParty:
        """The party a name stands for. A body the text places somewhere ("Castle Grammar School"
        in Portsmouth) is that place's body, a party of its own apart from a namesake elsewhere,
        and the same party wherever else this document names it; so the register does not
        depend on which document came first."""
        if party_id is not None and (given := self._by_id(name, party_id)) is not None:
            return given
        known = self._bodies.get(name)
        if known is not None and located_in is None:
            return known
        resolved = self.resolver.resolve(name)
        if resolved.place is not None:
            party = ensure_place(self.session, resolved.place, self.gazetteer, self.touched.parties, self.redirects)
            resolved = replace(resolved, id=party.id)
            self.touched.parties.add(resolved.id)
            return resolved
        where = self.resolver.resolve(located_in) if located_in else None
        parent_id = None
        country = resolved.country
        if where is not None and where.place is not None:
            parent_id = ensure_place(self.session, where.place, self.gazetteer, self.touched.parties, self.redirects).id
            country = country or where.place.country
            # named by the place the text gives, so a body placed before that place was merged
            # into another party is still found
            resolved = replace(resolved, id=make_id("body", resolved.kind.value, name_key(resolved.name), where.id))
        target = follow(self.redirects, resolved.id)
        if target != resolved.id and get_party(self.session, target) is not None:
            resolved = replace(resolved, id=target)
            self.touched.parties.add(target)
            self._bodies.setdefault(name, resolved)
            return resolved
        self.touched.parties.add(resolved.id)
        ensure_body(self.session, resolved.id, resolved.name, resolved.kind.value, country, parent_id)
        if parent_id is not None or name not in self._bodies:
            self._bodies[name] = resolved
        return resolved

    def _by_id(self, name: str, party_id: str) -> ResolvedParty | None:
        """A party named by its id: a gazetteer place, or a party the register holds already."""
        place = self.gazetteer.get(party_id)
        if place is not None:
            party = ensure_place(self.session, place, self.gazetteer, self.touched.parties, self.redirects)
            self.touched.parties.add(party.id)
            return ResolvedParty(party.id, place.name, place.kind, place, place.country)
        held = get_party(self.session, follow(self.redirects, party_id))
        if held is None:
            return None
        self.touched.parties.add(held.id)
        return ResolvedParty(held.id, held.name, PartyKind(held.kind), None, held.country)

    def run(self) -> RegisterResult:
        """Register the facts; what they touched is in the result, for ``refresh``."""
        for fact in self.facts.partnerships:
            self.partnership(fact)
        for event in self.facts.events:
            self.event(event)
        for funding in self.facts.funding:
            self.funding(funding)
        for status in self.facts.statuses:
            self.status(status)
        self.session.flush()
        return self.result

    def _claim(self, subject_type: str, subject_id: str, prop: str, value: object, evidence: Evidence) -> None:
        written = self.result.claim_ids if self.new_document else None
        claim_id, new = add_claim(self.session, subject_type, subject_id, prop, value, evidence, written=written)
        self.result.claim_ids.add(claim_id)
        if new:
            self.result.counts["claims"] += 1
            if subject_type == "partnership":
                self.touched.partnership_claims.add(claim_id)
            elif subject_type == "event":
                self.touched.events.add(subject_id)

    def ensure_partnership(self, a: ResolvedParty, b: ResolvedParty, kind: PartnershipKind) -> Partnership:
        partnership, created = ensure_partnership(self.session, a.id, b.id, kind.value)
        pair = ordered_pair(a.id, b.id)
        known = self._partnerships.get(pair)
        if known is None or partnership.id < known.id:  # as find_partnership_between chooses
            self._partnerships[pair] = partnership
        if created:
            self.touched.partnerships.add(partnership.id)
            self.result.counts["partnerships"] += 1
            for event in list_events_with(self.session, list(pair)):  # told before the tie was
                if event.partnership_id is None or partnership.id < event.partnership_id:
                    event.partnership_id = partnership.id
                    self.touched.events.add(event.id)
        return partnership

    def partnership(self, fact: PartnershipFact) -> None:
        a, b = self.parties_of(fact.parties, fact.party_ids, fact.locations)
        if a.id == b.id:
            return
        partnership = self.ensure_partnership(a, b, fact.kind)
        evidence = _evidence(fact, self.facts, self.document_id, self.method, self.source)
        self._claim("partnership", partnership.id, "exists", True, evidence)
        if fact.instrument:
            self._claim("partnership", partnership.id, "instrument", fact.instrument, evidence)
        for year in fact.established_years():
            self._claim("partnership", partnership.id, "established", year, evidence)
        named = fact.named_kinds or {}
        for resolved, name in ((a, fact.parties[0]), (b, fact.parties[1])):
            kind = named.get(name) or _named_kind(name)
            if resolved.place is not None and kind is not None and not kind_fits(kind, resolved.kind.value):
                self._claim("party", resolved.id, "kind", kind, evidence)

    def _find_partnership(self, party_ids: Iterable[str]) -> Partnership | None:
        """The partnership a fact of these parties belongs to: of those between two of them, the
        first by id, whichever was made first."""
        ids = sorted(set(party_ids))
        found = []
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pair = ordered_pair(a, b)
                if pair not in self._partnerships:
                    self._partnerships[pair] = find_partnership_between(self.session, *pair)
                if (partnership := self._partnerships[pair]) is not None:
                    found.append(partnership)
        return min(found, key=lambda p: p.id, default=None)

    def event(self, fact: EventFact) -> None:
        parties = self.parties_of(fact.parties, fact.party_ids)
        party_ids = sorted({p.id for p in parties})
        partnership = self._find_partnership(party_ids)
        event = self._matching_event(fact, party_ids)
        event_id = fact.event_id or event_key(fact.year, fact.month, fact.day, fact.kind.value, party_ids)
        if event is None:
            # a second telling in this document of a happening whose parties resolve alike ("Jin'an"
            # and "Jinan") is the same event: another claim, not another row with the same id
            event = self.session.get(Event, event_id)
        if event is None:
            event = Event(
                id=event_id,
                year=fact.year,
                month=fact.month,
                day=fact.day,
                precision="day" if fact.day else "month" if fact.month else "year",
                kind=fact.kind.value,
                description=fact.what,
                partnership_id=partnership.id if partnership else None,
            )
            self.session.add(event)
            self.session.flush()
            for pid in party_ids:
                self.session.add(involving(event, pid))
            self.touched.events.add(event.id)
            self.result.counts["events"] += 1
            told, exact, created = set(party_ids), False, True
        else:
            known = event_party_ids(self.session, event.id)
            told = known | set(party_ids)
            exact = (event.month, event.day) == (fact.month, fact.day) and set(party_ids) <= known
            created = False
            for pid in sorted(set(party_ids) - known):
                self.session.add(involving(event, pid))
                self.touched.events.add(event.id)
            if partnership is not None and (event.partnership_id is None or partnership.id < event.partnership_id):
                event.partnership_id = partnership.id
                self.touched.events.add(event.id)
            if fact.month and not event.month:
                event.month, event.precision = fact.month, "month"
                self.touched.events.add(event.id)
            if fact.day and not event.day:
                event.day, event.precision = fact.day, "day"
                self.touched.events.add(event.id)
            if self._tells_more(event, fact.what):
                event.description = fact.what
                self.touched.events.add(event.id)
        evidence = _evidence(fact, self.facts, self.document_id, self.method, self.source)
        date = {"year": fact.year, "month": fact.month, "day": fact.day}
        value: dict[str, object] = {"what": fact.what, "kind": fact.kind.value, "parties": party_ids, **date}
        if fact.planned:
            value["planned"] = True  # announced, not yet done: never a link's activity
        self._claim("event", event.id, "occurred", value, evidence)
        self._spans.setdefault(event.id, set()).add(evidence.span_start)
        if fact.event_id is None and not exact:  # (facts from a register keep its ids)
            self._regroup(fact, party_ids, told, event.id if created else None)

    def _regroup(self, fact: EventFact, party_ids: list[str], told: set[str], created: str | None) -> None:
        """Group again the accounts of the event this account changed (a date of another
        precision, more parties: it takes the id of what it now tells) with those of the events
        it shares parties with (``told``); or, for an event this account made (``created``), of
        those near it, where that could change them: which events accounts tell must not depend
        on which came first."""
        if created is not None:  # the events near it were read when looking for its event
            new = EventCandidate(created, fact.month, fact.day, frozenset(party_ids))
            near = [c for c in self._candidates if related(c.parties, told)] + [new]
            if len(near) == 1 or not worth_grouping(self.session, fact.month, fact.day, near):
                return
        else:
            near = [
                c
                for c in events_of_kind_in_year_with(self.session, fact.year, fact.kind.value, sorted(told))
                if related(c.parties, set(party_ids)) or related(c.parties, told)
            ]
        done = regroup_around(self.session, fact.year, fact.kind.value, near, self._partnership_id)
        if done is None:
            return
        self.touched.events |= done.events
        self.touched.left_events |= done.parties  # digests holding a removed event are made afresh
        self.result.claim_ids = {done.claims.get(c, c) for c in self.result.claim_ids}
        for event_id in done.events:
            self._spans.pop(event_id, None)
        for event_id, start in claim_spans_of_events(
            self.session, sorted(done.events - done.gone), self.document_id, self.facts.source
        ):
            self._spans.setdefault(event_id, set()).add(start)

    def _partnership_id(self, party_ids: list[str]) -> str | None:
        partnership = self._find_partnership(party_ids)
        return partnership.id if partnership else None

    def _tells_more(self, event: Event, what: str) -> bool:
        """Whether an account describes a known event better than its description does: the
        fuller one stands (the same whichever document came first), unless a reviewer has
        accepted an account, whose words then stand."""
        if (len(what), what) <= (len(event.description), event.description):
            return False
        return not has_accepted_claim(self.session, "event", event.id)

    def _matching_event(self, fact: EventFact, party_ids: list[str]) -> Event | None:
        """Events match on year, kind and parties; a month on both sides must agree too."""
        wanted = set(party_ids)
        self._candidates = events_of_kind_in_year_with(self.session, fact.year, fact.kind.value, party_ids)
        for event in self._candidates:
            ids = event.parties
            if not (ids <= wanted or wanted <= ids or len(ids & wanted) >= 2):
                continue
            if fact.month and event.month and fact.month != event.month:
                continue
            if fact.day and event.day and fact.day != event.day:
                continue
            if self._stated_elsewhere_here(event.id, fact):
                continue
            return self.session.get(Event, event.id)
        return None

    def _stated_elsewhere_here(self, event_id: str, fact: EventFact) -> bool:
        """Whether this document already states the event in another place: then the fact is another event."""
        if self.new_document:
            spans = self._spans.get(event_id, set())
        else:
            spans = claim_spans_in(
                self.session, "event", event_id, document_id=self.document_id, source=self.facts.source
            )
        return bool(spans) and (fact.span.start if fact.span else None) not in spans

    def funding(self, fact: FundingFact) -> None:
        names = fact.parties or [n for n in (fact.funder, fact.recipient) if n]
        if not names:
            return
        parties = self.parties_of(names, fact.party_ids)
        partnership = self._find_partnership(p.id for p in parties)
        evidence = _evidence(fact, self.facts, self.document_id, self.method, self.source)
        value = {
            "funder": fact.funder,
            "recipient": fact.recipient,
            "until_year": fact.until_year,
            "until_month": fact.until_month,
            "what": fact.what,
        }
        if partnership is not None:
            self._claim("partnership", partnership.id, "funding", value, evidence)
        else:
            self._claim("party", parties[0].id, "funding", value, evidence)

    def status(self, fact: StatusFact) -> None:
        a, b = self.parties_of(fact.parties, fact.party_ids)
        partnership = self._find_partnership([a.id, b.id])
        if partnership is None:
            return
        evidence = _evidence(fact, self.facts, self.document_id, self.method, self.source)
        self._claim("partnership", partnership.id, "status", fact.status, evidence)


def _named_kind(name: str) -> str | None:
    """The kind a name itself asserts ("Hainan Province" → province), if any."""
    lowered = name.lower()
    if lowered.endswith((" province", " sheng")):
        return "province"
    if lowered.endswith((" city", " shi")) and not lowered.endswith(" council"):
        return "city"
    return None


def register_many(
    session: Session,
    gazetteer: Gazetteer,
    items: Iterable[DocumentFacts],
    method: str = "import",
    source: str | None = None,
) -> Counter[str]:
    """Many documents' facts in the caller's transaction, their derived rows refreshed once at the
    end (a file of thousands refreshes a busy partnership once, not once a document); what was added."""
    counts: Counter[str] = Counter()
    touched = Touched()
    for facts in items:
        document_id = restore_document(session, facts, touched)  # a line exported from a register
        result = Registrar(session, gazetteer, facts, document_id, method, source).run()
        counts.update(result.counts)
        touched.update(result.touched)
        counts.update(restore_claims(session, facts, touched))
        counts.update(restore_reviews(session, facts, touched, method))
    refresh(session, touched)
    return counts


def register_facts(
    session: Session,
    gazetteer: Gazetteer,
    facts: DocumentFacts,
    document_id: str | None = None,
    method: str = "import",
    source: str | None = None,
) -> RegisterResult:
    """Turn one document's facts into claims, and refresh what they touched; ``source`` stands in
    where the facts name none."""
    result = Registrar(session, gazetteer, facts, document_id, method, source).run()
    refresh(session, result.touched)
    return result
