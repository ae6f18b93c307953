"""Word (.docx) files as text: paragraphs in order, each table row as one line of cells joined
by " | " (as the list reader expects table rows), headers and footers left out."""

from __future__ import annotations

import io
import zipfile

from twinlink.errors import BadDocument

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def docx_to_text(data: bytes, name: str) -> tuple[str, str | None]:
    """The text of a .docx and its title (the document's own, else its first heading)."""
    from docx import Document as open_docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise BadDocument(name, f"not a readable Word file ({exc.__class__.__name__})") from None
    lines: list[str] = []
    heading: str | None = None
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if (
                text
                and heading is None
                and block.style is not None
                and block.style.name.startswith(("Title", "Heading"))
            ):
                heading = text
            lines.append(text)
        elif isinstance(block, Table):
            lines.append("")
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                if any(cells):
                    lines.append(" | ".join(cells))
            lines.append("")
    title = (document.core_properties.title or "").strip() or heading
    return "\n".join(lines).strip() + "\n", title
