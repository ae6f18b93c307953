from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from twinlink.cli import app
from twinlink.commands.reference import reference

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_the_command_line_reference_is_in_step_with_the_commands() -> None:
    # when this fails, run `twinlink reference -o docs/cli.md`
    assert DOC.read_text(encoding="utf-8") == reference(app)


def test_reference_names_every_command_with_its_options() -> None:
    text = reference(app)
    assert "## `twinlink ingest`" in text and "## `twinlink review accept`" in text
    assert "--reextract" in text and "--max-bytes" in text


def test_reference_command_writes_the_page(tmp_path: Path) -> None:
    target = tmp_path / "cli.md"
    result = CliRunner().invoke(app, ["reference", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == reference(app)
