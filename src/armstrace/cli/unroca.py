"""`armstrace import-unroca` and `armstrace reconcile`: declarations to the UN Register of
Conventional Arms, set against the transfer records."""

from __future__ import annotations

from typing import Any

import click

from armstrace.cli.options import db_option, echo_json, format_option

_GAP = {
    "exporter_only": "exporter only",
    "importer_only": "importer only",
    "different_numbers": "numbers differ",
    "": "",
}


def print_reconciliation(result: dict[str, Any]) -> None:
    counts = result["counts"]
    click.echo(
        f"{counts['matching']} matching, {counts['mirror_gap']} mirror gaps, "
        f"{counts['undeclared']} undeclared records"
    )
    if result["rows"]:
        click.echo(
            f"{'verdict':11} {'year':4} {'exporter':8} {'importer':8} {'category':34} "
            f"{'exp.':>5} {'imp.':>5}  gap"
        )
    for row in result["rows"]:
        exported = row["exporter_items"] if row["exporter_declared"] else "-"
        imported = row["importer_items"] if row["importer_declared"] else "-"
        click.echo(
            f"{row['verdict']:11} {row['year']:4} {row['exporter'] or '?':8} "
            f"{row['importer'] or '?':8} {row['register_name'][:34]:34} {exported!s:>5} "
            f"{imported!s:>5}  {_GAP[row['gap']]}"
        )
    if result["undeclared"]:
        click.echo("undeclared: delivered records that neither side declared")
    for item in result["undeclared"]:
        years = ", ".join(str(y) for y in item["years"]) or "undated"
        systems = ", ".join(item["designations"]) or "-"
        click.echo(
            f"  [{item['record_id'][:10]}] {item['supplier']} → {item['recipient']} "
            f"{item['category']} ({years}; {systems}; {item['independent_sources']} sources)"
        )


@click.command(name="import-unroca")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--state", help="Reporting state of a CSV/HTML report that does not name it.")
@click.option("--year", type=click.IntRange(1992, 2100), help="Its calendar year, likewise.")
@db_option
@format_option("table", "json")
def import_unroca(
    paths: tuple[str, ...], state: str | None, year: int | None, db: str | None, fmt: str
) -> None:
    """Load UNROCA country reports (JSON, CSV or HTML) and reconcile them with the records.

    Lists, for each exporter, importer, year and category, whether both sides declared the
    same numbers, a mirror gap (one side only, or different numbers), and the delivered
    records that no declaration covers. `armstrace transfer ID` shows it per record.

    \b
    Example:
      armstrace import-unroca --db arms.db deu-2023.json gbr-2023.csv
      armstrace reconcile --db arms.db --format json
    """
    from armstrace.kb.declarations import import_unroca as run_import
    from armstrace.store import open_store

    with open_store(db) as store:
        result = run_import(store, list(paths), state=state, year=year)
    summary = result.reconciliation.to_dict()
    if fmt == "json":
        echo_json(summary)
        return
    for path, found in result.imports:
        nil = f", {len(found.nil_reports)} nil reports" if found.nil_reports else ""
        click.echo(f"{path}: {len(found.declarations)} declarations{nil}")
        for warning in found.warnings:
            click.echo(f"  warning: {warning}")
    click.echo(f"{result.stored} declarations stored")
    print_reconciliation(summary)


@click.command()
@db_option
@format_option("table", "json")
def reconcile(db: str | None, fmt: str) -> None:
    """Set the stored UNROCA declarations against the transfer records.

    \b
    Example:
      armstrace reconcile --db arms.db
    """
    from armstrace.kb.declarations import reconciliation
    from armstrace.store import open_store

    with open_store(db) as store:
        summary = reconciliation(store).to_dict()
    if fmt == "json":
        echo_json(summary)
    else:
        print_reconciliation(summary)


COMMANDS: list[click.Command] = [import_unroca, reconcile]
