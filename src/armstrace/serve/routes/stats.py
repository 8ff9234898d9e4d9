"""GET /api/stats: counts of documents, claims and records, served from the view cache."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from armstrace.serve import views
from armstrace.serve.params import Db

router = APIRouter()


@router.get("/stats", summary="Counts of documents, claims and records")
def get_stats(db: Db) -> Response:
    return views.json_response(views.stats_json(db))
