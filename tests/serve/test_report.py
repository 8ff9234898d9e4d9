"""The report: markdown and self-contained HTML from a store built by hand (no model needed),
with hostile titles, evidence, speakers and URLs that must come out as inert text."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from armstrace.cli.serve import report as report_command
from armstrace.records import CATEGORIES, STATUS_GROUPS, STATUSES, Claim, Document, Extraction
from armstrace.records import Speaker as SpeakerRecord
from armstrace.resources import data_path
from armstrace.serve import report as report_module
from armstrace.serve.report import build_report, bundle, embed_json, load_world, md
from armstrace.store import Store, open_store

STATIC = Path(report_module.__file__).resolve().parent / "static"
HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload="window.__pwned=1">',
]
SAFE_URL = "https://news.example.org/2024/03/rail-shells?a=1&b=2"
EVIL_URL = "javascript:window.__pwned=1"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def _document(text: str, name: str, title: str, url: str, day: date) -> Document:
    return Document.make(text, name, url=url, title=title, published=day, outlet="Test Wire")


def _claim(document: Document, evidence: str, supplier: str, recipient: str, **kw: object) -> Claim:
    start = document.text.index(evidence)
    return Claim(
        document_id=document.id,
        supplier=supplier,
        recipient=recipient,
        category=str(kw.get("category", "ammunition")),
        status=str(kw.get("status", "delivered")),
        items=("artillery shells",),
        evidence=evidence,
        evidence_start=start,
        evidence_end=start + len(evidence),
        source=kw.get("source"),  # type: ignore[arg-type]
        speaker=kw.get("speaker"),  # type: ignore[arg-type]
        claim_date=document.published,
        document_name=document.name,
    )


@pytest.fixture()
def store(db_url: str) -> Store:
    records = pytest.importorskip("armstrace.kb.transfer_records")
    payload = " ".join(HOSTILE)
    text = (
        f"Opening line with {payload} in it.\n\n"
        f"North Korea sent artillery shells {payload} to Russia by rail, an official said.\n\n"
        "Closing line."
    )
    hostile = _document(text, "hostile", f"Shells {payload}", SAFE_URL, date(2024, 3, 5))
    evil = _document(
        "Iran shipped drones to Russia across the Caspian Sea, the ministry said.",
        "evil-url",
        "Drones",
        EVIL_URL,
        date(2023, 6, 1),
    )
    speaker = SpeakerRecord(name=f"Kim {HOSTILE[1]}", title=HOSTILE[0], affiliation=HOSTILE[2])
    opened = open_store(db_url)
    opened.save(
        Extraction(
            document=hostile,
            claims=(
                _claim(
                    hostile,
                    f"North Korea sent artillery shells {payload} to Russia",
                    "PRK",
                    "RUS",
                    source=f"Kim {HOSTILE[1]}",
                    speaker=speaker,
                ),
            ),
        )
    )
    opened.save(
        Extraction(
            document=evil,
            claims=(_claim(evil, "Iran shipped drones to Russia", "IRN", "RUS", category="uav"),),
        )
    )
    records.refresh_records(opened)
    return opened


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements by type."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[str | None, str]] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs).get("type") or "text/javascript"
            self.scripts.append((dict(attrs).get("type"), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)


def _html(store: Store, tmp_path: Path) -> tuple[str, Elements]:
    text = build_report(store, tmp_path / "report.html", generated="2024-04-01").read_text()
    parsed = Elements()
    parsed.feed(text)
    return text, parsed


def test_html_report_escapes_hostile_text(store: Store, tmp_path: Path) -> None:
    text, parsed = _html(store, tmp_path)
    for payload in HOSTILE:
        assert payload not in text
    # Only our two scripts exist, and no element carries an event handler.
    assert [kind for kind, _ in parsed.scripts] == ["application/json", None]
    assert not [
        (tag, name) for tag, attrs in parsed.tags for name in attrs if name.startswith("on")
    ]
    assert not [tag for tag, _ in parsed.tags if tag in ("img", "iframe", "object", "embed")]
    assert [a.get("id") for t, a in parsed.tags if t == "svg"] == ["graph", "map", "timeline"]
    # The server-rendered table shows the payload as escaped text.
    assert "North Korea sent artillery shells &lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
    data = json.loads(parsed.scripts[0][1])
    titles = [c["title"] for r in data["records"] for c in r["claims"]]
    assert f"Shells {' '.join(HOSTILE)}" in titles


def test_html_report_references_nothing_remote(store: Store, tmp_path: Path) -> None:
    text, parsed = _html(store, tmp_path)
    data_text = parsed.scripts[0][1]
    data_urls = {SAFE_URL, EVIL_URL} | {
        e["source"] for r in json.loads(data_text)["records"] for e in r["embargo"]
    }
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = attrs.get(name) or ""
            assert not re.match(r"(?i)\s*(https?:)?//", value) or (
                tag == "a" and value in data_urls
            ), (tag, name, value)
    # Outside the embedded data, the only http(s) string is the SVG namespace name.
    rest = text.replace(data_text, "")
    assert set(re.findall(r"https?://[^\s\"'<>)]+", rest)) <= {SVG_NAMESPACE}


def test_html_report_csp_allows_only_its_inline_blocks(store: Store, tmp_path: Path) -> None:
    text, parsed = _html(store, tmp_path)
    csp = next(
        a["content"] for t, a in parsed.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp and "unsafe-inline" not in csp
    style = re.search(r"<style>(.*?)</style>", text, re.DOTALL)
    script = re.search(r"<script>(.*?)</script>", text, re.DOTALL)
    assert style and script
    for block in (style.group(1), script.group(1)):
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


@pytest.mark.parametrize(
    "value, expected",
    [
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("a | b", "a \\| b"),
        ("[click](javascript:x)", "\\[click\\]\\(javascript:x\\)"),
        ("two\nlines", "two lines"),
        (None, ""),
    ],
)
def test_md_cell_is_inert(value: str | None, expected: str) -> None:
    assert md(value) == expected


def test_md_report(store: Store, tmp_path: Path) -> None:
    out = build_report(store, tmp_path / "report.md", "md", generated="2024-04-01")
    text = out.read_text()
    assert text.startswith("# armstrace report")
    assert "## Transfer records" in text and "## Top pairs" in text and "## Embargo flags" in text
    assert "| North Korea | Russia | ammunition | delivered | 2024-03-05 |" in text
    assert "UN-1718" in text  # the UN embargo on North Korea flags the PRK → RUS record
    for payload in HOSTILE:
        assert payload not in text
    assert "<" not in text.replace("&lt;", "")


def test_report_command(store: Store, db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    result = CliRunner().invoke(
        report_command, ["--db", db_url, "--out", str(out), "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# armstrace report")


def test_embedded_json_cannot_close_its_script() -> None:
    text = embed_json({"t": "</script><script>alert(1)</script>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script>&"}


def test_bundle_inlines_every_module() -> None:
    script = bundle()
    assert not re.search(r"^(import|export)\b", script, re.MULTILINE)
    assert "function boot(" in script and "function embeddedSource(" in script


def _js_array(name: str) -> list[str]:
    source = (STATIC / "data.js").read_text()
    found = re.search(rf"export const {name} = (\[.*?\]);", source)
    assert found, name
    return list(json.loads(found.group(1)))


def test_client_constants_match_records() -> None:
    assert _js_array("CATEGORIES") == list(CATEGORIES)
    assert _js_array("STATUSES") == list(STATUSES)
    source = (STATIC / "data.js").read_text()
    groups = re.search(r"export const STATUS_GROUPS = (\{.*?\});", source)
    assert groups
    parsed = json.loads(re.sub(r"(\w+):", r'"\1":', groups.group(1)))
    assert parsed == STATUS_GROUPS


def test_world_geometry() -> None:
    world = load_world()
    assert "Natural Earth" in world["source"] and "world-atlas" in world["source"]
    path = data_path("world-110m.json")
    assert path.stat().st_size < 300_000
    codes = {f["properties"]["iso_a3"] for f in world["features"]}
    assert {"RUS", "PRK", "IRN", "UKR", "USA", "TWN"} <= codes
    # The dashboard reads the one shipped file through the API, not a copy.
    assert not (STATIC / "world-110m.json").exists()
