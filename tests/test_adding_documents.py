"""Documents added as Word files, from web addresses, from the browser, and cited as the user says."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.test_accounts import PASSWORD, _token, sign_in
from tests.test_cli import run
from twinlink.config import Settings
from twinlink.documents.fetch import check_address, fetch_document
from twinlink.documents.load import load_bytes
from twinlink.errors import BadDocument
from twinlink.register.accounts import create_user
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Document
from twinlink.web.app import create_app


def _docx() -> bytes:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading("Twinning report", level=1)
    word.add_paragraph("Derby is twinned with Hefei. In May 2003 a delegation from Hefei visited Derby.")
    table = word.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("Town", "Country", "Since"), ("Osnabrück", "Germany", "1976")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_a_word_file_is_read_with_its_tables_as_rows() -> None:
    document = load_bytes(_docx(), "report.docx")
    assert document.media_type.endswith("wordprocessingml.document") and document.title == "Twinning report"
    assert "Derby is twinned with Hefei." in document.text and "Osnabrück | Germany | 1976" in document.text
    with pytest.raises(BadDocument, match=r"report\.docx"):
        load_bytes(b"PK\x03\x04 not really a word file", "report.docx")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/x", "http://127.0.0.1/", "http://localhost:8000/", "http://10.1.2.3/",
     "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/"],
)  # fmt: skip
def test_addresses_inside_the_server_network_are_never_fetched(url: str) -> None:
    with pytest.raises(BadDocument):
        check_address(url)


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/twinning")
            self.end_headers()
            return
        body = b"<html><head><title>Twin towns</title></head><body><p>Leeds is twinned with Hangzhou.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_page() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_fetched_page_is_cited_by_its_address_and_limited_in_size(web_page: str) -> None:
    with pytest.raises(BadDocument, match="internal address"):
        fetch_document(web_page + "/twinning", max_bytes=10_000)
    document = fetch_document(web_page + "/moved", max_bytes=10_000, allow_private=True)
    assert document.source == web_page + "/moved" and document.title == "Twin towns"
    assert "Leeds is twinned with Hangzhou." in document.text
    with pytest.raises(BadDocument, match="too large"):
        fetch_document(web_page + "/twinning", max_bytes=20, allow_private=True)


@pytest.fixture
def site(engine: Engine, db_url: str) -> Iterator[TestClient]:
    with transaction(engine) as session:
        create_user(session, "ed", PASSWORD, "editor", "test")
        create_user(session, "vera", PASSWORD, "viewer", "test")
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        yield client


def test_an_editor_adds_a_word_file_and_sees_what_was_read(site: TestClient, engine: Engine) -> None:
    assert sign_in(site, "vera") == 303
    assert site.get("/documents/new").status_code == 403
    site.cookies.clear()
    assert sign_in(site, "ed") == 303
    token = _token(site.get("/documents/new").text)
    added = site.post(
        "/documents/new",
        data={"csrf_token": token, "source_url": "https://derby.example/twinning-report", "title": "Report to council"},
        files={"file": ("report.docx", _docx(), "application/octet-stream")},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = site.get(added.headers["location"])
    assert "Report to council" in page.text and "<mark" in page.text  # its claims, highlighted
    detail = site.get("/api" + added.headers["location"]).json()
    assert detail["source"] == "https://derby.example/twinning-report"
    assert {c["review_state"] for c in detail["claims"]} == {"proposed"}
    partnership = site.get("/api/partnerships").json()["items"][0]
    assert {partnership["party_a"]["name"], partnership["party_b"]["name"]} == {"Derby", "Hefei"}
    assert partnership["sources"] == ["https://derby.example/twinning-report"]
    refused = site.post(
        "/documents/new", data={"csrf_token": token, "address": "http://127.0.0.1:9/"}, follow_redirects=False
    )
    assert refused.status_code == 400 and "internal address" in refused.text
    with reading(engine) as session:
        assert session.query(Document).count() == 1


def test_ingest_cites_a_file_by_the_address_and_title_given(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("Notes\n\nDerby is twinned with Hefei.\n", encoding="utf-8")
    (tmp_path / "more.txt").write_text("Notes\n\nLeeds is twinned with Hangzhou.\n", encoding="utf-8")
    db = str(tmp_path / "r.db")
    cited = run(
        "ingest", "notes.txt", "--source-url", "https://derby.example/notes", "--title", "Council notes",
        "--db", db, cwd=tmp_path,
    )  # fmt: skip
    assert cited.returncode == 0, cited.stderr
    shown = run("show", "Derby", "--db", db, cwd=tmp_path)
    assert "https://derby.example/notes" in shown.stdout
    both = run("ingest", "notes.txt", "more.txt", "--title", "x", "--db", db, cwd=tmp_path)
    assert both.returncode == 2 and "one document" in both.stderr


def test_internal_addresses_are_fetched_only_once_an_admin_allows_them(
    site: TestClient, engine: Engine, web_page: str
) -> None:
    with transaction(engine) as session:
        create_user(session, "ada", PASSWORD, "admin", "test")
    assert sign_in(site, "ed") == 303
    form = {"csrf_token": _token(site.get("/documents/new").text), "address": web_page + "/twinning"}
    refused = site.post("/documents/new", data=form, follow_redirects=False)
    assert refused.status_code == 400 and "internal address" in refused.text
    site.cookies.clear()
    assert sign_in(site, "ada") == 303
    settings = site.get("/admin/settings").text
    site.post("/admin/settings", data={"fetch_private_addresses": "on", "csrf_token": _token(settings)})
    site.cookies.clear()
    assert sign_in(site, "ed") == 303
    form["csrf_token"] = _token(site.get("/documents/new").text)
    added = site.post("/documents/new", data=form, follow_redirects=False)
    assert added.status_code == 303
    assert "Leeds is twinned with Hangzhou" in site.get(added.headers["location"]).text
