"""GET /api/actors and /api/actors/{code}: the actors named in claims with their counts (a cached
view), and one actor's profile from armstrace.kb.profiles, or from claims alone without it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from armstrace.errors import NotFoundError
from armstrace.serve import views
from armstrace.serve.params import DEFAULT_LIMIT, Db, Limit, Offset

router = APIRouter()


@router.get("/actors", summary="Actors named in claims, with their claim counts")
def list_actors(db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
    return views.json_response(views.actors_json(db, limit, offset))


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
        return views.claims_profile(db, resolved)
    with db.open() as store:
        result: dict[str, Any] = actor_profile(store, resolved).to_dict()
    return result
