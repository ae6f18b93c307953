"""Settings read from the environment (prefix ``TWINLINK_``); nothing happens at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///twinlink.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TWINLINK_")

    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path(".")
    max_document_bytes: int = 50 * 1024 * 1024
    dormant_after_years: int = 5
    home_countries: tuple[str, ...] = ("GB", "CN")
    request_threads: int = 2  # per server process; more only helps a server database far away
    # signs session cookies; `twinlink serve` makes one for its workers when none is set, so that
    # sessions then last until the server stops
    secret_key: str | None = None
    secure_cookies: bool = False  # send the session cookie over HTTPS only (set behind TLS)
    session_hours: int = 8
    fetch_private_addresses: bool = False  # let users fetch documents from internal addresses
    fetch_timeout_seconds: float = 20.0
    cors_origins: tuple[str, ...] = ()  # sites whose pages may read the API (GET) from a browser; "*" for any
    # the host names the site answers to (behind a proxy, its public name); a request naming any
    # other is refused with 400; empty: any
    trusted_hosts: tuple[str, ...] = ()
    public_url: str | None = None  # the site's address as others reach it, for links in calendar feeds
    # reading one document may take this long, plus so much per megabyte, before it is skipped
    # as too complex (in `twinlink ingest`; 0 turns the budget off)
    read_seconds: float = 10.0
    read_seconds_per_mb: float = 10.0

    @field_validator("database_url")
    @classmethod
    def _path_or_url(cls, value: str) -> str:
        """A plain path (``TWINLINK_DATABASE_URL=register.db``) is a SQLite file."""
        return value if "://" in value else f"sqlite:///{value}"


def database_url_for(db: str | None, settings: Settings | None = None) -> str:
    """Turn a ``--db`` option (a path or a URL) into a database URL."""
    if db is None:
        return (settings or Settings()).database_url
    if "://" in db:
        return db
    return f"sqlite:///{db}"
