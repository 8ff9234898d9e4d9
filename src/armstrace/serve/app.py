"""The web application: `create_app(db)` builds the FastAPI app over one database file, with the
REST API under /api, the dashboard at /, its static files at /static and offline API docs.

It never loads anything from outside localhost: the docs page is rendered here, not from a CDN.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, TemplateNotFound

from armstrace.errors import ArmstraceError, InputError, ModelError, NotFoundError
from armstrace.serve import api, signin, views
from armstrace.serve.guards import (
    SECURITY_HEADERS,
    HostCheck,
    SecurityHeaders,
    WriteGuard,
    allowed_host_names,
)
from armstrace.serve.settings import DEFAULT_MAX_BODY_BYTES, Database, Settings, may_read

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
DASHBOARD_TEMPLATE = "dashboard.html"

# Status per error class, most specific first; anything else an ArmstraceError is a fault (500).
ERROR_STATUS: tuple[tuple[type[ArmstraceError], int], ...] = (
    (InputError, 400),
    (NotFoundError, 404),
    (ModelError, 503),
)

# Used when the dashboard template is not installed: autoescaped like every page here.
FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
<p>The dashboard is not installed in this build; the API is at <a href="{{ api }}/stats">{{ api
}}</a> and documented at <a href="/docs">/docs</a>.</p>
<p>{{ stats.documents }} documents, {{ stats.claims }} claims.</p>
<ul>{% for d in stats.recent_documents %}<li>{{ d.title or d.name }}</li>{% endfor %}</ul>
</body></html>
"""

DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} API</title></head>
<body><h1>{{ title }} API {{ version }}</h1>
<p>The machine-readable schema is <a href="/openapi.json">/openapi.json</a> (OpenAPI
{{ openapi }}). Lists return <code>{"total", "limit", "offset", "items"}</code>; errors return
<code>{"detail": "message"}</code>.</p>
{% for path, operations in paths %}{% for method, op in operations %}
<h2><code>{{ method | upper }} {{ path }}</code></h2>
<p>{{ op.summary or "" }}</p>
{% if op.parameters %}<ul>{% for p in op.parameters %}
<li><code>{{ p.name }}</code> ({{ p["in"] }}{% if p.required %}, required{% endif %}){% if
p.description %}: {{ p.description }}{% endif %}</li>{% endfor %}</ul>{% endif %}
{% endfor %}{% endfor %}
</body></html>
"""


def _version() -> str:
    try:
        return metadata.version("armstrace")
    except metadata.PackageNotFoundError:
        return "0"


def error_status(exc: ArmstraceError) -> int:
    for kind, status in ERROR_STATUS:
        if isinstance(exc, kind):
            return status
    return 500


async def _armstrace_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ArmstraceError)
    return JSONResponse({"detail": str(exc)}, status_code=error_status(exc))


async def _internal_error(_request: Request, exc: Exception) -> JSONResponse:
    """A fault of armstrace, not of the request: logged with its traceback, answered without it.
    Starlette sends this response outside every middleware, so it carries the headers itself."""
    return JSONResponse(
        {"detail": "internal error: the server's log has the details"},
        status_code=500,
        headers=SECURITY_HEADERS,
    )


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 with a one-line message first; inputs are not echoed (they may be long)."""
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    message = "; ".join(
        f"{'.'.join(str(part) for part in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in errors
    )
    return JSONResponse(
        {"detail": f"bad request parameters: {message}", "errors": jsonable_encoder(errors)},
        status_code=422,
    )


def render_dashboard(environment: Environment, context: dict[str, Any]) -> str:
    """The dashboard template, or a minimal page when the template is not installed."""
    try:
        template = environment.get_template(DASHBOARD_TEMPLATE)
    except TemplateNotFound:
        template = environment.from_string(FALLBACK_PAGE)
    return template.render(**context)


WATCH_SECONDS = 2.0  # how often the server looks for a changed database to re-warm the views


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While serving, keep the dashboard's views computed: at start-up, and again whenever the
    database changes (an ingest by this server or by the CLI in another process)."""
    stop = threading.Event()
    watcher = threading.Thread(
        target=_keep_warm, args=(app.state.database, stop), name="armstrace-watch", daemon=True
    )
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(timeout=WATCH_SECONDS + 5)


def _keep_warm(database: Database, stop: threading.Event) -> None:
    seen = None
    while not stop.is_set():
        signature = database.views.signature()
        if signature != seen:
            _warm(database)
            seen = signature
        stop.wait(WATCH_SECONDS)


def _warm(database: Database) -> None:
    try:
        views.warm_views(database)
    except Exception as exc:  # a view that fails now fails again, with its error, on request
        log.warning("could not precompute the dashboard views: %r", exc)


def _warm_in_background(database: Database) -> None:
    """Fill the view cache for the dashboard's first paint without holding up the caller."""

    threading.Thread(target=_warm, args=(database,), name="armstrace-warm", daemon=True).start()


def create_app(
    db: str,
    *,
    token: str | None = None,
    protect_reads: bool = False,
    host: str = "127.0.0.1",
    allowed_hosts: Collection[str] = (),
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """The application over the database `db` (created and migrated if new).

    `token` enables writes (POST /api/ingest) for requests bearing it; without it the server is
    read-only. `protect_reads` makes every read need the token too. Requests must name the
    loopback, `host` (the address it is bound to) or one of `allowed_hosts` ("*": any) in their
    Host header; bodies over `max_body_bytes` are refused (413).
    """
    settings = Settings(
        db=db,
        token=token,
        protect_reads=protect_reads,
        allowed_hosts=allowed_host_names(host, allowed_hosts),
        max_body_bytes=max_body_bytes,
    )
    database = Database(db)
    app = FastAPI(
        title="armstrace",
        version=_version(),
        description="Sourced arms-transfer claims extracted from news and official statements.",
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN: /docs is served below
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    # The last added runs first: headers on everything, then the Host check, then the writes.
    app.add_middleware(WriteGuard, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(HostCheck, allowed=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(Exception, _internal_error)
    app.add_exception_handler(ArmstraceError, _armstrace_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.include_router(api.router)
    app.include_router(api.write_router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)

    app.include_router(signin.router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request) -> Response:
        if not may_read(request):
            return RedirectResponse("/login", status_code=303)
        _warm_in_background(database)  # after an ingest: the views the page asks for next
        stats = json.loads(views.stats_json(database))
        context = {"title": "armstrace", "stats": stats, "api": "/api", "world_url": "/api/world"}
        return HTMLResponse(render_dashboard(environment, context))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        schema = app.openapi()
        paths = [(path, list(operations.items())) for path, operations in schema["paths"].items()]
        page = environment.from_string(DOCS_PAGE).render(
            title=schema["info"]["title"],
            version=schema["info"]["version"],
            openapi=schema["openapi"],
            paths=paths,
        )
        return HTMLResponse(page)

    return app
