"""The partnership process on the web: the public registration form, the coordinator's pages,
matching with its reasons, and who may see a contact."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.test_accounts import PASSWORD, _token, sign_in
from tests.test_interest import _place_link
from twinlink.config import Settings
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.accounts import create_user, set_membership
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Registration
from twinlink.web.app import create_app

FORM: dict[str, Any] = {
    "organisation_type": "council",
    "organisation_name": "Canterbury City Council",
    "contact_name": "Jo Clerk",
    "contact_email": "jo@canterbury.example",
    "partner_country": "CN",
    "partner_region": "Sichuan",
    "exchange_kinds": ["trade", "culture"],
    "formality": "friendship",
    "resolution": "none",
    "consent": "on",
}


@pytest.fixture
def process_site(engine: Engine, db_url: str, gazetteer: Gazetteer) -> Iterator[TestClient]:
    this_year = date.today().year
    with transaction(engine) as session:
        _place_link(session, gazetteer, "Kent", "Sichuan", 1990, [(this_year - 1, "trade")])
        for name, role in (("vera", "viewer"), ("cora", "coordinator")):
            create_user(session, name, PASSWORD, role, "test")
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        yield client


def _send(client: TestClient, data: dict[str, Any], page: str = "/register-interest") -> Any:
    token = _token(client.get(page).text)
    return client.post("/register-interest", data={**data, "csrf_token": token}, follow_redirects=False)


def test_the_public_registers_interest_and_gets_a_reference(process_site: TestClient, engine: Engine) -> None:
    site = process_site
    assert 'href="/register-interest"' in site.get("/").text
    wrong = _send(site, {**FORM, "contact_email": "jo", "consent": ""})
    assert wrong.status_code == 400
    assert 'id="contact_email-error"' in wrong.text and "give an e-mail address" in wrong.text
    assert "tick the box" in wrong.text and 'value="Canterbury City Council"' in wrong.text  # answers kept
    sent = _send(site, FORM)
    assert sent.status_code == 303
    thanks = site.get(sent.headers["location"])
    reference = re.search(r"TL-\d{4}-\d{4}", thanks.text)
    assert reference is not None
    again = _send(site, FORM)
    assert again.status_code == 409 and reference.group() in again.text
    with reading(engine) as session:
        (registration,) = session.scalars(select(Registration)).all()
    assert registration.reference == reference.group() and registration.stage == "new"
    chinese = site.get("/register-interest?lang=zh").text
    assert "单位名称" in chinese and "Name of the organisation" in chinese


def test_robots_and_floods_are_turned_away(process_site: TestClient, engine: Engine) -> None:
    site = process_site
    robot = _send(site, {**FORM, "website": "http://spam.example"})
    assert robot.status_code == 303 and "reference" not in robot.headers["location"]
    with reading(engine) as session:
        assert session.scalars(select(Registration)).first() is None
    for i in range(4):
        _send(site, {**FORM, "organisation_name": f"Town {i} Council"})
    refused = _send(site, {**FORM, "organisation_name": "Yet Another Council"})
    assert refused.status_code == 429 and "Too many registrations" in refused.text
    assert site.post("/register-interest", data=FORM).status_code == 403  # no CSRF token


def test_the_form_fills_in_the_links_the_register_has(process_site: TestClient) -> None:
    page = process_site.get("/register-interest", params={"organisation_name": "Kent County Council"}).text
    assert "1 links of Kent County Council are in the register" in page
    assert "Sichuan (place link, since 1990, active)" in page


def test_a_coordinator_works_a_registration_and_matching_shows_its_reasons(
    process_site: TestClient, engine: Engine
) -> None:
    site = process_site
    sent = _send(site, FORM)
    reference = re.search(r"TL-\d{4}-\d{4}", sent.headers["location"])
    assert reference is not None
    ref = reference.group()
    assert site.get(f"/registrations/{ref}").status_code == 401
    assert sign_in(site, "vera") == 303
    assert site.get("/registrations").status_code == 403
    assert site.get(f"/registrations/{ref}").status_code == 403  # not the viewer's organisation
    site.cookies.clear()
    assert sign_in(site, "cora") == 303
    listed = site.get("/registrations").text
    assert ref in listed and "Canterbury City Council" in listed
    page = site.get(f"/registrations/{ref}").text
    assert "jo@canterbury.example" in page
    moved = site.post(f"/registrations/{ref}/stage", data={"stage": "contacted", "csrf_token": _token(page)})
    assert "Moved to contacted." in moved.text and "new → contacted" in moved.text
    matches = site.get(f"/registrations/{ref}/matches").text
    assert "Filtered by:</strong> in CN, within Sichuan" in matches
    assert "Kent – Sichuan: a place link since 1990, active" in matches
    assert "<q>Kent and Sichuan signed a friendship agreement in 1990.</q>" in matches
    assert "admin level" in matches  # Sichuan's districts, with the rule
    first = re.search(r'name="candidate" value="([^"]+)"', matches)
    assert first is not None
    accepted = site.post(
        f"/registrations/{ref}/candidates",
        data={"candidate": first.group(1), "decision": "accepted", "csrf_token": _token(matches)},
    )
    assert "Accepted: a first contact is due" in accepted.text and "Accepted already:" in accepted.text
    dashboard = site.get("/registrations").text
    assert "First contact with" in dashboard
    reweighted = site.get(f"/registrations/{ref}/matches", params={"regional_link": "500"})
    assert reweighted.status_code == 400 and "give 0 to 100" in reweighted.text


def test_an_organisations_own_user_sees_its_contact_and_nobody_else_does(
    process_site: TestClient, engine: Engine
) -> None:
    site = process_site
    sent = _send(site, FORM)
    ref = sent.headers["location"].rsplit("=", 1)[1]
    assert sign_in(site, "cora") == 303
    page = site.get(f"/registrations/{ref}").text
    site.post(f"/registrations/{ref}/stage", data={"stage": "contacted", "csrf_token": _token(page)})
    with transaction(engine) as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.party_id == "gss:E07000106"
        create_user(session, "jo", PASSWORD, "viewer", "test")
        set_membership(session, "jo", registration.party_id, True, "test")
    site.cookies.clear()
    assert sign_in(site, "jo") == 303
    own = site.get(f"/registrations/{ref}")
    assert own.status_code == 200 and "jo@canterbury.example" in own.text
    assert "Move to" not in own.text  # reading, not working it
    assert "jo@canterbury.example" in site.get("/parties/gss:E07000106").text  # its own contact
    assert (
        site.post(
            f"/registrations/{ref}/stage", data={"stage": "searching", "csrf_token": _token(own.text)}
        ).status_code
        == 403
    )
    site.cookies.clear()
    assert "jo@canterbury.example" not in site.get("/parties/gss:E07000106").text


def test_the_process_through_the_api(process_site: TestClient, engine: Engine) -> None:
    from twinlink.register.accounts import issue_token
    from twinlink.web import models

    site = process_site
    body = {**FORM, "consent": True}
    wrong = site.post("/api/registrations", json={**body, "contact_email": "jo", "age_from": "x"})
    assert wrong.status_code == 400
    assert set(wrong.json()["fields"]) == {"contact_email", "age_from"}
    made = site.post("/api/registrations", json=body)
    assert made.status_code == 201 and made.json()["stage"] == "new"
    ref = made.json()["reference"]
    assert site.post("/api/registrations", json=body).status_code == 409
    with transaction(engine) as session:
        _, coordinator = issue_token(session, "cora", "script", "test")
        _, viewer = issue_token(session, "vera", "script", "test")
    as_cora = {"Authorization": f"Bearer {coordinator}"}
    assert site.get("/api/registrations").status_code == 401
    assert site.get("/api/registrations", headers={"Authorization": f"Bearer {viewer}"}).status_code == 403
    assert site.get(f"/api/registrations/{ref}", headers={"Authorization": f"Bearer {viewer}"}).status_code == 403
    listed = models.RegistrationListOut.model_validate(site.get("/api/registrations", headers=as_cora).json())
    assert [r.reference for r in listed.items] == [ref]
    moved = site.post(f"/api/registrations/{ref}/moves", json={"stage": "searching"}, headers=as_cora)
    assert moved.status_code == 201 and moved.json()["to_stage"] == "searching"
    logged = site.post(
        f"/api/registrations/{ref}/log",
        json={"kind": "e-mail", "summary": "Sent our profile", "next_action": "Chase", "next_due": "2099-01-01"},
        headers=as_cora,
    )
    assert logged.status_code == 201 and logged.json()["next_action"] == "Chase"
    detail = models.RegistrationDetailOut.model_validate(site.get(f"/api/registrations/{ref}", headers=as_cora).json())
    assert detail.contact is not None and detail.contact.email == "jo@canterbury.example"
    assert [m.to_stage for m in detail.moves] == ["searching"] and detail.log[0].summary == "Sent our profile"
    ranked = site.get(f"/api/registrations/{ref}/matches", params={"limit": 3, "size_role": 0}, headers=as_cora)
    ranking = models.RankingOut.model_validate(ranked.json())
    assert ranking.weights["size_role"] == 0 and len(ranking.suggestions) == 3
    assert any("Kent – Sichuan" in f.reason for f in ranking.suggestions[0].factors)
    answer = {"candidate": ranking.suggestions[0].id, "decision": "dismissed", "reason": "no airport"}
    decided = site.post(f"/api/registrations/{ref}/candidates", json=answer, headers=as_cora)
    assert decided.status_code == 201 and decided.json()["decided_by"] == "cora"
    again = models.RankingOut.model_validate(site.get(f"/api/registrations/{ref}/matches", headers=as_cora).json())
    assert any(e.rule == "dismissed by cora: no airport" for e in again.excluded)


def test_partner_search_narrows_by_facets_with_counts(process_site: TestClient) -> None:
    site = process_site
    every = site.get("/partners").text
    assert "Sichuan" in every and "prefecture-level city" in every
    linked = site.get("/partners", params={"linked": "yes"}).text
    assert "1 found" in linked and "1 (active)" in linked and ">Sichuan</a>" in linked
    in_sichuan = site.get("/partners", params={"region": "iso:CN-SC", "level": "prefecture-level city"}).text
    assert "Chengdu" in in_sichuan and "Wuhan" not in in_sichuan
    big = site.get("/partners", params={"min_population": "10,000,000", "level": "municipality"}).text
    assert "Tianjin" in big and "Shanghai" in big and "Chongqing" not in big and "3 found" in big
    assert '<th scope="col">Sectors</th>' not in every  # from registrations: coordinators only


def test_contacts_of_an_organisation_and_the_log_of_a_link_are_for_coordinators(
    process_site: TestClient, engine: Engine
) -> None:
    site = process_site
    assert sign_in(site, "cora") == 303
    page = site.get("/parties/iso:GB-KEN").text
    assert "Add a contact" in page
    form = {"name": "Li Wei", "role": "International officer", "email": "li@kent.example", "csrf_token": _token(page)}
    added = site.post("/parties/iso:GB-KEN/contacts", data=form)
    assert "Added Li Wei" in added.text and "li@kent.example" in added.text
    bad = site.post("/parties/iso:GB-KEN/contacts", data={**form, "email": "li at kent"})
    assert "e-mail: give an address" in bad.text
    pid = site.get("/api/partnerships").json()["items"][0]["id"]
    link_page = site.get(f"/partnerships/{pid}").text
    logged = site.post(
        f"/partnerships/{pid}/log",
        data={"kind": "meeting", "summary": "Annual review with the FAO", "csrf_token": _token(link_page)},
    )
    assert "Annual review with the FAO" in logged.text
    site.cookies.clear()
    assert "li@kent.example" not in site.get("/parties/iso:GB-KEN").text
    assert "Annual review" not in site.get(f"/partnerships/{pid}").text
    assert "li@kent.example" not in site.get("/api/parties/iso:GB-KEN").text
    assert "li@kent.example" not in site.get("/export.csv", params={"party": "iso:GB-KEN"}).text
    assert sign_in(site, "vera") == 303
    assert "li@kent.example" not in site.get("/parties/iso:GB-KEN").text
    assert site.post("/parties/iso:GB-KEN/contacts", data=form).status_code == 403
