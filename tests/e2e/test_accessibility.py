"""Every kind of page checked by axe-core in the browser (no serious or critical finding), and
usable on a phone: at 390 px wide no page scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import register_of, serving
from twinlink.extract.pipeline import Extractor

axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

TEXT = """Friends abroad

Nottingham has been twinned with Ningbo since 2005. In July 2019 a delegation from Nottingham visited Ningbo.
Derby is twinned with Hefei. Westmoor Primary School in Derby is twinned with Luyang Primary School in Hefei.
"""
PAGES = (
    "/",
    "/search?q=Ningbo",
    "/parties/iso:GB-NGM",
    "/map",
    "/reports",
    "/sign-in",
    "/register-interest",
    "/docs",
    "/parties/iso:GB-NGM/foi.html",
)
SERIOUS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
# the innermost elements that reach past the right edge: what makes a page scroll sideways
WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).join(', ')"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[str]:
    url, _ = register_of(tmp_path_factory.mktemp("a11y"), extractor, {"friends.txt": TEXT})
    with serving(url) as address:
        yield address


def _first_link(page: object, folder: str) -> str:
    href = page.locator(f"a[href^='/{folder}/']").first.get_attribute("href", timeout=5000)  # type: ignore[attr-defined]
    assert href, folder
    return str(href)


def _pages(site: str, page: object) -> list[str]:
    """The fixed pages and a partnership, a claim and a document of the register."""
    page.goto(site + "/parties/iso:GB-NGM")  # type: ignore[attr-defined]
    partnership = _first_link(page, "partnerships")
    page.goto(site + partnership)  # type: ignore[attr-defined]
    return [*PAGES, partnership, _first_link(page, "claims"), _first_link(page, "documents")]


def test_no_page_has_a_serious_accessibility_finding(site: str, page: object) -> None:
    axe = axe_api.Axe()
    findings = []
    for path in _pages(site, page):
        page.goto(site + path)  # type: ignore[attr-defined]
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                findings.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    assert findings == []


def test_no_page_scrolls_sideways_on_a_phone(site: str, browser: object) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)  # type: ignore[attr-defined]
    page = context.new_page()
    wide = []
    for path in _pages(site, page):
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate(WIDEST)
            wide.append(f"{path}: {width} px ({culprits})")
    context.close()
    assert wide == [], "\n".join(wide)
