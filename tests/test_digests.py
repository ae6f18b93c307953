"""Stored partnership digests stay equal to what the claims say, through every kind of write."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from twinlink.extract.pipeline import Extractor
from twinlink.register.database import prepare
from twinlink.register.derived.digests import Digest, make_digests
from twinlink.register.derived.refresh import Changes, rebuild
from twinlink.register.pipeline import reextract_all
from twinlink.register.queries import list_partnership_views
from twinlink.register.review import decide
from twinlink.store.engine import reading, transaction
from twinlink.store.partnerships import list_partnerships
from twinlink.store.tables import Claim, Partnership
from twinlink.vocab import ReviewState

AS_OF = date(2026, 11, 22)

AGREEMENT = "Wrexham County Borough Council and Harbin signed a friendship agreement in 1998.\n"
LATER_NEWS = "Wrexham and Harbin signed a friendship agreement in 1999.\n"
VISIT = "In June 2024 a delegation from Harbin visited Wrexham.\n"


def _stored(session: Session) -> dict[str, str]:
    return {p.id: p.digest for p in list_partnerships(session) if p.digest is not None}


def _stored_equal_fresh(engine: Engine) -> None:
    with reading(engine) as session:
        partnerships = list(session.scalars(select(Partnership)))
        stored = _stored(session)
        fresh = make_digests(session, partnerships)
    assert partnerships and set(stored) == set(fresh)
    for pid, digest in fresh.items():
        assert Digest.from_json(stored[pid]) == digest


def _only_view(engine: Engine) -> tuple[str, str, str]:
    with reading(engine) as session:
        (view,) = list_partnership_views(session, AS_OF, 10)
    return view.established, view.status, view.status_reason


def test_digests_follow_ingest_review_and_reextract(
    engine: Engine, extractor: Extractor, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("agreement.txt", AGREEMENT)
    _stored_equal_fresh(engine)
    assert _only_view(engine)[:2] == ("1998", "unknown")

    ingest_text("news.txt", LATER_NEWS)
    _stored_equal_fresh(engine)
    assert _only_view(engine)[0] == "conflict: 1998 / 1999"

    # a document naming only an event between the two still changes the partnership's status
    ingest_text("visit.txt", VISIT)
    _stored_equal_fresh(engine)
    _, status, reason = _only_view(engine)
    assert status == "active" and "June 2024" in reason

    with transaction(engine) as session:
        visit = session.scalars(select(Claim).where(Claim.subject_type == "event", Claim.quote.contains("2024")))
        decide(session, [c.id for c in visit], ReviewState.REJECTED, "no such visit", "editor")
    _stored_equal_fresh(engine)
    assert _only_view(engine)[1] == "unknown"  # nothing left but the founding

    with transaction(engine) as session:
        chosen = session.scalars(select(Claim).where(Claim.property == "established", Claim.value == "1998")).one()
        decide(session, [chosen.id], ReviewState.ACCEPTED, "the agreement is dated 1998", "editor")
    _stored_equal_fresh(engine)
    assert _only_view(engine)[0] == "1998"

    list(reextract_all(engine, extractor))
    _stored_equal_fresh(engine)
    assert _only_view(engine)[0] == "1998"


def test_a_missing_digest_is_reported_computed_afresh_and_mended_by_a_rebuild(
    engine: Engine, ingest_text: Callable[[str, str], None], caplog: pytest.LogCaptureFixture
) -> None:
    ingest_text("agreement.txt", AGREEMENT)
    expected = _only_view(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM partnership_digests"))
    with caplog.at_level(logging.WARNING):
        assert _only_view(engine) == expected
    assert "no stored digest" in caplog.text
    with transaction(engine) as session:
        assert rebuild(session, write=False)["partnership_digests"] == Changes(added=1)
        assert rebuild(session)["partnership_digests"] == Changes(added=1)
    with transaction(engine) as session:
        assert not any(rebuild(session, write=False).values())
    _stored_equal_fresh(engine)


def test_a_failed_write_leaves_the_digests_as_they_were(
    engine: Engine, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("agreement.txt", AGREEMENT)
    with reading(engine) as session:
        before = _stored(session)
    try:
        with transaction(engine) as session:
            claim = session.scalars(select(Claim).where(Claim.property == "established")).one()
            decide(session, [claim.id], ReviewState.REJECTED, "wrong year", "editor")
            raise RuntimeError("interrupted")
    except RuntimeError:
        pass
    with reading(engine) as session:
        assert _stored(session) == before
    assert _only_view(engine)[0] == "1998"


def test_opening_rebuilds_digests_computed_by_another_version(
    engine: Engine, ingest_text: Callable[[str, str], None]
) -> None:
    ingest_text("agreement.txt", AGREEMENT)
    with engine.begin() as connection:
        connection.execute(text("UPDATE partnership_digests SET digest = '{\"format\": 1}'"))
        connection.execute(text("UPDATE derived_versions SET version = 1 WHERE name = 'partnership_digests'"))
    rebuilt = prepare(engine)
    assert set(rebuilt) == {"partnership_digests"} and rebuilt["partnership_digests"] == Changes(changed=1)
    _stored_equal_fresh(engine)
    assert prepare(engine) == {}  # current: nothing to do
