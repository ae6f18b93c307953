"""Stored partnership digests stay equal to what the claims say, through every kind of write."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from twinlink.extract.pipeline import Extractor
from twinlink.register.database import prepare
from twinlink.register.derived.digests import Digest, extended, make_digest, make_digests
from twinlink.register.derived.refresh import Changes, rebuild
from twinlink.register.pipeline import reextract_all
from twinlink.register.queries import list_partnership_views
from twinlink.register.review import decide
from twinlink.store.claims import StatedRow
from twinlink.store.engine import reading, transaction
from twinlink.store.partnerships import list_partnerships
from twinlink.store.tables import Claim, Event, Partnership
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


# Claims and events made up for ``extended``: a few values of each property, so that values
# repeat, conflict and are reviewed; ids drawn at random, so that new claims fall among old ones.
_VALUES = {
    "exists": [True],
    "established": [1998, 1999, 2004],
    "instrument": ["friendship agreement", "memorandum of understanding"],
    "status": ["ended", "dormant"],
    "funding": [{"amount": 5000}, {"amount": 800}],
}
_ids = st.text("0123456789abcdef", min_size=12, max_size=12)


def _claims(properties: list[str], states: list[str], superseded: list[bool]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.tuples(
        _ids,
        st.sampled_from(properties).flatmap(lambda p: st.tuples(st.just(p), st.sampled_from(_VALUES[p]))),
        st.sampled_from(states),
        st.sampled_from(superseded),
        st.sampled_from(["council.txt", "news.txt", None]),
    )


# what a register holds: every kind of claim, some reviewed; what ingest adds: mostly claims a
# digest can take in, now and then one it cannot
_claim = _claims(sorted(_VALUES), ["proposed", "proposed", "proposed", "accepted", "rejected"], [False, False, True])
_new_claim = _claims(
    ["exists", "established", "established", "instrument", "exists", "established", "status"],
    ["proposed"] * 9 + ["accepted"],
    [False] * 9 + [True],
)
_event = st.tuples(
    _ids,
    st.integers(1995, 2005),
    st.none() | st.integers(1, 12),
    st.sampled_from(["visit", "agreement", "exchange"]),
)


def _claim_of(drawn: tuple[Any, ...]) -> Claim:
    claim_id, (prop, value), state, superseded, source = drawn
    return Claim(
        id=claim_id,
        subject_type="partnership",
        subject_id="pt-1",
        property=prop,
        value=json.dumps(value, ensure_ascii=False, sort_keys=True),
        document_id=f"doc-{claim_id[:2]}",
        source=source,
        quote=f"quote {claim_id}",
        method="rule:test",
        review_state=state,
        superseded_by="rule:newer" if superseded else None,
    )


def _stated(claim: Claim) -> StatedRow:
    return StatedRow(
        claim.id,
        claim.subject_id,
        claim.review_state,
        claim.superseded_by,
        claim.source,
        claim.document_id,
        claim.quote,
        claim.method,
        claim.property,
        claim.value,
    )


def _event_of(drawn: tuple[str, int, int | None, str]) -> Event:
    event_id, year, month, kind = drawn
    return Event(id=event_id, year=year, month=month, day=None, kind=kind)


@settings(max_examples=300)
@given(
    old=st.lists(_claim, max_size=8, unique_by=lambda c: c[0]),
    new=st.lists(_new_claim, max_size=6, unique_by=lambda c: c[0]),
    events=st.lists(_event, max_size=6, unique_by=lambda e: e[0]),
    data=st.data(),
)
def test_a_digest_extended_by_new_claims_and_events_equals_one_made_afresh(
    old: list[tuple[Any, ...]], new: list[tuple[Any, ...]], events: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    old_ids = {c[0] for c in old}
    old_claims = [_claim_of(c) for c in old]
    new_claims = [_claim_of(c) for c in new if c[0] not in old_ids]
    every_event = [_event_of(e) for e in events]
    before = [e for e in every_event if data.draw(st.booleans(), label=f"{e.id} live before")]
    after = [e for e in every_event if data.draw(st.booleans(), label=f"{e.id} live after")]
    changed = {e.id for e in every_event if data.draw(st.booleans(), label=f"{e.id} changed")}
    changed |= {e.id for e in every_event if (e in before) != (e in after)}
    rows = {e.id: (e.year, e.month, e.day, e.kind) for e in after}
    digest = extended(
        make_digest(old_claims, before), [_stated(c) for c in new_claims], {eid: rows.get(eid) for eid in changed}
    )
    mergeable = not any(c.review_state == "accepted" and c.superseded_by is None for c in old_claims) and all(
        c.property in ("exists", "established", "instrument") and c.review_state == "proposed" and not c.superseded_by
        for c in new_claims
    )
    assert (digest is not None) == mergeable
    if digest is not None:
        assert digest == make_digest(old_claims + new_claims, after)
        assert Digest.from_json(digest.to_json()) == digest
