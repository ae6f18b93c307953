"""The partnership process in a real headless Chromium: a school registers interest, a
coordinator opens it, runs matching, reads the reasons, accepts a candidate and logs the first
contact."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from tests.e2e.conftest import playwright_api, serving, shot
from twinlink.facts import DocumentFacts, EventFact, PartnershipFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.accounts import create_user
from twinlink.register.database import prepare
from twinlink.register.ingest import register_facts
from twinlink.store.engine import make_engine, transaction
from twinlink.vocab import EventKind, PartnershipKind

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
    with serving(url) as address:
        yield address


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


def _open(p: object, summary: str) -> object:
    p.get_by_text(summary, exact=True).click()  # type: ignore[attr-defined]
    return p


def test_a_delegation_from_plan_to_the_links_timeline(process_site: str, page: object) -> None:
    p: object = page
    expect = playwright_api.expect
    p.goto(process_site + "/sign-in")  # type: ignore[attr-defined]
    p.get_by_label("Name").fill(COORDINATOR)  # type: ignore[attr-defined]
    p.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    p.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    link = next(
        item["id"]
        for item in p.request.get(process_site + "/api/partnerships").json()["items"]  # type: ignore[attr-defined]
        if item["kind"] == "place"
    )
    p.get_by_role("link", name="Delegations").click()  # type: ignore[attr-defined]
    _open(p, "Plan a delegation")
    plan = p.locator("form[action='/delegations']")  # type: ignore[attr-defined]
    plan.get_by_label("Visit", exact=True).fill("Bury council delegation to Chengdu")
    plan.get_by_label("First day").fill("2026-05-11")
    plan.get_by_label("Last day").fill("2026-05-13")
    plan.get_by_label("The link it serves (partnership id)").fill(link)
    plan.get_by_label("Approvals, one step a line").fill("coordinator\nchief executive")
    plan.get_by_role("button", name="Plan it").click()
    expect(p.get_by_role("heading", level=1)).to_contain_text("Bury council delegation to Chengdu")  # type: ignore[attr-defined]
    for name, role, born in (("ALEX SMITH", "leader", "1970-01-02"), ("SAM JONES", "officer", "1985-07-08")):
        _open(p, "Add a member")
        form = p.locator("form[action$='/members']")  # type: ignore[attr-defined]
        form.get_by_label("Role").select_option(role)
        form.get_by_label("Name as in the passport").fill(name)
        form.get_by_label("Nationality (country code)").fill("GB")
        form.get_by_label("Passport number").fill("123456789")
        form.get_by_label("Passport expires").fill("2031-01-01")
        form.get_by_label("Date of birth").fill(born)
        form.get_by_label("Sex").select_option("female" if role == "officer" else "male")
        form.get_by_role("button", name="Add the member").click()
        expect(p.get_by_role("status")).to_contain_text("Member added.")  # type: ignore[attr-defined]
    for day, title in (
        ("2026-05-11", "Meeting at the Foreign Affairs Office"),
        ("2026-05-12", "Visit to a school"),
        ("2026-05-13", "Trade fair"),
    ):
        _open(p, "Add to the itinerary")
        form = p.locator("form[action$='/items']")  # type: ignore[attr-defined]
        form.get_by_label("Day", exact=True).fill(day)
        form.get_by_label("What happens").fill(title)
        form.get_by_role("button", name="Add the item").click()
        expect(p.get_by_role("status")).to_contain_text("Added to the itinerary.")  # type: ignore[attr-defined]
    with p.expect_download() as downloaded:  # type: ignore[attr-defined]
        letters = p.locator("form[action$='/letters']").filter(has_text="host in China")  # type: ignore[attr-defined]
        letters.get_by_role("button", name="Word").click()
    assert downloaded.value.suggested_filename.endswith("host-invitation.docx")
    p.get_by_role("button", name="Start from the standard hazards of an overseas visit").click()  # type: ignore[attr-defined]
    expect(p.get_by_role("status")).to_contain_text("6 standard hazards added")  # type: ignore[attr-defined]

    def move(state: str) -> None:
        p.get_by_label("Move to").select_option(state)  # type: ignore[attr-defined]
        p.locator("form[action$='/state']").get_by_role("button", name="Move").click()  # type: ignore[attr-defined]
        expect(p.get_by_role("status")).to_contain_text(f"Now {state}.")  # type: ignore[attr-defined]

    def approve_all() -> None:
        for _ in range(2):
            p.locator("ol.chain").get_by_role("button", name="Approve").first.click()  # type: ignore[attr-defined]

    move("planned")
    approve_all()
    expect(p.locator("dd").first).to_contain_text("approved")  # type: ignore[attr-defined]
    _open(p, "Add to the itinerary")
    form = p.locator("form[action$='/items']")  # type: ignore[attr-defined]
    form.get_by_label("Day", exact=True).fill("2026-05-13")
    form.get_by_label("Part of the day").select_option("afternoon")
    form.get_by_label("Starts (HH:MM)").fill("15:00")
    form.get_by_label("Ends (HH:MM)").fill("16:00")
    form.get_by_label("What happens").fill("Signing ceremony")
    form.get_by_role("button", name="Add the item").click()
    expect(p.locator("dd").first).to_contain_text("planned")  # type: ignore[attr-defined]
    expect(p.locator("ol.chain")).to_contain_text("withdrawn")  # type: ignore[attr-defined]
    expect(p.get_by_text("out of date, the plan changed since")).to_be_visible()  # type: ignore[attr-defined]
    approve_all()
    expect(p.locator("dd").first).to_contain_text("approved")  # type: ignore[attr-defined]
    shot(p, "delegation")
    move("travelling")
    move("completed")
    report = p.locator("form[action$='/report']")  # type: ignore[attr-defined]
    report.get_by_label("Objectives").fill("Renew the friendship")
    report.get_by_label("Outcomes").fill("A school exchange agreed for 2027")
    report.get_by_label("Signed on the visit, one a line (a memorandum of understanding…)").fill(
        "memorandum of understanding"
    )
    report.get_by_role("button", name="Record the report").click()
    expect(p.get_by_role("status")).to_contain_text("Reported")  # type: ignore[attr-defined]
    p.get_by_role("link", name="the link's timeline").click()  # type: ignore[attr-defined]
    timeline = p.locator("ol.timeline")  # type: ignore[attr-defined]
    expect(timeline).to_contain_text("Meeting at the Foreign Affairs Office")
    expect(timeline).to_contain_text("memorandum of understanding signed")
