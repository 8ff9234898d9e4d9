"""GET /api/search: full-text search over the stored documents' titles and texts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from armstrace.errors import InputError
from armstrace.serve.params import Db
from armstrace.serve.serialise import document_dict

router = APIRouter()


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
