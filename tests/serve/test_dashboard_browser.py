"""The dashboard and the report in a real browser (Debian's headless Chromium via Playwright).

A server on a free 127.0.0.1 port serves a temporary database ingested from the demo corpus and
one hostile document. The tests see the graph, map and timeline drawn, open a transfer and its
evidence, check that no request leaves localhost, and that script payloads stay inert text.
Set ARMSTRACE_UPDATE_SCREENSHOT=1 to rewrite docs/img/dashboard.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "armstrace" / "data" / "demo"
SCREENSHOT = ROOT / "docs" / "img" / "dashboard.png"
PAYLOAD_SCRIPT = "<script>window.__pwned=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned=1">'
PAYLOAD_SVG = '"><svg onload="window.__pwned=1">'
HOSTILE = f"""URL: https://news.example.org/hostile?a=1&b=<b>
DATE: 2024-02-10
TITLE: Rail shells {PAYLOAD_SCRIPT} {PAYLOAD_IMG}

North Korea has delivered artillery shells to Russia by rail, officials said. {PAYLOAD_SCRIPT}

A second paragraph carries {PAYLOAD_IMG} and {PAYLOAD_SVG} as plain words in the article.
"""

if not CHROMIUM.exists():
    # CI installs chromium and sets ARMSTRACE_REQUIRE_BROWSER, so there a missing browser fails.
    if os.environ.get("ARMSTRACE_REQUIRE_BROWSER"):
        raise RuntimeError("ARMSTRACE_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium", allow_module_level=True)
import uvicorn  # noqa: E402
from playwright import sync_api  # noqa: E402

from armstrace.serve.app import create_app  # noqa: E402


def _ingest(db: Path, folder: Path) -> None:
    from armstrace.jobs import ingest_paths
    from armstrace.store import open_store

    with open_store(db) as store:
        report = ingest_paths([str(folder)], store)
        assert report.stored == len(list(folder.glob("*.txt"))), report.skipped
        try:
            from armstrace.kb.transfer_records import refresh_records
        except ModuleNotFoundError:
            return
        refresh_records(store)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(DEMO.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "armstrace.db"
    _ingest(db, folder)
    return db


@pytest.fixture(scope="module")
def server(database: Path) -> Iterator[str]:
    yield from _serve(create_app(str(database)))


SIGN_IN_TOKEN = "browser-test-token-2c1d"


@pytest.fixture(scope="module")
def protected_server(database: Path) -> Iterator[str]:
    yield from _serve(create_app(str(database), token=SIGN_IN_TOKEN, protect_reads=True))


def _serve(app: Any) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Recorder:
    """Every request the page makes, and every script error it reports."""

    def __init__(self, page: Any) -> None:
        self.urls: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def outside(self, allowed: tuple[str, ...]) -> list[str]:
        return [url for url in self.urls if not url.startswith(allowed)]


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    instance = context.new_page()
    yield instance
    context.close()


def _open(page: Any, url: str) -> Recorder:
    recorder = Recorder(page)
    page.goto(url)
    page.wait_for_selector("#app[data-ready]", timeout=20_000)
    assert page.get_attribute("#app", "data-ready") == "true", page.inner_text("#status-line")
    return recorder


def _assert_views_drawn(page: Any) -> None:
    assert page.locator("#graph .edge").count() > 0
    assert page.locator("#graph .node").count() >= 2
    assert page.locator("#map path.country").count() > 150
    assert page.locator("#map .point").count() > 0
    assert page.locator("#map .route-line").count() > 0
    assert page.locator("#timeline rect.bar").count() > 0


def _open_first_edge(page: Any) -> str:
    page.locator("#graph .edge").first.dispatch_event("click")
    page.wait_for_selector("#record mark", timeout=10_000)
    marked = page.locator("#record mark").first.inner_text()
    assert marked.strip()
    # The mark sits inside its paragraph: the block holds more than the evidence alone.
    block = page.locator("#record blockquote.evidence").first.inner_text()
    assert marked in block
    return marked


def test_dashboard_draws_views_and_opens_evidence(page: Any, server: str) -> None:
    recorder = _open(page, server + "/")
    _assert_views_drawn(page)
    _open_first_edge(page)
    assert page.locator("#record .claim").count() >= 1
    for link in page.locator("#record a[href]").all():
        assert urlparse(link.get_attribute("href") or "").scheme in ("http", "https")
        assert "noopener" in (link.get_attribute("rel") or "")
    page.wait_for_load_state("networkidle")
    assert recorder.outside((server + "/",)) == []
    assert all(urlparse(url).hostname == "127.0.0.1" for url in recorder.urls)
    assert recorder.errors == []
    shot = page.screenshot(full_page=False)
    if os.environ.get("ARMSTRACE_UPDATE_SCREENSHOT") == "1" or not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        SCREENSHOT.write_bytes(shot)


def test_a_protected_dashboard_signs_in_with_the_token(page: Any, protected_server: str) -> None:
    page.goto(protected_server + "/")
    assert page.url.endswith("/login")
    page.fill("input[name=token]", "not-the-token")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text().startswith("Wrong token")
    page.fill("input[name=token]", SIGN_IN_TOKEN)
    page.click("button[type=submit]")
    page.wait_for_selector("#app[data-ready]", timeout=20_000)
    assert page.get_attribute("#app", "data-ready") == "true", page.inner_text("#status-line")
    _assert_views_drawn(page)


def test_a_map_line_opens_its_transfer_record(page: Any, server: str) -> None:
    _open(page, server + "/")
    line = page.locator("#map .route-line.clickable").first
    record_id = line.get_attribute("data-record")
    assert record_id
    line.dispatch_event("click")
    page.wait_for_selector("#record mark", timeout=10_000)
    assert record_id in page.url  # the record's address, shareable as #record=ID


@pytest.mark.parametrize(
    "field, value, attribute, expected",
    [
        ("actor", "PRK", "data-pair", "PRK"),
        ("actor", "Iran", "data-pair", "IRN"),
        ("category", "ammunition", "data-category", "ammunition"),
        ("status", "attempted", "data-status", "attempted"),
    ],
)
def test_filters_narrow_the_graph(
    page: Any, server: str, field: str, value: str, attribute: str, expected: str
) -> None:
    _open(page, server + "/")
    before = page.locator("#graph .edge").count()
    if field in ("category", "status"):
        page.select_option(f"#filters [name={field}]", value)
    else:
        page.fill(f"#filters [name={field}]", value)
    page.evaluate("document.getElementById('app').removeAttribute('data-ready')")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#app[data-ready]", timeout=20_000)
    edges = page.locator("#graph .edge")
    assert 0 < edges.count() < before
    for edge in edges.all():
        assert expected in (edge.get_attribute(attribute) or "")


def test_bad_filter_reports_the_error_as_text(page: Any, server: str) -> None:
    _open(page, server + "/")
    page.fill("#filters [name=actor]", "<b>Atlantis</b>")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#status-line.error", timeout=10_000)
    assert "Atlantis" in page.inner_text("#status-line")
    assert page.locator("#status-line b").count() == 0


def _assert_inert(page: Any, where: str) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(f"{where} script").count() == 0
    assert page.locator(f"{where} img").count() == 0
    assert page.locator(f"{where} svg").count() == 0


def test_hostile_document_renders_as_text(page: Any, server: str) -> None:
    recorder = _open(page, server + "/")
    page.fill("#search [name=q]", "rail shells")
    page.click("#search button")
    hit = page.locator("#search-results .hit-title", has_text="window.__pwned")
    hit.first.wait_for(timeout=10_000)
    _assert_inert(page, "#search-results")
    hit.first.click()
    page.wait_for_selector("#record .doc-text", timeout=10_000)
    text = page.inner_text("#record")
    for payload in (PAYLOAD_SCRIPT, PAYLOAD_IMG, PAYLOAD_SVG):
        assert payload in text
    _assert_inert(page, "#record")
    # The hostile document's transfer, opened from the graph, shows its title as text too.
    edge = page.locator('#graph .edge[data-pair="PRK>RUS"]')
    for index in range(edge.count()):
        edge.nth(index).dispatch_event("click")
        page.wait_for_selector("#record .claim", timeout=10_000)
        if PAYLOAD_SCRIPT in page.inner_text("#record"):
            break
    else:
        pytest.fail("no PRK>RUS transfer shows the hostile document")
    _assert_inert(page, "#record")
    assert recorder.errors == []


def test_report_renders_offline(page: Any, database: Path, tmp_path: Path) -> None:
    from armstrace.serve.report import build_report
    from armstrace.store import open_store

    with open_store(database) as store:
        out = build_report(store, tmp_path / "report.html")
    recorder = _open(page, out.as_uri())
    _assert_views_drawn(page)
    _open_first_edge(page)
    _assert_inert(page, "#record")
    assert page.locator("table.all-records tbody tr").count() > 0
    assert recorder.outside((out.as_uri(),)) == []
    assert recorder.errors == []


@pytest.fixture(scope="module")
def register_server(database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo database with the UNROCA test reports imported (tests/kb/fixtures/unroca)."""
    from armstrace.kb.declarations import import_unroca
    from armstrace.store import open_store

    db = tmp_path_factory.mktemp("register") / "armstrace.db"
    shutil.copyfile(database, db)
    fixtures = Path(__file__).parents[1] / "kb" / "fixtures" / "unroca"
    with open_store(db) as store:
        import_unroca(store, sorted(fixtures.glob("*.json")) + sorted(fixtures.glob("*.html")))
    yield from _serve(create_app(str(db)))


def test_the_record_view_shows_the_un_register_beside_sipri(
    page: Any, register_server: str
) -> None:
    _open(page, register_server + "/")
    records = page.evaluate(
        "async () => (await (await fetch('/api/transfers?supplier=DEU&recipient=UKR"
        "&category=armoured_vehicle')).json()).items.map((r) => r.id)"
    )
    assert records, "the demo corpus has Germany's tanks for Ukraine"
    page.goto(f"{register_server}/#record={records[0]}")
    page.wait_for_selector("#record section.unroca table", timeout=10_000)
    section = page.inner_text("#record section.unroca")
    assert "declared by both, with different numbers" in section
    assert page.locator("#record section.unroca tr.mirror-gap").count() >= 1
    assert page.locator("#record section.sipri").count() == 1
    french = page.evaluate(
        "async () => (await (await fetch('/api/transfers?supplier=FRA&recipient=UKR"
        "&category=artillery')).json()).items.map((r) => r.id)"
    )
    page.goto(f"{register_server}/#record={french[0]}")
    page.wait_for_selector("#record section.unroca table", timeout=10_000)
    assert "<b>155 mm</b>" in page.inner_text("#record section.unroca")  # shown as text
    _assert_inert(page, "#record")
