"""CLI commands of the analyst surfaces: `serve` and `report`.

`cli.py` adds every command in COMMANDS to the `armstrace` group, so this module owns them.
Heavy imports (FastAPI, uvicorn) happen inside the commands.
"""

from __future__ import annotations

import os

import click

from armstrace.commandline import db_option
from armstrace.serve.report import report

COMMANDS: list[click.Command] = []


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
def serve(db: str | None, host: str, port: int, protect_reads: bool) -> None:
    """Serve the REST API (/api, docs at /docs) and the offline dashboard (/).

    Writes (POST /api/ingest) need `Authorization: Bearer $ARMSTRACE_TOKEN`; without
    ARMSTRACE_TOKEN set, the server is read-only.

    \b
    Example:
      armstrace demo && armstrace serve --db armstrace-demo.db
      ARMSTRACE_TOKEN=s3cret armstrace serve --db arms.db --port 8080
    """
    import uvicorn

    from armstrace.serve.app import create_app
    from armstrace.serve.settings import TOKEN_VARIABLE
    from armstrace.store import DEFAULT_DATABASE

    token = os.environ.get(TOKEN_VARIABLE) or None
    app = create_app(db or DEFAULT_DATABASE, token=token, protect_reads=protect_reads)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}, reachable from other machines", err=True)
    writes = "enabled (bearer token)" if token else f"disabled (set {TOKEN_VARIABLE})"
    click.echo(f"armstrace: http://{host}:{port}/  API docs /docs; writes {writes}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


COMMANDS.append(serve)
COMMANDS.append(report)
