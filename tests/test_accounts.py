"""Accounts, roles, sign-in, CSRF, the review queue in the browser and the audit trail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.test_cli import run
from twinlink.config import Settings
from twinlink.errors import TwinlinkError
from twinlink.register.accounts import create_user, issue_token
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Claim
from twinlink.store.users import list_audit
from twinlink.web.app import create_app

PASSWORD = "a long pass phrase"
NOTE = "Council notes\n\nDerby City Council and Hefei signed a twinning agreement in 1995.\n"
OTHER = "Derby and Hefei signed a twinning agreement in 1996.\n"


@pytest.fixture
def site(engine: Engine, db_url: str, ingest_text: Callable[[str, str], None]) -> Iterator[TestClient]:
    ingest_text("note.txt", NOTE)
    ingest_text("other.txt", OTHER)
    with transaction(engine) as session:
        for name, role in (("vera", "viewer"), ("ed", "editor"), ("rita", "reviewer"), ("ada", "admin")):
            create_user(session, name, PASSWORD, role, "test")
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        yield client


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> int:
    token = _token(client.get("/sign-in").text)
    response = client.post(
        "/sign-in", data={"name": name, "password": password, "csrf_token": token}, follow_redirects=False
    )
    return response.status_code


def test_pages_that_change_things_need_the_right_role(site: TestClient) -> None:
    assert site.get("/").status_code == 200  # the public pages need no account
    anonymous = site.get("/review")
    assert anonymous.status_code == 401 and "Sign in" in anonymous.text
    assert sign_in(site, "ed") == 303
    refused = site.get("/review")
    assert refused.status_code == 403 and "needs the reviewer role" in refused.text
    assert site.get("/admin/users").status_code == 403
    site.cookies.clear()
    assert sign_in(site, "rita") == 303
    queue = site.get("/review")
    assert queue.status_code == 200 and "conflict" in queue.text and "1995" in queue.text


def test_a_reviewer_decides_a_conflict_in_the_browser_and_the_trail_keeps_it(site: TestClient, engine: Engine) -> None:
    assert sign_in(site, "rita") == 303
    page = site.get("/review").text
    with reading(engine) as session:
        chosen = session.scalars(select(Claim).where(Claim.property == "established", Claim.value == "1995")).one()
    form = {"claim": [chosen.id], "decision": "accepted", "reason": "signed copy seen"}
    assert site.post("/review", data=form, follow_redirects=False).status_code == 403  # no CSRF token
    done = site.post("/review", data={**form, "csrf_token": _token(page)}, follow_redirects=False)
    assert done.status_code == 303
    with reading(engine) as session:
        assert session.get(Claim, chosen.id).review_state == "accepted"  # type: ignore[union-attr]
        (line,) = list_audit(session, action="review")
    assert (line.actor, line.action, line.subject) == ("rita", "review.accepted", chosen.id)
    assert json.loads(line.detail) == {"before": "proposed", "after": "accepted", "reason": "signed copy seen"}
    partnership = site.get("/api/partnerships").json()["items"][0]
    assert partnership["established"] == "1995"  # the decision settles the derived year
    why = site.get(f"/api/partnerships/{partnership['id']}").json()["why_established"]
    assert why == [
        "1995: counts, accepted by rita (signed copy seen)",
        "1996: does not count, a reviewer accepted 1995",
    ]
    assert "1995: counts, accepted by rita (signed copy seen)" in site.get(f"/partnerships/{partnership['id']}").text


def test_sign_in_failures_are_limited_and_kept(site: TestClient, engine: Engine) -> None:
    assert sign_in(site, "rita", "not the password") == 401
    for _ in range(4):
        sign_in(site, "rita", "not the password")
    assert sign_in(site, "rita") == 429  # even the right password waits now
    with reading(engine) as session:
        assert len(list_audit(session, action="sign-in.failed")) == 5
    assert sign_in(site, "vera") == 429  # and so does another name from the same address


def test_an_admin_adds_users_and_a_disabled_user_is_signed_out(site: TestClient, engine: Engine) -> None:
    assert sign_in(site, "ada") == 303
    token = _token(site.get("/admin/users").text)
    weak = site.post("/admin/users", data={"name": "sam", "role": "editor", "password": "short", "csrf_token": token})
    assert weak.status_code == 400 and "at least 10 characters" in weak.text
    added = site.post(
        "/admin/users",
        data={"name": "sam", "role": "reviewer", "password": "another pass phrase", "csrf_token": token},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert "sam" in site.get("/admin/users").text and "user.add" in site.get("/admin/audit").text
    site.cookies.clear()
    assert sign_in(site, "sam", "another pass phrase") == 303 and site.get("/review").status_code == 200
    from twinlink.register.accounts import set_disabled

    with transaction(engine) as session:
        set_disabled(session, "sam", True, "ada")
    assert site.get("/review").status_code == 401  # the session ends with the account


def test_sign_in_only_sends_the_user_back_to_this_site(site: TestClient) -> None:
    token = _token(site.get("/sign-in").text)
    data = {"name": "vera", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"}
    response = site.post("/sign-in", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_every_route_that_writes_checks_a_role() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    unchecked = []
    for route in app.routes:
        if not isinstance(route, APIRoute) or not (route.methods - {"GET", "HEAD"}):
            continue
        roles = [d.call for d in route.dependant.dependencies if hasattr(d.call, "needed_role")]
        if not roles and route.path != "/sign-in":  # signing in checks its token and rate itself
            unchecked.append(route.path)
    assert unchecked == []


def test_users_and_the_audit_trail_from_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from twinlink.cli import app

    db = str(tmp_path / "r.db")
    runner = CliRunner()
    added = runner.invoke(
        app, ["users", "add", "ana", "--admin", "--password-stdin", "--as", "ops", "--db", db], input=PASSWORD + "\n"
    )
    assert added.exit_code == 0 and "added ana (admin)" in added.stdout
    weak = runner.invoke(app, ["users", "add", "bo", "--password-stdin", "--db", db], input="password123\n")
    assert isinstance(weak.exception, TwinlinkError) and "too easy" in str(weak.exception)
    assert run("users", "set-role", "ana", "reviewer", "--as", "ops", "--db", db, cwd=tmp_path).returncode == 0
    listed = json.loads(run("users", "list", "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert listed == [{"name": "ana", "role": "reviewer", "disabled": False}]
    (tmp_path / "note.txt").write_text(NOTE, encoding="utf-8")
    assert run("ingest", "note.txt", "--as", "ops", "--db", db, cwd=tmp_path).returncode == 0
    trail = json.loads(run("audit", "--actor", "ops", "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert [t["action"] for t in trail] == ["ingest", "user.role", "user.add"]
    assert trail[1]["detail"] == {"before": "admin", "after": "reviewer"} and trail[2]["detail"] == {"role": "admin"}
    assert trail[0]["detail"]["partnerships"] == 1 and trail[0]["detail"]["source"].endswith("note.txt")


def test_an_editor_proposes_a_correction_and_a_reviewer_makes_it_count(site: TestClient, engine: Engine) -> None:
    pid = site.get("/api/partnerships").json()["items"][0]["id"]
    assert "Propose a fact" not in site.get(f"/partnerships/{pid}").text  # not for the public
    assert sign_in(site, "ed") == 303
    page = site.get(f"/partnerships/{pid}").text
    assert "Propose a fact" in page
    form = {"csrf_token": _token(page), "property": "established", "quote": "twinned in 1994"}
    wrong = site.post(f"/partnerships/{pid}/claims", data={**form, "value": "3000", "address": "https://x.example/a"})
    assert "give a year from 1800" in wrong.text
    uncited = site.post(f"/partnerships/{pid}/claims", data={**form, "value": "1994"})
    assert "citation: name a document" in uncited.text
    proposed = site.post(
        f"/partnerships/{pid}/claims", data={**form, "value": "1994", "address": "https://derby.example/history"}
    )
    assert "stands beside the other sources" in proposed.text
    # proposed, like every extracted claim: it stands beside the others until a reviewer decides
    assert site.get("/api/partnerships").json()["items"][0]["established"] == "conflict: 1994 / 1995 / 1996"
    with reading(engine) as session:
        claim = session.scalars(select(Claim).where(Claim.method == "editor:ed")).one()
        (line,) = list_audit(session, action="claim.propose")
    assert (claim.value, claim.source, claim.review_state) == ("1994", "https://derby.example/history", "proposed")
    assert line.actor == "ed" and line.subject == claim.id
    site.cookies.clear()
    assert sign_in(site, "rita") == 303
    token = _token(site.get("/review").text)
    site.post("/review", data={"csrf_token": token, "claim": [claim.id], "decision": "accepted", "reason": "minutes"})
    assert site.get("/api/partnerships").json()["items"][0]["established"] == "1994"


def test_scripts_write_through_the_api_with_a_token(site: TestClient, engine: Engine) -> None:
    from twinlink.register.accounts import issue_token, revoke_token
    from twinlink.web import models

    with transaction(engine) as session:
        editor_id, editor = issue_token(session, "ed", "nightly import", "ada")
        _, reviewer = issue_token(session, "rita", "review script", "ada")
    pid = site.get("/api/partnerships").json()["items"][0]["id"]
    fact = {"property": "established", "value": "1994", "address": "https://derby.example/history", "quote": "1994"}
    assert site.post(f"/api/partnerships/{pid}/claims", json=fact).status_code == 401
    as_editor = {"Authorization": f"Bearer {editor}"}
    proposed = site.post(f"/api/partnerships/{pid}/claims", json=fact, headers=as_editor)
    assert proposed.status_code == 201
    claim = models.ClaimOut.model_validate_json(proposed.content)
    assert (claim.value, claim.method, claim.conflict) == (1994, "editor:ed", True)
    refused = site.post(
        f"/api/claims/{claim.id}/decision", json={"state": "accepted", "reason": "x"}, headers=as_editor
    )
    assert refused.status_code == 403 and "reviewer" in refused.json()["error"]
    decided = site.post(
        f"/api/claims/{claim.id}/decision",
        json={"state": "accepted", "reason": "council minutes"},
        headers={"Authorization": f"Bearer {reviewer}"},
    )
    assert decided.status_code == 201 and decided.json()["review_state"] == "accepted"
    history = models.ClaimHistoryOut.model_validate_json(site.get(f"/api/claims/{claim.id}").content)
    assert [(d.by, d.before, d.after, d.reason) for d in history.decisions] == [
        ("rita", "proposed", "accepted", "council minutes")
    ]
    assert "rita: proposed → accepted (council minutes)" in site.get(f"/claims/{claim.id}").text
    assert site.get("/api/partnerships").json()["items"][0]["established"] == "1994"
    uploaded = site.post(
        "/api/documents",
        files={"file": ("minutes.txt", b"Minutes\n\nLeeds is twinned with Hangzhou.\n", "text/plain")},
        data={"source_url": "https://leeds.example/minutes"},
        headers=as_editor,
    )
    assert uploaded.status_code == 201
    document = models.DocumentDetailOut.model_validate_json(uploaded.content)
    assert document.source == "https://leeds.example/minutes" and document.claims
    with transaction(engine) as session:
        revoke_token(session, editor_id, "ada")
    assert site.post(f"/api/partnerships/{pid}/claims", json=fact, headers=as_editor).status_code == 401
    with reading(engine) as session:
        actions = [e.action for e in list_audit(session, limit=20)]
    assert {"token.issue", "token.revoke", "claim.propose", "review.accepted", "ingest"} <= set(actions)


def test_api_tokens_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    from typer.testing import CliRunner

    from twinlink.cli import app

    CliRunner().invoke(app, ["users", "add", "ed", "--password-stdin", "--db", db], input=PASSWORD + "\n")
    issued = run("users", "token", "ed", "--label", "nightly import", "--db", db, cwd=tmp_path)
    token = issued.stdout.strip().splitlines()[-1]
    assert issued.returncode == 0 and token.startswith("tl_") and len(token) > 40
    listed = run("users", "tokens", "ed", "--db", db, cwd=tmp_path)
    assert "nightly import" in listed.stdout and token not in listed.stdout
    assert run("users", "revoke-token", "1", "--db", db, cwd=tmp_path).returncode == 0
    assert "revoked" in run("users", "tokens", "ed", "--db", db, cwd=tmp_path).stdout
    told = json.loads(run("users", "tokens", "ed", "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert [(t["id"], t["label"], t["revoked"]) for t in told] == [(1, "nightly import", True)]


def test_an_editor_proposes_what_a_party_is(site: TestClient) -> None:
    assert sign_in(site, "ed") == 303
    page = site.get("/parties/iso:GB-DER").text
    assert "Propose what this party is" in page
    data = {
        "csrf_token": _token(page),
        "kind": "province",
        "address": "https://derby.example/about",
        "quote": "a province",
    }
    answered = site.post("/parties/iso:GB-DER/kind", data=data)
    assert "Proposed: kind province" in answered.text
    party = site.get("/api/parties/iso:GB-DER").json()
    assert party["kind_conflict"] is True and {k["value"] for k in party["kind"]} == {"unitary authority", "province"}
    wrong = site.post("/parties/iso:GB-DER/kind", data={**data, "kind": "planet"})
    assert "choose one of" in wrong.text


def test_an_admin_makes_the_site_private_and_only_signed_in_users_and_tokens_see_it(
    site: TestClient, engine: Engine
) -> None:
    assert site.get("/").status_code == 200
    assert sign_in(site, "rita") == 303
    assert site.get("/admin/settings").status_code == 403
    site.cookies.clear()
    assert sign_in(site, "ada") == 303
    page = site.get("/admin/settings").text
    saved = site.post("/admin/settings", data={"private": "on", "csrf_token": _token(page)})
    assert (
        saved.status_code == 200
        and "Saved: private." in saved.text
        and 'name="private" value="on" checked' in saved.text
    )
    with transaction(engine) as session:
        _, token = issue_token(session, "vera", "script", "test")
    site.cookies.clear()
    closed = site.get("/")
    assert closed.status_code == 401 and "Sign in" in closed.text
    assert site.get("/api/partnerships").status_code == 401
    assert site.get("/api/partnerships", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert site.get("/static/site.css").status_code == 200
    assert sign_in(site, "vera") == 303
    assert site.get("/").status_code == 200
    with reading(engine) as session:
        (entry,) = list_audit(session, action="settings")
    assert (entry.actor, entry.subject, json.loads(entry.detail)) == (
        "ada",
        "private",
        {"before": False, "after": True},
    )


@pytest.mark.parametrize("password", ["password123", "qwertyuiop12", "administrator", "rita1234567", "hunter2hunter2"])
def test_passwords_easy_to_guess_are_refused(password: str) -> None:
    from twinlink.register.accounts import AccountError, check_password

    with pytest.raises(AccountError, match="too easy to guess"):
        check_password("rita", password)
    check_password("rita", PASSWORD)
