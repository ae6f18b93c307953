"""The packages' arrows: web and the command line → reports → register → store; extraction reads
the gazetteer and documents, never the store or the register; the gazetteer reads neither."""

from __future__ import annotations

import ast
from pathlib import Path

import twinlink

ROOT = Path(twinlink.__file__).parent
# what each package may not import
FORBIDDEN = {
    "store": {"register", "reports", "web", "commands", "cli", "extract"},
    "register": {"reports", "web", "commands", "cli"},
    "reports": {"web", "commands", "cli"},
    "extract": {"store", "register", "reports", "web", "commands", "cli"},
    "gazetteer": {"extract", "store", "register", "reports", "web", "commands", "cli"},
    "documents": {"extract", "store", "register", "reports", "web", "commands", "cli"},
}
# imports against the arrows still to be mended, each named; a new one fails the test
KNOWN: set[tuple[str, str]] = set()


def imports_against_the_arrows() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in ROOT.rglob("*.py"):
        package = path.relative_to(ROOT).parts[0].removesuffix(".py")
        forbidden = FORBIDDEN.get(package, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "twinlink" and len(parts) > 1 and parts[1] in forbidden:
                    found.add((path.relative_to(ROOT).as_posix(), name))
    return found


def test_no_import_goes_against_the_arrows() -> None:
    assert imports_against_the_arrows() - KNOWN == set()


def test_the_known_exceptions_are_still_there() -> None:
    # when one is mended, take it out of KNOWN so that it cannot come back unnoticed
    assert imports_against_the_arrows() >= KNOWN
