"""Reports on small registers built here: the FOI answer in four formats, dormant links, the summary."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
from docx import Document as DocxDocument
from pypdf import PdfReader
from sqlalchemy import Engine

from twinlink.extract.pipeline import Extractor
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.pipeline import ingest_paths
from twinlink.reports.dormant import list_dormant
from twinlink.reports.foi import FoiAnswer, build_foi_answer, party_for_answer
from twinlink.reports.render import render, render_markdown
from twinlink.reports.summary import summarise, write_charts
from twinlink.store.engine import reading
from twinlink.vocab import ReportFormat

TODAY = date(2026, 11, 22)
FOI = """Freedom of Information response

Derby City Council and Hefei signed an official twinning agreement in 1995.

In 2016, the Government commissioned a review of twinning between British and Chinese cities.

The City Council funded the Derby Hefei Friendship Society until the end of March 2004.

On 4th August 2008, the City Council hosted a visit by a delegation from Hefei. The delegation's visit included the signing of two Memorandums of Understanding.

In November 2009, the City Council hosted a visit by the Hefei Women Federation.

In more recent years the City Council has not had a particularly active relationship with Hefei, and there have not been any further visits.
"""


def _answer(engine: Engine, extractor: Extractor, gazetteer: Gazetteer, tmp_path: Path, text: str | None) -> FoiAnswer:
    if text is not None:
        path = tmp_path / "foi-answer.txt"
        path.write_text(text, encoding="utf-8")
        list(ingest_paths(engine, extractor, [path], 1_000_000))
    with reading(engine) as session:
        return build_foi_answer(session, party_for_answer(session, gazetteer, "Derby City Council"), TODAY, 5)


def test_foi_answer_sections_with_citations(
    engine: Engine, extractor: Extractor, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    answer = _answer(engine, extractor, gazetteer, tmp_path, FOI)
    [agreement] = answer.agreements
    assert agreement.partner.name == "Hefei" and agreement.established.text == "1995"
    assert agreement.established.citations == [1]
    assert agreement.status == "dormant" and "latest activity November 2009" in agreement.status_reason
    activity = " ".join(a.text for a in agreement.activity)
    assert "4 August 2008" in activity and "Memorandums of Understanding" in activity
    assert "November 2009" in activity
    assert [d.citation.source.endswith("foi-answer.txt") for d in answer.documents] == [True]
    assert answer.documents[0].citation.kind == "foi response"
    assert any("review of twinning" in a.text for a in answer.assessments)
    assert [f.text for f in answer.funding] == ["Derby funded Derby Hefei Friendship Society until March 2004"]
    md = render_markdown(answer)
    for heading in ("## 1. Agreements", "## 2. Documents", "## 3. Reports and assessments", "## 4. Financial"):
        assert heading in md
    assert "- Signed or begun: 1995 [1]" in md and "no information" not in md


def test_foi_answer_for_a_body_the_register_knows_nothing_about(
    engine: Engine, extractor: Extractor, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    answer = _answer(engine, extractor, gazetteer, tmp_path, None)
    assert answer.party.name == "Derby" and answer.agreements == [] and answer.citations == []
    md = render_markdown(answer)
    assert md.count("The register holds no") == 4


def test_foi_answer_renders_as_html_docx_and_pdf(
    engine: Engine, extractor: Extractor, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    answer = _answer(engine, extractor, gazetteer, tmp_path, FOI)
    html = render(answer, ReportFormat.HTML).decode()
    assert "<h2>1. Agreements</h2>" in html and 'href="#doc-1"' in html and 'id="doc-1"' in html
    assert re.search(r'class="status-dormant">dormant<', html)

    docx = DocxDocument(io.BytesIO(render(answer, ReportFormat.DOCX)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "Signed or begun: 1995 [1]" in text and "Derby Hefei Friendship Society" in text
    headings = [p.text for p in docx.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert headings == [
        "1. Agreements",
        "2. Documents and correspondence",
        "3. Reports and assessments",
        "4. Financial or material support",
    ]

    data = render(answer, ReportFormat.PDF)
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "1. Agreements" in words and "1995" in words and "dormant" in words
    assert "合肥" in words  # Hefei's Chinese name, in a face that has it
    bitmap = pdfium.PdfDocument(data)[0].render(scale=1).to_pil().convert("L")
    dark = sum(bitmap.histogram()[:128])
    assert dark > 2000  # the page carries drawn text, not a blank sheet


def test_dormant_report_and_summary(engine: Engine, extractor: Extractor, gazetteer: Gazetteer, tmp_path: Path) -> None:
    _answer(engine, extractor, gazetteer, tmp_path, FOI)
    with reading(engine) as session:
        dormant = list_dormant(session, TODAY, 5)
        assert [(d.party, d.partner, d.last_activity) for d in dormant] == [("Derby", "Hefei", "November 2009")]
        assert dormant[0].source and dormant[0].source.endswith("foi-answer.txt")
        assert list_dormant(session, date(2012, 1, 1), 5) == []
        summary = summarise(session, TODAY, 5)
    assert summary.total == 1
    assert summary.counts["status"] == {"dormant": 1} and summary.counts["decade"] == {"1990s": 1}
    assert summary.counts["country"] == {"GB": 1, "CN": 1}
    written = write_charts(summary, tmp_path / "charts")
    assert [p.name for p in written] == ["summary.svg", "summary.png"]
    assert written[1].read_bytes()[:4] == b"\x89PNG" and b"<svg" in written[0].read_bytes()[:400]


def test_the_markdown_answer_shows_a_quoted_script_as_words() -> None:
    from twinlink.reports.render import _markdown_text

    assert _markdown_text("<script>alert(1)</script> & co") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert _markdown_text(1995) == 1995
