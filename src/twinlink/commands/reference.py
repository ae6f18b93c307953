"""The command-line reference (docs/cli.md), written from the commands' own help so that it
cannot fall behind them."""

from __future__ import annotations

from typing import Any

import typer


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    for name in sorted(getattr(command, "commands", {})):  # a group's subcommands
        found += _walk(command.commands[name], [*path, name])
    return found


def reference(app: typer.Typer) -> str:
    """Markdown with every command's usage, description and options, in the order of their names."""
    root = typer.main.get_command(app)
    parts = [
        "# The command line\n",
        "Every command and its options, as `--help` prints them. This page is written by\n"
        "`twinlink reference` from the commands themselves; a test keeps it in step.\n",
    ]
    for path, command in _walk(root, ["twinlink"]):
        context = command.context_class(command, info_name=" ".join(path), terminal_width=100, max_content_width=100)
        formatter = context.make_formatter()
        command.format_usage(context, formatter)
        command.format_help_text(context, formatter)
        command.format_options(context, formatter)
        if hasattr(command, "format_commands"):
            command.format_commands(context, formatter)
        title = " ".join(path)
        parts.append(f"## `{title}`\n\n```text\n{formatter.getvalue().rstrip()}\n```\n")
    return "\n".join(parts)
