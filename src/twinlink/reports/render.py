"""An FOI answer as Markdown, HTML, DOCX or PDF."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from twinlink.fonts import chinese_font
from twinlink.reports.foi import FoiAnswer
from twinlink.vocab import ReportFormat


def cite(numbers: list[int]) -> str:
    return " [" + ", ".join(map(str, numbers)) + "]" if numbers else ""


def cite_html(numbers: list[int]) -> Markup:
    if not numbers:
        return Markup("")
    links = ", ".join(f'<a href="#doc-{n}">{n}</a>' for n in numbers)
    return Markup(f" <sup>[{links}]</sup>")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("twinlink.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals.update(cite=cite, cite_html=cite_html)
    return env


def _markdown_text(value: object) -> object:
    """Text from documents as Markdown shows it: a "<script>" a document quotes stays words on the
    page, never markup a Markdown viewer would pass through as HTML."""
    if isinstance(value, str):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


@lru_cache(maxsize=1)
def _markdown_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("twinlink.reports", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        finalize=_markdown_text,
    )
    env.globals.update(cite=cite, cite_html=cite_html)
    return env


def render_markdown(answer: FoiAnswer) -> str:
    return _markdown_environment().get_template("foi.md.j2").render(answer=answer)


def render_html(answer: FoiAnswer) -> str:
    return _environment().get_template("foi.html.j2").render(answer=answer)


def _sections(answer: FoiAnswer) -> list[tuple[str, list[str], str]]:
    """Each question's heading, its lines (citations included) and what to say when it has none."""
    agreements: list[str] = []
    for a in answer.agreements:
        chinese = f" {a.partner.name_zh}" if a.partner.name_zh else ""
        agreements.append(f"{a.partner.name}{chinese}{f' ({a.partner.country})' if a.partner.country else ''}")
        agreements.append(f"  Kind: {a.partnership.kind} partnership ({'; '.join(a.partnership.instruments)})")
        agreements.append(f"  Signed or begun: {a.established.text}{cite(a.established.citations)}")
        agreements.append(f"  Status as of {answer.as_of.isoformat()}: {a.status}, {a.status_reason}")
        agreements += [f"  - {item.text}{cite(item.citations)}" for item in a.activity]
    documents = [
        f"{d.citation.number}. {d.citation.title or 'Untitled document'}"
        + (f" ({d.citation.kind})" if d.citation.kind else "")
        + f": {d.citation.source}"
        + (f" — about {', '.join(d.about)}" if d.about else "")
        for d in answer.documents
    ]
    subject = answer.party.name
    return [
        ("1. Agreements", agreements, f"The register holds no information about agreements of {subject}."),
        ("2. Documents and correspondence", documents, "The register holds no documents or correspondence."),
        (
            "3. Reports and assessments",
            [f"- {i.text}{cite(i.citations)}" for i in answer.assessments],
            "The register holds no reports or assessments about these agreements.",
        ),
        (
            "4. Financial or material support",
            [f"- {i.text}{cite(i.citations)}" for i in answer.funding],
            "The register holds no information about financial or material support for these agreements.",
        ),
    ]


def _title(answer: FoiAnswer) -> str:
    return f"Partnerships with places abroad: {answer.party.name}"


def render_docx(answer: FoiAnswer) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = _title(answer)
    doc.add_heading(_title(answer), level=1)
    doc.add_paragraph(f"Drafted from the Twinlink register on {answer.as_of.isoformat()}.")
    for heading, lines, empty in _sections(answer):
        doc.add_heading(heading, level=2)
        for line in lines or [empty]:
            doc.add_paragraph(line.strip(), style="List Bullet" if line.startswith("  -") else None)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _font_file() -> Path:
    """A Unicode TrueType font: DejaVu Sans, which matplotlib ships."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _printable(text: str, chinese: bool) -> str:
    """Without a font with Chinese characters, Chinese names stay in the other formats."""
    if chinese:
        return text
    return "".join(ch if not ("\u3400" <= ch <= "\u9fff") else "" for ch in text)


def render_pdf(answer: FoiAnswer) -> bytes:
    import logging

    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = FPDF()
    pdf.set_title(_title(answer))
    pdf.set_lang("en")
    pdf.add_font("DejaVu", fname=str(_font_file()))
    cjk = chinese_font()
    if cjk is not None:  # Chinese names in a face that has them, the rest in DejaVu Sans
        pdf.add_font("cjk", fname=str(cjk))
        pdf.set_fallback_fonts(["cjk"])
    pdf.add_page()
    pdf.set_font("DejaVu", size=15)
    pdf.multi_cell(0, 8, _printable(_title(answer), cjk is not None), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(
        0, 6, f"Drafted from the Twinlink register on {answer.as_of.isoformat()}.", new_x="LMARGIN", new_y="NEXT"
    )
    for heading, lines, empty in _sections(answer):
        pdf.ln(3)
        pdf.set_font("DejaVu", size=12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10)
        for line in lines or [empty]:
            indent = 6 if line.startswith("  ") else 0
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(0, 5.5, _printable(line.strip(), cjk is not None), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render(answer: FoiAnswer, fmt: ReportFormat) -> bytes:
    if fmt is ReportFormat.MD:
        return render_markdown(answer).encode("utf-8")
    if fmt is ReportFormat.HTML:
        return render_html(answer).encode("utf-8")
    if fmt is ReportFormat.DOCX:
        return render_docx(answer)
    return render_pdf(answer)
