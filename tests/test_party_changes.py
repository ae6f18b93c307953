"""Merging and splitting parties, and undoing either, on both stores."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.test_accounts import PASSWORD, _token, sign_in
from tests.test_cli import run
from twinlink.config import Settings
from twinlink.documents.model import Document
from twinlink.facts import DocumentFacts, EventFact, PartnershipFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.ids import make_id, sha256_hex
from twinlink.register.accounts import create_user, issue_token
from twinlink.register.derived.refresh import rebuild
from twinlink.register.ingest import Registrar
from twinlink.register.party_changes import BadPartyChange, merge_parties, split_party, undo_change
from twinlink.register.pipeline import register_document
from twinlink.register.review import decide
from twinlink.store import search_index
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Base, Claim, Decision, Partnership, Party
from twinlink.store.users import list_audit
from twinlink.vocab import DocumentKind, EventKind, PartnershipKind, ReviewState
from twinlink.web.app import create_app

PORTSMOUTH = "iso:GB-POR"
SHORT = make_id("body", "school", "oakfield school", PORTSMOUTH)
FULL = make_id("body", "school", "oakfield primary school", PORTSMOUTH)


def _document(name: str, text: str) -> Document:
    data = text.encode()
    return Document(
        sha256_hex(data),
        name,
        f"https://schools.example/{name}",
        name,
        DocumentKind.WEB_PAGE,
        "text/plain",
        text,
        len(data),
    )


def _facts(doc: Document, school: str, partner: str, city: str, year: int) -> DocumentFacts:
    return DocumentFacts(
        doc=doc.name,
        source=doc.source,
        partnerships=[
            PartnershipFact(
                parties=[school, partner],
                kind=PartnershipKind.SCHOOL,
                locations={school: "Portsmouth", partner: city},
                established=year,
                evidence=f"{school} and {partner} have been partners since {year}.",
            )
        ],
        events=[
            EventFact(
                year=year + 1,
                kind=EventKind.VISIT,
                parties=[school, partner],
                what="pupils visited",
                evidence=f"In {year + 1} pupils of {school} visited {partner}.",
            )
        ],
    )


def _write(engine: Engine, gazetteer: Gazetteer, name: str, *facts: tuple[str, str, str, int]) -> Document:
    doc = _document(name, " ".join(f"{s} {p} {c} {y}" for s, p, c, y in facts))
    combined = DocumentFacts(doc=doc.name, source=doc.source)
    for school, partner, city, year in facts:
        one = _facts(doc, school, partner, city, year)
        combined.partnerships.extend(one.partnerships)
        combined.events.extend(one.events)
    with transaction(engine) as session:
        register_document(session, gazetteer, doc, combined)
    return doc


def _register(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    """The register's own rows (not the audit trail, the change records or the index's row keys)."""
    skip = {"audit", "party_changes", "search_keys", "search_index", "alembic_version"}
    with reading(engine) as session:
        out = {
            table.name: sorted(tuple(map(str, r)) for r in session.execute(select(table)).all())
            for table in Base.metadata.sorted_tables
            if table.name not in skip
        }
        out["index"] = sorted(map(str, search_index.stored_entries(session).items()))
        return out


def _consistent(engine: Engine) -> None:
    with reading(engine) as session:
        report = rebuild(session, write=False)
    assert not any(report.values()), {k: v.describe() for k, v in report.items()}


@pytest.fixture
def two_names(engine: Engine, gazetteer: Gazetteer) -> Engine:
    return _with_two_names(engine, gazetteer)


def _with_two_names(engine: Engine, gazetteer: Gazetteer) -> Engine:
    """One school written of under two names, each partnered with the same Ningbo school."""
    _write(engine, gazetteer, "short.txt", ("Oakfield School", "Ningbo No. 2 Middle School", "Ningbo", 2008))
    _write(engine, gazetteer, "full.txt", ("Oakfield Primary School", "Ningbo No. 2 Middle School", "Ningbo", 2009))
    return engine


def _partnerships_of(engine: Engine, party_id: str) -> list[Partnership]:
    with reading(engine) as session:
        query = select(Partnership).where((Partnership.party_a_id == party_id) | (Partnership.party_b_id == party_id))
        return list(session.scalars(query))


def test_a_merge_joins_two_parties_and_its_undo_puts_every_row_back(two_names: Engine) -> None:
    engine = two_names
    with transaction(engine) as session:
        accepted = session.scalars(
            select(Claim).where(Claim.subject_id.in_([p.id for p in _partnerships_of(engine, SHORT)]))
        ).first()
        assert accepted is not None
        decide(session, [accepted.id], ReviewState.ACCEPTED, "the school's own page", "rita")
    before = _register(engine)
    with transaction(engine) as session:
        change = merge_parties(session, SHORT, FULL, "the same school", "rita")
        change_id = change.id
    with reading(engine) as session:
        assert session.get(Party, SHORT) is None
        (partnership,) = _partnerships_of(engine, FULL)
        years = {
            c.value
            for c in session.scalars(
                select(Claim).where(Claim.subject_id == partnership.id, Claim.property == "established")
            )
        }
        assert years == {"2008", "2009"}  # both sources, side by side on one partnership
        moved = session.scalars(select(Decision)).one()
        assert session.get(Claim, moved.claim_id).subject_id == partnership.id  # the decision moved with its claim
        assert [a.action for a in list_audit(session, action="party.")] == ["party.merge"]
    assert _partnerships_of(engine, SHORT) == []
    _consistent(engine)
    with transaction(engine) as session:
        undo_change(session, change_id, "two schools after all", "rita")
    assert _register(engine) == before
    _consistent(engine)


def test_after_a_merge_reading_a_document_again_or_a_new_one_follows_it(
    two_names: Engine, gazetteer: Gazetteer
) -> None:
    engine = two_names
    with transaction(engine) as session:
        merge_parties(session, SHORT, FULL, "the same school", "rita")
    merged = _register(engine)
    _write(engine, gazetteer, "short.txt", ("Oakfield School", "Ningbo No. 2 Middle School", "Ningbo", 2008))
    assert _register(engine) == merged
    _write(engine, gazetteer, "later.txt", ("Oakfield School", "Hefei No. 8 Middle School", "Hefei", 2015))
    with reading(engine) as session:
        assert session.get(Party, SHORT) is None
    assert len(_partnerships_of(engine, FULL)) == 2
    _consistent(engine)


def test_a_merge_is_refused_between_partners_and_into_itself(two_names: Engine) -> None:
    (partnership,) = _partnerships_of(two_names, SHORT)
    partner = partnership.party_b_id if partnership.party_a_id == SHORT else partnership.party_a_id
    with transaction(two_names) as session, pytest.raises(BadPartyChange, match="partners"):
        merge_parties(session, SHORT, partner, "", "rita")
    with transaction(two_names) as session, pytest.raises(BadPartyChange, match="itself"):
        merge_parties(session, SHORT, SHORT, "", "rita")
    with transaction(two_names) as session, pytest.raises(BadPartyChange, match="inside"):
        merge_parties(session, PORTSMOUTH, SHORT, "", "rita")


def test_a_split_gives_chosen_partnerships_and_their_documents_to_a_new_party(
    engine: Engine, gazetteer: Gazetteer
) -> None:
    _write(engine, gazetteer, "ningbo.txt", ("Castle School", "Ningbo No. 2 Middle School", "Ningbo", 2008))
    hefei = _write(engine, gazetteer, "hefei.txt", ("Castle School", "Hefei No. 8 Middle School", "Hefei", 2011))
    castle = make_id("body", "school", "castle school", PORTSMOUTH)
    before = _register(engine)
    with reading(engine) as session:
        hefei_school = session.scalars(select(Party.id).where(Party.name == "Hefei No. 8 Middle School")).one()
    to_hefei = [p.id for p in _partnerships_of(engine, castle) if hefei_school in (p.party_a_id, p.party_b_id)]
    assert len(to_hefei) == 1
    with transaction(engine) as session:
        change = split_party(session, castle, to_hefei, "Castle Junior School", "school", "two schools", "rita")
        new_id, change_id = change.other_id, change.id
    assert len(_partnerships_of(engine, castle)) == 1
    assert len(_partnerships_of(engine, new_id)) == 1
    _consistent(engine)
    split = _register(engine)
    facts = _facts(hefei, "Castle School", "Hefei No. 8 Middle School", "Hefei", 2011)
    with transaction(engine) as session:  # as reading it again with newer rules would
        Registrar(session, gazetteer, facts, hefei.id, "import", hefei.source).run()
    assert _register(engine) == split  # the document the split gave the new party still speaks of it
    with transaction(engine) as session:
        undo_change(session, change_id, "one school after all", "rita")
    assert _register(engine) == before
    _consistent(engine)


def test_an_undo_is_refused_while_a_later_change_to_the_same_parties_stands(two_names: Engine) -> None:
    engine = two_names
    with transaction(engine) as session:
        first = merge_parties(session, SHORT, FULL, "the same school", "rita").id
        (partnership,) = _partnerships_of(engine, FULL)
        second = split_party(session, FULL, [partnership.id], "Oakfield Infant School", "school", "", "rita").id
    with transaction(engine) as session, pytest.raises(BadPartyChange, match=f"change {second}"):
        undo_change(session, first, "", "rita")
    with transaction(engine) as session:
        undo_change(session, second, "", "rita")
        undo_change(session, first, "", "rita")
    with transaction(engine) as session, pytest.raises(BadPartyChange, match="undone already"):
        undo_change(session, first, "", "rita")
    _consistent(engine)


@pytest.fixture
def reviewer_site(two_names: Engine, db_url: str) -> Iterator[TestClient]:
    with transaction(two_names) as session:
        create_user(session, "rita", PASSWORD, "reviewer", "test")
        create_user(session, "ed", PASSWORD, "editor", "test")
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        yield client


def test_a_reviewer_merges_on_the_page_the_old_address_leads_on_and_undo_is_a_button(
    reviewer_site: TestClient,
) -> None:
    site = reviewer_site
    assert sign_in(site, "ed") == 303
    page = site.get(f"/parties/{SHORT}").text
    assert "Merge this party" not in page
    refused = site.post(f"/parties/{SHORT}/merge", data={"into": FULL, "csrf_token": _token(page)})
    assert refused.status_code == 403
    site.cookies.clear()
    assert sign_in(site, "rita") == 303
    page = site.get(f"/parties/{SHORT}").text
    assert site.post(f"/parties/{SHORT}/merge", data={"into": "Oakfield Primary School"}).status_code == 403  # no CSRF
    merged = site.post(
        f"/parties/{SHORT}/merge",
        data={"into": "Oakfield Primary School", "reason": "one school", "csrf_token": _token(page)},
    )
    assert merged.status_code == 200 and "Merged into this party" in merged.text
    assert "merged from Oakfield School" in merged.text and "(one school)" in merged.text
    moved = site.get(f"/parties/{SHORT}", follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == f"/parties/{FULL}"
    assert site.get(f"/api/parties/{SHORT}").json()["party"]["id"] == FULL
    change = re.search(r'action="/party-changes/(\d+)/undo"', merged.text)
    assert change is not None
    undone = site.post(
        f"/party-changes/{change.group(1)}/undo", data={"reason": "two schools", "csrf_token": _token(merged.text)}
    )
    assert undone.status_code == 200 and f"Change {change.group(1)} undone" in undone.text
    assert site.get(f"/parties/{SHORT}").status_code == 200


def test_merges_splits_and_undos_through_the_api(reviewer_site: TestClient, two_names: Engine) -> None:
    site = reviewer_site
    with transaction(two_names) as session:
        _, token = issue_token(session, "rita", "script", "test")
    headers = {"Authorization": f"Bearer {token}"}
    bad = site.post(f"/api/parties/{SHORT}/merge", json={"into": SHORT}, headers=headers)
    assert bad.status_code == 400 and "itself" in bad.json()["error"]
    merged = site.post(f"/api/parties/{SHORT}/merge", json={"into": FULL, "reason": "one"}, headers=headers)
    assert merged.status_code == 201
    body = merged.json()
    assert (body["action"], body["party"], body["other"], body["decided_by"]) == ("merge", FULL, SHORT, "rita")
    (partnership,) = _partnerships_of(two_names, FULL)
    split = site.post(
        f"/api/parties/{FULL}/split",
        json={"partnerships": [partnership.id], "name": "Oakfield Infant School", "kind": "school"},
        headers=headers,
    )
    assert split.status_code == 201 and split.json()["action"] == "split"
    for change in (split.json()["id"], body["id"]):
        undone = site.post(f"/api/party-changes/{change}/undo", json={"reason": "no"}, headers=headers)
        assert undone.status_code == 201 and undone.json()["undone_by"] == "rita"
    assert len(_partnerships_of(two_names, SHORT)) == 1


def test_merges_from_the_command_line(sqlite_engine: Engine, gazetteer: Gazetteer, tmp_path: Path) -> None:
    two_names = _with_two_names(sqlite_engine, gazetteer)
    db = str(tmp_path / "register.db")
    merged = run(
        "parties", "merge", SHORT, "Oakfield Primary School", "--reason", "one", "--as", "ops", "--db", db, cwd=tmp_path
    )
    assert merged.returncode == 0 and f"merged {SHORT} into {FULL}" in merged.stdout
    listed = json.loads(run("parties", "changes", FULL, "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert [(c["action"], c["decided_by"], c["reason"]) for c in listed] == [("merge", "ops", "one")]
    again = run("parties", "merge", FULL, FULL, "--db", db, cwd=tmp_path)
    assert again.returncode != 0 and "itself" in again.stderr
    assert run("parties", "undo", str(listed[0]["id"]), "--db", db, cwd=tmp_path).returncode == 0
    assert len(_partnerships_of(two_names, SHORT)) == 1


def test_a_merge_carries_the_process_rows_about_the_party_and_undo_brings_them_back(two_names: Engine) -> None:
    from twinlink.store.tables import Contact, PartyIdentifier, Registration

    with transaction(two_names) as session:
        contact = Contact(party_id=SHORT, name="Sam Head", email="head@oakfield.example", created_by="test")
        session.add(contact)
        session.flush()
        session.add(PartyIdentifier(scheme="urn", value="116000", party_id=SHORT))
        session.add(
            Registration(
                reference="TL-1",
                organisation_type="school",
                organisation_name="Oakfield School",
                party_id=SHORT,
                contact_id=contact.id,
                stage="new",
                details="{}",
            )
        )
    before = _register(two_names)
    with transaction(two_names) as session:
        change = merge_parties(session, SHORT, FULL, "one school", "rita").id
    with reading(two_names) as session:
        assert session.scalars(select(Registration.party_id)).one() == FULL
        assert session.get(PartyIdentifier, ("urn", "116000")).party_id == FULL
    with transaction(two_names) as session:
        undo_change(session, change, "", "rita")
    assert _register(two_names) == before
