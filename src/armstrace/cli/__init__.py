"""The armstrace command line: a thin click layer over the library, and the only code that
imports click.

Each command parses its options, calls one library function and maps ArmstraceError to its exit
code with a message that says what to do. Heavy imports (spaCy, the store, FastAPI) happen
inside the commands, so `armstrace --help` stays fast. One module per group of commands:
ingest.py (ingest, extract, eval), batch.py, claims.py (claims, show, docs), demo.py,
transfers.py (transfers, transfer, actor, import-sipri), export.py, serve.py (serve, report),
train.py, watch.py (watch), unroca.py (import-unroca, reconcile);
options.py
holds the options and printers they share.
"""

from __future__ import annotations

from typing import Any

import click

from armstrace.cli import (
    batch,
    claims,
    demo,
    export,
    ingest,
    serve,
    train,
    transfers,
    unroca,
    watch,
)
from armstrace.errors import ArmstraceError

__all__ = ["main"]


class ArmstraceGroup(click.Group):
    """Turns ArmstraceError into a one-line message and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArmstraceError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=ArmstraceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="armstrace")
def main() -> None:
    """armstrace: sourced records of who sends which weapons to whom, from news and statements.

    \b
    Quick start:
      armstrace demo                       # ingest the bundled sample corpus and summarise it
      armstrace ingest articles/           # read, extract and store a folder of articles
      armstrace claims --recipient Russia  # list stored claims
    """


for _module in (ingest, batch, claims, demo, transfers, export, serve, train, watch, unroca):
    for _command in _module.COMMANDS:
        main.add_command(_command)
