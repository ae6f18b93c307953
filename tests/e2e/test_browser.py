"""The pages in a real headless Chromium (Debian's), against a server on a real SQLite register.
Screenshots of each page are kept in test-artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import playwright_api, register_of, serving, shot
from twinlink.extract.pipeline import Extractor
from twinlink.register.accounts import create_user
from twinlink.store.engine import transaction

NOTTINGHAM = """Nottingham and its partners

Nottingham is twinned with Ningbo. In 2015 Nottingham donated a replica statue to Ningbo.
In July 2019 a delegation from Nottingham visited Ningbo.
"""
FOUNDING = """Two accounts of the founding

Nottingham and Ningbo signed a twinning agreement in 2005.
"""
RECALLED = """A newsletter

Nottingham and Ningbo have been twinned since 2004, the newsletter recalls.
"""
REVIEWER, EDITOR, PASSWORD = "rita", "ed", "a long pass phrase"
UNTRUSTED = """Notes from a web page

Derby is twinned with Hefei. <script>window.pwned = true; alert('x')</script> In 2012 Hefei visited Derby.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[str]:
    texts = {
        "nottingham.txt": NOTTINGHAM,
        "untrusted.txt": UNTRUSTED,
        "founding.txt": FOUNDING,
        "recalled.txt": RECALLED,
    }
    url, engine = register_of(tmp_path_factory.mktemp("site"), extractor, texts)
    with transaction(engine) as session:
        create_user(session, REVIEWER, PASSWORD, "reviewer", "tests")
        create_user(session, EDITOR, PASSWORD, "editor", "tests")
    with serving(url) as address:
        yield address


def test_search_for_ningbo_finds_nottingham(site: str, page: object) -> None:
    p = page
    p.goto(site + "/")  # type: ignore[attr-defined]
    p.get_by_label("Search for a council, city, province, school or document").fill("Ningbo")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    p.wait_for_url("**/search?q=Ningbo")  # type: ignore[attr-defined]
    hits = p.locator("ol.hits")  # type: ignore[attr-defined]
    playwright_api.expect(hits.get_by_role("link", name="Nottingham – Ningbo")).to_be_visible()
    playwright_api.expect(p.locator("table.partnerships")).to_contain_text("Nottingham")  # type: ignore[attr-defined]
    shot(p, "search")


def test_party_page_timeline_links_to_its_source(site: str, page: object) -> None:
    p = page
    p.goto(site + "/search?q=Nottingham")  # type: ignore[attr-defined]
    p.locator("ol.hits").get_by_role("link", name="Nottingham", exact=True).click()  # type: ignore[attr-defined]
    playwright_api.expect(p.get_by_role("heading", level=1)).to_contain_text("Nottingham")  # type: ignore[attr-defined]
    entry = p.locator("ol.timeline li", has_text="July 2019")  # type: ignore[attr-defined]
    playwright_api.expect(entry).to_be_visible()
    assert p.locator("svg.timeline-chart circle").count() >= 2  # type: ignore[attr-defined]
    shot(p, "party")
    entry.get_by_role("link", name="source").click()
    p.wait_for_url("**/documents/**")  # type: ignore[attr-defined]
    target = p.locator("mark:target")  # type: ignore[attr-defined]
    playwright_api.expect(target).to_contain_text("July 2019")
    shot(p, "document")


def test_map_draws_a_line_per_place_partnership(site: str, page: object) -> None:
    p = page
    p.goto(site + "/map")  # type: ignore[attr-defined]
    lines = p.locator("svg.map line.link")  # type: ignore[attr-defined]
    assert lines.count() == 2
    fitted = p.locator("svg.map path.country").count()  # type: ignore[attr-defined]
    assert fitted >= 2
    box = lines.first.bounding_box()
    assert box is not None and box["width"] > 100
    labels = p.locator("svg.map text.place-label").all_text_contents()  # type: ignore[attr-defined]
    assert {"Nottingham", "Ningbo", "Derby", "Hefei"} <= set(labels)
    legend = p.locator("svg.map g.legend line")  # type: ignore[attr-defined]
    assert legend.count() == 4 and legend.nth(0).get_attribute("stroke-dasharray") is None
    assert legend.nth(2).get_attribute("stroke-dasharray")  # status reads by dash, not only colour
    shot(p, "map")
    p.get_by_role("navigation", name="Map views").get_by_role("link", name="world").click()  # type: ignore[attr-defined]
    assert p.locator("svg.map path.country").count() > max(fitted, 150)  # type: ignore[attr-defined]  (the world's)
    assert p.locator("svg.map line.link").count() == 2  # type: ignore[attr-defined]
    shot(p, "map-world")


def test_a_stored_script_shows_as_text_and_never_runs(site: str, page: object) -> None:
    p = page
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    p.goto(site + "/search?q=Derby")  # type: ignore[attr-defined]
    p.locator("ol.hits").get_by_role("link", name="Notes from a web page").click()  # type: ignore[attr-defined]
    text = p.locator(".document-text")  # type: ignore[attr-defined]
    playwright_api.expect(text).to_contain_text("<script>window.pwned = true;")
    assert p.evaluate("() => window.pwned === undefined")  # type: ignore[attr-defined]
    assert dialogs == []
    shot(p, "untrusted-document")


def test_a_reviewer_signs_in_settles_a_conflict_and_signs_out(site: str, page: object) -> None:
    p = page
    p.goto(site + "/review")  # type: ignore[attr-defined]
    playwright_api.expect(p.get_by_role("heading", level=1)).to_have_text("Sign in")  # type: ignore[attr-defined]
    p.get_by_label("Name").fill(REVIEWER)  # type: ignore[attr-defined]
    p.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    p.locator("form.stacked").get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    p.wait_for_url("**/review")  # type: ignore[attr-defined]
    row = p.locator("tr.conflict", has_text="established: 2005")  # type: ignore[attr-defined]
    playwright_api.expect(row).to_be_visible()
    playwright_api.expect(p.locator("tr.conflict", has_text="established: 2004")).to_be_visible()  # type: ignore[attr-defined]
    shot(p, "review")
    row.get_by_role("checkbox").check()
    p.get_by_label("Reason").fill("the signed agreement is dated 2005")  # type: ignore[attr-defined]
    p.get_by_role("button", name="Accept the chosen").click()  # type: ignore[attr-defined]
    playwright_api.expect(p.get_by_role("status")).to_contain_text("1 claims accepted by rita")  # type: ignore[attr-defined]
    p.goto(site + "/search?q=Nottingham")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("table.partnerships")).to_contain_text("2005")  # type: ignore[attr-defined]
    assert "conflict" not in p.locator("table.partnerships").inner_text()  # type: ignore[attr-defined]
    p.get_by_role("button", name="Sign out").click()  # type: ignore[attr-defined]
    playwright_api.expect(p.get_by_role("link", name="Sign in")).to_be_visible()  # type: ignore[attr-defined]


def _sign_in(p: object, site: str, name: str) -> None:
    p.goto(site + "/sign-in")  # type: ignore[attr-defined]
    p.get_by_label("Name").fill(name)  # type: ignore[attr-defined]
    p.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    p.locator("form.stacked").get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    playwright_api.expect(p.get_by_role("button", name="Sign out")).to_be_visible()  # type: ignore[attr-defined]


def test_an_editor_uploads_a_document_and_corrects_a_year(site: str, page: object, tmp_path: Path) -> None:
    p = page
    _sign_in(p, site, EDITOR)
    notes = tmp_path / "derby-notes.txt"
    notes.write_text("Derby notes\n\nDerby and Hefei signed a twinning agreement in 1995.\n", encoding="utf-8")
    p.get_by_role("link", name="Add").click()  # type: ignore[attr-defined]
    p.get_by_label("A file").set_input_files(str(notes))  # type: ignore[attr-defined]
    p.get_by_label("Title to cite it by").fill("Derby council notes")  # type: ignore[attr-defined]
    p.get_by_role("button", name="Add and read it").click()  # type: ignore[attr-defined]
    playwright_api.expect(p.get_by_role("heading", level=1)).to_have_text("Derby council notes")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("mark").first).to_contain_text("1995")  # type: ignore[attr-defined]
    p.locator("mark a").first.click()  # type: ignore[attr-defined]
    p.wait_for_url("**/partnerships/**")  # type: ignore[attr-defined]
    fact = p.locator("form[action$='/claims']")  # type: ignore[attr-defined]
    fact.get_by_label("Which fact").select_option("established")
    fact.get_by_label("Value").fill("1994")
    fact.get_by_label("Source: its web address").fill("https://derby.example/minutes")
    fact.get_by_role("button", name="Propose").click()
    playwright_api.expect(p.get_by_role("status")).to_contain_text("Proposed: established 1994")  # type: ignore[attr-defined]
    playwright_api.expect(p.locator("dd.conflict")).to_contain_text("1994 / 1995")  # type: ignore[attr-defined]
    shot(p, "correction")
