"""The REST API under /api: the resource routers of armstrace.serve.routes, assembled in the
order that /openapi.json and /docs list them. Every read needs `require_read`; the only write,
POST /api/ingest, is on `write_router` and needs the bearer token.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from armstrace.serve.routes import (
    actors,
    charts,
    claims,
    documents,
    export,
    ingest,
    register,
    search,
    stats,
    transfers,
)
from armstrace.serve.settings import require_read

router = APIRouter(prefix="/api", dependencies=[Depends(require_read)])
for resource in (stats, documents, claims, transfers, actors, search, charts, export, register):
    router.include_router(resource.router)

write_router = APIRouter(prefix="/api")
write_router.include_router(ingest.router)
