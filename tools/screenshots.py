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
from datetime import date, timedelta
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright
from sqlalchemy.orm import Session

from twinlink.config import Settings
from twinlink.extract.pipeline import Extractor
from twinlink.facts import iter_facts
from twinlink.gazetteer.lookup import default_gazetteer
from twinlink.register.accounts import create_user
from twinlink.register.database import prepare
from twinlink.register.delegations import (
    DelegationIn,
    ItemIn,
    MemberIn,
    add_item,
    add_member,
    create_delegation,
    list_delegations,
    seed_risks,
)
from twinlink.register.ingest import register_facts
from twinlink.register.interest import submit_registration
from twinlink.register.interest_form import read_form
from twinlink.register.letters import make_letter
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
        _plan_delegation(session)
    engine.dispose()
    return url


def _plan_delegation(session: Session) -> None:
    """A delegation from Ningbo to Nottingham, planned, with its members and programme."""
    start = date(date.today().year + 1, 5, 11)
    visit = create_delegation(
        session,
        DelegationIn(
            "Ningbo education delegation to Nottingham",
            "CN",
            "GB",
            start,
            start + timedelta(days=1),
            purpose="school partnerships and the university campus",
            visiting_party_id="cn:330200",
            host_party_id="iso:GB-NGM",
        ),
        REVIEWER,
    )
    for name, name_zh, title, title_zh, born, gender in (
        ("WANG FANG", "王芳", "Deputy Director", "副局长", date(1975, 3, 2), "female"),
        ("LI QIANG", "李强", "Head Teacher", "校长", date(1980, 9, 14), "male"),
    ):
        add_member(
            session,
            visit.reference,
            MemberIn(
                "leader" if gender == "female" else "teacher",
                name,
                "CN",
                name_zh=name_zh,
                title_en=title,
                title_zh=title_zh,
                passport_number="E12345678",
                passport_expiry=date(2031, 1, 1),
                date_of_birth=born,
                gender=gender,
                organisation="Ningbo Education Bureau",
            ),
            REVIEWER,
        )
    for offset, (morning, afternoon) in enumerate(
        (
            ("Welcome at the Council House", "Visit to a secondary school"),
            ("University of Nottingham", "Partnership meeting"),
        )
    ):
        day = start + timedelta(days=offset)
        add_item(
            session,
            visit.reference,
            ItemIn(day, "morning", "09:30", "12:00", "Europe/London", morning, venue="Nottingham"),
            REVIEWER,
        )
        add_item(
            session,
            visit.reference,
            ItemIn(day, "afternoon", "14:00", "16:30", "Europe/London", afternoon, venue="Nottingham"),
            REVIEWER,
        )
    seed_risks(session, visit.reference, REVIEWER)


def _letter_image(folder: Path, out: Path) -> None:
    """The first page of the approval invitation, as the coordinator would download it."""
    import pypdfium2

    engine = make_engine(f"sqlite:///{folder / 'tour.db'}")
    with transaction(engine) as session:
        visit = list_delegations(session)[0]
        pdf = make_letter(session, visit, "approval-invitation", "pdf", REVIEWER)
    engine.dispose()
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=1.6).to_pil()
    page.save(out / "letter.png")
    print(f"wrote {out / 'letter.png'}")


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
            page.goto(base + f"/delegations/DL-{date.today().year + 1}-0001")
            page.screenshot(path=str(out / "delegation.png"), full_page=False)
            print(f"wrote {out / 'delegation.png'}")
            browser.close()
        server.should_exit = True
        _letter_image(Path(tmp), out)


if __name__ == "__main__":
    main()
