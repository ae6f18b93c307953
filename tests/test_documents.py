"""Loaders on files generated here: HTML pages with navigation and footers, PDFs with and
without a text layer, encrypted and corrupt PDFs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from twinlink.documents import load_document
from twinlink.documents.html import without_overlong_tags
from twinlink.errors import BadDocument
from twinlink.extract.pipeline import Extractor

PAGE = """<!doctype html><html><head><title>International links | Derby City Council</title></head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/bins">Bins and recycling</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve this site. Accept all cookies.</div></header>
<main><article><h1>Our twin towns</h1>
<p>Derby is twinned with Hefei, the capital of Anhui Province. The twinning agreement was signed in 1995
after several years of exchanges between the two cities.</p>
<p>In May 2003 a delegation from Hefei visited Derby to discuss trade and education links with local firms.</p>
</article></main>
<footer><p>Derby City Council, Council House, Corporation Street. All rights reserved.</p></footer>
</body></html>"""


def make_pdf(path: Path, lines: list[str], title: str | None = None) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    if title:
        pdf.set_title(title)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_html_keeps_the_article_and_drops_navigation(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "links.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = load_document(path)
    assert doc.media_type == "text/html"
    assert "twinned with Hefei" in doc.text and "May 2003" in doc.text
    assert "cookies" not in doc.text.lower() and "Bins and recycling" not in doc.text
    assert doc.title and "Derby" in doc.title
    facts = extractor.extract(doc)
    assert [(p.parties, p.established) for p in facts.partnerships] == [(["Derby", "Hefei"], 1995)]
    assert any(e.year == 2003 and e.month == 5 and e.kind.value == "visit" for e in facts.events)


def test_pdf_text_layer_is_read(tmp_path: Path, extractor: Extractor) -> None:
    path = make_pdf(
        tmp_path / "answer.pdf",
        [
            "Freedom of Information response",
            "Derby City Council and Hefei signed a twinning agreement in 1995.",
            "On 4th August 2008, the City Council hosted a visit by a delegation from Hefei.",
        ],
        title="FOI 1234",
    )
    doc = load_document(path)
    assert doc.media_type == "application/pdf" and doc.title == "FOI 1234"
    facts = extractor.extract(doc)
    assert [p.parties for p in facts.partnerships] == [["Derby", "Hefei"]]
    visit = [e for e in facts.events if e.kind.value == "visit"]
    assert [(e.year, e.month, e.day, sorted(e.parties)) for e in visit] == [(2008, 8, 4, ["Derby", "Hefei"])]


def test_pdf_without_text_is_refused(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(BadDocument, match=r"scan\.pdf: PDF has no text layer"):
        load_document(path)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_encrypted_only_against_copying_is_read(tmp_path: Path, algorithm: str) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", ["Derby is twinned with Hefei."])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="the owner's", algorithm=algorithm)
    restricted = tmp_path / "restricted.pdf"
    with restricted.open("wb") as fh:
        writer.write(fh)
    assert "Derby is twinned with Hefei." in load_document(restricted).text


def test_encrypted_and_corrupt_pdfs_are_refused(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", ["Derby is twinned with Hefei."])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(BadDocument, match=r"locked\.pdf: encrypted PDF \(it needs a password to open\)"):
        load_document(locked)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(plain.read_bytes()[:200])
    with pytest.raises(BadDocument, match=r"broken\.pdf: corrupt PDF"):
        load_document(broken)


def test_extract_skips_bad_files_and_runs_in_a_pool(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"doc{i}.txt").write_text(f"Derby is twinned with Hefei. In 20{10 + i} Hefei visited Derby.\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "links.html").write_text(PAGE, encoding="utf-8")
    names = ["doc0.txt", "empty.txt", "doc1.txt", "links.html", "doc2.txt"]
    result = subprocess.run(
        [sys.executable, "-m", "twinlink", "extract", *names, "--jobs", "2", "-o", "out.jsonl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "empty.txt" in result.stderr and "1 of 5 files could not be read" in result.stderr
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [d["doc"] for d in lines] == ["doc0.txt", "doc1.txt", "links.html", "doc2.txt"]
    assert [d["events"][0]["year"] for d in lines if d["doc"].startswith("doc")] == [2010, 2011, 2012]


LIST_PAGE = """<html><head><title>Twin towns</title><link rel="canonical" href="https://www.derby.gov.uk/twin-towns">
</head><body><nav><a href="/">Home</a></nav><main><h1>Twin towns</h1>
<p>Derby is twinned with the following towns:</p>
<ul><li>Osnabrück, Germany (1976)</li><li>Toyota, Japan (1998)</li></ul>
<h2>Friendship links</h2>
<table><tr><th>Town</th><th>Country</th><th>Since</th></tr><tr><td>Zwickau</td><td>Germany</td><td>1965</td></tr>
<tr><td>Lorient</td><td>France</td><td>1978</td></tr></table>
<p>Contact the twinning officer for more information about visits and exchanges between schools.</p>
</main></body></html>"""


def test_html_lists_and_tables_reach_extraction_as_lines(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "twins.html"
    path.write_text(LIST_PAGE, encoding="utf-8")
    doc = load_document(path)
    assert doc.source == "https://www.derby.gov.uk/twin-towns"
    facts = extractor.extract(doc)
    assert {(p.parties[1], p.established, p.evidence) for p in facts.partnerships} == {
        ("Osnabrück", 1976, "Osnabrück, Germany (1976)"),
        ("Toyota", 1998, "Toyota, Japan (1998)"),
        ("Zwickau", 1965, "Zwickau | Germany | 1965"),
        ("Lorient", 1978, "Lorient | France | 1978"),
    }


def test_pdf_running_headers_and_page_numbers_are_dropped(tmp_path: Path, extractor: Extractor) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    body = [
        "Minutes of the International Committee",
        "Members heard that Derby and the city of Hefei",
        "signed a twinning agreement in 1995 after a visit by the Mayor.",
        "The Committee noted the report.",
    ]
    for number, line in enumerate(body, 1):
        pdf.add_page()
        pdf.cell(0, 6, "Derby City Council - International Committee", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, f"Page {number} of {len(body)}", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "minutes.pdf"
    pdf.output(str(path))
    doc = load_document(path)
    assert "International Committee\n" not in doc.text.replace("Minutes of the International Committee\n", "")
    assert "Page 2 of" not in doc.text
    assert "Hefei\nsigned a twinning agreement in 1995" in doc.text
    facts = extractor.extract(doc)
    assert [(p.parties, p.established) for p in facts.partnerships] == [(["Derby", "Hefei"], 1995)]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_a_byte_order_mark_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Derby is twinned with Osnabrück.\n".encode(encoding))
    assert load_document(path).text.startswith("Derby is twinned with Osnabrück.")


def test_nul_characters_inside_text_become_spaces(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Derby is twinned with Hefei." + b"x" * 9000 + b"\x00end")
    text = load_document(path).text
    assert "\x00" not in text and text.endswith(" end")


def test_random_bytes_are_not_taken_for_text(tmp_path: Path) -> None:
    import random

    path = tmp_path / "noise.txt"
    rng = random.Random(0)  # 16 bytes that the encoding detector alone would take for cp1258 text
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(16)))
    with pytest.raises(BadDocument, match="binary"):
        load_document(path)


def test_html_nested_too_deep_for_a_tree_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    depth = 5000
    path.write_text(
        "<html><body>" + "<div>" * depth + "<p>Derby is twinned with Hefei.</p><script>x()</script>" + "</div>" * depth,
        encoding="utf-8",
    )
    assert load_document(path).text == "Derby is twinned with Hefei."


def test_a_tag_with_tens_of_thousands_of_attributes_is_cut_back_to_its_name(tmp_path: Path) -> None:
    attributes = " ".join(f'a{i}="x"' for i in range(50_000))
    markup = f'<html><body><p {attributes}>Derby is twinned with Hefei.</p><a href="/x">more</a></body></html>'
    assert (
        without_overlong_tags(markup)
        == '<html><body><p>Derby is twinned with Hefei.</p><a href="/x">more</a></body></html>'
    )
    path = tmp_path / "attrs.html"
    path.write_text(markup, encoding="utf-8")
    assert "Derby is twinned with Hefei." in load_document(path).text
