"""The register on both stores: documents in, claims with sources, conflicts, status, queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from tests.register_content import differences, register_content
from twinlink.extract.pipeline import Extractor
from twinlink.facts import DocumentFacts, EventFact, PartnershipFact, StatusFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.ids import make_id
from twinlink.register.claims import Evidence, add_claim
from twinlink.register.derive import (
    Activity,
    StatusInputs,
    When,
    date_iso,
    derive,
    in_force,
    status_inputs,
    status_of,
)
from twinlink.register.derived.refresh import rebuild
from twinlink.register.derived.timelines import timeline
from twinlink.register.ingest import Registrar, register_facts
from twinlink.register.pipeline import ingest_paths, reextract_all
from twinlink.register.queries import find_party, list_partnership_views, party_page
from twinlink.register.resolve import Resolver
from twinlink.register.review import decide, list_review
from twinlink.store.claims import list_claims, list_decisions
from twinlink.store.engine import reading, transaction
from twinlink.store.partnerships import PartnershipFilter
from twinlink.store.tables import Base, Claim, Document, Event, Partnership, Party
from twinlink.vocab import EventKind, ReviewState

TODAY = date(2026, 11, 22)

COUNCIL_ANSWER = """Freedom of Information response

Bristol City Council and Guangzhou signed a twinning agreement in 2001. At that time it was hoped the link would
strengthen trade between the cities.

In March 2005 the City Council hosted a visit by a delegation from Guangzhou.

The City Council funded the Bristol Guangzhou Friendship Association until the end of March 2006.

In more recent years the City Council has not had a particularly active relationship with Guangzhou, and there
have not been any further visits.
"""

COUNTY_PAGE = """Kent and China

Kent County Council has a long-standing friendship with Shanxi Province, beginning with the signing of a
friendship agreement in 1990.
"""

COUNTY_NEWS = """Kent marks its link with Shanxi

Kent and Shanxi signed a friendship agreement in 1994, officials recalled this week.
"""

CITY_PAGE = """Sheffield and Chengdu

Sheffield is twinned with Chengdu. In 2010 Sheffield and Chengdu signed a twinning agreement.
In June 2015 Sheffield hosted a trade mission from Chengdu.
In 2012 a delegation from Sheffield visited Chengdu.
Hillside Academy in Sheffield has a sister school in Chengdu.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(engine: Engine, extractor: Extractor, *paths: Path) -> list[Any]:
    return list(ingest_paths(engine, extractor, list(paths), max_bytes=1_000_000))


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for comparing the register before and after."""
    with reading(engine) as session:
        out = {}
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table)).all()
            out[table.name] = sorted(tuple(map(str, r)) for r in rows)
        return out


@pytest.fixture
def council(engine: Engine, extractor: Extractor, tmp_path: Path) -> Engine:
    ingest(engine, extractor, write(tmp_path, "council.txt", COUNCIL_ANSWER))
    return engine


def test_place_partnership_with_year_and_dormant_status(council: Engine, gazetteer: Gazetteer) -> None:
    with reading(council) as session:
        bristol = find_party(session, gazetteer, "Bristol City Council")
        views = list_partnership_views(session, TODAY, 5, PartnershipFilter(party_id=bristol.id))
        assert [(v.party_a.name, v.party_b.name, v.kind) for v in views] == [("Bristol", "Guangzhou", "place")]
        view = views[0]
        assert view.established == "2001"
        assert view.status == "dormant"
        assert view.status_reason.startswith("latest activity ")
        assert "more than 5 years before 2026-11-22" in view.status_reason
        assert "not had a particularly active relationship" in view.status_reason
        assert view.funding and view.funding[0]["until_year"] == 2006
        assert view.funding[0]["recipient"] == "Bristol Guangzhou Friendship Association"
        earlier = list_partnership_views(session, date(2008, 1, 1), 5, PartnershipFilter(party_id=bristol.id))[0]
        assert earlier.status == "active"
        assert list_partnership_views(session, TODAY, 5, PartnershipFilter(status="active")) == []


def test_the_city_and_the_council_name_resolve_to_one_party(council: Engine, gazetteer: Gazetteer) -> None:
    with reading(council) as session:
        events = timeline(
            session, find_party(session, gazetteer, "Bristol"), find_party(session, gazetteer, "Guangzhou")
        )
    visit = [e for e in events if e.kind == "visit"]
    assert [(e.date, sorted(e.parties)) for e in visit] == [("2005-03", ["Bristol", "Guangzhou"])]
    resolver = Resolver(gazetteer, gazetteer.find("Bristol", limit=1)[0].place)
    ids = {resolver.resolve(n).id for n in ("Bristol City Council", "Bristol", "the city", "the City Council")}
    assert len(ids) == 1


def test_conflicting_years_from_two_documents_are_kept_and_flagged(
    engine: Engine, extractor: Extractor, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    ingest(engine, extractor, write(tmp_path, "page.txt", COUNTY_PAGE), write(tmp_path, "news.txt", COUNTY_NEWS))
    with reading(engine) as session:
        kent = find_party(session, gazetteer, "Kent County Council")
        view = list_partnership_views(session, TODAY, 5, PartnershipFilter(party_id=kent.id))[0]
        assert view.party_b.name == "Shanxi"
        assert view.established == "conflict: 1990 / 1994"
        assert view.conflicts == ["established"]
        sources = {v.value: {Path(s.source or "").name for s in v.sources} for v in view.established_values}
        assert sources == {1990: {"page.txt"}, 1994: {"news.txt"}}
        queue = list_review(session, conflicts_only=True)
        assert {i.claim.value for i in queue} == {"1990", "1994"}
        chosen = next(i.claim.id for i in queue if i.claim.value == "1990")
        other = next(i.claim.id for i in queue if i.claim.value == "1994")
    with transaction(engine) as session:
        decide(session, [chosen[:10]], ReviewState.ACCEPTED, "the agreement text is dated 1990", "editor")
        decide(session, [other], ReviewState.REJECTED, "the news piece misremembers", "editor")
    with reading(engine) as session:
        view = list_partnership_views(
            session, TODAY, 5, PartnershipFilter(party_id=find_party(session, gazetteer, "Kent").id)
        )[0]
        assert view.established == "1990" and view.conflicts == []
        assert list_review(session, conflicts_only=True) == []
        history = list_decisions(session, chosen)
        assert [(d.previous_state, d.state, d.decided_by) for d in history] == [("proposed", "accepted", "editor")]
        assert session.get(Claim, other).review_state == "rejected"  # kept, not deleted
    with transaction(engine) as session:
        decide(session, [chosen], ReviewState.PROPOSED, "", "editor")
    with reading(engine) as session:
        claims = list_claims(session, "partnership", [view.id], "established")[view.id]
        assert derive(claims).describe() == "1990"  # the rejected claim still does not count
        assert len(list_decisions(session, chosen)) == 2


def test_a_decision_needs_a_reason(council: Engine) -> None:
    with transaction(council) as session:
        claim = session.scalars(select(Claim)).first()
        assert claim is not None
        with pytest.raises(Exception, match="reason"):
            decide(session, [claim.id], ReviewState.REJECTED, " ", "editor")


def test_timeline_lists_dated_events_oldest_first_with_sources(
    engine: Engine, extractor: Extractor, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    ingest(engine, extractor, write(tmp_path, "sheffield.txt", CITY_PAGE))
    with reading(engine) as session:
        sheffield = find_party(session, gazetteer, "Sheffield")
        entries = timeline(session, sheffield)
        assert [(e.date, e.kind) for e in entries] == [("2010", "agreement"), ("2012", "visit"), ("2015-06", "trade")]
        assert all(e.sources and Path(e.sources[0].source or "").name == "sheffield.txt" for e in entries)
        assert entries[2].label == "June 2015"
        assert all("Sheffield" in e.parties for e in entries)
        bare = timeline(session, sheffield, with_parties=False)  # two queries fewer
        assert [(e.date, e.sources) for e in bare] == [(e.date, e.sources) for e in entries]
        assert all(e.parties == [] for e in bare)
        school = find_party(session, gazetteer, "Hillside Academy")
        assert school.kind == "school" and school.needs_review and school.parent_id == sheffield.id
        page = party_page(session, sheffield, TODAY, 5)
        assert {v.partner_of(sheffield.id).name for v in page.partnerships} == {"Chengdu"}


def test_ingesting_again_changes_no_row(engine: Engine, extractor: Extractor, tmp_path: Path) -> None:
    files = [write(tmp_path, "a.txt", COUNCIL_ANSWER), write(tmp_path, "b.txt", CITY_PAGE)]
    first = ingest(engine, extractor, *files)
    before = snapshot(engine)
    second = ingest(engine, extractor, *files)
    assert [o.state for o in first] == ["added", "added"]
    assert [o.state for o in second] == ["unchanged", "unchanged"]
    assert snapshot(engine) == before


def test_an_exception_midway_leaves_the_register_as_it_was(
    engine: Engine, extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(engine, extractor, write(tmp_path, "a.txt", COUNCIL_ANSWER))
    before = snapshot(engine)
    calls = {"n": 0}
    original = Registrar.event

    def failing_event(self: Registrar, fact: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        original(self, fact)

    monkeypatch.setattr(Registrar, "event", failing_event)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest(engine, extractor, write(tmp_path, "b.txt", CITY_PAGE))
    assert calls["n"] == 2
    assert snapshot(engine) == before


def test_bad_file_is_reported_and_others_go_in(engine: Engine, extractor: Extractor, tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.txt", "")
    good = write(tmp_path, "good.txt", CITY_PAGE)
    outcomes = ingest(engine, extractor, empty, good)
    assert outcomes[0].state == "failed" and "empty.txt" in (outcomes[0].error or "")
    assert outcomes[1].state == "added"


def test_reextract_supersedes_claims_of_older_rules(engine: Engine, extractor: Extractor, tmp_path: Path) -> None:
    ingest(engine, extractor, write(tmp_path, "a.txt", CITY_PAGE))
    with transaction(engine) as session:
        claim = session.scalars(select(Claim).where(Claim.property == "exists")).first()
        assert claim is not None
        old = Evidence(
            claim.document_id, claim.source, claim.quote, claim.span_start, claim.span_end, "rule:partnership@0"
        )
        old_id, _ = add_claim(session, claim.subject_type, claim.subject_id, "exists", True, old)
    list(reextract_all(engine, extractor))
    with reading(engine) as session:
        stale = session.get(Claim, old_id)
        assert stale is not None and stale.superseded_by is not None and "partnership@" in stale.superseded_by
        current = session.scalars(select(Claim).where(Claim.id != old_id, Claim.superseded_by.is_not(None))).all()
        assert current == []
    before = snapshot(engine)
    list(reextract_all(engine, extractor))
    assert snapshot(engine) == before


def test_imported_facts_record_their_source(engine: Engine, gazetteer: Gazetteer) -> None:
    facts = DocumentFacts(
        doc="hand.jsonl",
        partnerships=[PartnershipFact(parties=["Sheffield City Council", "Chengdu"], established=2010)],
    )
    with transaction(engine) as session:
        register_facts(session, gazetteer, facts, source="hand.jsonl")
    with reading(engine) as session:
        claims = session.scalars(select(Claim)).all()
        assert {c.source for c in claims} == {"hand.jsonl"} and {c.method for c in claims} == {"import"}
        assert session.get(Party, gazetteer.find("Sheffield", limit=1)[0].place.id) is not None


def test_a_place_called_a_province_that_is_a_city_is_a_kind_conflict(engine: Engine, gazetteer: Gazetteer) -> None:
    facts = DocumentFacts(doc="x", partnerships=[PartnershipFact(parties=["Sheffield", "Chengdu Province"])])
    with transaction(engine) as session:
        register_facts(session, gazetteer, facts, source="x")
    with reading(engine) as session:
        chengdu = find_party(session, gazetteer, "Chengdu")
        page = party_page(session, chengdu, TODAY, 5)
        assert page.kind_conflict
        assert {str(v.value) for v in page.kind} == {"prefecture-level city", "province"}
        assert page.kind[0].origin == "gazetteer" or page.kind[1].origin == "gazetteer"


def _status_of(engine: Engine, gazetteer: Gazetteer, facts: DocumentFacts, as_of: date) -> tuple[str, str]:
    with transaction(engine) as session:
        register_facts(session, gazetteer, facts, source="hand")
    with reading(engine) as session:
        view = list_partnership_views(session, as_of, 5)[0]
        return view.status, view.status_reason


def test_status_follows_the_window_and_what_sources_say(engine: Engine, gazetteer: Gazetteer) -> None:
    link = PartnershipFact(parties=["Sheffield", "Chengdu"], established=2010)
    founded_only = DocumentFacts(doc="a", partnerships=[link])
    assert _status_of(engine, gazetteer, founded_only, TODAY) == (
        "unknown",
        "no activity recorded since it was established in 2010",
    )
    visit = EventFact(year=2021, month=12, kind=EventKind.VISIT, parties=["Sheffield", "Chengdu"])
    status, reason = _status_of(engine, gazetteer, DocumentFacts(doc="b", events=[visit]), TODAY)
    assert status == "active" and reason.startswith("latest activity December 2021 (visit), within 5 years")
    status, _ = _status_of(engine, gazetteer, DocumentFacts(doc="c"), date(2027, 1, 1))
    assert status == "dormant"
    status, _ = _status_of(engine, gazetteer, DocumentFacts(doc="c"), date(2011, 6, 1))
    assert status == "active"  # the 2021 visit had not happened yet
    ended = StatusFact(parties=["Sheffield", "Chengdu"], status="ended", evidence="The link was ended in 2022.")
    status, reason = _status_of(engine, gazetteer, DocumentFacts(doc="d", statuses=[ended]), TODAY)
    assert status == "ended" and "The link was ended in 2022." in reason


def test_activity_counts_from_its_first_possible_day() -> None:
    december = StatusInputs(((2018, None, None, "exchange"), (2021, 12, None, "visit")), {})
    on_first = status_of(december, date(2021, 12, 1), 5)
    assert on_first.state == "active" and on_first.latest == Activity(When(2021, 12), "visit")
    before = status_of(december, date(2021, 11, 30), 5)  # December 2021 had not begun
    assert before.latest == Activity(When(2018), "exchange") and before.state == "active"
    day = StatusInputs(((2021, 12, 24, "gift"),), {})
    assert status_of(day, date(2021, 12, 23), 5).state == "unknown"
    assert status_of(day, date(2021, 12, 24), 5).state == "active"


class _Dated(NamedTuple):
    year: int
    month: int | None
    day: int | None
    kind: str


_activity = st.tuples(
    st.integers(2015, 2024),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
    st.sampled_from(["visit", "agreement", "founding", "trade"]),
).map(lambda t: _Dated(t[0], t[1], t[2] if t[1] else None, t[3]))


@given(events=st.lists(_activity, max_size=8), as_of=st.dates(date(2014, 1, 1), date(2026, 1, 1)))
def test_status_reads_the_latest_activity_begun_by_the_date(events: list[_Dated], as_of: date) -> None:
    inputs = status_inputs({}, {f"event {number:02d}": tuple(e) for number, e in enumerate(events)})
    assert list(inputs.activity) == sorted(inputs.activity, key=lambda a: (a[0], a[1] or 0, a[2] or 0))
    begun = [e for e in events if (e.year, e.month or 1, e.day or 1) <= (as_of.year, as_of.month, as_of.day)]
    status = status_of(inputs, as_of, 3)
    if not begun:
        assert status.latest is None and status.state == "unknown"
        return
    # of several on the latest date, the first in the order of their ids
    latest = max(begun, key=lambda e: (e.year, e.month or 0, e.day or 0))
    assert status.latest == Activity(When(latest.year, latest.month, latest.day), latest.kind)
    assert status.state in ("active", "dormant", "unknown")


def test_dates_read_as_written_and_sort_as_iso() -> None:
    assert [When(2008, 8, 4).label(), When(2004, 3).label(), When(1993).label()] == [
        "4 August 2008",
        "March 2004",
        "1993",
    ]
    assert [When(2008, 8, 4).iso(), When(2004, 3).iso(), When(1993).iso()] == ["2008-08-04", "2004-03", "1993"]
    assert date_iso(987, None, None) == "0987"


class _Stated(NamedTuple):
    id: str
    review_state: str
    superseded_by: str | None = None


def test_claims_in_force_leave_out_the_rejected_and_superseded_and_prefer_the_accepted() -> None:
    proposed, accepted = _Stated("p", "proposed"), _Stated("a", "accepted")
    rejected, superseded = _Stated("r", "rejected"), _Stated("s", "proposed", "rule:newer@2")
    assert in_force([proposed]) == [proposed] and in_force([accepted]) == [accepted]
    assert in_force([rejected]) == [] and in_force([superseded]) == [] and in_force([]) == []
    assert in_force([proposed, rejected, superseded]) == [proposed]
    assert in_force([proposed, accepted, _Stated("a2", "accepted", "rule:newer@2")]) == [accepted]


def test_one_happening_told_twice_under_two_spellings_is_one_event(
    engine: Engine, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text(
        "spellings.txt",
        "In 1987 Jin'an and Aberdeen signed an agreement. Jinan and Aberdeen signed an agreement in 1987.",
    )
    with reading(engine) as session:
        events = session.scalars(select(Event)).all()
        claims = list_claims(session, "event", [e.id for e in events], "occurred")
    assert [(e.year, e.kind) for e in events] == [(1987, "agreement")]
    assert len(claims[events[0].id]) == 2  # each telling keeps its own evidence


def test_a_planned_event_is_not_a_links_activity(engine: Engine, ingest_text: Callable[[str, str], None]) -> None:
    ingest_text(
        "plans.txt",
        "Derby is twinned with Hefei. A delegation from Hefei plans to visit Derby in 2019.",
    )
    with reading(engine) as session:
        views = list_partnership_views(session, date(2020, 1, 1), 10)
    assert [(v.status, v.latest_activity) for v in views] == [("unknown", None)]


def _three_ties(folder: Path) -> list[Path]:
    """Three short documents, each of one tie, written into ``folder``: first, second, third."""
    paths = []
    for name, body in [
        ("first.txt", "Derby is twinned with Hefei."),
        ("second.txt", "Leeds is twinned with Hangzhou."),
        ("third.txt", "York is twinned with Nanjing."),
    ]:
        (folder / name).write_text(body, encoding="utf-8")
        paths.append(folder / name)
    return paths


def test_a_document_the_database_refuses_is_reported_and_the_others_go_in(
    engine: Engine, extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import IntegrityError

    from twinlink.register import pipeline

    real = pipeline.write_document

    def refusing(session: Any, gazetteer: Any, document: Any, facts: Any, actor: str) -> Any:
        written = real(session, gazetteer, document, facts, actor)
        if document.name == "second.txt":  # refused after writing all of it, in the middle of a batch
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: events.id"))
        return written

    monkeypatch.setattr(pipeline, "write_document", refusing)
    outcomes = list(ingest_paths(engine, extractor, _three_ties(tmp_path), max_bytes=1_000_000))
    assert [o.state for o in outcomes] == ["added", "failed", "added"]
    assert "second.txt: the database refused it" in (outcomes[1].error or "")
    with reading(engine) as session:
        assert {p.name for p in session.scalars(select(Party))} >= {"Derby", "Hefei", "York", "Nanjing"}
        assert "Leeds" not in {p.name for p in session.scalars(select(Party))}
        assert len(session.scalars(select(Document)).all()) == 2
    with transaction(engine) as session:  # the others' derived rows were refreshed with the batch
        assert not any(rebuild(session, write=False).values())


def test_a_batch_the_server_undoes_in_a_deadlock_is_written_again_a_document_at_a_time(
    engine: Engine, extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deadlock undoes what the batch's transaction holds, not one document: the batch is
    written again, each document in a transaction of its own, and nothing is lost or doubled."""
    from sqlalchemy.exc import OperationalError

    from twinlink.register import pipeline

    real = pipeline.write_document
    earlier: dict[int, int] = {}  # documents each transaction wrote before

    def deadlocking(session: Any, gazetteer: Any, document: Any, facts: Any, actor: str) -> Any:
        # another writer waits for what this transaction wrote before: as long as it holds that,
        # writing this document deadlocks, however often its savepoint is tried again
        if document.name == "second.txt" and earlier.get(id(session)):
            raise OperationalError("INSERT", {}, Exception("deadlock detected"))
        earlier[id(session)] = earlier.get(id(session), 0) + 1
        return real(session, gazetteer, document, facts, actor)

    monkeypatch.setattr(pipeline, "write_document", deadlocking)
    outcomes = list(ingest_paths(engine, extractor, _three_ties(tmp_path), max_bytes=1_000_000))
    assert [o.state for o in outcomes] == ["added", "added", "added"]
    with reading(engine) as session:
        assert {"Derby", "Leeds", "Hangzhou", "York"} <= {p.name for p in session.scalars(select(Party))}
        assert len(session.scalars(select(Document)).all()) == 3
        assert len(session.scalars(select(Partnership)).all()) == 3
    with transaction(engine) as session:
        assert not any(rebuild(session, write=False).values())


def test_reading_a_document_holds_no_lock_on_the_register(
    sqlite_engine: Engine, extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a slow document is being read, another writer writes at once: extraction runs
    before the document's transaction, not inside it."""
    import threading

    from twinlink.register.accounts import create_user

    real = Extractor.extract
    reading_started, release = threading.Event(), threading.Event()

    def slow_extract(self: Extractor, document: Any) -> Any:
        reading_started.set()
        assert release.wait(timeout=30)
        return real(self, document)

    monkeypatch.setattr(Extractor, "extract", slow_extract)
    (tmp_path / "slow.txt").write_text("Notes\n\nDerby is twinned with Hefei.\n", encoding="utf-8")
    outcomes: list[Any] = []
    ingest = threading.Thread(
        target=lambda: outcomes.extend(ingest_paths(sqlite_engine, extractor, [tmp_path / "slow.txt"], 1_000_000))
    )
    ingest.start()
    try:
        assert reading_started.wait(timeout=30)
        with transaction(sqlite_engine) as session:  # would wait for the lock, then fail, were it held
            create_user(session, "ana", "a long pass phrase", "editor", "test")
    finally:
        release.set()
        ingest.join(timeout=60)
    assert [o.state for o in outcomes] == ["added"]


def test_reading_in_several_processes_gives_the_same_register(tmp_path: Path) -> None:
    from tests.test_cli import run

    texts = {
        "a.txt": "Notes\n\nDerby is twinned with Hefei. In May 2003 a delegation from Hefei visited Derby.\n",
        "b.txt": "Notes\n\nLeeds is twinned with Hangzhou since 1988.\n",
        "c.txt": "Notes\n\nDerby and Hefei signed a twinning agreement in 1996.\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = sorted(texts)
    one = run("ingest", *files, "--db", "one.db", cwd=tmp_path)
    two = run("ingest", *files, "--jobs", "2", "--db", "two.db", cwd=tmp_path)
    assert one.returncode == two.returncode == 0
    listed = [run("partnerships", "--format", "json", "--db", db, cwd=tmp_path).stdout for db in ("one.db", "two.db")]
    assert listed[0] == listed[1] and "Hangzhou" in listed[0]
    again = run("ingest", *files, "--jobs", "2", "--db", "two.db", cwd=tmp_path)
    assert "3 unchanged" in again.stdout and "nothing new" in again.stdout


@pytest.mark.parametrize("writers", [2])
def test_ingests_running_at_once_end_with_the_register_one_would_make(
    db_url: str, tmp_path: Path, writers: int
) -> None:
    """Several ingest processes over the same documents at once: none fails, and the register
    holds what one ingest makes (the same parties, partnerships, events and claims)."""
    import subprocess
    import sys

    from twinlink.register.database import prepare
    from twinlink.store.engine import make_engine

    folder = tmp_path / "docs"
    folder.mkdir()
    pairs = [("Derby", "Hefei"), ("Leeds", "Hangzhou"), ("York", "Nanjing"), ("Bristol", "Guangzhou")]
    files = []
    for i, (uk, cn) in enumerate(pairs * 4):
        text = f"Notes {i}\n\n{uk} is twinned with {cn}. In May 20{10 + i % 5} a delegation from {cn} visited {uk}.\n"
        for copy in ("", "-again"):
            (folder / f"{i}{copy}.txt").write_text(text.replace("Notes", f"Notes{copy}"), encoding="utf-8")
            files.append(str(folder / f"{i}{copy}.txt"))
    engine = make_engine(db_url)
    prepare(engine)
    # each writer in its own order, so that their batches take the same rows in turn
    orders = [files if n % 2 == 0 else files[::-1] for n in range(writers)]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "twinlink", "ingest", *order, "--db", db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in orders
    ]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in runs]
    assert all(code == 0 for code, _ in results), results

    alone = make_engine(f"sqlite:///{tmp_path / 'alone.db'}")
    prepare(alone)
    subprocess.run(
        [sys.executable, "-m", "twinlink", "ingest", str(folder), "--db", str(tmp_path / "alone.db")],
        check=True,
        capture_output=True,
    )
    together, one = register_content(engine), register_content(alone)
    for content in (together, one):
        del content["audit"]  # who wrote what first differs; what the register holds does not
    assert together == one, differences(together, one)
    engine.dispose()
    alone.dispose()


def test_a_document_that_takes_too_long_to_read_is_skipped_and_the_rest_go_in(
    engine: Engine, extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    real = Extractor.extract

    def stalling(self: Extractor, document: Any) -> Any:
        if document.name == "stalls.txt":
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # a reader stuck on one document
                time.sleep(0.01)
        return real(self, document)

    monkeypatch.setattr(Extractor, "extract", stalling)
    monkeypatch.setenv("TWINLINK_READ_SECONDS", "0.5")
    monkeypatch.setenv("TWINLINK_READ_SECONDS_PER_MB", "0")
    for name in ("stalls.txt", "fine.txt"):
        (tmp_path / name).write_text(f"{name}\n\nDerby is twinned with Hefei.\n", encoding="utf-8")
    outcomes = list(ingest_paths(engine, extractor, [tmp_path / "stalls.txt", tmp_path / "fine.txt"], 1_000_000))
    assert [o.state for o in outcomes] == ["failed", "added"]  # cut short: left alone it would have gone in
    assert "stalls.txt: too complex to read within 0.5 s; skipped" in (outcomes[0].error or "")


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_namesake_bodies_in_different_places_are_two_parties_whatever_the_order(
    engine: Engine, gazetteer: Gazetteer, order: tuple[int, int]
) -> None:
    from twinlink.vocab import PartnershipKind

    documents = [
        DocumentFacts(
            doc=f"{town}.txt",
            source=f"https://{town.lower()}.example/schools",
            partnerships=[
                PartnershipFact(
                    parties=["Castle Grammar School", partner],
                    kind=PartnershipKind.SCHOOL,
                    locations={"Castle Grammar School": town, partner: city},
                )
            ],
        )
        for town, partner, city in (
            ("Portsmouth", "Ningbo No. 2 Middle School", "Ningbo"),
            ("Stoke-on-Trent", "Hefei No. 8 Middle School", "Hefei"),
        )
    ]
    for index in order:
        with transaction(engine) as session:
            register_facts(session, gazetteer, documents[index])
    with reading(engine) as session:
        castles = session.scalars(select(Party).where(Party.name == "Castle Grammar School")).all()
        placed = {(c.id, c.parent_id) for c in castles}
    assert {parent for _, parent in placed} == {"iso:GB-POR", "iso:GB-STE"}
    assert len(placed) == 2
    assert sorted(i for i, _ in placed) == sorted(
        make_id("body", "school", "castle grammar school", parent) for parent in ("iso:GB-POR", "iso:GB-STE")
    )


def test_the_database_judges_status_and_counts_facets_as_the_register_does(
    engine: Engine, extractor: Extractor, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    from tests.corpus import write_corpus
    from twinlink.register.queries import directory, facets_of

    ingest(engine, extractor, *write_corpus(tmp_path / "docs"))
    ingest(engine, extractor, write(tmp_path, "council.txt", COUNCIL_ANSWER))
    with transaction(engine) as session:  # said dormant, with no dated activity
        register_facts(
            session,
            gazetteer,
            DocumentFacts(
                doc="said.txt",
                partnerships=[PartnershipFact(parties=["Preston", "Xiamen"])],
                statuses=[StatusFact(parties=["Preston", "Xiamen"], status="dormant", evidence="now dormant")],
            ),
        )
    judged = [
        (as_of, window, where)
        for as_of in (date(1990, 1, 1), date(2004, 6, 30), date(2012, 12, 31), date(2026, 11, 22))
        for window in (1, 5, 30)
        for where in (PartnershipFilter(), PartnershipFilter(country="CN"), PartnershipFilter(kind="school"))
    ]
    with reading(engine) as session:
        for as_of, window, where in judged:
            views = list_partnership_views(session, as_of, window, where)
            listed = directory(session, as_of, window, where, 0, 1_000)
            assert listed.facets == facets_of(views) and listed.total == len(views)
            assert [(v.id, v.status) for v in listed.views] == [(v.id, v.status) for v in views]
            for status in ("active", "dormant", "ended", "unknown"):
                only = PartnershipFilter(country=where.country, kind=where.kind, status=status)
                page = directory(session, as_of, window, only, 1, 2)
                assert [v.id for v in page.views] == [v.id for v in views if v.status == status][1:3]
