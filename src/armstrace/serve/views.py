"""The dashboard's aggregate views (stats, actors, graph, map, timeline, a claims-only actor
profile): each computes a JSON-ready dict from the store and the aggregate queries. The routers
serve them through the view cache (`cached`), which `warm_views` fills ahead of the dashboard.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from armstrace.records import STATUSES
from armstrace.serve import geo
from armstrace.serve.params import (
    RecordQuery,
    claim_query,
    record_filter,
    require_records,
    to_record_filter,
)
from armstrace.serve.serialise import document_dict, iso_date, name_of, page
from armstrace.serve.settings import Database
from armstrace.store import ClaimFilter, Store
from armstrace.store.aggregates import Edge, RecordEdge

GRAPH_RECORD_EDGES = 1500
MAX_GRAPH_EDGES = 3000
MAX_MAP_LINES = 1000
DASHBOARD_ACTORS = 500  # the dashboard's actor list asks for this many (static/data.js)


def json_response(body: bytes) -> Response:
    return Response(body, media_type="application/json")


# The cached views as JSON bodies: one function per view, so that the routes and the warm-up
# ask the cache under the same key.


def stats_json(db: Database) -> bytes:
    return db.views.get(("stats",), lambda: stats_view(db))


def actors_json(db: Database, limit: int, offset: int) -> bytes:
    return db.views.get(("actors", limit, offset), lambda: actors_view(db, limit, offset))


def graph_json(db: Database, params: RecordQuery) -> bytes:
    return db.views.get(("graph", params), lambda: graph_view(db, params))


def map_json(db: Database, params: RecordQuery) -> bytes:
    return db.views.get(("map", params), lambda: map_view(db, params))


def timeline_json(db: Database, query: ClaimFilter) -> bytes:
    return db.views.get(("timeline", query), lambda: timeline_view(db, query))


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


def stats_view(db: Database) -> dict[str, Any]:
    with db.open() as store:
        return stats_dict(store)


def actors_view(db: Database, limit: int, offset: int) -> dict[str, Any]:
    with db.open() as store:
        counts = store.actor_counts()
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


def claims_profile(db: Database, code: str) -> dict[str, Any]:
    """A profile from claims alone, for builds without armstrace.kb.profiles."""
    with db.open() as store:
        edges = store.claim_edges(ClaimFilter(actor=code))
        sides = [
            ("supplier", store.claim_timeline(ClaimFilter(supplier=code))),
            ("recipient", store.claim_timeline(ClaimFilter(recipient=code))),
        ]
    counterparts: dict[str, int] = {}
    categories: dict[str, int] = {}
    for edge in edges:
        other = edge.recipient if edge.supplier == code else edge.supplier
        counterparts[other] = counterparts.get(other, 0) + edge.claims
        categories[edge.category] = categories.get(edge.category, 0) + edge.claims
    timeline: dict[str, dict[str, int]] = {}
    for side, timeline_rows in sides:
        for month, _status, n in timeline_rows:
            if month is not None:
                bucket = timeline.setdefault(month, {"supplier": 0, "recipient": 0})
                bucket[side] += n
    return {
        **geo.node(code),
        "code": code,
        "as_supplier": [_edge_dict(e) for e in edges if e.supplier == code],
        "as_recipient": [_edge_dict(e) for e in edges if e.recipient == code],
        "counterparts": [
            {"code": c, "name": name_of(c), "claims": n}
            for c, n in sorted(counterparts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "categories": categories,
        "embargo": [],
        "timeline": [{"month": m, **timeline[m]} for m in sorted(timeline)],
    }


# --- graph ----------------------------------------------------------------------------------------


def _edge_dict(edge: Edge) -> dict[str, Any]:
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
        "last_seen": iso_date(edge.last_date),
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
        "last_seen": iso_date(edge.last_seen),
        "embargo": edge.embargo,
    }


def _record_graph(db: Database, filters: Any) -> tuple[str, int, list[dict[str, Any]]]:
    """Edges of transfer records: one per record while they are few enough to draw, else grouped
    by (pair, category), else by pair."""
    levels = (("record", GRAPH_RECORD_EDGES), ("category", MAX_GRAPH_EDGES))
    with db.open() as store:
        level, total, edges = store.record_edges(filters, (*levels, ("pair", MAX_GRAPH_EDGES)))
    return level, total, [_record_edge(e) for e in edges]


def graph_view(db: Database, params: RecordQuery) -> dict[str, Any]:
    """The transfer network from records when they exist, else from claims; GET /api/graph's
    description (routes/charts.py) says what `level` and `total` mean."""
    query, embargo_only, min_sources = params
    records = require_records()
    if records is not None:
        basis = "records"
        level, total, edges = _record_graph(db, to_record_filter(records, params))
    else:
        basis, level = "claims", "category"
        with db.open() as store:
            edges = [_edge_dict(e) for e in store.claim_edges(query)]
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


# --- map ------------------------------------------------------------------------------------------


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


def map_view(db: Database, params: RecordQuery) -> dict[str, Any]:
    builder = _MapBuilder()
    filters = to_record_filter(require_records(), params)
    with db.open() as store:
        total, routes = store.record_routes(filters, MAX_MAP_LINES)
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


# --- timeline and warming -------------------------------------------------------------------------


def timeline_view(db: Database, query: ClaimFilter) -> dict[str, Any]:
    months: dict[str, dict[str, int]] = {}
    undated: dict[str, int] = {}
    with db.open() as store:
        rows = store.claim_timeline(query)
    for month, status, n in rows:
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
    stats_json(db)
    graph_json(db, record_filter(everything))
    map_json(db, record_filter(everything))
    timeline_json(db, everything)
    actors_json(db, DASHBOARD_ACTORS, 0)
