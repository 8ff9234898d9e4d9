"""The `armstrace export` command: parse options, call armstrace.export.export, report counts
on standard error (standard output carries only the export).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

import click

from armstrace.cli.options import db_option, record_filter_options

if TYPE_CHECKING:
    from armstrace.export import ExportSummary
    from armstrace.store import RecordFilter

FORMAT_NAMES = ("csv", "jsonl", "graphml", "geojson", "ftm")  # armstrace.export.FORMATS, unloaded


def _to_stdout(write: Callable[[TextIO], ExportSummary]) -> ExportSummary:
    """Run `write` on standard output as UTF-8 with no newline translation, whatever the
    terminal's locale (a stream without a byte buffer, as in some embedders, is used as is)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return write(sys.stdout)
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        return write(out)
    finally:
        out.flush()
        out.detach()


@click.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    required=True,
    help="csv (spreadsheets), jsonl, graphml (Gephi), geojson (QGIS), ftm (Aleph).",
)
@click.option(
    "--what",
    type=click.Choice(["records", "claims"]),
    default="records",
    show_default=True,
    help="Transfer records (merged) or the stored claims.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: standard output).",
)
@db_option
@record_filter_options(
    status_help="Record status (or claim status).",
    since_help="Records last seen (claims dated) on or after this day.",
    until_help="Records first seen (claims dated) on or before this day.",
)
def export(
    fmt: str, what: str, out_path: str | None, db: str | None, filters: RecordFilter
) -> None:
    """Export transfer records or claims for other tools: spreadsheets, Gephi, QGIS, Aleph.

    Counts go to standard error, so standard output carries only the export.

    \b
    Example:
      armstrace export --format csv --out transfers.csv
      armstrace export --format graphml --actor Iran --out iran.graphml
      armstrace export --format geojson --recipient Russia --since 2023-01-01 > routes.geojson
      armstrace export --format ftm --what claims --out claims.ftm.json
    """
    from armstrace.export import export as run_export
    from armstrace.export import export_to_path
    from armstrace.store import open_store

    with open_store(db) as store:
        if out_path is None:
            summary = _to_stdout(
                lambda out: run_export(store, fmt, out, what=what, filters=filters)
            )
        else:
            summary = export_to_path(store, fmt, out_path, what=what, filters=filters)
    where = out_path or "standard output"
    click.echo(f"{summary.written} {what} exported as {fmt} to {where}", err=True)
    for reason, count in sorted(summary.reasons.items()):
        click.echo(f"  {count} left out: {reason}", err=True)
    if not summary.written and not summary.left_out:
        click.echo("  (nothing matched; `armstrace transfers` lists what is stored)", err=True)
    sys.stderr.flush()


COMMANDS: list[click.Command] = [export]
