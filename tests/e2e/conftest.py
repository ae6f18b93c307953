"""What the browser tests share: Debian's Chromium driven by Playwright, a page per test, and a
Twinlink server on a register of the test's making."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine

from twinlink.config import Settings
from twinlink.extract.pipeline import Extractor
from twinlink.register.database import prepare
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import make_engine
from twinlink.web.app import create_app

playwright_api = pytest.importorskip("playwright.sync_api")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed; `make test` installs it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """Twinlink served on a free local port for the length of the block: its address."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(Settings(database_url=database_url)), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=executable,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


def register_of(folder: Path, extractor: Extractor, texts: dict[str, str]) -> tuple[str, Engine]:
    """A SQLite register in ``folder`` holding the texts (file name → text), each ingested as a
    document: its address and its engine."""
    url = f"sqlite:///{folder / 'register.db'}"
    engine = make_engine(url)
    prepare(engine)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    outcomes = list(ingest_paths(engine, extractor, [folder / name for name in texts], 1_000_000))
    assert all(o.state == "added" for o in outcomes), outcomes
    return url, engine


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
