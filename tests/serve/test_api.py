"""The REST API over the demo corpus: every endpoint, paging, filters, auth, bad parameters, the
OpenAPI schema, security headers and escaping of untrusted article text."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from jinja2 import DictLoader, Environment

from armstrace.errors import InputError
from armstrace.records import CATEGORIES, STATUSES
from armstrace.serve.app import create_app, render_dashboard

pytestmark = pytest.mark.model

XSS_TITLE = "<script>alert(1)</script> Norway hands NASAMS to Ukraine"
XSS_TEXT = (
    'Norway has delivered NASAMS air defence systems to Ukraine <img src=x onerror="alert(2)">, '
    "the Norwegian defence ministry said on Friday. Oslo said the batteries arrived in March."
)
NEW_TEXT = (
    "Denmark has delivered a batch of CV90 infantry fighting vehicles to Ukraine, the Danish "
    "defence ministry said on Tuesday. The vehicles were handed over at a depot in Poland."
)


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def all_items(client: TestClient, url: str) -> list[dict[str, Any]]:
    sep = "&" if "?" in url else "?"
    return list(get(client, f"{url}{sep}limit=500")["items"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- reads ------------------------------------------------------------------------------------


def test_stats_count_the_demo_corpus(client: TestClient) -> None:
    stats = get(client, "/api/stats")
    assert stats["documents"] == 18
    assert stats["claims"] == sum(stats["by_status"].values()) > 0
    assert set(stats["by_category"]) <= set(CATEGORIES)


@pytest.mark.parametrize(
    "limit, offset, expected", [(5, 0, 5), (5, 15, 3), (50, 0, 18), (5, 18, 0)]
)
def test_documents_are_paged(client: TestClient, limit: int, offset: int, expected: int) -> None:
    body = get(client, f"/api/documents?limit={limit}&offset={offset}")
    assert (body["total"], body["limit"], body["offset"]) == (18, limit, offset)
    assert len(body["items"]) == expected


def test_pages_tile_the_whole_list(client: TestClient) -> None:
    whole = [c["id"] for c in all_items(client, "/api/claims")]
    paged: list[str] = []
    for offset in range(0, len(whole), 7):
        paged += [c["id"] for c in get(client, f"/api/claims?limit=7&offset={offset}")["items"]]
    assert paged == whole and len(set(whole)) == len(whole)


def test_document_detail_has_text_claims_quotes_notes(client: TestClient) -> None:
    listed = all_items(client, "/api/documents")
    with_claims = next(d for d in listed if d["claims"] > 0)
    detail = get(client, f"/api/documents/{with_claims['id']}")
    assert detail["text"] and detail["title"] == with_claims["title"]
    assert len(detail["claims"]) == with_claims["claims"]
    assert all(c["evidence"] in detail["text"] for c in detail["claims"])
    assert isinstance(detail["quotes"], list) and isinstance(detail["notes"], list)
    by_name = get(client, f"/api/documents/{with_claims['name']}")
    assert by_name["id"] == with_claims["id"]


@pytest.mark.parametrize(
    "query, check",
    [
        ("supplier=Iran", lambda c: c["supplier"] == "IRN"),
        ("supplier=irn", lambda c: c["supplier"] == "IRN"),
        ("supplier=North%20Korea", lambda c: c["supplier"] == "PRK"),
        ("recipient=Russia", lambda c: c["recipient"] == "RUS"),
        ("actor=UKR", lambda c: "UKR" in (c["supplier"], c["recipient"])),
        ("category=missile", lambda c: c["category"] == "missile"),
        ("status=delivered", lambda c: c["status"] == "delivered"),
        ("since=2024-01-01", lambda c: c["date"] is None or c["date"] >= "2024-01-01"),
        ("until=2023-06-30", lambda c: c["date"] is None or c["date"] <= "2023-06-30"),
        ("since=2023-01-01&until=2023-12-31", lambda c: (c["date"] or "2023")[:4] == "2023"),
        ("supplier=PRK&recipient=RUS&status=delivered", lambda c: c["status"] == "delivered"),
    ],
)
def test_claim_filters(client: TestClient, query: str, check: Any) -> None:
    everything = all_items(client, "/api/claims")
    body = get(client, f"/api/claims?{query}&limit=500")
    assert body["items"], f"the demo corpus should have claims for {query}"
    assert all(check(c) for c in body["items"])
    assert body["total"] == len(body["items"]) < len(everything)


def test_claims_of_one_document(client: TestClient) -> None:
    document = next(d for d in all_items(client, "/api/documents") if d["claims"] > 1)
    body = get(client, f"/api/claims?document_id={document['id']}")
    assert body["total"] == document["claims"]
    assert {c["document_id"] for c in body["items"]} == {document["id"]}


def test_claim_by_id_and_prefix(client: TestClient) -> None:
    claim = get(client, "/api/claims?limit=1")["items"][0]
    assert get(client, f"/api/claims/{claim['id']}")["evidence"] == claim["evidence"]
    assert get(client, f"/api/claims/{claim['id'][:8]}")["id"] == claim["id"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/claims/0000000000000000",
        "/api/claims/abc",
        "/api/documents/no-such-document",
        "/api/actors/Atlantis",
    ],
)
def test_unknown_ids_are_404(client: TestClient, url: str) -> None:
    assert isinstance(get(client, url, 404)["detail"], str)


def test_actors_are_listed_with_counts(client: TestClient) -> None:
    body = get(client, "/api/actors")
    codes = {a["id"]: a for a in body["items"]}
    assert body["total"] == len(body["items"])
    iran = codes["IRN"]
    assert iran["name"] == "Iran" and iran["as_supplier"] > 0 and iran["lat"] is not None
    claims = get(client, "/api/claims?supplier=IRN")["total"]
    assert iran["as_supplier"] == claims


@pytest.mark.parametrize("code", ["IRN", "Iran", "North Korea"])
def test_actor_profile(client: TestClient, code: str) -> None:
    profile = get(client, f"/api/actors/{code.replace(' ', '%20')}")
    assert profile["code"] in ("IRN", "PRK")
    assert profile["as_supplier"] and profile["counterparts"]


@pytest.mark.parametrize(
    "q, expected",
    [
        ("drones", "demo01-iran-drones-russia"),
        ("Tumangang", "demo05-dprk-shells-rail-sea"),
        ('"unbalanced AND (OR NEAR', None),
        ("title:* -x ^", None),
    ],
)
def test_search(client: TestClient, q: str, expected: str | None) -> None:
    body = get(client, f"/api/search?q={q}&limit=5")
    names = [hit["name"] for hit in body["items"]]
    if expected is not None:
        assert expected in names
        assert all("snippet" in hit for hit in body["items"])


def test_graph_aggregates_the_network(client: TestClient) -> None:
    graph = get(client, "/api/graph")
    nodes = {n["id"] for n in graph["nodes"]}
    assert graph["edges"] and all(
        e["supplier"] in nodes and e["recipient"] in nodes for e in graph["edges"]
    )
    assert all(isinstance(e["embargo"], bool) and e["status"] in STATUSES for e in graph["edges"])
    assert {"RUS", "IRN", "PRK", "UKR"} <= nodes
    prk = get(client, "/api/graph?supplier=PRK")
    assert prk["edges"] and all(e["supplier"] == "PRK" for e in prk["edges"])
    embargoed = get(client, "/api/graph?embargo_only=true")
    assert all(e["embargo"] for e in embargoed["edges"])
    assert any(e["embargo"] for e in graph["edges"]), "PRK→RUS transfers breach UN embargoes"


def test_map_has_points_and_lines(client: TestClient) -> None:
    data = get(client, "/api/map")
    roles = {role for p in data["points"] for role in p["roles"]}
    assert {"supplier", "recipient"} <= roles
    located = [p for p in data["points"] if p["lat"] is not None]
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in located)
    assert data["lines"] and all(len(line["path"]) >= 2 for line in data["lines"])
    places = get(client, "/api/map?supplier=PRK&recipient=RUS")
    assert any("route" in p["roles"] for p in places["points"]), "Tumangang, Rajin..."
    assert data["basis"] == "records" and data["truncated"] is False


def test_each_map_line_names_a_record_on_its_route(client: TestClient) -> None:
    data = get(client, "/api/map?supplier=PRK&recipient=RUS")
    routed = [line for line in data["lines"] if line["route"]]
    assert routed, "the demo corpus routes PRK→RUS shipments through Tumangang and Khasan"
    for line in data["lines"]:
        record = get(client, f"/api/transfers/{line['record_id']}")
        assert (record["supplier"], record["recipient"]) == (line["supplier"], line["recipient"])
        assert record["via"] == line["via"]
        assert [p["name"] for p in record["route"]] == line["route"]
        assert line["records"] >= 1 and line["support"] >= record["support"]
        assert line["status"] == record["status"]


def test_world_geometry_is_served(client: TestClient) -> None:
    world = get(client, "/api/world")
    assert world["type"] == "FeatureCollection" and len(world["features"]) > 100


@pytest.mark.parametrize("query", ["", "?supplier=IRN", "?status=delivered&since=2023-01-01"])
def test_timeline_counts_every_dated_claim(client: TestClient, query: str) -> None:
    timeline = get(client, f"/api/timeline{query}")
    total = get(client, f"/api/claims{query}")["total"]
    assert sum(m["total"] for m in timeline["items"]) + timeline["undated"]["total"] == total
    months = [m["month"] for m in timeline["items"]]
    assert months == sorted(months)


@pytest.mark.parametrize("query", ["", "&category=missile"])
def test_export_streams_every_matching_claim(client: TestClient, query: str) -> None:
    total = get(client, f"/api/claims?limit=1{query}")["total"]
    jsonl = client.get(f"/api/export?format=jsonl{query}")
    assert jsonl.status_code == 200
    lines = [json.loads(line) for line in jsonl.text.splitlines()]
    assert len(lines) == total and all("evidence" in line for line in lines)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/export?format=csv{query}").text)))
    assert len(rows) == total and {r["id"] for r in rows} == {line["id"] for line in lines}


def test_transfers_are_paged_and_filtered(client: TestClient) -> None:
    body = get(client, "/api/transfers?limit=3")
    assert body["total"] >= len(body["items"]) > 0
    record = body["items"][0]
    assert get(client, f"/api/transfers/{record['id']}")["id"] == record["id"]
    iran = get(client, "/api/transfers?supplier=Iran&limit=500")
    assert iran["items"] and all(r["supplier"] == "IRN" for r in iran["items"])
    get(client, "/api/transfers/0000000000000000", 404)


# --- bad parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, status, words",
    [
        ("/api/claims?limit=0", 422, "limit"),
        ("/api/claims?limit=501", 422, "limit"),
        ("/api/claims?limit=abc", 422, "limit"),
        ("/api/documents?offset=-1", 422, "offset"),
        ("/api/claims?status=bogus", 400, "unknown status"),
        ("/api/claims?category=tanks", 400, "unknown category"),
        ("/api/claims?since=notadate", 422, "since"),
        ("/api/timeline?since=2024-01-01&until=2023-01-01", 400, "after"),
        ("/api/claims?supplier=Atlantis", 400, "unknown actor"),
        ("/api/graph?min_sources=0", 422, "min_sources"),
        ("/api/export?format=xml", 422, "format"),
        ("/api/search?q=%20%20", 400, "empty"),
        ("/api/search", 422, "q"),
    ],
)
def test_bad_parameters_are_4xx_with_a_message(
    client: TestClient, url: str, status: int, words: str
) -> None:
    detail = get(client, url, status)["detail"]
    assert isinstance(detail, str) and words in detail


# --- writes and auth --------------------------------------------------------------------------


def ingest(client: TestClient, documents: list[dict[str, Any]], token: str | None) -> Any:
    headers = bearer(token) if token is not None else {}
    return client.post("/api/ingest", json={"documents": documents}, headers=headers)


@pytest.mark.parametrize(
    "configured, sent, status, words",
    [
        (False, "right", 403, "ARMSTRACE_TOKEN"),
        (True, None, 401, "Bearer"),
        (True, "wrong-token", 403, "wrong token"),
        (True, "", 401, "Bearer"),
    ],
)
def test_writes_need_the_token(
    writable_db: Path, token: str, configured: bool, sent: str | None, status: int, words: str
) -> None:
    server_token = token if configured else None
    with TestClient(
        create_app(str(writable_db), token=server_token), base_url="http://localhost"
    ) as client:
        response = ingest(client, [{"text": NEW_TEXT}], token if sent == "right" else sent)
        assert response.status_code == status and words in response.json()["detail"]
        assert get(client, "/api/stats")["documents"] == 18


def test_ingest_with_the_token_stores_and_reports(writable_db: Path, token: str) -> None:
    with TestClient(
        create_app(str(writable_db), token=token), base_url="http://localhost"
    ) as client:
        documents = [
            {"text": NEW_TEXT, "title": "Danish CV90s", "published": "2024-03-05", "name": "dk"},
            {"text": NEW_TEXT},
            {"text": "   \n  "},
        ]
        response = ingest(client, documents, token)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert [i["status"] for i in items] == ["stored", "duplicate", "skipped"]
        stored = items[0]
        document = get(client, f"/api/documents/{stored['document_id']}")
        assert document["title"] == "Danish CV90s" and document["published"] == "2024-03-05"
        assert len(document["claims"]) == stored["claims"] > 0
        assert get(client, "/api/stats")["documents"] == 19
        again = ingest(client, documents[:1], token).json()["items"]
        assert again[0]["status"] == "unchanged"


@pytest.mark.parametrize(
    "body",
    [{}, {"documents": []}, {"documents": [{"title": "no text"}]}, {"documents": [{"text": ""}]}],
)
def test_malformed_ingest_bodies_are_refused(
    writable_db: Path, token: str, body: dict[str, Any]
) -> None:
    with TestClient(
        create_app(str(writable_db), token=token), base_url="http://localhost"
    ) as client:
        response = client.post("/api/ingest", json=body, headers=bearer(token))
        assert response.status_code == 422 and isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("sent, status", [(None, 401), ("nope", 403), ("right", 200)])
def test_protected_reads(demo_db: Path, token: str, sent: str | None, status: int) -> None:
    headers = {} if sent is None else bearer(token if sent == "right" else sent)
    with TestClient(
        create_app(str(demo_db), token=token, protect_reads=True), base_url="http://localhost"
    ) as client:
        for url in ("/api/stats", "/api/claims"):
            assert client.get(url, headers=headers).status_code == status
        page = client.get("/", headers=headers, follow_redirects=False)
        if status == 200:
            assert page.status_code == 200
        else:  # a browser is sent to the sign-in form rather than shown a JSON error
            assert page.status_code == 303 and page.headers["location"] == "/login"


def test_sign_in_sets_a_read_only_cookie(writable_db: Path, token: str) -> None:
    app = create_app(str(writable_db), token=token, protect_reads=True)
    with TestClient(app, base_url="http://localhost") as client:
        form = client.get("/login")
        assert form.status_code == 200 and 'type="password"' in form.text
        wrong = client.post("/login", data={"token": "guess"}, follow_redirects=False)
        assert wrong.status_code == 403 and "Wrong token" in wrong.text
        assert client.get("/api/stats").status_code == 401
        right = client.post("/login", data={"token": token}, follow_redirects=False)
        assert right.status_code == 303 and right.headers["location"] == "/"
        cookie = right.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert token not in right.headers["set-cookie"]
        # the client now carries the cookie: the page and the reads open...
        assert client.get("/", follow_redirects=False).status_code == 200
        assert client.get("/api/stats").status_code == 200
        # ...but writes still need the bearer header
        assert ingest(client, [{"text": NEW_TEXT}], None).status_code == 401
        client.get("/logout")
        assert client.get("/api/stats").status_code == 401


def test_sign_in_is_not_needed_when_reads_are_open(client: TestClient) -> None:
    response = client.get("/login", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_protecting_reads_needs_a_token(demo_db: Path) -> None:
    with pytest.raises(InputError, match="ARMSTRACE_TOKEN"):
        create_app(str(demo_db), protect_reads=True)


# --- documents, headers, escaping -----------------------------------------------------------------


def test_openapi_schema_is_valid(client: TestClient) -> None:
    from jsonschema import Draft202012Validator

    schema = get(client, "/openapi.json")
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "armstrace"
    expected = {
        "/api/stats", "/api/documents", "/api/documents/{document_id}", "/api/claims",
        "/api/claims/{claim_id}", "/api/transfers", "/api/transfers/{record_id}", "/api/actors",
        "/api/actors/{code}", "/api/search", "/api/graph", "/api/map", "/api/timeline",
        "/api/export", "/api/ingest",
    }  # fmt: skip
    assert expected <= set(schema["paths"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {path} has no responses"
            for parameter in operation.get("parameters", []):
                Draft202012Validator.check_schema(parameter["schema"])
    for name, component in schema["components"]["schemas"].items():
        Draft202012Validator.check_schema(component)
        assert component.get("type") == "object" or "enum" in component, name


def test_docs_page_is_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "/api/claims" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert "<script" not in page.text


@pytest.mark.parametrize("url", ["/", "/docs", "/api/stats", "/api/claims?limit=abc"])
def test_security_headers(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert headers["x-content-type-options"] == "nosniff"


def test_script_in_a_title_is_data_in_json_and_inert_in_the_page(
    writable_db: Path, token: str
) -> None:
    with TestClient(
        create_app(str(writable_db), token=token), base_url="http://localhost"
    ) as client:
        stored = ingest(client, [{"text": XSS_TEXT, "title": XSS_TITLE}], token).json()["items"][0]
        assert stored["status"] == "stored"
        response = client.get(f"/api/documents/{stored['document_id']}")
        assert response.headers["content-type"] == "application/json"
        assert (
            response.json()["title"] == XSS_TITLE
            and 'onerror="alert(2)"' in response.json()["text"]
        )
        page = client.get("/").text
        assert "<script>alert(1)</script>" not in page and "onerror=" not in page


def test_dashboard_fallback_escapes_titles() -> None:
    context = {
        "title": "armstrace",
        "api": "/api",
        "stats": {"documents": 1, "claims": 0, "recent_documents": [{"title": XSS_TITLE}]},
    }
    page = render_dashboard(Environment(loader=DictLoader({}), autoescape=True), context)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page


def test_serve_command_is_registered() -> None:
    from armstrace.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--protect-reads" in result.output


def test_views_are_cached_per_parsed_query_and_fresh_after_an_ingest(
    writable_db: Path, token: str
) -> None:
    app = create_app(str(writable_db), token=token)
    client = TestClient(
        app, base_url="http://localhost"
    )  # no lifespan: nothing is warmed behind the test's back
    views = app.state.database.views
    by_name = get(client, "/api/graph?supplier=Iran")
    by_code = get(client, "/api/graph?supplier=IRN")
    assert by_name == by_code and len(views) == 1
    before = get(client, "/api/stats")
    response = ingest(client, [{"text": NEW_TEXT}], token)
    assert response.status_code == 200 and response.json()["stored"] == 1
    after = get(client, "/api/stats")
    assert after["documents"] == before["documents"] + 1
    assert after["claims"] > before["claims"]


def test_the_server_precomputes_the_dashboard_views(writable_db: Path) -> None:
    from armstrace.serve.params import claim_query, record_filter

    app = create_app(str(writable_db))
    views = app.state.database.views
    with TestClient(
        app, base_url="http://localhost"
    ) as client:  # the lifespan starts the watcher, which warms the views
        for _ in range(100):
            if len(views) >= 5:
                break
            time.sleep(0.05)
        assert len(views) == 5
        everything = claim_query()
        cached = views.get(("graph", record_filter(everything)), lambda: {"stale": True})
        assert json.loads(cached) == get(client, "/api/graph")
        get(client, "/api/map")
        get(client, "/api/actors?limit=500")
        assert len(views) == 5  # the page's requests found the warmed entries
