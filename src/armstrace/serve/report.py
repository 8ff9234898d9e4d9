"""The self-contained report: one HTML file with the dashboard's views (graph, map, timeline,
record tables) that opens offline from file://, or a markdown summary.

The HTML inlines the dashboard's own stylesheet and scripts and embeds the data as JSON that
cannot close its <script> element; its Content-Security-Policy allows only those two inline
blocks (by hash), so nothing in it can load or send anything over the network.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from armstrace.errors import DataFileError, InputError
from armstrace.resources import data_path, require
from armstrace.store import Store

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
WORLD_FILE = "world-110m.json"
# The modules of the dashboard in dependency order; the report concatenates them.
MODULES = ("dom.js", "data.js", "graph.js", "map.js", "timeline.js", "record.js", "app.js")
REPORT_BOOT = (
    'const root = document.getElementById("app");\n'
    'boot(embeddedSource(JSON.parse(document.getElementById("armstrace-data").textContent)),'
    " root);\n"
)
MAX_RECORDS = 5000
PARAGRAPH_CONTEXT = 600  # characters kept on each side of the evidence in a long paragraph
TOP_PAIRS = 15

_IMPORT = re.compile(r'^import \{[^}]*\} from "\./[a-z]+\.js";\n', re.MULTILINE)
_EXPORT = re.compile(r"^export (?=(async )?function |const |let |class )", re.MULTILINE)

Format = Literal["html", "md"]


# --- data ---------------------------------------------------------------------------------------


@cache
def load_world() -> dict[str, Any]:
    """The shipped Natural Earth countries (see tools/make_world.py), validated."""
    path = data_path(WORLD_FILE)
    try:
        world = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFileError(f"data file {WORLD_FILE} is missing from the package") from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(f"data file {WORLD_FILE} is not valid JSON: {exc}") from exc
    require(isinstance(world, dict), WORLD_FILE, "must be a GeoJSON object")
    require(bool(world.get("source")), WORLD_FILE, "must cite its source in a `source` key")
    features = world.get("features")
    require(isinstance(features, list) and len(features) > 100, WORLD_FILE, "too few features")
    for feature in features:
        geometry = feature.get("geometry") or {}
        require(
            geometry.get("type") in ("Polygon", "MultiPolygon")
            and bool(feature.get("properties", {}).get("name")),
            WORLD_FILE,
            f"feature {feature.get('id')!r} needs a name and a (Multi)Polygon",
        )
    return world


def paragraph(text: str, start: int, end: int) -> dict[str, Any]:
    """The line holding text[start:end], clipped to PARAGRAPH_CONTEXT around it when long."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    first = max(first, start - PARAGRAPH_CONTEXT)
    last = min(last, end + PARAGRAPH_CONTEXT)
    return {"start": first, "text": text[first:last]}


def _records(store: Store) -> tuple[list[dict[str, Any]], int]:
    from armstrace.kb.transfer_records import RecordFilter, count_records, list_records

    total = count_records(store, RecordFilter())
    return [r.to_dict() for r in list_records(store, limit=MAX_RECORDS)], total


def collect(store: Store, *, generated: str | None = None) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready data: records with the paragraph around each
    claim's evidence, the documents they cite, map nodes, stats and the world geometry."""
    from armstrace.extract.actors import resolve_actor
    from armstrace.serve import geo

    records, total = _records(store)
    documents: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    codes: set[str] = set()
    places: dict[str, dict[str, Any]] = {}
    for record in records:
        codes.update(c for c in (record["supplier"], record["recipient"]) if c)
        for name in record["via"]:
            if resolve_actor(name) == name:
                codes.add(name)
            elif (point := geo.place_point(name)) is not None:
                places[name] = {"name": name, "lat": point[0], "lon": point[1]}
        for claim in [*record["claims"], *record["denials"]]:
            doc_id = claim["document_id"]
            if doc_id not in documents:
                document = store.document(doc_id)
                texts[doc_id] = document.text
                documents[doc_id] = {
                    "id": doc_id,
                    "name": document.name,
                    "title": document.title,
                    "url": document.url,
                    "outlet": document.outlet,
                    "published": document.published.isoformat() if document.published else None,
                    "quotes": [_quote(q) for q in store.quotes(doc_id)],
                    "paragraphs": [],
                }
            cut = paragraph(texts[doc_id], claim["evidence_start"], claim["evidence_end"])
            claim["paragraph"] = cut
            if cut not in documents[doc_id]["paragraphs"]:
                documents[doc_id]["paragraphs"].append(cut)
    stats = store.stats()
    return {
        "title": "armstrace report",
        "generated": generated or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "stats": {
            "documents": stats.documents,
            "claims": stats.claims,
            "records": total,
            "shown": len(records),
        },
        "nodes": [geo.node(code) for code in sorted(codes)],
        "places": places,
        "records": records,
        "documents": documents,
        "world": load_world(),
    }


def _quote(quote: Any) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "text": quote.text,
        "speaker": speaker.name if speaker else None,
        "speaker_title": speaker.title if speaker else None,
        "speaker_affiliation": speaker.affiliation if speaker else None,
    }


# --- html ---------------------------------------------------------------------------------------


def bundle() -> str:
    """The dashboard's ES modules as one classic script: imports dropped, exports made local."""
    parts = []
    for name in MODULES:
        source = (STATIC / name).read_text(encoding="utf-8")
        source = _EXPORT.sub("", _IMPORT.sub("", source))
        if re.search(r"^(import|export)\b", source, re.MULTILINE):
            raise DataFileError(f"static/{name}: an import or export the report cannot inline")
        parts.append(f"// --- {name}\n{source}")
    script = '(function () {\n"use strict";\n' + "\n".join(parts) + REPORT_BOOT + "})();\n"
    if "</script" in script.lower():
        raise DataFileError("the dashboard scripts contain '</script': they cannot be inlined")
    return script


def embed_json(data: Any) -> str:
    """JSON that is safe between <script type="application/json"> tags: no '<', '>' or '&'."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def render_html(data: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader

    css = (STATIC / "dashboard.css").read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise DataFileError("static/dashboard.css contains '</style': it cannot be inlined")
    script = bundle()
    csp = (
        f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    return environment.get_template("report.html").render(
        title=data["title"],
        generated=data["generated"],
        stats=data["stats"],
        records=data["records"],
        css=css,
        script=script,
        data_json=embed_json(data),
        csp=csp,
    )


# --- markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#|!{}~])")


def md(value: Any) -> str:
    """Untrusted text as one inert markdown table cell: no HTML, links or line breaks."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_md(data: dict[str, Any]) -> str:
    stats = data["stats"]
    records = data["records"]
    lines = [
        f"# {md(data['title'])}",
        "",
        f"Generated {md(data['generated'])}: {stats['documents']} documents, {stats['claims']} "
        f"claims, {stats['records']} transfer records"
        + (f" ({stats['shown']} shown)" if stats["shown"] < stats["records"] else "")
        + ".",
        "",
        "## Transfer records",
        "",
        "| Supplier | Recipient | Category | Status | Seen | Sources | Confidence | Embargo "
        "| Evidence |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        seen = " to ".join(dict.fromkeys(d for d in (r["first_seen"], r["last_seen"]) if d))
        embargo = ", ".join(e["regime"] for e in r["embargo"])
        evidence = r["claims"][0]["evidence"] if r["claims"] else ""
        cells = [
            r["supplier_name"] or r["supplier"],
            r["recipient_name"] or r["recipient"],
            r["category"],
            r["status"],
            seen or "undated",
            r["independent_sources"],
            f"{round(r['confidence'] * 100)}%",
            embargo,
            evidence,
        ]
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    pairs: Counter[tuple[str, str]] = Counter()
    claims: Counter[tuple[str, str]] = Counter()
    for r in records:
        key = (
            r["supplier_name"] or r["supplier"] or "?",
            r["recipient_name"] or r["recipient"] or "?",
        )
        pairs[key] += 1
        claims[key] += r["support"]
    lines += [
        "",
        "## Top pairs",
        "",
        "| Supplier → Recipient | Records | Claims |",
        "|---|---|---|",
    ]
    for (supplier, recipient), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[
        :TOP_PAIRS
    ]:
        lines.append(f"| {md(supplier)} → {md(recipient)} | {n} | {claims[supplier, recipient]} |")
    lines += ["", "## Embargo flags", ""]
    flagged = [(r, e) for r in records for e in r["embargo"]]
    for r, e in flagged:
        lines.append(
            f"- {md(r['supplier'])} → {md(r['recipient'])} ({md(r['category'])}): "
            f"{md(e['regime'])} ({md(e['issuer'])}, {md(e['side'])} side): {md(e['reason'])}"
        )
    if not flagged:
        lines.append("No transfer record touches an embargo.")
    return "\n".join(lines) + "\n"


# --- entry points -------------------------------------------------------------------------------


def build_report(
    store: Store, out: Path, fmt: Format = "html", *, generated: str | None = None
) -> Path:
    """Write the report of everything in `store` to `out` and return its path."""
    if fmt not in ("html", "md"):
        raise InputError(f"unknown report format {fmt!r}: choose html or md")
    data = collect(store, generated=generated)
    text = render_html(data) if fmt == "html" else render_md(data)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
