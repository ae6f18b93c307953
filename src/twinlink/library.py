"""Twinlink from Python: read facts out of a text, and open a register to fill and ask.

    >>> from twinlink import extract_text, open_register
    >>> facts = extract_text("Leicester is twinned with Chongqing.")
    >>> register = open_register("twinlink.db")

The gazetteer and the extractor are built on first use and kept for the process."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine

from twinlink.config import Settings, database_url_for
from twinlink.extract.pipeline import Extractor
from twinlink.extract.prebuilt import default_extractor
from twinlink.facts import DocumentFacts
from twinlink.gazetteer.lookup import default_gazetteer
from twinlink.register.database import prepare
from twinlink.register.derived.timelines import TimelineEntry, timeline
from twinlink.register.pipeline import IngestOutcome, ingest_paths
from twinlink.register.queries import PartnershipView, PartyPage, find_party, list_partnership_views, party_page
from twinlink.store.engine import make_engine, reading
from twinlink.store.partnerships import PartnershipFilter

__all__ = ["Register", "extract_text", "open_register"]


@lru_cache(maxsize=1)
def _extractor() -> Extractor:
    return default_extractor()


def extract_text(text: str, name: str = "text", source: str | None = None) -> DocumentFacts:
    """The partnerships, events, funding and endings a text states, each with the words that
    state it (``evidence``) and where they are (``span``)."""
    return _extractor().extract_text(text, name, source)


@dataclass
class Register:
    """A register of partnerships: a SQLite file or a PostgreSQL database."""

    engine: Engine
    settings: Settings

    def ingest(self, paths: Iterable[Path | str], actor: str = "python") -> list[IngestOutcome]:
        """Read files or web addresses into the register; what became of each."""
        return list(ingest_paths(self.engine, _extractor(), paths, self.settings.max_document_bytes, actor))

    def partnerships(
        self,
        party: str | None = None,
        *,
        country: str | None = None,
        kind: str | None = None,
        status: str | None = None,
        as_of: date | None = None,
    ) -> list[PartnershipView]:
        """Partnerships with their derived year, status and sources (``party``: a name or an id)."""
        with reading(self.engine) as session:
            who = find_party(session, default_gazetteer(), party).id if party else None
            where = PartnershipFilter(party_id=who, country=country, kind=kind, status=status)
            return list_partnership_views(session, as_of or date.today(), self.settings.dormant_after_years, where)

    def party(self, name: str, as_of: date | None = None) -> PartyPage:
        """A party's names, codes, kind and partnerships."""
        with reading(self.engine) as session:
            found = find_party(session, default_gazetteer(), name)
            return party_page(session, found, as_of or date.today(), self.settings.dormant_after_years)

    def timeline(self, name: str, partner: str | None = None) -> list[TimelineEntry]:
        """A party's dated events (with a partner), oldest first, each with its sources."""
        with reading(self.engine) as session:
            found = find_party(session, default_gazetteer(), name)
            other = find_party(session, default_gazetteer(), partner) if partner else None
            return timeline(session, found, other)

    def close(self) -> None:
        self.engine.dispose()


def open_register(where: str | Path = "twinlink.db") -> Register:
    """A register at a path (SQLite, made if it is not there) or a database URL."""
    settings = Settings()
    engine = make_engine(database_url_for(str(where), settings))
    prepare(engine)
    return Register(engine, settings)
