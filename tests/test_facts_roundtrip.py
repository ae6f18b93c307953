"""A register exported in the facts format and imported into an empty register is the same
register: documents, parties, partnerships, events, every claim (the same ids), every decision
with who made it and why, and the derived views."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.register_content import differences, register_content
from twinlink.errors import BadFacts
from twinlink.extract.pipeline import Extractor
from twinlink.facts import DocumentFacts, PartnershipFact, load_facts
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.corrections import Citation, propose_claim
from twinlink.register.database import prepare
from twinlink.register.ingest import register_facts, register_many
from twinlink.register.pipeline import ingest_paths
from twinlink.register.queries import list_partnership_views
from twinlink.register.review import decide
from twinlink.reports.exports import export
from twinlink.store.engine import make_engine, reading, transaction
from twinlink.store.tables import Claim
from twinlink.vocab import PartnershipKind, ReviewState

TEXTS = {
    "twinning.txt": (
        "Our twin towns\n\nDerby has been twinned with Hefei since 1996. In May 2012 a delegation from Hefei "
        "visited Derby. The twinning link between Nottingham and Ningbo ended in 2021.\n"
        "Nottingham is twinned with Ningbo."
    ),
    "newsletter.txt": (
        "A newsletter\n\nDerby and Hefei signed a twinning agreement in 1995. In 2012 a delegation from Hefei "
        "visited Derby.\nWestmoor Primary School in Derby is twinned with Luyang Primary School in Hefei."
    ),
}
HAND = DocumentFacts(
    doc="hand.jsonl",
    source="https://example.org/links",
    partnerships=[PartnershipFact(parties=["Leicester", "Chongqing"], kind=PartnershipKind.PLACE, established=1993)],
)
LEFT_OUT = {"audit"}  # who wrote what when: an import is a write of its own


def _register(folder: Path, extractor: Extractor, gazetteer: Gazetteer) -> Engine:
    engine = make_engine(f"sqlite:///{folder / 'first.db'}")
    prepare(engine)
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    list(ingest_paths(engine, extractor, [folder / n for n in TEXTS], 1_000_000))
    with transaction(engine) as session:
        register_facts(session, gazetteer, HAND, source="hand.jsonl")
        derby = next(v for v in list_partnership_views(session, date(2026, 1, 1), 10) if v.party_a.name == "Derby")
        years = list(
            session.scalars(
                select(Claim).where(Claim.subject_id == derby.id, Claim.property == "established").order_by(Claim.id)
            )
        )
        decide(session, [years[0].id], ReviewState.ACCEPTED, "the agreement's signed copy", "rita")
        decide(session, [years[1].id], ReviewState.REJECTED, "the newsletter misremembers", "rita")
        propose_claim(
            session,
            "partnership",
            derby.id,
            "instrument",
            "friendship agreement",
            Citation(address="https://example.org/agreement", quote="a friendship agreement"),
            "ana",
        )
        visit = session.scalars(select(Claim).where(Claim.property == "occurred").order_by(Claim.id)).first()
        assert visit is not None
        decide(session, [visit.id], ReviewState.ACCEPTED, "the council's own account", "rita")
    return engine


def test_export_then_import_gives_the_same_register(tmp_path: Path, extractor: Extractor, gazetteer: Gazetteer) -> None:
    first = _register(tmp_path, extractor, gazetteer)
    with reading(first) as session:
        exported = str(export(session, list_partnership_views(session, date(2026, 1, 1), 10), "facts"))
    (tmp_path / "register.jsonl").write_text(exported, encoding="utf-8")
    lines = [json.loads(line) for line in exported.splitlines()]
    assert {line["doc"] for line in lines} >= {"twinning.txt", "newsletter.txt", "links", "agreement"}
    assert all("text" in line["document"] for line in lines if line["doc"].endswith(".txt"))

    second = make_engine(f"sqlite:///{tmp_path / 'second.db'}")
    prepare(second)
    with transaction(second) as session:
        register_many(session, gazetteer, load_facts(tmp_path / "register.jsonl"), source="register.jsonl")

    one, other = register_content(first), register_content(second)
    for name in LEFT_OUT:
        one.pop(name), other.pop(name)
    assert differences(one, other) == {}
    with reading(second) as session:
        again = str(export(session, list_partnership_views(session, date(2026, 1, 1), 10), "facts"))
    assert again == exported


def test_a_broken_review_in_an_export_is_refused_with_its_line_and_field(tmp_path: Path) -> None:
    line = {"doc": "a.txt", "reviews": [{"claim": "cl-1", "state": "accepted", "decisions": [{"state": "accepted"}]}]}
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(BadFacts, match=r"broken.jsonl:1: reviews\.0\.decisions\.0\.previous_state"):
        load_facts(broken)
