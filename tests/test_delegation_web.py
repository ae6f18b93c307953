"""Delegation pages for coordinators: plan, members, itinerary, approvals withdrawn by an edit,
the calendar feed, risks and costs; personal data kept from everyone else."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine

from tests.test_accounts import PASSWORD, _token, sign_in
from twinlink.config import Settings
from twinlink.register.accounts import create_user
from twinlink.store.engine import transaction
from twinlink.web.app import create_app


@pytest.fixture
def coordinated(engine: Engine, db_url: str) -> Iterator[TestClient]:
    with transaction(engine) as session:
        create_user(session, "cora", PASSWORD, "coordinator", "test")
        create_user(session, "ed", PASSWORD, "editor", "test")
    with TestClient(create_app(Settings(database_url=db_url, public_url="https://twinlink.example"))) as client:
        yield client


def _post(site: TestClient, path: str, data: dict[str, object]) -> str:
    page = site.get(path.rsplit("/", 1)[0] if path.count("/") > 2 else "/delegations").text
    response = site.post(path, data={**data, "csrf_token": _token(page)})
    assert response.status_code == 200, response.text
    return response.text


def test_a_coordinator_plans_a_visit_and_an_edit_withdraws_its_approvals(coordinated: TestClient) -> None:
    site = coordinated
    assert site.get("/delegations").status_code == 401
    assert sign_in(site, "ed") == 303
    assert site.get("/delegations").status_code == 403
    site.cookies.clear()
    assert sign_in(site, "cora") == 303
    page = _post(
        site,
        "/delegations",
        {
            "title": "Mayor's visit to Chengdu",
            "travelling_from": "GB",
            "travelling_to": "CN",
            "starts_on": "2026-05-11",
            "ends_on": "2026-05-13",
            "approval_chain": "coordinator\nchief executive",
        },
    )
    assert "DL-2026-0001: Mayor&#39;s visit to Chengdu" in page and "Planned as a draft" in page
    ref = "DL-2026-0001"
    base = f"/delegations/{ref}"
    page = _post(
        site,
        f"{base}/members",
        {
            "role": "leader",
            "passport_name": "ALEX SMITH",
            "nationality": "GB",
            "passport_number": "123456789",
            "passport_expiry": "2026-09-01",
            "name_zh": "史密斯",
            "dietary": "vegetarian",
        },
    )
    assert "ALEX SMITH" in page and "passport expires 2026-09-01" in page and "visa-free" in page
    page = _post(
        site,
        f"{base}/items",
        {
            "day": "2026-05-11",
            "block": "morning",
            "starts": "09:30",
            "ends": "11:30",
            "timezone": "Asia/Shanghai",
            "title": "Meeting at the FAO",
            "venue_place": "Chengdu",
        },
    )
    assert "Monday 11 May 2026" in page and "Meeting at the FAO" in page and "(Chengdu 成都" in page
    wrong = _post(
        site,
        f"{base}/items",
        {
            "day": "2026-06-01",
            "block": "morning",
            "starts": "09:30",
            "ends": "11:30",
            "timezone": "Asia/Shanghai",
            "title": "Late",
        },
    )
    assert "outside the visit" in wrong
    _post(site, f"{base}/state", {"state": "planned"})
    page = _post(site, f"{base}/approvals", {"step": "coordinator", "decision": "approved"})
    page = _post(site, f"{base}/approvals", {"step": "chief executive", "decision": "approved", "note": "fine"})
    assert "<strong>approved</strong>" in page
    page = _post(
        site,
        f"{base}/items",
        {
            "day": "2026-05-12",
            "block": "afternoon",
            "starts": "14:00",
            "ends": "16:00",
            "timezone": "Asia/Shanghai",
            "title": "School visit",
        },
    )
    assert "<strong>planned</strong>" in page and page.count(": withdrawn by cora") == 2
    ics = site.get(f"{base}/calendar.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Meeting at the FAO", "School visit"]
    assert str(events[0]["url"]) == f"https://twinlink.example{base}"
    page = _post(site, f"{base}/risks/standard", {})
    assert "6 standard hazards added" in page and "(medium)" in page
    page = _post(site, f"{base}/costs", {"category": "travel", "amount": "1,234.50", "funder": "the council"})
    assert "1,234.50" in page
    printable = site.get(f"{base}/itinerary.pdf")
    assert printable.headers["content-type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(printable.content)).pages[0].extract_text()
    assert "Meeting at the FAO" in text and "史密斯" in text and "日期" in text
    risks = PdfReader(BytesIO(site.get(f"{base}/risks.pdf").content)).pages[0].extract_text()
    assert "Road travel between venues" in risks and "Assessor: cora" in risks and "medium" in risks
    assert "passport expires" not in site.get("/delegations").text  # the visit has passed: no reminders
    site.cookies.clear()
    for path in ("/", "/search?q=ALEX", "/api/search?q=ALEX"):
        assert "ALEX SMITH" not in site.get(path).text and "123456789" not in site.get(path).text
    assert re.search(r"Sign in", site.get(f"{base}/calendar.ics").text)


def test_delegations_through_the_api_for_coordinators_only(coordinated: TestClient, engine: Engine) -> None:
    from datetime import date

    from twinlink.register.accounts import issue_token
    from twinlink.register.delegations import DelegationIn, MemberIn, add_member, create_delegation
    from twinlink.web import models

    with transaction(engine) as session:
        ref = create_delegation(
            session,
            DelegationIn(
                "School visit to Ningbo",
                "GB",
                "CN",
                date(2026, 5, 11),
                date(2026, 5, 12),
                approval_chain=("coordinator",),
            ),
            "cora",
        ).reference
        add_member(
            session,
            ref,
            MemberIn("teacher", "JO BLOGGS", "GB", passport_number="987654321", passport_expiry=date(2030, 1, 1)),
            "cora",
        )
        _, coordinator = issue_token(session, "cora", "script", "test")
        _, editor = issue_token(session, "ed", "script", "test")
    site = coordinated
    as_cora = {"Authorization": f"Bearer {coordinator}"}
    assert site.get("/api/delegations").status_code == 401
    assert site.get(f"/api/delegations/{ref}", headers={"Authorization": f"Bearer {editor}"}).status_code == 403
    listed = models.DelegationListOut.model_validate(site.get("/api/delegations", headers=as_cora).json())
    assert [d.reference for d in listed.items] == [ref]
    detail = models.DelegationDetailOut.model_validate(site.get(f"/api/delegations/{ref}", headers=as_cora).json())
    assert detail.members[0].passport_number == "987654321" and detail.members[0].entry_route is not None
    item = {
        "day": "2026-05-11",
        "block": "morning",
        "starts": "09:00",
        "ends": "10:00",
        "timezone": "Asia/Shanghai",
        "title": "Welcome at the school",
    }
    added = site.post(f"/api/delegations/{ref}/items", json=item, headers=as_cora)
    assert added.status_code == 201 and added.json()["itinerary"][0]["title"] == "Welcome at the school"
    late = site.post(f"/api/delegations/{ref}/items", json={**item, "day": "2026-06-30"}, headers=as_cora)
    assert late.status_code == 400 and "outside the visit" in late.json()["error"]
    member = {"role": "pupil", "passport_name": "KIM ROE", "nationality": "GB"}
    assert site.post(f"/api/delegations/{ref}/members", json=member, headers=as_cora).status_code == 201
    moved = site.post(f"/api/delegations/{ref}/state", json={"state": "planned"}, headers=as_cora)
    assert moved.status_code == 201 and moved.json()["state"] == "planned"
    wrong = site.post(
        f"/api/delegations/{ref}/approvals", json={"step": "mayor", "decision": "approved"}, headers=as_cora
    )
    assert wrong.status_code == 400 and "the next step to decide is 'coordinator'" in wrong.json()["error"]
    made = site.post(
        f"/api/delegations/{ref}/approvals", json={"step": "coordinator", "decision": "approved"}, headers=as_cora
    )
    assert made.status_code == 201
    assert site.get(f"/api/delegations/{ref}", headers=as_cora).json()["state"] == "approved"


def test_the_delegations_page_reminds_of_what_is_due(coordinated: TestClient, engine: Engine) -> None:
    from datetime import date, timedelta

    from twinlink.register.delegations import DelegationIn, MemberIn, add_member, create_delegation, move_delegation

    soon = date.today() + timedelta(days=20)
    with transaction(engine) as session:
        ref = create_delegation(
            session, DelegationIn("Trade mission", "GB", "CN", soon, soon + timedelta(days=3)), "cora"
        ).reference
        add_member(session, ref, MemberIn("leader", "PAT LEE", "GB", passport_expiry=soon + timedelta(days=60)), "cora")
        move_delegation(session, ref, "planned", "", "cora")
    assert sign_in(coordinated, "cora") == 303
    page = coordinated.get("/delegations").text
    assert f"{ref}: PAT LEE&#39;s passport expires" in page
    assert f"{ref}: leaves on {soon.isoformat()} and is not yet approved" in page


def test_an_admin_keeps_the_rules_of_entry_on_the_web(coordinated: TestClient, engine: Engine) -> None:
    with transaction(engine) as session:
        create_user(session, "ada", PASSWORD, "admin", "test")
    site = coordinated
    assert sign_in(site, "cora") == 303
    assert site.get("/admin/entry-rules").status_code == 403
    site.cookies.clear()
    assert sign_in(site, "ada") == 303
    page = site.get("/admin/entry-rules").text
    assert "visa-free entry" in page and "2026-12-31" in page
    rule = {
        "nationality": "GB",
        "destination": "CN",
        "route": "visa-free entry, extended",
        "max_days": "30",
        "valid_from": "2027-01-01",
        "source": "https://example.org/notice",
        "csrf_token": _token(page),
    }
    added = site.post("/admin/entry-rules", data=rule)
    assert "Added rule" in added.text and "visa-free entry, extended" in added.text
    wrong = site.post("/admin/entry-rules", data={**rule, "source": "a rumour"})
    assert "source: give the web address" in wrong.text
    ended = site.post("/admin/entry-rules/1/end", data={"last_day": "2026-06-30", "csrf_token": _token(page)})
    assert "Rule 1 ends on 2026-06-30." in ended.text
