"""Stored party timelines stay equal to the events and claims they come from, through every kind of write."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from sqlalchemy import Engine, select, text

from twinlink.extract.pipeline import Extractor
from twinlink.register.database import prepare
from twinlink.register.derived.refresh import Changes, rebuild
from twinlink.register.derived.timelines import TimelineEntry, timeline
from twinlink.register.pipeline import reextract_all
from twinlink.register.review import decide
from twinlink.store.engine import reading, transaction
from twinlink.store.schema import alembic_config
from twinlink.store.tables import Claim, Party
from twinlink.vocab import ReviewState

FIRST_VISIT = "In June 2024 a delegation from Harbin visited Wrexham.\n"
SECOND_VISIT = "In May 2025 the Mayor of Wrexham led a trade mission to Harbin.\n"
SHARPER = "Harbin's delegation arrived in Wrexham on 12 June 2024.\n"


def _timelines(engine: Engine) -> dict[str, list[TimelineEntry]]:
    with reading(engine) as session:
        return {party.id: timeline(session, party) for party in session.scalars(select(Party))}


def _stored_equal_fresh(engine: Engine) -> dict[str, list[TimelineEntry]]:
    """Every party's stored timeline, checked against one computed afresh from its events."""
    stored = _timelines(engine)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM party_timeline_lines")).scalar_one() > 0
    with reading(engine) as session:
        assert not rebuild(session, ["party_timelines"], write=False)["party_timelines"]
    return stored


def _wrexham(engine: Engine) -> list[TimelineEntry]:
    with reading(engine) as session:
        party = session.scalars(select(Party).where(Party.name.contains("Wrexham"))).one()
        return timeline(session, party)


def test_timelines_follow_ingest_review_and_reextract(
    engine: Engine, extractor: Extractor, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("visit.txt", FIRST_VISIT)
    _stored_equal_fresh(engine)
    (visit,) = _wrexham(engine)
    assert (visit.date, visit.kind) == ("2024-06", "visit")
    assert sorted(visit.parties) == ["Harbin", "Wrexham"]
    assert [s.quote for s in visit.sources] == [FIRST_VISIT.strip()]

    ingest_text("mission.txt", SECOND_VISIT)
    _stored_equal_fresh(engine)
    assert [e.date for e in _wrexham(engine)] == ["2024-06", "2025-05"]

    # a second source for the same visit gives it a day and a second source
    ingest_text("sharper.txt", SHARPER)
    _stored_equal_fresh(engine)
    first = _wrexham(engine)[0]
    assert first.date == "2024-06-12" and len(first.sources) == 2

    with transaction(engine) as session:
        mission = session.scalars(select(Claim).where(Claim.subject_type == "event", Claim.quote.contains("2025")))
        decide(session, [c.id for c in mission], ReviewState.REJECTED, "no such mission", "editor")
    _stored_equal_fresh(engine)
    assert [e.date for e in _wrexham(engine)] == ["2024-06-12"]

    list(reextract_all(engine, extractor))
    _stored_equal_fresh(engine)
    assert [e.date for e in _wrexham(engine)] == ["2024-06-12"]


def test_a_renamed_party_is_named_anew_in_stored_timelines(
    engine: Engine, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("visit.txt", FIRST_VISIT)
    with transaction(engine) as session:
        harbin = session.scalars(select(Party).where(Party.name == "Harbin")).one()
        harbin.name = "Harbin City"
    (visit,) = _wrexham(engine)
    assert sorted(visit.parties) == ["Harbin City", "Wrexham"]


def test_a_lost_timeline_is_found_by_a_rebuild_check_and_restored(
    engine: Engine, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("visit.txt", FIRST_VISIT)
    expected = _wrexham(engine)
    assert expected
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM party_timeline_lines"))
    assert _wrexham(engine) == []  # a party without a stored timeline has no dated events
    with transaction(engine) as session:
        assert rebuild(session, write=False)["party_timelines"] == Changes(added=2)
        rebuild(session)
    assert _wrexham(engine) == expected


def test_a_failed_write_leaves_the_timelines_as_they_were(
    engine: Engine, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("visit.txt", FIRST_VISIT)
    before = _timelines(engine)
    try:
        with transaction(engine) as session:
            claims = session.scalars(select(Claim).where(Claim.subject_type == "event"))
            decide(session, [c.id for c in claims], ReviewState.REJECTED, "no such visit", "editor")
            raise RuntimeError("interrupted")
    except RuntimeError:
        pass
    assert _timelines(engine) == before
    assert len(_wrexham(engine)) == 1


def test_a_register_from_before_timeline_lines_opens_with_them_and_with_its_events_years(
    engine: Engine, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("visit.txt", FIRST_VISIT)
    ingest_text("mission.txt", SECOND_VISIT)
    expected = _timelines(engine)
    # the register as the version before kept it: a timeline a party, event parties without
    # their event's year and kind, the timelines' derived version older
    command.downgrade(alembic_config(engine), "0016")
    with engine.begin() as connection:
        connection.execute(text("UPDATE derived_versions SET version = 4 WHERE name = 'party_timelines'"))
    rebuilt = prepare(engine)
    assert set(rebuilt) == {"party_timelines"} and rebuilt["party_timelines"].added == 4
    assert _timelines(engine) == expected
    with engine.begin() as connection:
        unfilled = connection.execute(
            text(
                "SELECT count(*) FROM event_parties ep JOIN events e ON e.id = ep.event_id"
                " WHERE ep.year IS NULL OR ep.year != e.year OR ep.kind != e.kind"
            )
        ).scalar_one()
    assert unfilled == 0
    ingest_text("sharper.txt", SHARPER)  # an account of a known event is still found as that event
    assert [e.date for e in _wrexham(engine)] == ["2024-06-12", "2025-05"]
