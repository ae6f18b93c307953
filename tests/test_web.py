"""The JSON API and pages against a real database on both stores (the browser tests are in e2e/)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any

import anyio
import geojson
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from twinlink.config import Settings
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.database import prepare
from twinlink.register.derived.digests import SourceRef
from twinlink.register.derived.timelines import TimelineEntry
from twinlink.register.queries import PartnershipView
from twinlink.store.parties import PartyRef
from twinlink.web import models, pages
from twinlink.web.app import create_app
from twinlink.web.fragments import partnership_rows_html, timeline_html

TEXT = """Partners of Nottingham

Nottingham is twinned with Ningbo. In July 2019 a delegation from Nottingham visited Ningbo.
Derby is twinned with Hefei. <script>alert('x')</script> In 2012 Hefei visited Derby.
"""


@pytest.fixture
def register(engine: Engine, ingest_text: Callable[[str, str], None]) -> Engine:
    """The test register holding ``TEXT``, ingested as a document."""
    ingest_text("partners.txt", TEXT)
    return engine


@pytest.fixture
def client(register: Engine, db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=db_url))) as c:
        yield c


def test_partnerships_filtered_paged_with_etags(client: TestClient) -> None:
    response = client.get("/api/partnerships", params={"party": "Nottingham"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(i["party_a"]["name"], i["party_b"]["name"]) for i in items] == [("Nottingham", "Ningbo")]
    assert items[0]["html"] == f"/partnerships/{items[0]['id']}"
    assert set(items[0]) == {f.name for f in fields(PartnershipView)} | {"html"}
    assert items[0]["status"] in ("active", "dormant", "unknown")
    etag = response.headers["etag"]
    assert (
        client.get("/api/partnerships", params={"party": "Nottingham"}, headers={"If-None-Match": etag}).status_code
        == 304
    )
    first = client.get("/api/partnerships", params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next"] == first["items"][0]["id"]
    second = client.get("/api/partnerships", params={"limit": 1, "after": first["next"]}).json()
    assert len(second["items"]) == 1 and second["items"][0]["id"] > first["next"] and second["next"] is None


def test_party_document_search_and_errors(client: TestClient) -> None:
    party = client.get("/api/parties/iso:GB-NGM").json()
    assert party["party"]["name"] == "Nottingham"
    assert party["codes"]["wikidata"] == "Q41262"  # the gazetteer's item, shown and linked on the page
    assert 'href="https://www.wikidata.org/wiki/Q41262"' in client.get("/parties/iso:GB-NGM").text
    assert [e["date"] for e in party["timeline"]] == ["2019-07"]
    hits = client.get("/api/search", params={"q": "Ningbo"}).json()
    assert {h["type"] for h in hits["items"]} >= {"party", "partnership", "document"}
    docs = client.get("/api/documents").json()["items"]
    doc = client.get(f"/api/documents/{docs[0]['id']}").json()
    assert "<script>" in doc["text"] and all(c["span"] for c in doc["claims"])


def test_every_api_error_is_a_problem_details_object(client: TestClient) -> None:
    missing = client.get("/api/partnerships/pt-nothing")
    detail = "no partnership 'pt-nothing' in the register"
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": detail,
        "error": detail,
    }
    refused = client.get("/api/parties", params={"limit": 0})
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["title"] == "Unprocessable Content" and refused.json()["status"] == 422
    assert refused.json()["fields"]["limit"].startswith("Input should be greater than")
    unsigned = client.post("/api/documents", json={})
    assert unsigned.status_code == 401 and unsigned.json()["detail"] == "sign in first"
    models.ErrorOut.model_validate(missing.json())
    models.ErrorOut.model_validate(unsigned.json())
    models.FormErrorOut.model_validate(refused.json())
    described = client.get("/openapi.json").json()["paths"]["/api/partnerships/{partnership_id}"]["get"]["responses"]
    assert "application/problem+json" in described["404"]["content"]


def test_list_answers_link_their_next_page(client: TestClient) -> None:
    first = client.get("/api/parties", params={"limit": 1, "country": "GB"})
    body = first.json()
    assert body["next"] and body["next_url"].startswith("/api/parties?")
    assert "country=GB" in body["next_url"] and f"after={body['next']}" in body["next_url"].replace("%3A", ":")
    assert first.headers["link"] == f'<{body["next_url"]}>; rel="next"'
    second = client.get(body["next_url"]).json()
    assert second["items"][0]["id"] != body["items"][0]["id"] and second["items"][0]["country"] == "GB"
    last = client.get("/api/parties", params={"limit": 500}).json()
    assert last["next"] is None and last["next_url"] is None
    hits = client.get("/api/search", params={"q": "Ningbo", "limit": 1}).json()
    assert hits["total"] > 1 and hits["next_url"] == "/api/search?q=Ningbo&limit=1&offset=1"


def test_pages_escape_untrusted_text_and_send_a_csp(client: TestClient) -> None:
    doc_id = client.get("/api/documents").json()["items"][0]["id"]
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"\son[a-z]+\s*=", page.text)  # no inline event handlers
    for url in ("/", "/search?q=Ningbo", "/parties/iso:GB-NGM", "/map", "/search?country=CN"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'href="/api/' in response.text or url == "/map" or url == "/"
    assert client.get("/parties/nowhere").status_code == 404


def test_party_and_partnership_pages_share_a_timeline_linked_to_its_sources(client: TestClient) -> None:
    pid = client.get("/api/partnerships", params={"party": "Nottingham"}).json()["items"][0]["id"]
    for url in ("/parties/iso:GB-NGM", f"/partnerships/{pid}"):
        text = client.get(url).text
        line = re.search(r'<li><span class="date">July 2019</span> <span class="kind">visit</span>.*?</li>', text, re.S)
        assert line and re.search(r'<a class="source" href="/documents/[^"#]+#claim-[^"]+">source</a>', line[0]), url
        assert "<svg" in text and "<title>July 2019: visit</title>" in text, url


def test_timeline_escapes_its_text_and_names_sources_without_a_document() -> None:
    told = SourceRef("a <i>letter</i>", None, "manual", "cl-1", "accepted")
    entry = TimelineEntry("2001", "2001", "gift", "A <b>vase</b> & a plate", [], [told])
    linked = SourceRef("https://example.org", "q", "rule", 'cl-"2"', "proposed", "doc-<1>")
    html = str(timeline_html([entry, TimelineEntry("2002", "2002", "visit", "A visit", [], [linked])]))
    assert (
        "A &lt;b&gt;vase&lt;/b&gt; &amp; a plate" in html
        and '<span class="source">a &lt;i&gt;letter&lt;/i&gt;</span>' in html
        and '<a class="source" href="/documents/doc-&lt;1&gt;#claim-cl-&quot;2&quot;">source</a>' in html
    )
    assert "<b>" not in html and "<1>" not in html and html.count("<circle") == 2 and html.count("<li>") == 2
    assert str(timeline_html([])) == "<p>No dated events recorded.</p>"


def test_exports_from_the_web(client: TestClient) -> None:
    geo = client.get("/export.geojson", params={"kind": "place"}).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    line = geo["features"][0]
    assert line["geometry"]["type"] == "LineString" and line["properties"]["kind"] == "place"
    csv_text = client.get("/export.csv", params={"country": "CN"}).text
    assert csv_text.splitlines()[0].startswith("id,party_a") and len(csv_text.splitlines()) == 3
    facts = [json.loads(x) for x in client.get("/export.facts").text.splitlines()]
    assert facts[0]["doc"] == "partners.txt" and len(facts[0]["partnerships"]) == 2
    ftm = client.get("/export.ftm")
    assert 'filename="twinlink-partnerships.ftm.jsonl"' in ftm.headers["content-disposition"]
    assert {json.loads(x)["schema"] for x in ftm.text.splitlines()} >= {"PublicBody", "UnknownLink"}
    assert client.get("/export.xml").status_code == 404


def test_reports_page_and_foi_answer_from_a_party_page(client: TestClient) -> None:
    page = client.get("/parties/iso:GB-NGM")
    assert 'href="/parties/iso:GB-NGM/foi.html"' in page.text
    answer = client.get("/parties/iso:GB-NGM/foi.html")
    assert answer.status_code == 200
    assert "1. Agreements" in answer.text and "Nottingham – Ningbo" in answer.text
    assert "The register holds no information about financial or material support" in answer.text
    pdf = client.get("/parties/iso:GB-NGM/foi.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    docx = client.get("/parties/iso:GB-NGM/foi.docx")
    assert docx.content[:2] == b"PK" and "foi-nottingham.docx" in docx.headers["content-disposition"]
    assert client.get("/parties/iso:GB-NGM/foi.odt").status_code == 404
    reports = client.get("/reports")
    assert reports.status_code == 200 and "By status" in reports.text and "Dormant" in reports.text


def test_full_text_search_by_prefix_and_chinese_name(client: TestClient) -> None:
    for q in ("Ningbo", "ningb", "宁波", "twinned Hefei"):
        hits = client.get("/api/search", params={"q": q}).json()
        assert hits["total"] >= 1, q
    found = client.get("/api/search", params={"q": "宁波"}).json()["items"]
    assert found[0]["type"] == "party" and found[0]["title"] == "Ningbo"
    assert client.get("/api/search", params={"q": "Zanzibar"}).json() == {"total": 0, "items": [], "next_url": None}
    assert client.get("/api/search", params={"q": '" OR *'}).json()["total"] == 0  # query syntax is not passed through


def test_search_hits_keep_rank_order_and_name_the_home_party_first(register: Engine) -> None:
    from twinlink.store.engine import reading
    from twinlink.store.search import hits_of
    from twinlink.store.search_index import search_refs

    engine = register
    with reading(engine) as session:
        refs, _ = search_refs(session, "Hefei", 50)
        kinds = {kind for kind, _ in refs}
        assert kinds == {"party", "partnership", "event", "document"}
        mixed = [*reversed(refs), ("party", "gone:1"), ("event", "ev-gone")]
        hits = hits_of(session, mixed)
    assert [(h.type, h.id) for h in hits] == [*reversed(refs)]  # rank order kept, rows that are gone left out
    by_type = {h.type: h for h in hits}
    assert by_type["partnership"].title == "Derby – Hefei"  # the home country's party first
    assert by_type["party"].title == "Hefei" and "合肥" in by_type["party"].detail
    assert by_type["event"].title == "2012 visit"
    assert by_type["document"].title == "Partners of Nottingham"  # the document's title, found from its text


def test_upgrading_an_older_register_fills_the_search_index_digests_and_timelines(register: Engine) -> None:
    from alembic import command
    from sqlalchemy import text

    from twinlink.store.schema import alembic_config, current_revision
    from twinlink.store.search import search

    engine = register
    command.downgrade(alembic_config(engine), "0001")  # a register from before the index existed
    assert current_revision(engine) == "0001"

    prepare(engine)
    from twinlink.store.engine import reading

    with reading(engine) as session:
        hits, total = search(session, "Ningbo")
        digests = session.execute(text("SELECT count(*) FROM partnership_digests")).scalar_one()
        partnerships = session.execute(text("SELECT count(*) FROM partnerships")).scalar_one()
        timelines = session.execute(text("SELECT count(DISTINCT party_id) FROM party_timeline_lines")).scalar_one()
        parties = session.execute(text("SELECT count(DISTINCT party_id) FROM event_parties")).scalar_one()
    assert total >= 3 and {h.type for h in hits} >= {"party", "partnership", "document"}
    assert digests == partnerships > 0
    assert timelines == parties > 0


def test_directory_pages_its_partnership_table(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("twinlink.web.pages.ROWS_PER_PAGE", 1)
    row = re.compile(r'<tr><td><a href="/parties/[^"]+">[^<]+</a></td><td><a href="/parties/([^"]+)"')
    first = client.get("/search", params={"country": "CN"})
    total = int(re.search(r"Partnerships \(CN\): (\d+)", first.text).group(1))  # type: ignore[union-attr]
    assert total >= 2
    assert len(row.findall(first.text)) == 1
    assert "rows=2" in first.text and f"1–1 of {total}" in first.text
    second = client.get("/search", params={"country": "CN", "rows": 2})
    assert len(row.findall(second.text)) == 1 and row.findall(second.text) != row.findall(first.text)
    assert "rows=1" in second.text


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_long_export_does_not_hold_up_a_party_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, anyio_backend: str
) -> None:
    """An export still running (it waits until the party page is answered) does not keep a
    party page from being answered: were it run on the event loop, the page could not come
    back and the export would give up waiting."""
    original = pages.export
    under_way, release = threading.Event(), threading.Event()

    def held_export(*args: Any, **kwargs: Any) -> str:
        under_way.set()
        if not release.wait(timeout=20):
            raise AssertionError("the party page was held up by the export")
        return original(*args, **kwargs)

    monkeypatch.setattr(pages, "export", held_export)
    answered: list[tuple[str, int]] = []
    transport = httpx.ASGITransport(app=client.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://twinlink", timeout=60) as browser:

        async def export() -> None:
            answered.append(("export", (await browser.get("/export.csv")).status_code))

        async def party() -> None:
            await anyio.to_thread.run_sync(under_way.wait, 20)
            answered.append(("party", (await browser.get("/parties/iso:GB-NGM")).status_code))
            release.set()

        async with anyio.create_task_group() as group:
            group.start_soon(export)
            group.start_soon(party)
    assert answered == [("party", 200), ("export", 200)]


def test_a_partys_partnership_rows_name_the_partner_and_escape_stored_text() -> None:
    home = PartyRef("iso:GB-XXX", "Home", "city", "GB")
    partner = PartyRef("gn:1", "<script>x</script>", "city", "CN", "某市")
    view = PartnershipView(
        "pt-1", "place", home, partner, "conflict: 1985 / 1988", [], ["MoU", "<b>letter</b>"],
        "dormant", 'latest activity 1990 (visit) "quoted"', "1990", ["established"], [], [],
    )  # fmt: skip
    html = str(partnership_rows_html([view], home.id))
    assert '<a href="/parties/gn:1">&lt;script&gt;x&lt;/script&gt;</a> <span lang="zh">某市</span>' in html
    assert "<td>MoU; &lt;b&gt;letter&lt;/b&gt;</td>" in html
    assert '<td class="conflict"><a href="/partnerships/pt-1">conflict: 1985 / 1988</a></td>' in html
    assert '<span class="status status-dormant">dormant</span>' in html and "&quot;quoted&quot;" in html
    assert "<script>" not in html and "Home" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=a&offset=9223372036854775808",
        "/reports?years=2147483648",
        "/search?q=a&page=9223372036854775808",
    ],
)
def test_numbers_out_of_bounds_are_refused_not_a_server_error(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 422


def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text() -> None:
    import csv
    import io

    from twinlink.output import to_csv

    text = to_csv([{"name": '=HYPERLINK("http://x")', "other": "@SUM(A1)", "year": 2005, "plain": "Derby"}])
    assert list(csv.reader(io.StringIO(text)))[1] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)", "2005", "Derby"]


def test_a_workbook_export_keeps_numbers_as_numbers_and_formulas_as_text(client: TestClient) -> None:
    import io

    from openpyxl import load_workbook

    from twinlink.output import to_xlsx

    book = load_workbook(io.BytesIO(to_xlsx([{"name": '=HYPERLINK("http://x")', "year": 2005, "ids": ["a", "b"]}])))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["name", "year", "ids"] and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[2]] == ['=HYPERLINK("http://x")', 2005, "a; b"]
    assert sheet["A2"].data_type == "s"  # text, never run as a formula
    answer = client.get("/export.xlsx", params={"country": "CN"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    exported = load_workbook(io.BytesIO(answer.content))
    assert exported.sheetnames == ["partnerships", "events", "parties", "sources"]
    rows = list(exported["partnerships"].values)
    assert rows[0][:3] == ("id", "party_a", "party_a_zh") and len(rows) == 3
    assert {row[1] for row in rows[1:]} == {"Derby", "Nottingham"}
    events = list(exported["events"].values)
    assert events[0][:3] == ("partnership_id", "date", "kind") and {e[1] for e in events[1:]} == {"2019-07", "2012"}
    parties = {row[0]: row for row in list(exported["parties"].values)[1:]}
    assert set(parties) == {"iso:GB-NGM", "cn:330200", "iso:GB-DER", "cn:340100"}
    assert list(exported["sources"].values)[1][3] == 2  # the one document supports both partnerships


def test_every_api_response_is_described_by_its_model_and_the_page_shows_the_same(client: TestClient) -> None:
    from pydantic import BaseModel

    from twinlink.web import models

    def read(path: str, model: type[BaseModel], **params: str) -> BaseModel:
        response = client.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        return model.model_validate_json(response.content)  # fields missing or not described fail

    listing = read("/api/partnerships", models.PartnershipListOut)
    assert isinstance(listing, models.PartnershipListOut) and listing.items
    pid = listing.items[0].id
    detail = read(f"/api/partnerships/{pid}", models.PartnershipDetailOut)
    assert isinstance(detail, models.PartnershipDetailOut) and detail.claims
    parties = read("/api/parties", models.PartyListOut, country="GB")
    assert isinstance(parties, models.PartyListOut) and parties.items
    read(f"/api/parties/{parties.items[0].id}", models.PartyDetailOut)
    documents = read("/api/documents", models.DocumentListOut)
    assert isinstance(documents, models.DocumentListOut)
    doc = read(f"/api/documents/{documents.items[0].id}", models.DocumentDetailOut)
    assert isinstance(doc, models.DocumentDetailOut) and doc.claims
    read("/api/claims", models.ClaimListOut, subject_type="partnership", subject_id=pid)
    read("/api/events", models.TimelineOut, party="Derby")
    read("/api/search", models.SearchOut, q="Ningbo")
    missing = client.get("/api/parties/nowhere")
    assert missing.status_code == 404 and models.ErrorOut.model_validate_json(missing.content)

    # the page shows the claims its JSON twin lists, conflicts marked alike
    page = client.get(f"/partnerships/{pid}").text
    for claim in detail.claims:
        assert claim.property in page
    assert page.count('class="conflict"') == sum(c.conflict for c in detail.claims)


def test_openapi_describes_every_json_response(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = {p: ops for p, ops in spec["paths"].items() if p.startswith("/api/")}
    assert len(paths) >= 9
    for path, ops in paths.items():
        for method, op in ops.items():
            for status in ("201" if "201" in op["responses"] else "200", "404"):
                if "text/html" in op["responses"][status]["content"]:
                    continue  # a page to show in a frame (the reconciliation preview)
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema.get("$ref"), (path, method, status, schema)
    detail = spec["components"]["schemas"]["PartnershipDetailOut"]["properties"]
    assert {"claims", "timeline", "status", "established"} <= set(detail)


def test_every_value_in_the_list_macros_is_escaped() -> None:
    """The list macros render without autoescaping (for speed), so each output must pass the
    ``x`` filter; one that does not would put ingested text into the page as markup."""
    import re
    from importlib import resources

    source = resources.files("twinlink.web").joinpath("lists", "lists.html").read_text(encoding="utf-8")
    outputs = re.findall(r"\{\{(.*?)\}\}", re.sub(r"\{#.*?#\}", "", source, flags=re.S))
    assert outputs and all(o.strip().endswith("|x") for o in outputs), [
        o for o in outputs if not o.strip().endswith("|x")
    ]


def test_links_never_carry_the_host_the_request_named_and_pages_restrict_browser_features(
    client: TestClient,
) -> None:
    from starlette.requests import Request

    from twinlink.web.deps import with_params

    page = client.get("/search", params={"country": "CN", "rows": 2}, headers={"host": "evil.example"})
    assert page.status_code == 200 and "evil.example" not in page.text
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/search",
        "query_string": b"country=CN&rows=2",
        "headers": [(b"host", b"evil.example")],
    }
    assert with_params(Request(scope), rows=3) == "/search?country=CN&rows=3"
    assert "camera=()" in page.headers["permissions-policy"]


def test_a_site_with_trusted_hosts_refuses_requests_naming_others(register: Engine, db_url: str) -> None:
    settings = Settings(database_url=db_url, trusted_hosts=("twinlink.example.org",))
    with TestClient(create_app(settings), base_url="http://twinlink.example.org") as site:
        assert site.get("/api/partnerships").status_code == 200
        refused = site.get("/api/partnerships", headers={"host": "evil.example"})
        assert refused.status_code == 400 and "evil.example" not in refused.text


def test_the_api_reference_is_drawn_on_the_server_under_the_csp(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "<script" not in page.text.lower()
    assert "GET /api/partnerships/{partnership_id}" in page.text
    assert 'id="schema-PartnershipDetailOut"' in page.text and "<code>established</code>" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    from importlib.metadata import version

    assert client.get("/openapi.json").json()["info"]["version"] == version("twinlink")


def test_head_gzip_cors_and_weak_etags(client: TestClient, db_url: str) -> None:
    head = client.head("/api/partnerships")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"]
    etag = head.headers["etag"]
    assert client.get("/api/partnerships", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    zipped = client.get("/search", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers.get("content-encoding") == "gzip"
    assert (
        "access-control-allow-origin"
        not in client.get("/api/partnerships", headers={"Origin": "https://x.example"}).headers
    )
    with TestClient(create_app(Settings(database_url=db_url, cors_origins=("https://x.example",)))) as open_client:
        answer = open_client.get("/api/partnerships", headers={"Origin": "https://x.example"})
        assert answer.headers["access-control-allow-origin"] == "https://x.example"


def test_a_council_page_gives_its_council_record(
    engine: Engine, ingest_text: Callable[[str, str], None], db_url: str
) -> None:
    ingest_text("bucks.txt", "Links\n\nBuckinghamshire is twinned with Ningbo.\n")
    with TestClient(create_app(Settings(database_url=db_url))) as site:
        page = site.get("/parties/iso:GB-BKM").text
        assert "Administrative record: since 2020-04-01; formerly E10000002" in page
        assert "Administrative record" not in site.get("/parties/cn:330200").text


def test_geojson_keeps_a_partnership_it_cannot_place(engine: Engine, gazetteer: Gazetteer, db_url: str) -> None:
    from twinlink.facts import DocumentFacts, PartnershipFact
    from twinlink.register.ingest import register_facts
    from twinlink.store.engine import transaction
    from twinlink.vocab import PartnershipKind

    facts = DocumentFacts(
        doc="hand.jsonl",
        source="https://example.org/friends",
        partnerships=[
            PartnershipFact(parties=["Derby", "Hefei"]),
            PartnershipFact(parties=["Friends of Hefei Society", "Hefei"], kind=PartnershipKind.INSTITUTION),
        ],
    )
    with transaction(engine) as session:
        register_facts(session, gazetteer, facts)
    with TestClient(create_app(Settings(database_url=db_url))) as site:
        exported = site.get("/export.geojson").text
    collection = geojson.loads(exported)  # valid RFC 7946 as the library reads it, null geometry included
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, collection.errors()
    features = json.loads(exported)["features"]
    lines = [f["geometry"]["coordinates"] for f in features if f["geometry"] is not None]
    # positions are longitude then latitude (Hefei's longitude, 117, is out of a latitude's range)
    assert lines and all(-180 <= lon <= 180 and -90 <= lat <= 90 for line in lines for lon, lat in line)
    placed = {f["properties"]["party_a"] + " – " + f["properties"]["party_b"]: f for f in features}
    assert len(features) == 2
    unplaced = next(f for f in features if not f["properties"]["placed"])
    assert unplaced["geometry"] is None and "Friends of Hefei Society" in (
        unplaced["properties"]["party_a"],
        unplaced["properties"]["party_b"],
    )
    assert sum(f["geometry"] is not None for f in placed.values()) == 1


def test_exports_read_back_with_pandas_as_a_spreadsheet_user_would(client: TestClient) -> None:
    import io

    import pandas as pd

    table = pd.read_csv(io.BytesIO(client.get("/export.csv", params={"bom": 1}).content), encoding="utf-8-sig")
    assert list(table.columns[:3]) == ["id", "party_a", "party_a_zh"]
    assert set(table["party_b_zh"]) == {"宁波市", "合肥市"}  # Chinese names survive the round trip
    assert str(table["established_year"].dtype) in ("float64", "Int64")  # a number column, not text
    events = pd.read_csv(io.StringIO(client.get("/export.csv", params={"table": "events"}).text))
    assert list(events.columns[:3]) == ["partnership_id", "date", "kind"] and len(events) == 2
    assert client.get("/export.csv", params={"table": "people"}).status_code == 400
    book = pd.read_excel(io.BytesIO(client.get("/export.xlsx").content), sheet_name=None)
    assert list(book) == ["partnerships", "events", "parties", "sources"]
    assert set(book["parties"]["id"]) == {"iso:GB-NGM", "cn:330200", "iso:GB-DER", "cn:340100"}
    assert book["sources"]["partnerships"].dtype.kind == "i"
