"""The REST API's routers: each endpoint parses its parameters, calls the store (or the records
and aggregate queries) and returns JSON-ready dicts. Errors travel as ArmstraceError and the app
maps them to statuses; nothing here writes except POST /api/ingest, behind the token.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import threading
from collections.abc import Callable, Hashable, Iterator
from datetime import date
from types import ModuleType
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from armstrace.errors import ArmstraceError, InputError, NotFoundError
from armstrace.records import CATEGORIES, STATUSES, Claim, Document, Quote
from armstrace.serve import geo
from armstrace.serve.queries import ClaimQuery, RecordEdge, record_edges, record_routes
from armstrace.serve.settings import Database, require_read, require_write
from armstrace.store import ClaimFilter, Store

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
EXPORT_PAGE = 1000
GRAPH_RECORD_EDGES = 1500
MAX_GRAPH_EDGES = 3000
MAX_MAP_LINES = 1000
DASHBOARD_ACTORS = 500  # the dashboard's actor list asks for this many (static/data.js)
MAX_INGEST_DOCUMENTS = 100
MAX_INGEST_CHARS = 2_000_000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, description="How many items to skip.")]

router = APIRouter(prefix="/api", dependencies=[Depends(require_read)])
write_router = APIRouter(prefix="/api")

# spaCy's pipeline is shared by the process; one extraction at a time keeps it safe to use.
_EXTRACTION_LOCK = threading.Lock()


def get_db(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


Db = Annotated[Database, Depends(get_db)]


# --- serialisation ------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(code: str | None) -> str | None:
    from armstrace.extract.actors import actor_name

    return actor_name(code) if code is not None else None


def claim_dict(claim: Claim) -> dict[str, Any]:
    """A claim as JSON: the contract fields, names for the codes, and its provenance."""
    speaker = claim.speaker
    return {
        "id": claim.id,
        "document_id": claim.document_id,
        "document": claim.document_name,
        **claim.contract(),
        "supplier_name": _name(claim.supplier),
        "recipient_name": _name(claim.recipient),
        "route": list(claim.route),
        "designations": list(claim.designations),
        "quantity": claim.quantity,
        "date": _iso(claim.claim_date),
        "speaker": (
            {"name": speaker.name, "title": speaker.title, "affiliation": speaker.affiliation}
            if speaker is not None
            else None
        ),
        "evidence_start": claim.evidence_start,
        "evidence_end": claim.evidence_end,
        "sentence": claim.sentence,
        "sentence_start": claim.sentence_start,
        "rule": claim.rule,
    }


def document_dict(document: Document, *, text: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": document.id,
        "name": document.name,
        "title": document.title,
        "url": document.url,
        "published": _iso(document.published),
        "outlet": document.outlet,
        "language": document.language,
        "origin": document.origin,
    }
    if text:
        out["text"] = document.text
    return out


def quote_dict(quote: Quote) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "speaker": speaker.name if speaker else None,
        "speaker_title": speaker.title if speaker else None,
        "speaker_affiliation": speaker.affiliation if speaker else None,
    }


def page(total: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _view(db: Database, key: Hashable, compute: Callable[[], dict[str, Any]]) -> Response:
    """An aggregate view's JSON, from the view cache while the database is unchanged."""
    return Response(db.views.get(key, compute), media_type="application/json")


# --- filters ------------------------------------------------------------------------------------


def resolve(value: str | None, parameter: str) -> str | None:
    """An actor name or code as its code, like the CLI's --supplier; unknown is a 400."""
    if value is None or not value.strip():
        return None
    from armstrace.extract.actors import resolve_actor

    code = resolve_actor(value)
    if code is None:
        raise InputError(
            f"unknown actor {value!r} in `{parameter}`: give an ISO alpha-3 code (RUS) or a "
            "known name (Russia); GET /api/actors lists the actors in the database"
        )
    return code


def _check_range(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and since > until:
        raise InputError(f"`since` ({since}) is after `until` ({until}): swap them")


def claim_query(
    supplier: Annotated[str | None, Query(description="Supplier name or code (Iran, IRN).")] = None,
    recipient: Annotated[str | None, Query(description="Recipient name or code.")] = None,
    actor: Annotated[str | None, Query(description="Either side, name or code.")] = None,
    category: Annotated[str | None, Query(description=f"One of: {', '.join(CATEGORIES)}.")] = None,
    status: Annotated[str | None, Query(description=f"One of: {', '.join(STATUSES)}.")] = None,
    since: Annotated[
        date | None, Query(description="Claims dated on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        date | None, Query(description="Claims dated on or before (YYYY-MM-DD).")
    ] = None,
    document_id: Annotated[str | None, Query(description="Only this document's claims.")] = None,
) -> ClaimQuery:
    _check_range(since, until)
    base = ClaimFilter(
        supplier=resolve(supplier, "supplier"),
        recipient=resolve(recipient, "recipient"),
        category=category or None,
        status=status or None,
        since=since,
        document_id=document_id or None,
    )
    return ClaimQuery(base=base, until=until, actor=resolve(actor, "actor"))


Claims = Annotated[ClaimQuery, Depends(claim_query)]


def require_records() -> ModuleType:
    """The transfer-record engine, imported on first use (it pulls in the embargo data)."""
    return importlib.import_module("armstrace.kb.records")


def record_filter(
    claims: Claims,
    embargo_only: Annotated[bool, Query(description="Only transfers touching an embargo.")] = False,
    min_sources: Annotated[
        int | None, Query(ge=1, description="At least this many independent sources.")
    ] = None,
) -> tuple[ClaimQuery, bool, int | None]:
    return claims, embargo_only, min_sources


RecordParams = Annotated[tuple[ClaimQuery, bool, int | None], Depends(record_filter)]


def _record_filter(records: ModuleType, params: tuple[ClaimQuery, bool, int | None]) -> Any:
    query, embargo_only, min_sources = params
    if query.base.document_id is not None:
        raise InputError("`document_id` filters claims, not transfer records: use /api/claims")
    base = query.base
    return records.RecordFilter(
        supplier=base.supplier,
        recipient=base.recipient,
        actor=query.actor,
        category=base.category,
        status=base.status,
        since=base.since,
        until=query.until,
        embargo_only=embargo_only,
        min_sources=min_sources,
    )


# --- stats and documents ------------------------------------------------------------------------


def stats_dict(store: Store) -> dict[str, Any]:
    """Counts for the dashboard's first paint and GET /api/stats."""
    stats = store.stats()
    records = require_records()
    return {
        "documents": stats.documents,
        "claims": stats.claims,
        "records": records.count_records(store, records.RecordFilter()) if records else None,
        "by_category": stats.by_category,
        "by_status": stats.by_status,
        "by_pair": [
            {"supplier": s, "recipient": r, "claims": n} for (s, r), n in stats.by_pair.items()
        ][:50],
        "recent_documents": [
            document_dict(d)
            for d in store.documents(limit=5, offset=max(stats.documents - 5, 0))[::-1]
        ],
    }


@router.get("/stats", summary="Counts of documents, claims and records")
def get_stats(db: Db) -> Response:
    return _view(db, ("stats",), lambda: stats_view(db))


def stats_view(db: Database) -> dict[str, Any]:
    with db.open() as store:
        return stats_dict(store)


@router.get("/documents", summary="Stored documents, in the order they were stored")
def list_documents(db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    with db.open() as store:
        total = store.count_documents()
        items = []
        for document in store.documents(limit=limit, offset=offset):
            item = document_dict(document)
            item["claims"] = store.count_claims(ClaimFilter(document_id=document.id))
            items.append(item)
    return page(total, limit, offset, items)


@router.get("/documents/{document_id}", summary="A document with its text, claims, quotes, notes")
def get_document(document_id: str, db: Db) -> dict[str, Any]:
    with db.open() as store:
        extraction = store.extraction(document_id)
    return {
        **document_dict(extraction.document, text=True),
        "claims": [claim_dict(c) for c in extraction.claims],
        "quotes": [quote_dict(q) for q in extraction.quotes],
        "notes": list(extraction.notes),
    }


# --- claims ---------------------------------------------------------------------------------------


@router.get("/claims", summary="Claims, filtered and paged")
def list_claims(
    db: Db, query: Claims, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    total, ids = db.queries.claim_ids(query, limit, offset)
    with db.open() as store:
        items = [claim_dict(store.claim(claim_id)) for claim_id in ids]
    return page(total, limit, offset, items)


@router.get("/claims/{claim_id}", summary="One claim by id or unique prefix (6+ characters)")
def get_claim(claim_id: str, db: Db) -> dict[str, Any]:
    with db.open() as store:
        claim = store.claim(claim_id)
        document = store.document(claim.document_id)
    return {**claim_dict(claim), "document_info": document_dict(document)}


# --- transfer records ---------------------------------------------------------------------------


@router.get("/transfers", summary="Transfer records (claims merged across documents)")
def list_transfers(
    db: Db, params: RecordParams, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    records = require_records()
    filters = _record_filter(records, params)
    with db.open() as store:
        total = records.count_records(store, filters)
        rows = records.list_records(store, filters, limit=limit, offset=offset)
        return page(total, limit, offset, [r.to_dict() for r in rows])


@router.get("/transfers/{record_id}", summary="One transfer record by id or unique prefix")
def get_transfer(record_id: str, db: Db) -> dict[str, Any]:
    records = require_records()
    with db.open() as store:
        result: dict[str, Any] = records.get_record(store, record_id).to_dict()
    return result


# --- actors ---------------------------------------------------------------------------------------


@router.get("/actors", summary="Actors named in claims, with their claim counts")
def list_actors(db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
    return _view(db, ("actors", limit, offset), lambda: actors_view(db, limit, offset))


def actors_view(db: Database, limit: int, offset: int) -> dict[str, Any]:
    counts = db.queries.actor_counts()
    items = [
        {
            **geo.node(c.code),
            "as_supplier": c.as_supplier,
            "as_recipient": c.as_recipient,
            "claims": c.as_supplier + c.as_recipient,
        }
        for c in counts[offset : offset + limit]
    ]
    return page(len(counts), limit, offset, items)


@router.get("/actors/{code}", summary="An actor's profile (name or code)")
def get_actor(code: str, db: Db) -> dict[str, Any]:
    from armstrace.extract.actors import resolve_actor

    resolved = resolve_actor(code)
    if resolved is None:
        raise NotFoundError(f"unknown actor {code!r}: give an ISO alpha-3 code or a known name")
    try:
        from armstrace.kb.profiles import actor_profile
    except ModuleNotFoundError as exc:
        if exc.name != "armstrace.kb.profiles":
            raise
        return _claims_profile(db, resolved)
    with db.open() as store:
        result: dict[str, Any] = actor_profile(store, resolved).to_dict()
    return result


def _claims_profile(db: Database, code: str) -> dict[str, Any]:
    """A profile from claims alone, for builds without armstrace.kb.profiles."""
    edges = db.queries.edges(ClaimQuery(actor=code))
    counterparts: dict[str, int] = {}
    categories: dict[str, int] = {}
    for edge in edges:
        other = edge.recipient if edge.supplier == code else edge.supplier
        counterparts[other] = counterparts.get(other, 0) + edge.claims
        categories[edge.category] = categories.get(edge.category, 0) + edge.claims
    timeline: dict[str, dict[str, int]] = {}
    for side, query in (
        ("supplier", ClaimQuery(ClaimFilter(supplier=code))),
        ("recipient", ClaimQuery(ClaimFilter(recipient=code))),
    ):
        for month, _status, n in db.queries.timeline(query):
            if month is not None:
                bucket = timeline.setdefault(month, {"supplier": 0, "recipient": 0})
                bucket[side] += n
    return {
        **geo.node(code),
        "code": code,
        "as_supplier": [_edge_dict(e) for e in edges if e.supplier == code],
        "as_recipient": [_edge_dict(e) for e in edges if e.recipient == code],
        "counterparts": [
            {"code": c, "name": _name(c), "claims": n}
            for c, n in sorted(counterparts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "categories": categories,
        "embargo": [],
        "timeline": [{"month": m, **timeline[m]} for m in sorted(timeline)],
    }


# --- search ---------------------------------------------------------------------------------------


@router.get("/search", summary="Full-text search over document titles and texts")
def search(
    db: Db,
    q: Annotated[str, Query(max_length=1000, description="Words; a trailing * is a prefix.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    if not q.strip():
        raise InputError("the search query `q` is empty: give one or more words")
    with db.open() as store:
        hits = store.search(q, limit=limit)
    items = [{**document_dict(h.document), "snippet": h.snippet} for h in hits]
    return {"query": q, "limit": limit, "count": len(items), "items": items}


# --- graph, map, timeline -------------------------------------------------------------------


def _edge_dict(edge: Any) -> dict[str, Any]:
    from armstrace.kb.embargoes import check_transfer

    hits = check_transfer(edge.supplier, edge.recipient, edge.last_date, category=edge.category)
    return {
        "id": f"{edge.supplier}>{edge.recipient}:{edge.category}",
        "record_id": None,
        "pair": [edge.supplier, edge.recipient],
        "supplier": edge.supplier,
        "recipient": edge.recipient,
        "category": edge.category,
        "status": edge.status,
        "sources": edge.documents,
        "support": edge.claims,
        "last_seen": _iso(edge.last_date),
        "embargo": bool(hits),
    }


def _record_edge(edge: RecordEdge) -> dict[str, Any]:
    pair = f"{edge.supplier}>{edge.recipient}"
    return {
        "id": edge.record_id or (f"{pair}:{edge.category}" if edge.category else pair),
        "record_id": edge.record_id,
        "pair": [edge.supplier, edge.recipient],
        "supplier": edge.supplier,
        "recipient": edge.recipient,
        "category": edge.category,
        "status": edge.status,
        "sources": edge.sources,
        "support": edge.support,
        "records": edge.records,
        "last_seen": _iso(edge.last_seen),
        "embargo": edge.embargo,
    }


def _record_graph(db: Database, filters: Any) -> tuple[str, int, list[dict[str, Any]]]:
    """Edges of transfer records: one per record while they are few enough to draw, else grouped
    by (pair, category), else by pair."""
    levels = (("record", GRAPH_RECORD_EDGES), ("category", MAX_GRAPH_EDGES))
    level, total, edges = record_edges(db.path, filters, (*levels, ("pair", MAX_GRAPH_EDGES)))
    return level, total, [_record_edge(e) for e in edges]


@router.get("/graph", summary="Nodes and edges of the transfer network, aggregated")
def graph(db: Db, params: RecordParams) -> Response:
    """Built from transfer records when they exist, else from claims grouped by (supplier,
    recipient, category). `level` says what an edge is: record, category (a pair's records of
    one category) or pair; `total` how many there are before the MAX_GRAPH_EDGES cut."""
    return _view(db, ("graph", params), lambda: graph_view(db, params))


def graph_view(db: Database, params: tuple[ClaimQuery, bool, int | None]) -> dict[str, Any]:
    """Built from transfer records when they exist, else from claims grouped by (supplier,
    recipient, category). `level` says what an edge is: record, category (a pair's records of
    one category) or pair; `total` how many there are before the MAX_GRAPH_EDGES cut."""
    query, embargo_only, min_sources = params
    records = require_records()
    if records is not None:
        basis = "records"
        level, total, edges = _record_graph(db, _record_filter(records, params))
    else:
        basis, level = "claims", "category"
        edges = [_edge_dict(e) for e in db.queries.edges(query)]
        edges = [
            e
            for e in edges
            if (not embargo_only or e["embargo"])
            and (min_sources is None or e["sources"] >= min_sources)
        ]
        total = len(edges)
    edges = edges[:MAX_GRAPH_EDGES]
    codes = sorted({e["supplier"] for e in edges} | {e["recipient"] for e in edges})
    return {
        "basis": basis,
        "level": level,
        "total": total,
        "truncated": total > len(edges),
        "nodes": [geo.node(code) for code in codes],
        "edges": edges,
    }


class _MapBuilder:
    """Points keyed by id with the roles they play, and lines through them."""

    def __init__(self) -> None:
        self.points: dict[str, dict[str, Any]] = {}
        self.lines: list[dict[str, Any]] = []

    def point(self, key: str, role: str, *, actor: bool) -> dict[str, Any] | None:
        point = self.points.get(key)
        if point is None:
            if actor:
                base = geo.node(key)
            else:
                at = geo.place_point(key)
                base = {"id": key, "name": key, "kind": "place", "lat": None, "lon": None}
                if at is not None:
                    base["lat"], base["lon"] = at
            point = self.points[key] = {**base, "roles": []}
        if role not in point["roles"]:
            point["roles"].append(role)
        return point if point["lat"] is not None else None

    def line(
        self,
        supplier: str,
        recipient: str,
        via: list[str],
        route: list[dict[str, Any]],
    ) -> dict[str, Any] | None:
        """A line through the route's points (those with coordinates), or None when fewer than
        two have any; its points are listed either way."""
        from armstrace.extract.actors import resolve_actor

        start = self.point(supplier, "supplier", actor=True)
        end = self.point(recipient, "recipient", actor=True)
        middle = [self.point(v, "transit", actor=resolve_actor(v) == v) for v in via]
        stops: list[dict[str, Any] | None] = []
        for place in route:
            if place.get("lat") is not None and place["name"] not in self.points:
                self.points[place["name"]] = {
                    "id": place["name"],
                    "name": place["name"],
                    "kind": "place",
                    "lat": place["lat"],
                    "lon": place["lon"],
                    "roles": [],
                }
            stops.append(self.point(place["name"], "route", actor=False))
        path = [p for p in (start, *stops, *middle, end) if p is not None]
        if len(path) < 2:
            return None
        line = {
            "supplier": supplier,
            "recipient": recipient,
            "via": via,
            "route": [p["name"] for p in route],
            "path": [{"id": p["id"], "lat": p["lat"], "lon": p["lon"]} for p in path],
        }
        self.lines.append(line)
        return line


@router.get("/map", summary="Points (actors, transit, route places) and route lines")
def map_points(db: Db, params: RecordParams) -> Response:
    """Lines from transfer records, one per distinct supplier, recipient, transit and route,
    with the record filters; each line names the record with the most support on it."""
    return _view(db, ("map", params), lambda: map_view(db, params))


def map_view(db: Database, params: tuple[ClaimQuery, bool, int | None]) -> dict[str, Any]:
    builder = _MapBuilder()
    total, routes = record_routes(db.path, _record_filter(require_records(), params), MAX_MAP_LINES)
    for route in routes:
        places = []
        for name in route.route:
            at = geo.place_point(name)
            places.append(
                {"name": name, "lat": at[0] if at else None, "lon": at[1] if at else None}
            )
        line = builder.line(route.supplier, route.recipient, list(route.via), places)
        if line is not None:
            line.update(
                record_id=route.record_id,
                status=route.status,
                records=route.records,
                support=route.support,
            )
    return {
        "basis": "records",
        "points": list(builder.points.values()),
        "lines": builder.lines,
        "total": total,
        "truncated": total > len(routes),
    }


@router.get("/world", summary="World country outlines (GeoJSON, Natural Earth 1:110m)")
def world() -> Response:
    return Response(geo.world_bytes(), media_type="application/geo+json")


@router.get("/timeline", summary="Claims counted per month and status")
def timeline(db: Db, query: Claims) -> Response:
    return _view(db, ("timeline", query), lambda: timeline_view(db, query))


def timeline_view(db: Database, query: ClaimQuery) -> dict[str, Any]:
    months: dict[str, dict[str, int]] = {}
    undated: dict[str, int] = {}
    for month, status, n in db.queries.timeline(query):
        bucket = undated if month is None else months.setdefault(month, {})
        bucket[status] = n
    return {
        "statuses": list(STATUSES),
        "items": [
            {"month": m, "total": sum(months[m].values()), "by_status": months[m]}
            for m in sorted(months)
        ],
        "undated": {"total": sum(undated.values()), "by_status": undated},
    }


def warm_views(db: Database) -> None:
    """Compute the views the dashboard asks for when it opens (unfiltered), so that its first
    paint reads them from the cache; run on a background thread at start-up and page loads."""
    everything = claim_query()
    views: list[tuple[Hashable, Callable[[], dict[str, Any]]]] = [
        (("stats",), lambda: stats_view(db)),
        (("graph", record_filter(everything)), lambda: graph_view(db, record_filter(everything))),
        (("map", record_filter(everything)), lambda: map_view(db, record_filter(everything))),
        (("timeline", everything), lambda: timeline_view(db, everything)),
        (("actors", DASHBOARD_ACTORS, 0), lambda: actors_view(db, DASHBOARD_ACTORS, 0)),
    ]
    for key, compute in views:
        db.views.get(key, compute)


# --- export ---------------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "id", "document", "date", "supplier", "recipient", "category", "status", "items", "via",
    "source", "evidence",
)  # fmt: skip


def _csv_row(claim: Claim) -> dict[str, Any]:
    row = claim_dict(claim)
    row["items"] = "; ".join(claim.items)
    row["via"] = "; ".join(claim.via)
    return row


@router.get("/export", summary="Every matching claim as CSV or JSON lines (streamed)")
def export(
    db: Db, query: Claims, format: Annotated[Literal["csv", "jsonl"], Query()] = "jsonl"
) -> StreamingResponse:
    def chunks() -> Iterator[str]:
        # Each chunk opens its own connection: a streaming body may resume on another thread.
        offset = 0
        if format == "csv":
            yield ",".join(EXPORT_FIELDS) + "\r\n"
        while True:
            _, ids = db.queries.claim_ids(query, EXPORT_PAGE, offset)
            if not ids:
                return
            with db.open() as store:
                claims = [store.claim(claim_id) for claim_id in ids]
            out = io.StringIO()
            if format == "csv":
                writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
                writer.writerows(_csv_row(c) for c in claims)
            else:
                for claim in claims:
                    out.write(json.dumps(claim_dict(claim), ensure_ascii=False) + "\n")
            yield out.getvalue()
            offset += len(ids)

    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson"
    return StreamingResponse(
        chunks(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="claims.{format}"'},
    )


# --- ingest ---------------------------------------------------------------------------------------


class IngestDocument(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_INGEST_CHARS)
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    published: date | None = None
    outlet: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200, description="Default: api-<id>.")


class IngestRequest(BaseModel):
    documents: list[IngestDocument] = Field(min_length=1, max_length=MAX_INGEST_DOCUMENTS)


@write_router.post(
    "/ingest",
    summary="Extract and store documents (needs the bearer token)",
    dependencies=[Depends(require_write)],
)
def ingest(body: IngestRequest, db: Db) -> dict[str, Any]:
    """Runs in FastAPI's threadpool (a plain `def`), so extraction does not block the server."""
    from armstrace.jobs import IngestReport, Outcome, extract_stream

    report = IngestReport()
    ids: dict[str, str] = {}  # origin -> document id, for every input that made a document
    with db.open() as store:
        pending = list(_new_documents(body.documents, store, report, ids))
        with _EXTRACTION_LOCK:
            extracted = list(extract_stream(pending, report))
        for extraction, warnings, origin in extracted:
            try:
                stored = store.save(extraction)
            except ArmstraceError as exc:
                report.outcomes.append(
                    Outcome(origin, "skipped", str(exc), extraction.document.name)
                )
                continue
            report.outcomes.append(
                Outcome(
                    origin,
                    "stored" if stored else "unchanged",
                    None,
                    extraction.document.name,
                    claims=len(extraction.claims) if stored else 0,
                    warnings=warnings + extraction.notes,
                )
            )
        records = require_records()
        if records is not None and report.stored:
            records.refresh_records(store)
    if report.stored:
        db.views.clear()  # the file signature would tell too; this server knows for sure
    items = [
        {
            "index": int(o.origin.rsplit(":", 1)[1]),
            "status": o.status,
            "name": o.document_name,
            "document_id": ids.get(o.origin) if o.status != "skipped" else None,
            "reason": o.reason,
            "claims": o.claims,
            "warnings": list(o.warnings),
        }
        for o in report.outcomes
    ]
    items.sort(key=lambda item: int(str(item["index"])))
    return {"stored": report.stored, "claims": report.claims, "items": items}


def _new_documents(
    documents: list[IngestDocument], store: Store, report: Any, ids: dict[str, str]
) -> Iterator[tuple[Document, tuple[str, ...], str]]:
    """Checked documents not yet stored; the rest are recorded in the report."""
    from armstrace.ingest.readers import Meta, build, check_not_binary, normalise_newlines
    from armstrace.jobs import Outcome
    from armstrace.records import content_id, normalise_text

    seen: dict[str, str] = {}
    for index, item in enumerate(documents):
        origin = f"api:{index}"
        text = normalise_newlines(item.text)
        try:
            check_not_binary(text)
        except InputError as exc:
            report.outcomes.append(Outcome(origin, "skipped", str(exc), item.name))
            continue
        name = item.name or "api-" + content_id(normalise_text(text))[:10]
        meta = Meta(url=item.url, title=item.title, published=item.published, outlet=item.outlet)
        result = build(text, name, origin, meta, ())
        document = result.document
        if document is None:
            report.outcomes.append(Outcome(origin, "skipped", result.reason, name))
            continue
        ids[origin] = document.id
        if document.id in seen:
            report.outcomes.append(
                Outcome(origin, "duplicate", f"same text as {seen[document.id]}", name)
            )
        elif store.has_document(document.id):
            report.outcomes.append(Outcome(origin, "unchanged", "already stored", name))
        else:
            seen[document.id] = name
            yield document, result.warnings, origin
