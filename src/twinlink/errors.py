"""Domain errors: each carries a one-line message fit to show a user."""

from __future__ import annotations


class TwinlinkError(Exception):
    """Base for errors that the CLI reports as one line, without a traceback."""


class BadDocument(TwinlinkError):
    """A file that cannot be read as a document."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NotFound(TwinlinkError):
    """Nothing in the register has that id or name (a 404 on the web)."""


class MergedParty(NotFound):
    """The party asked for was merged into another (the web redirects to it)."""

    def __init__(self, party_id: str, into: str) -> None:
        super().__init__(f"party {party_id!r} was merged into {into!r}")
        self.party_id = party_id
        self.into = into


class UnknownPlace(TwinlinkError):
    """No gazetteer place has that name."""


class AmbiguousPlace(TwinlinkError):
    """More than one gazetteer place has that name and nothing tells them apart."""


class StoreError(TwinlinkError):
    """The database cannot be opened, or its schema does not fit this version."""


class BadFacts(TwinlinkError):
    """A facts file line that does not follow the facts format."""
