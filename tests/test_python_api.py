"""The Python surface in docs/python.md: its examples run as they are written there."""

from __future__ import annotations

import re
from contextlib import chdir
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "python.md"


def test_import_twinlink_stays_light_and_names_its_surface() -> None:
    import twinlink

    assert {"extract_text", "open_register", "Register"} <= set(twinlink.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        twinlink.nothing  # noqa: B018


def test_the_examples_in_the_python_guide_run(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    namespace: dict[str, object] = {}
    with chdir(tmp_path):
        for block in blocks:
            exec(compile(block, str(DOC), "exec"), namespace)  # the guide's own examples
