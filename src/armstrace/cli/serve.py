"""CLI commands of the analyst surfaces: `serve` (the REST API and the dashboard) and `report`
(one self-contained HTML or markdown file). Heavy imports (FastAPI, uvicorn) happen inside.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import click

from armstrace.cli.options import db_option


@click.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind; anything but 127.0.0.1 exposes the server to the network.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--protect-reads",
    is_flag=True,
    help="Require the token ($ARMSTRACE_TOKEN) for reads too, not only for writes.",
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this host name (repeatable; * for any). By default only "
    "localhost, 127.0.0.1, ::1 and --host are answered, against DNS rebinding.",
)
@click.option(
    "--max-body-mb",
    type=click.FloatRange(min=0.001),
    default=20.0,
    show_default=True,
    help="Refuse request bodies larger than this (413), before reading them whole.",
)
def serve(
    db: str | None,
    host: str,
    port: int,
    protect_reads: bool,
    allowed_hosts: tuple[str, ...],
    max_body_mb: float,
) -> None:
    """Serve the REST API (/api, docs at /docs) and the offline dashboard (/).

    Writes (POST /api/ingest) need `Authorization: Bearer $ARMSTRACE_TOKEN`; without
    ARMSTRACE_TOKEN set, the server is read-only. Requests for a host name the server does not
    serve are refused (see --allow-host).

    \b
    Example:
      armstrace demo && armstrace serve --db armstrace-demo.db
      ARMSTRACE_TOKEN=s3cret armstrace serve --db arms.db --port 8080
      armstrace serve --host 0.0.0.0 --allow-host arms.example.org
    """
    import uvicorn

    from armstrace.serve.app import create_app
    from armstrace.serve.settings import TOKEN_VARIABLE
    from armstrace.store import DEFAULT_DATABASE

    token = os.environ.get(TOKEN_VARIABLE) or None
    app = create_app(
        db or DEFAULT_DATABASE,
        token=token,
        protect_reads=protect_reads,
        host=host,
        allowed_hosts=allowed_hosts,
        max_body_bytes=int(max_body_mb * 1024 * 1024),
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}, reachable from other machines", err=True)
    if host in ("0.0.0.0", "::") and not allowed_hosts:
        click.echo(
            "warning: only requests for localhost are answered; name the hosts that others "
            "use to reach this machine with --allow-host",
            err=True,
        )
    writes = "enabled (bearer token)" if token else f"disabled (set {TOKEN_VARIABLE})"
    click.echo(f"armstrace: http://{host}:{port}/  API docs /docs; writes {writes}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


@click.command("report")
@db_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write."
)
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True
)
def report(db: str | None, out: Path, fmt: Literal["html", "md"]) -> None:
    """Write a self-contained report: one HTML file (graph, map, timeline, record tables) that
    opens offline in any browser, or a markdown summary.

    \b
    Example:
      armstrace report --db arms.db --out report.html
      armstrace report --db arms.db --out summary.md --format md
    """
    from armstrace.serve.report import build_report
    from armstrace.store import open_store

    with open_store(db) as store:
        path = build_report(store, out, fmt)
    click.echo(f"wrote {path}", err=True)


COMMANDS: list[click.Command] = [serve, report]
