"""The CLI's commands, one module per area; ``twinlink.cli`` puts them together."""
