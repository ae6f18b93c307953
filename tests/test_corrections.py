"""Facts and corrections an editor enters by hand: events, accounts of an event, funding lines and
names, each a proposed claim with its source, through the pages and the API."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.test_accounts import _token, sign_in, site
from twinlink.register.accounts import issue_token
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Claim, Event
from twinlink.store.users import list_audit

__all__ = ["site"]  # the fixture, shared with the account tests
CITED = {"address": "https://derby.example/history", "quote": "as the council's minutes record"}


def _partnership(client: TestClient) -> str:
    return str(client.get("/api/partnerships").json()["items"][0]["id"])


def test_an_editor_enters_an_event_and_another_account_of_it_stands_beside(site: TestClient, engine: Engine) -> None:
    pid = _partnership(site)
    assert sign_in(site, "ed") == 303
    page = site.get(f"/partnerships/{pid}").text
    form = {"csrf_token": _token(page), "year": "2031", "kind": "visit", "what": "a delegation visited Hefei", **CITED}
    future = site.post(f"/partnerships/{pid}/events", data=form)
    assert "mark it as planned" in future.text
    no_month = site.post(f"/partnerships/{pid}/events", data={**form, "year": "2003", "day": "4"})
    assert "give the month too" in no_month.text
    planned = site.post(f"/partnerships/{pid}/events", data={**form, "planned": "on"})
    assert "it is on the timeline" in planned.text
    added = site.post(f"/partnerships/{pid}/events", data={**form, "year": "2003", "month": "5"})
    assert "May 2003" in added.text and "a delegation visited Hefei" in added.text
    with reading(engine) as session:
        event = session.scalars(select(Event).where(Event.year == 2003)).one()
        (told,) = session.scalars(select(Claim).where(Claim.subject_id == event.id)).all()
    assert event.partnership_id == pid and told.method == "editor:ed" and told.review_state == "proposed"
    claim_page = site.get(f"/claims/{told.id}").text
    assert "Propose a correction of this event" in claim_page and 'value="2003"' in claim_page
    assert " · ed · claim.propose" in claim_page  # its line of the audit trail
    fix = {**form, "csrf_token": _token(claim_page), "year": "2004", "month": "5", "from_claim": told.id}
    corrected = site.post(f"/events/{event.id}/claims", data=fix)
    assert "stands beside the others" in corrected.text and "(sources disagree)" in corrected.text
    assert "May 2004 · visit · a delegation visited Hefei" in corrected.text
    wrong = site.post(f"/events/{event.id}/claims", data={**fix, "month": "13"})
    assert "is not a date" in wrong.text and re.search(rf"/claims/{told.id}\b", str(wrong.url))
    site.cookies.clear()
    assert sign_in(site, "rita") == 303
    queue = site.get("/review").text
    assert queue.count("<strong>conflict</strong>") >= 2
    chosen = re.search(r"/claims/(cl-[0-9a-f]+)", str(corrected.url))
    assert chosen is not None
    site.post(
        "/review",
        data={"csrf_token": _token(queue), "claim": [chosen.group(1)], "decision": "accepted", "reason": "the minutes"},
    )
    trail = site.get(f"/api/claims/{chosen.group(1)}").json()["trail"]
    assert [(t["actor"], t["action"]) for t in trail] == [("ed", "claim.propose"), ("rita", "review.accepted")]
    timeline = site.get(f"/api/partnerships/{pid}").json()["timeline"]
    assert [e["label"] for e in timeline if "delegation" in e["description"]] == ["May 2004", "2031"]
    with reading(engine) as session:
        assert session.get(Event, event.id).year == 2004
        (settled,) = list_audit(session, action="event.settle")
    assert json.loads(settled.detail)["before"]["year"] == 2003 and settled.actor == "rita"


def test_funding_lines_and_names_through_the_api_and_a_name_accepted_finds_the_party(
    site: TestClient, engine: Engine
) -> None:
    pid = _partnership(site)
    with transaction(engine) as session:
        _, editor = issue_token(session, "ed", "script", "test")
        _, reviewer = issue_token(session, "rita", "script", "test")
    as_editor = {"Authorization": f"Bearer {editor}"}
    funding = {"funder": "Derby City Council", "what": "a friendship association", "until_year": 2006, **CITED}
    made = site.post(f"/api/partnerships/{pid}/funding", json=funding, headers=as_editor)
    assert made.status_code == 201 and made.json()["property"] == "funding"
    assert made.json()["value"]["what"] == "a friendship association"
    vague = site.post(f"/api/partnerships/{pid}/funding", json={**funding, "funder": ""}, headers=as_editor)
    assert vague.status_code == 400 and "who funded" in vague.json()["error"]
    name = {"name": "Deoraby", "language": "en", **CITED}
    assert site.post("/api/parties/iso:GB-DER/names", json=name, headers=as_editor).status_code == 201
    odd = site.post("/api/parties/iso:GB-DER/names", json={**name, "language": "klingon"}, headers=as_editor)
    assert odd.status_code == 400 and "language" in odd.json()["error"]
    assert site.get("/api/search", params={"q": "Deoraby"}).json()["items"] == []  # not until accepted
    (proposed,) = [n for n in site.get("/api/parties/iso:GB-DER").json()["names"]]
    assert proposed["value"] == {"name": "Deoraby", "language": "en"}
    claim_id = proposed["sources"][0]["claim_id"]
    decided = site.post(
        f"/api/claims/{claim_id}/decision",
        json={"state": "accepted", "reason": "the city's own page"},
        headers={"Authorization": f"Bearer {reviewer}"},
    )
    assert decided.status_code == 201
    hits = site.get("/api/search", params={"q": "Deoraby"}).json()["items"]
    assert [h["id"] for h in hits] == ["iso:GB-DER"]
    assert "Deoraby" in site.get("/parties/iso:GB-DER").text
