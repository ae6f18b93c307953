from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
from typer.testing import CliRunner

from twinlink.cli import app
from twinlink.commands.reference import reference
from twinlink.extract.pipeline import Extractor
from twinlink.facts import facts_schema

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


def test_the_published_facts_schema_is_in_step_and_fits_what_extract_writes(
    extractor: Extractor, tmp_path: Path
) -> None:
    # when the first assertion fails, run `twinlink reference --facts-schema -o docs/facts.schema.json`
    published = json.loads((DOC.parent / "facts.schema.json").read_text(encoding="utf-8"))
    assert published == facts_schema()
    validator = jsonschema_rs.validator_for(published)
    facts = extractor.extract_text(
        "Friends\n\nDerby has been twinned with Hefei since 1996. In May 2012 a delegation from Hefei visited Derby.",
        "friends.txt",
    )
    line = json.loads(facts.to_json())
    assert line["partnerships"] and line["events"]
    validator.validate(line)
    assert not validator.is_valid({"doc": "x", "partnerships": [{"parties": ["only one"]}]})
