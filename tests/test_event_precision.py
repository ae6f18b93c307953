"""Accounts of one happening told at different precision ("in 2003", "in May 2003", "on 14 May
2003") or naming more of its parties make one event whose id is that of what all of them tell,
whichever account came first; an event a reviewer or an editor has spoken for keeps its id."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.register_content import differences, register_content
from twinlink.facts import DocumentFacts, EventFact, PartnershipFact, Span
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.ids import make_id
from twinlink.register.database import prepare
from twinlink.register.derived.refresh import rebuild
from twinlink.register.ingest import register_facts
from twinlink.register.party_changes import merge_parties, undo_change
from twinlink.register.review import decide
from twinlink.store.engine import make_engine, reading, transaction
from twinlink.store.search_index import stored_entries
from twinlink.store.tables import Claim, Event, EventParty, Partnership, Party
from twinlink.vocab import EventKind, ReviewState


def telling(doc: str, what: str, parties: list[str], month: int | None = None, day: int | None = None) -> DocumentFacts:
    return DocumentFacts(
        doc=doc,
        source=f"https://example.org/{doc}",
        partnerships=[PartnershipFact(parties=["Derby", "Hefei"], evidence="Derby is twinned with Hefei.")],
        events=[
            EventFact(
                year=2003,
                month=month,
                day=day,
                kind=EventKind.VISIT,
                parties=parties,
                what=what,
                evidence=what,
                span=Span(start=0, end=len(what)),
            )
        ],
    )


DOCUMENTS = [
    telling("year.txt", "In 2003 a delegation from Hefei visited Derby.", ["Hefei", "Derby"]),
    telling("month.txt", "In May 2003 a delegation from Hefei visited Derby.", ["Hefei", "Derby"], month=5),
    telling(
        "day.txt",
        "On 14 May 2003 a delegation from Hefei visited Derby and Nottingham.",
        ["Hefei", "Derby", "Nottingham"],
        month=5,
        day=14,
    ),
]


AMBIGUOUS = [  # "in 2003" fits the visit of May and the one of October: an event of its own
    telling("year.txt", "In 2003 a delegation from Hefei visited Derby.", ["Hefei", "Derby"]),
    telling("may.txt", "In May 2003 a delegation from Hefei visited Derby.", ["Hefei", "Derby"], month=5),
    telling("october.txt", "In October 2003 a delegation from Hefei visited Derby.", ["Hefei", "Derby"], month=10),
]
BRIDGED = [  # one account names the three parties that two others name two each of
    telling("derby.txt", "In May 2003 a delegation from Hefei visited Derby.", ["Hefei", "Derby"], month=5),
    telling(
        "nottingham.txt", "In May 2003 a delegation from Hefei visited Nottingham.", ["Hefei", "Nottingham"], month=5
    ),
    telling(
        "both.txt",
        "In May 2003 a delegation from Hefei visited Derby and Nottingham.",
        ["Hefei", "Derby", "Nottingham"],
        month=5,
    ),
]


def _register(url: str, gazetteer: Gazetteer, documents: list[DocumentFacts]) -> dict[str, list[tuple[str, ...]]]:
    engine = make_engine(url)
    prepare(engine)
    for document in documents:
        with transaction(engine) as session:
            register_facts(session, gazetteer, document)
    with transaction(engine) as session:
        assert not any(rebuild(session, write=False).values())  # derived rows kept in step
    content = register_content(engine)
    del content["audit"]
    engine.dispose()
    return content


def _every_order(
    folder: Path, gazetteer: Gazetteer, documents: list[DocumentFacts]
) -> dict[str, list[tuple[str, ...]]]:
    """The register the documents make, the same in every order they can come in."""
    orders = list(itertools.permutations(documents))
    first = _register(f"sqlite:///{folder}/0.db", gazetteer, list(orders[0]))
    for n, order in enumerate(orders[1:], 1):
        found = differences(first, _register(f"sqlite:///{folder}/{n}.db", gazetteer, list(order)))
        assert not found, ([d.doc for d in order], found)
    return first


def test_any_order_of_accounts_at_different_precision_gives_one_event_of_the_same_id(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    first = _every_order(tmp_path, gazetteer, DOCUMENTS)
    wanted = make_id("ev", 2003, 5, 14, "visit", "cn:340100", "iso:GB-DER", "iso:GB-NGM")
    assert [row[0] for row in first["events"]] == [wanted]
    assert {row[0] for row in first["event_parties"]} == {wanted}
    assert {key for key, _ in first["search index"] if "event" in key} == {str(("event", wanted))}


def test_an_account_that_fits_two_events_is_an_event_of_its_own_whatever_the_order(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    first = _every_order(tmp_path, gazetteer, AMBIGUOUS)
    pair = ("cn:340100", "iso:GB-DER")
    assert sorted(row[0] for row in first["events"]) == sorted(
        make_id("ev", 2003, month, None, "visit", *pair) for month in (None, 5, 10)
    )


def test_an_account_naming_the_parties_of_two_events_joins_them_whatever_the_order(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    first = _every_order(tmp_path, gazetteer, BRIDGED)
    wanted = make_id("ev", 2003, 5, None, "visit", "cn:340100", "iso:GB-DER", "iso:GB-NGM")
    assert [row[0] for row in first["events"]] == [wanted]
    claims = [row for row in first["claims"] if row[1] == "event"]
    assert len(claims) == 3 and {row[2] for row in claims} == {wanted}


def test_an_event_a_reviewer_has_spoken_for_keeps_its_id(engine: Engine, gazetteer: Gazetteer) -> None:
    with transaction(engine) as session:
        register_facts(session, gazetteer, DOCUMENTS[0])
    with transaction(engine) as session:
        (event,) = session.scalars(select(Event)).all()
        claim = session.scalars(select(Claim).where(Claim.subject_id == event.id)).one()
        decide(session, [claim.id], ReviewState.ACCEPTED, "the archive says so", "ana")
        year_only = event.id
    with transaction(engine) as session:
        register_facts(session, gazetteer, DOCUMENTS[1])
    with reading(engine) as session:
        assert [e.id for e in session.scalars(select(Event))] == [year_only]
        assert (
            len(session.scalars(select(Claim).where(Claim.subject_id == year_only, Claim.property == "occurred")).all())
            == 2
        )
        assert {p for p in session.scalars(select(EventParty.event_id))} == {year_only}
        assert ("event", year_only) in stored_entries(session)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_the_fuller_account_describes_the_event_whatever_the_order(
    engine: Engine, gazetteer: Gazetteer, order: tuple[int, int]
) -> None:
    for index in order:
        with transaction(engine) as session:
            register_facts(session, gazetteer, DOCUMENTS[index])
    with reading(engine) as session:
        (event,) = session.scalars(select(Event)).all()
        assert (event.month, event.precision, event.description) == (
            5,
            "month",
            "In May 2003 a delegation from Hefei visited Derby.",
        )


def test_an_event_a_standing_merge_moved_keeps_its_id_so_the_merge_can_be_undone(
    engine: Engine, gazetteer: Gazetteer
) -> None:
    with transaction(engine) as session:
        register_facts(
            session,
            gazetteer,
            telling(
                "school.txt", "In 2003 Hefei pupils visited Westmoor School in Derby.", ["Hefei", "Westmoor School"]
            ),
        )
        register_facts(
            session,
            gazetteer,
            DocumentFacts(
                doc="other.txt",
                partnerships=[PartnershipFact(parties=["Westmoor Primary School", "Hefei No. 8 Middle School"])],
            ),
        )
    with transaction(engine) as session:
        (event,) = session.scalars(select(Event)).all()
        school, kept = (
            session.scalars(select(Party.id).where(Party.name == name)).one()
            for name in ("Westmoor School", "Westmoor Primary School")
        )
        change = merge_parties(session, school, kept, "the same school", "rita")
        merged = event.id
    with transaction(engine) as session:
        register_facts(
            session,
            gazetteer,
            telling(
                "month.txt",
                "In May 2003 Hefei pupils visited Westmoor Primary School.",
                ["Hefei", "Westmoor Primary School"],
                month=5,
            ),
        )
    with reading(engine) as session:
        assert [(e.id, e.month) for e in session.scalars(select(Event))] == [(merged, 5)]
    with transaction(engine) as session:
        undo_change(session, change.id, "not the same school after all", "rita")
    with reading(engine) as session:
        assert set(session.scalars(select(EventParty.party_id).where(EventParty.event_id == merged))) >= {school}


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_an_event_told_before_the_tie_belongs_to_the_partnership_whatever_the_order(
    engine: Engine, gazetteer: Gazetteer, order: tuple[int, int]
) -> None:
    visit = "In October 2010 a delegation from Jinan visited Hull."
    documents = [
        DocumentFacts(
            doc="visit.txt",
            events=[
                EventFact(
                    year=2010, month=10, kind=EventKind.VISIT, parties=["Jinan", "Hull"], what=visit, evidence=visit
                )
            ],
        ),
        DocumentFacts(doc="tie.txt", partnerships=[PartnershipFact(parties=["Hull", "Jinan"])]),
    ]
    for index in order:
        with transaction(engine) as session:
            register_facts(session, gazetteer, documents[index])
    with reading(engine) as session:
        (event,) = session.scalars(select(Event)).all()
        (partnership,) = session.scalars(select(Partnership)).all()
        assert event.partnership_id == partnership.id


CHAINED = [  # the account naming Hefei, Derby and Nottingham joins the first two, and they the third
    telling("a.txt", "In May 2003 Hefei, Derby and Leicester met.", ["Hefei", "Derby", "Leicester"], month=5),
    telling("b.txt", "In May 2003 Hefei, Nottingham and Lincoln met.", ["Hefei", "Nottingham", "Lincoln"], month=5),
    telling("c.txt", "In May 2003 Leicester, Lincoln and York met.", ["Leicester", "Lincoln", "York"], month=5),
    telling("d.txt", "In May 2003 Hefei, Derby and Nottingham met.", ["Hefei", "Derby", "Nottingham"], month=5),
]


def test_events_joined_by_an_account_are_grouped_with_those_they_then_share_parties_with(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    first = _every_order(tmp_path, gazetteer, CHAINED)
    assert len(first["events"]) == 1
