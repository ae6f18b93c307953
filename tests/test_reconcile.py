"""The reconciliation service as OpenRefine uses it: the manifest, batches of queries sent as a
form, type and property filters, suggestions, data extension and the preview frame."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from twinlink.config import Settings
from twinlink.facts import DocumentFacts, PartnershipFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.ingest import register_facts
from twinlink.store.engine import transaction
from twinlink.vocab import PartnershipKind
from twinlink.web import models
from twinlink.web.app import create_app

TEXT = """Friends abroad

Nottingham is twinned with Ningbo. Derby is twinned with Hefei.
Leicester has been twinned with Chongqing since 1993.
"""
SCHOOLS = DocumentFacts(
    doc="schools.jsonl",
    partnerships=[
        PartnershipFact(
            parties=["Oakfield Primary School", "Luyang Primary School"],
            kind=PartnershipKind.SCHOOL,
            locations={"Oakfield Primary School": "Derby", "Luyang Primary School": "Hefei"},
        )
    ],
)


@pytest.fixture
def site(
    engine: Engine, ingest_text: Callable[[str, str], None], gazetteer: Gazetteer, db_url: str
) -> Iterator[TestClient]:
    ingest_text("friends.txt", TEXT)
    with transaction(engine) as session:
        register_facts(session, gazetteer, SCHOOLS)
    settings = Settings(database_url=db_url, public_url="https://twinlink.example.org")
    with TestClient(create_app(settings)) as client:
        yield client


def ask(site: TestClient, queries: dict[str, Any]) -> dict[str, Any]:
    """Queries as OpenRefine sends them: a form field holding a JSON object."""
    answer = site.post("/api/reconcile", data={"queries": json.dumps(queries)})
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    body: dict[str, Any] = answer.json()
    for results in body.values():
        models.ReconcileResultsOut.model_validate(results)
    return body


def test_the_manifest_names_the_service_and_its_parts(site: TestClient) -> None:
    manifest = site.get("/api/reconcile").json()
    models.ReconcileManifestOut.model_validate(manifest)
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] == "https://twinlink.example.org/parties/"
    assert manifest["view"]["url"] == "https://twinlink.example.org/parties/{{id}}"
    assert {"id": "city", "name": "city"} in manifest["defaultTypes"]
    assert manifest["extend"]["propose_properties"]["service_path"] == "/api/reconcile/properties"


def test_names_codes_misspellings_and_chinese_find_their_parties(site: TestClient) -> None:
    answers = ask(
        site,
        {
            "q0": {"query": "Ningbo"},
            "q1": {"query": "Chongquing"},
            "q2": {"query": "宁波"},
            "q3": {"query": "E06000015"},  # Derby's GSS code
            "q4": {"query": "Atlantis"},
        },
    )
    best = {key: answer["result"][0] if answer["result"] else None for key, answer in answers.items()}
    assert best["q0"] is not None and best["q0"]["name"] == "Ningbo" and best["q0"]["match"] is True
    assert best["q0"]["score"] == 100.0 and best["q0"]["type"][0]["id"] == best["q0"]["type"][0]["name"]
    assert best["q1"] is not None and best["q1"]["name"] == "Chongqing" and best["q1"]["match"] is False
    assert 80 <= best["q1"]["score"] < 95
    assert best["q2"] is not None and best["q2"]["name"] == "Ningbo" and best["q2"]["match"] is True
    assert best["q3"] is not None and best["q3"]["name"] == "Derby" and best["q3"]["score"] == 100.0
    assert best["q4"] is None


def test_types_and_properties_narrow_and_lower_candidates(site: TestClient) -> None:
    answers = ask(
        site,
        {
            "school": {
                "query": "Oakfield Primary School",
                "type": "school",
                "properties": [{"pid": "within", "v": "Derby"}],
            },
            "not_a_school": {"query": "Ningbo", "type": "school"},
            "wrong_country": {"query": "Ningbo", "properties": [{"pid": "country", "v": "GB"}]},
            "right_country": {"query": "Ningbo", "properties": [{"pid": "country", "v": "CN"}]},
            "elsewhere": {"query": "Oakfield Primary School", "properties": [{"pid": "within", "v": "Leicester"}]},
        },
    )
    school = answers["school"]["result"][0]
    assert school["type"] == [{"id": "school", "name": "school"}] and school["match"] is True
    assert answers["not_a_school"]["result"] == []
    assert answers["wrong_country"]["result"][0]["score"] == 70.0
    assert answers["wrong_country"]["result"][0]["match"] is False
    assert "not in GB" in answers["wrong_country"]["result"][0]["description"]
    assert answers["right_country"]["result"][0]["score"] == 100.0
    assert answers["elsewhere"]["result"][0]["score"] == 85.0


def test_bad_queries_are_refused_naming_the_field(site: TestClient) -> None:
    for queries, named in (
        ("[1]", "queries: must be a JSON object"),
        ("{not json", "queries: not JSON"),
        ('{"q0": {"limit": 3}}', "queries.q0.query: is missing"),
        ('{"q0": {"query": "Derby", "limit": 0}}', "queries.q0.limit"),
        ('{"q0": {"query": "Derby", "properties": [{"pid": "colour", "v": "red"}]}}', "colour cannot be matched on"),
    ):
        refused = site.get("/api/reconcile", params={"queries": queries})
        assert refused.status_code == 400 and refused.headers["content-type"] == "application/problem+json"
        assert named in refused.json()["detail"]


def test_suggest_properties_and_extension(site: TestClient) -> None:
    suggested = site.get("/api/reconcile/suggest", params={"prefix": "ning"}).json()
    assert [s["name"] for s in suggested["result"]] == ["Ningbo"]
    proposed = site.get("/api/reconcile/properties", params={"type": "city"}).json()
    assert {"id": "name_zh", "name": "Chinese name"} in proposed["properties"]
    derby = ask(site, {"q": {"query": "Derby", "type": "unitary authority"}})["q"]["result"][0]["id"]
    request = {"ids": [derby, "no-such-party"], "properties": [{"id": "partners"}, {"id": "gss_code"}, {"id": "lat"}]}
    extended = site.post("/api/reconcile", data={"extend": json.dumps(request)}).json()
    models.ReconcileExtensionOut.model_validate(extended)
    assert extended["meta"][0] == {"id": "partners", "name": "Partners"}
    row = extended["rows"][derby]
    assert [cell["name"] for cell in row["partners"]] == ["Hefei"]
    assert row["gss_code"] == [{"str": "E06000015"}] and isinstance(row["lat"][0]["float"], float)
    assert extended["rows"]["no-such-party"] == {"partners": [], "gss_code": [], "lat": []}


def test_the_preview_may_be_framed_and_escapes_what_it_shows(site: TestClient) -> None:
    derby = ask(site, {"q": {"query": "Derby"}})["q"]["result"][0]["id"]
    page = site.get("/api/reconcile/preview", params={"id": derby})
    assert page.status_code == 200 and "Hefei" in page.text and "<script" not in page.text
    policy = page.headers.get_list("content-security-policy")
    assert len(policy) == 1 and "frame-ancestors *" in policy[0] and "script-src" not in policy[0]
    assert "frame-ancestors 'none'" in site.get("/").headers["content-security-policy"]
    assert site.get("/api/reconcile/preview", params={"id": "nobody"}).status_code == 404
