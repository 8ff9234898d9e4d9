"""The dashboard's charts: GET /api/graph (the transfer network), /api/map (route lines) with
/api/world (the outlines it draws on) and /api/timeline. The views are computed in
armstrace.serve.views and served from its cache.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from armstrace.serve import geo, views
from armstrace.serve.params import Claims, Db, RecordParams

router = APIRouter()


@router.get("/graph", summary="Nodes and edges of the transfer network, aggregated")
def graph(db: Db, params: RecordParams) -> Response:
    """Built from transfer records when they exist, else from claims grouped by (supplier,
    recipient, category). `level` says what an edge is: record, category (a pair's records of
    one category) or pair; `total` how many there are before the MAX_GRAPH_EDGES cut."""
    return views.json_response(views.graph_json(db, params))


@router.get("/map", summary="Points (actors, transit, route places) and route lines")
def map_points(db: Db, params: RecordParams) -> Response:
    """Lines from transfer records, one per distinct supplier, recipient, transit and route,
    with the record filters; each line names the record with the most support on it."""
    return views.json_response(views.map_json(db, params))


@router.get("/world", summary="World country outlines (GeoJSON, Natural Earth 1:110m)")
def world() -> Response:
    return Response(geo.world_bytes(), media_type="application/geo+json")


@router.get("/timeline", summary="Claims counted per month and status")
def timeline(db: Db, query: Claims) -> Response:
    return views.json_response(views.timeline_json(db, query))
