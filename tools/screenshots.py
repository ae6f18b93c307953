"""Take the README's screenshots: a register of the starter set and three short example notes,
served on a free port and photographed in headless Chromium (run after `make test`, which
installs it): `.venv/bin/python tools/screenshots.py [FOLDER]` (default docs/screenshots)."""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from twinlink.config import Settings
from twinlink.extract.pipeline import Extractor
from twinlink.facts import iter_facts
from twinlink.gazetteer.lookup import default_gazetteer
from twinlink.register.accounts import create_user
from twinlink.register.database import prepare
from twinlink.register.ingest import register_facts
from twinlink.register.interest import submit_registration
from twinlink.register.interest_form import read_form
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import make_engine, transaction
from twinlink.web.app import create_app

# example notes, as a council officer might keep them
NOTES = {
    "council-answer.txt": """Response to a request for information

Nottingham City Council and Ningbo signed a sister city agreement in 2005.
In March 2011 a delegation from Ningbo visited Nottingham to open the Ningbo Week festival.
In July 2019 the Lord Mayor led a delegation from Nottingham to Ningbo.
""",
    "newsletter.txt": """Partnership newsletter, autumn 2023

Nottingham and Ningbo have been twinned since 2004, the newsletter recalls.
In September 2023 pupils from Ningbo visited schools in Nottingham.
""",
    "leicester-notes.txt": """Notes on Leicester's links

Leicester is twinned with Chongqing. In 2016 a trade delegation from Chongqing visited Leicester.
The friendship between Leicestershire and Sichuan Province was signed in 2013.
""",
}
REVIEWER, PASSWORD = "rita", "a long pass phrase"
# a registration of interest, as a district council might send it
INTEREST = {
    "organisation_type": "council",
    "organisation_name": "Charnwood Borough Council",
    "contact_name": "A. Officer",
    "contact_email": "international@charnwood.example",
    "partner_country": "CN",
    "partner_region": "Sichuan",
    "exchange_kinds": ["trade", "education"],
    "formality": "friendship",
    "population": 183000,
    "consent": True,
}
PAGES = {
    "home.png": "/",
    "search.png": "/search?q=Ningbo",
    "party.png": "/parties/iso:GB-NGM",
    "map.png": "/map",
    "reports.png": "/reports",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(folder: Path) -> str:
    url = f"sqlite:///{folder / 'tour.db'}"
    engine = make_engine(url)
    prepare(engine)
    import importlib.resources

    starter = importlib.resources.files("twinlink.starter").joinpath("partnerships.jsonl").read_text(encoding="utf-8")
    gazetteer = default_gazetteer()
    with transaction(engine) as session:
        for facts in iter_facts(starter.splitlines(), "starter/partnerships.jsonl"):
            register_facts(session, gazetteer, facts, method="import", source="starter register")
    paths = []
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    list(ingest_paths(engine, Extractor.build(gazetteer), paths, 1_000_000))
    with transaction(engine) as session:
        create_user(session, REVIEWER, PASSWORD, "reviewer", "screenshots")
        submit_registration(session, gazetteer, read_form(INTEREST))
    engine.dispose()
    return url


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed; `make test` installs it")
    with tempfile.TemporaryDirectory() as tmp:
        url = build(Path(tmp))
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(Settings(database_url=url)), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless=new", "--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 800})
            page.goto(base + "/search?q=Ningbo")
            partnership = page.locator("a[href^='/partnerships/']").first.get_attribute("href")
            pages = {**PAGES, "partnership.png": partnership or "/"}
            for name, path in pages.items():
                page.goto(base + path)
                page.screenshot(path=str(out / name), full_page=False)
                print(f"wrote {out / name}")
            page.goto(base + "/sign-in")
            page.fill("#name", REVIEWER)
            page.fill("#password", PASSWORD)
            page.click("form.stacked button[type=submit]")
            page.goto(base + "/review")
            page.screenshot(path=str(out / "review.png"), full_page=False)
            print(f"wrote {out / 'review.png'}")
            page.goto(base + f"/registrations/TL-{date.today().year}-0001/matches")
            page.screenshot(path=str(out / "matching.png"), full_page=False)
            print(f"wrote {out / 'matching.png'}")
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
