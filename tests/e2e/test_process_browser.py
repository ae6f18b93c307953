"""The partnership process in a real headless Chromium: a school registers interest, a
coordinator opens it, runs matching, reads the reasons, accepts a candidate and logs the first
contact."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest
import uvicorn

from tests.e2e.test_browser import _free_port, browser, page, playwright_api, shot
from twinlink.config import Settings
from twinlink.facts import DocumentFacts, EventFact, PartnershipFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.accounts import create_user
from twinlink.register.database import prepare
from twinlink.register.ingest import register_facts
from twinlink.store.engine import make_engine, transaction
from twinlink.vocab import EventKind, PartnershipKind
from twinlink.web.app import create_app

__all__ = ["browser", "page"]  # the fixtures, shared with the other browser tests
COORDINATOR, PASSWORD = "cora", "a long pass phrase"


def _facts(gazetteer: Gazetteer) -> list[DocumentFacts]:
    """Bury linked to Chengdu, with recent exchanges; schools in Chengdu and Wuhan in the register."""
    year = date.today().year
    return [
        DocumentFacts(
            doc="bury.txt",
            source="https://bury.example/twinning",
            partnerships=[
                PartnershipFact(
                    parties=["Bury", "Chengdu"],
                    established=2009,
                    evidence="Bury and Chengdu signed a friendship agreement in 2009.",
                )
            ],
            events=[
                EventFact(
                    year=year - 1,
                    kind=EventKind.EXCHANGE,
                    parties=["Bury", "Chengdu"],
                    what="a pupil exchange",
                    evidence="Last year pupils from Bury went to Chengdu.",
                )
            ],
        ),
        DocumentFacts(
            doc="schools.txt",
            source="https://schools.example/links",
            partnerships=[
                PartnershipFact(
                    parties=["Hill Top Academy", "Chengdu No. 7 Primary School"],
                    kind=PartnershipKind.SCHOOL,
                    locations={"Hill Top Academy": "Leeds", "Chengdu No. 7 Primary School": "Chengdu"},
                ),
                PartnershipFact(
                    parties=["Moor School", "Wuhan Lake Primary School"],
                    kind=PartnershipKind.SCHOOL,
                    locations={"Moor School": "Derby", "Wuhan Lake Primary School": "Wuhan"},
                ),
            ],
        ),
    ]


@pytest.fixture(scope="module")
def process_site(tmp_path_factory: pytest.TempPathFactory, gazetteer: Gazetteer) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("process")
    url = f"sqlite:///{folder / 'register.db'}"
    engine = make_engine(url)
    prepare(engine)
    with transaction(engine) as session:
        for facts in _facts(gazetteer):
            register_facts(session, gazetteer, facts)
        create_user(session, COORDINATOR, PASSWORD, "coordinator", "tests")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(database_url=url)), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_a_school_registers_and_a_coordinator_matches_it_and_logs_the_first_contact(
    process_site: str, page: object
) -> None:
    p: object = page
    expect = playwright_api.expect
    p.goto(process_site + "/")  # type: ignore[attr-defined]
    p.get_by_role("link", name="Register interest in a partnership").click()  # type: ignore[attr-defined]
    form = p.locator("form[action='/register-interest']")  # type: ignore[attr-defined]
    form.get_by_label("Type of organisation").select_option("school")
    form.get_by_label("Name of the organisation").fill("Elm Tree Primary School")
    form.get_by_label("Where it is: town, city or county").fill("Bury")
    form.get_by_label("Contact person").fill("Sam Head")
    form.get_by_label("E-mail").fill("head@elmtree.example")
    form.get_by_label("School phase").select_option("primary")
    form.get_by_label("Youngest pupils' age").fill("7")
    form.get_by_label("Oldest pupils' age").fill("11")
    form.get_by_label("Any partner will do").check()
    form.get_by_role("group", name="Kinds of exchange").get_by_label("education", exact=True).check()
    form.get_by_label("How formal a link").select_option("school link")
    form.get_by_label("The partnership organisation may contact us about this").check()
    form.get_by_role("button", name="Send the registration").click()
    expect(p.get_by_role("heading", level=1)).to_contain_text("your registration is received")  # type: ignore[attr-defined]
    reference = p.locator("strong").first.inner_text()  # type: ignore[attr-defined]
    assert reference.startswith("TL-")

    p.goto(process_site + "/sign-in")  # type: ignore[attr-defined]
    p.get_by_label("Name").fill(COORDINATOR)  # type: ignore[attr-defined]
    p.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    p.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    p.get_by_role("link", name="Registrations").click()  # type: ignore[attr-defined]
    p.get_by_role("link", name=reference).click()  # type: ignore[attr-defined]
    expect(p.get_by_role("heading", level=1)).to_contain_text("Elm Tree Primary School")  # type: ignore[attr-defined]
    expect(p.get_by_text("head@elmtree.example")).to_be_visible()  # type: ignore[attr-defined]
    p.get_by_role("link", name="Suggested partners, with their reasons").click()  # type: ignore[attr-defined]
    first = p.locator("ol.matches > li").first  # type: ignore[attr-defined]
    expect(first.get_by_role("heading")).to_contain_text("Chengdu No. 7 Primary School")
    expect(first).to_contain_text("Bury – Chengdu: a place link since 2009, active")
    expect(first.locator("q")).to_contain_text("Bury and Chengdu signed a friendship agreement in 2009.")
    expect(p.locator("ol.matches > li").nth(1)).to_contain_text("Wuhan Lake Primary School")  # type: ignore[attr-defined]
    shot(p, "matching")
    first.get_by_role("button", name="Accept Chengdu No. 7 Primary School").click()
    expect(p.get_by_role("status")).to_contain_text("Accepted: a first contact is due")  # type: ignore[attr-defined]

    p.get_by_role("link", name=reference).click()  # type: ignore[attr-defined]
    expect(p.get_by_text("First contact with Chengdu No. 7 Primary School")).to_be_visible()  # type: ignore[attr-defined]
    p.get_by_text("Log a letter, call, meeting, e-mail or translation").click()  # type: ignore[attr-defined]
    log = p.locator("form[action$='/log']")  # type: ignore[attr-defined]
    log.get_by_label("What").select_option("letter")
    log.get_by_label("With").fill("Chengdu No. 7 Primary School")
    log.get_by_label("Summary").fill("Wrote to the head to introduce Elm Tree")
    log.get_by_label("Next action").fill("Call the Education Bureau")
    log.get_by_role("button", name="Log it").click()
    expect(p.get_by_role("status")).to_contain_text("Logged.")  # type: ignore[attr-defined]
    expect(p.get_by_text("Wrote to the head to introduce Elm Tree")).to_be_visible()  # type: ignore[attr-defined]
    expect(p.locator("dd").first).to_contain_text("matched")  # type: ignore[attr-defined]
