"""Named, versioned rules; their trigger phrases are data (the JSON files beside this module)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_rules(name: str) -> dict[str, Any]:
    data = resources.files("twinlink.extract.rules").joinpath(f"{name}.json").read_text(encoding="utf-8")
    rules: dict[str, Any] = json.loads(data)
    return rules


def rule_id(name: str) -> str:
    rules = load_rules(name)
    return f"rule:{rules['rule']}@{rules['version']}"


RULE_SETS = ("partnerships", "events", "funding", "status")


def extractor_version() -> str:
    """Every rule set with its version: what a re-extraction supersedes older claims with."""
    return " ".join(rule_id(name).removeprefix("rule:") for name in RULE_SETS)
