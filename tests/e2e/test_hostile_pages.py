"""The XSS corpus (script tags, event handlers, `javascript:` addresses, SVG, attribute
breakouts) through ingest and import into every page a signed-in admin can reach and every
export, in a real browser: nothing runs, and no page carries a handler, a script or an address
that the register's text put there."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import playwright_api, serving
from twinlink.extract.pipeline import Extractor
from twinlink.facts import DocumentFacts, EventFact, FundingFact, PartnershipFact
from twinlink.register.accounts import create_user
from twinlink.register.database import prepare
from twinlink.register.ingest import register_facts
from twinlink.register.pipeline import ingest_paths
from twinlink.register.preparing import Citation
from twinlink.store.engine import make_engine, transaction
from twinlink.vocab import EventKind, PartnershipKind

RAN = "window.__ran = 1"
PAYLOADS = [
    f"<script>{RAN}</script>",
    f'<img src=x onerror="{RAN}">',
    f'"><svg onload="{RAN}">',
    f"'><script>{RAN}</script>",
    f"javascript:{RAN}",
    f'<a href="javascript:{RAN}">click</a>',
    f'<iframe srcdoc="<script>{RAN}</script>"></iframe>',
    "{{7*7}} ${7*7}",
]
ADMIN, PASSWORD = "ada", "a long pass phrase for the corpus"
HOSTILE_TEXT = (
    "Notes "
    + PAYLOADS[1]
    + "\n\nDerby is twinned with Hefei. "
    + " ".join(PAYLOADS)
    + " In 2012 Hefei visited Derby.\n"
)
HOSTILE_HTML = (
    "<html><head><title>" + PAYLOADS[2] + "</title></head><body><h1>Leeds</h1>"
    f'<p onclick="{RAN}">Leeds is twinned with Hangzhou.</p>{PAYLOADS[5]}<script>{RAN}</script></body></html>'
)


def _imported(payload: str, number: int) -> DocumentFacts:
    school = f"School {number} {payload}"
    return DocumentFacts(
        doc=f"imported-{number}.jsonl",
        source=f"javascript:{RAN}" if number % 2 else f"https://example.org/{payload}",
        title=payload,
        partnerships=[
            PartnershipFact(
                parties=[school, "Ningbo No. 2 Middle School"],
                kind=PartnershipKind.SCHOOL,
                established=2001 + number,
                evidence=payload,
                locations={school: "Derby", "Ningbo No. 2 Middle School": "Ningbo"},
            )
        ],
        events=[
            EventFact(
                year=2010 + number, kind=EventKind.VISIT, parties=["Derby", "Hefei"], what=payload, evidence=payload
            )
        ],
        funding=[
            FundingFact(funder=payload, recipient=payload, parties=["Derby", "Hefei"], what=payload, evidence=payload)
        ],
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'register.db'}"
    engine = make_engine(url)
    prepare(engine)
    (folder / "notes.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "page.html").write_text(HOSTILE_HTML, encoding="utf-8")
    citation = Citation(source=f"javascript:{RAN}", title=PAYLOADS[0])
    outcomes = list(
        ingest_paths(engine, extractor, [folder / "notes.txt", folder / "page.html"], 1_000_000, citation=citation)
    )
    assert all(o.state == "added" for o in outcomes), outcomes
    with transaction(engine) as session:
        for number, payload in enumerate(PAYLOADS):
            register_facts(session, extractor.gazetteer, _imported(payload, number))
        create_user(session, ADMIN, PASSWORD, "admin", "tests")
    with serving(url) as address:
        yield address


INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction', 'srcdoc'].includes(attr.name)
          && /^\\s*javascript:/i.test(attr.value)) found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
  }
  for (const s of document.querySelectorAll('script')) {
    if (!s.src || new URL(s.src).origin !== location.origin) found.push('script ' + (s.src || s.textContent.slice(0, 40)));
  }
  for (const f of document.querySelectorAll('iframe, object, embed')) found.push(f.tagName);
  return found;
}"""
SKIPPED = ("/sign-out", "/export.", "/foi.")  # not pages: a form's target and downloads, checked below
MOST_PAGES = 160


def _crawl(p: object, site: str, starts: list[str]) -> list[str]:
    seen: list[str] = []
    queue = list(starts)
    while queue and len(seen) < MOST_PAGES:
        path = queue.pop(0)
        if path in seen or any(s in path for s in SKIPPED):
            continue
        seen.append(path)
        p.goto(site + path)  # type: ignore[attr-defined]
        assert p.evaluate("() => window.__ran === undefined"), path  # type: ignore[attr-defined]
        assert p.evaluate(INJECTED) == [], path  # type: ignore[attr-defined]
        for href in p.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):  # type: ignore[attr-defined]
            target = urlsplit(urljoin(site + path, href))
            if f"{target.scheme}://{target.netloc}" == site:
                local = target.path + (f"?{target.query}" if target.query else "")
                if local not in seen and local not in queue:
                    queue.append(local)
    return seen


def test_nothing_from_the_corpus_runs_on_any_page_or_in_any_export(hostile_site: str, browser: object) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    p = context.new_page()
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.goto(hostile_site + "/sign-in")
    p.get_by_label("Name").fill(ADMIN)
    p.get_by_label("Password").fill(PASSWORD)
    p.locator("form.stacked").get_by_role("button", name="Sign in").click()
    playwright_api.expect(p.get_by_role("button", name="Sign out")).to_be_visible()
    starts = [
        "/",
        "/search?q=School",
        "/search?q=" + PAYLOADS[0],
        "/map",
        "/reports",
        "/review",
        "/admin/audit",
        "/docs",
    ]
    visited = _crawl(p, hostile_site, starts)
    assert len(visited) >= 40  # reached well beyond the pages it started from
    assert dialogs == []
    assert any(v.startswith("/documents/") for v in visited) and any(v.startswith("/claims/") for v in visited)
    assert any(v.startswith("/parties/") for v in visited) and any(v.startswith("/partnerships/") for v in visited)
    p.goto(hostile_site + "/search?q=School")
    playwright_api.expect(p.locator("main")).to_contain_text("<script>")  # shown as the words it is

    derby = "/parties/iso:GB-DER"
    for path in (
        "/export.csv",
        "/export.xlsx",
        "/export.json",
        "/export.geojson",
        "/export.facts",
        f"{derby}/foi.md",
        f"{derby}/foi.html",
    ):
        answer = context.request.get(hostile_site + path)
        assert answer.status == 200, path
        assert answer.headers.get("x-content-type-options") == "nosniff", path
        body = answer.text() if not path.endswith(".xlsx") else ""
        if "html" in answer.headers["content-type"]:
            p.goto(hostile_site + path)
            assert p.evaluate("() => window.__ran === undefined") and p.evaluate(INJECTED) == [], path
        elif path.endswith(".md"):  # Markdown viewers render raw HTML: none may get through
            assert not any(tag in body.lower() for tag in ("<script", "<img", "<svg", "<iframe", "<a ")), path
        elif path.endswith(".xlsx"):  # every text cell stored as text: no formula runs when it opens
            cells = [c for row in load_workbook(io.BytesIO(answer.body())).active.iter_rows() for c in row]
            assert any(isinstance(c.value, str) and "<script>" in c.value for c in cells)
            assert all(c.data_type != "f" for c in cells)
        elif path.endswith(".csv"):  # text as data, never a formula a spreadsheet would run
            rows = list(csv.reader(io.StringIO(body)))
            assert any("<script>" in cell for row in rows for cell in row)
            assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows for cell in row)
        else:
            for line in body.splitlines() if path.endswith(".facts") else [body]:
                json.loads(line)  # written as JSON, each string escaped
    assert dialogs == []
    context.close()
